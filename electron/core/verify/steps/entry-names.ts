/**
 * Step 1, every entry: its name and type. Links, devices and the like are refused; every entry
 * must sit in the bag's one top directory, have a safe path within the station's limits, and not
 * repeat or shadow an earlier entry's name (entry-registry.ts). Returns the bag path of a regular
 * file to read on, or null when the entry needs nothing more (a directory, or refused).
 */
import { checkStructuralPath } from '../../bundle/path-rules.js';
import { entryKind, type TarEntry } from '../../bundle/tar-entries.js';
import { Fatal } from '../problem-list.js';
import { afterProblem, fileRow, limitHit, refuseName, type VerifyState } from '../verify-state.js';
import { REQUIRED_TAGS } from './tag-files.js';

export function admitEntry(state: VerifyState, entry: TarEntry): string | null {
  const { limits, problems } = state;
  state.entryCount += 1;
  if (state.entryCount > limits.maxEntries) {
    limitHit(state, 'files', `The archive has more than ${limits.maxEntries} entries.`);
    state.problems.fail('LIMIT_EXCEEDED', `The archive has more than ${limits.maxEntries} entries.`);
  }
  const kind = entryKind(entry);
  let path = entry.path;
  if (kind === 'directory' && path.endsWith('/')) path = path.slice(0, -1);
  if (kind === 'other') {
    // Refused, not absent: a listed path arriving as a link is not also FILE_MISSING.
    if (state.top !== null && path.startsWith(`${state.top}/`)) state.seen.add(path.slice(state.top.length + 1));
    fileRow(state, path, null, 'refused-type', 'UNSAFE_ENTRY_TYPE');
    problems.add('UNSAFE_ENTRY_TYPE', `"${path}" is a ${entry.type} entry.`, path);
    afterProblem(state);
    return null;
  }
  const size = kind === 'file' ? entry.size : null;
  const slash = path.indexOf('/');
  const first = slash < 0 ? path : path.slice(0, slash);
  const top = state.top ?? claimTopDirectory(state, first, path, size);
  if (first !== top) {
    refuseName(state, 'UNSAFE_PATH', `"${path}" is outside the bag's top directory "${top}".`, path, size);
    afterProblem(state);
    return null;
  }
  const rel = slash < 0 ? '' : path.slice(slash + 1);
  if (rel === '') {
    if (kind === 'directory') return null;
    refuseName(state, 'UNSAFE_PATH', `A file is named like the bag's top directory "${top}".`, path, entry.size);
    throw new Fatal();
  }
  // Levels counted, not split out: an array and a string per level for every entry.
  let depth = 1;
  for (let at = rel.indexOf('/'); at >= 0; at = rel.indexOf('/', at + 1)) depth += 1;
  if (depth > state.observed.deepestPath) state.observed.deepestPath = depth;
  const relBytes = Buffer.byteLength(rel, 'utf8');
  if (relBytes > state.observed.longestPathBytes) state.observed.longestPathBytes = relBytes;
  // A tag file the bag needs, refused: authentication cannot follow, and saying so would only repeat the problem.
  const neededTag = state.phase === 'tags' && REQUIRED_TAGS.has(rel);
  const structural = checkStructuralPath(rel, limits);
  if (!structural.ok) {
    if (structural.kind === 'limit') {
      limitHit(state, 'paths', `"${path}": ${structural.reason}.`);
      fileRow(state, rel, size, 'refused-limit', 'LIMIT_EXCEEDED');
      problems.add('LIMIT_EXCEEDED', `"${path}": ${structural.reason}.`, rel);
    } else {
      refuseName(state, 'UNSAFE_PATH', `"${path}": ${structural.reason}.`, rel, size);
    }
    if (neededTag) throw new Fatal();
    if (kind === 'file') state.seen.add(rel);
    afterProblem(state);
    return null;
  }
  // A listed file is registered as one bit once the manifest is read (ArrivedFiles, payload-index.ts).
  const registered = kind === 'directory' ? state.registry.addDirectory(rel) : state.registry.addFile(rel);
  if (!registered.ok) {
    // The entry it clashes with is explained by the clash: one problem, DUPLICATE_ENTRY, whichever copy came first.
    problems.explainedBy(registered.clash, state.manifest?.has(rel) ?? false);
    refuseName(state, 'DUPLICATE_ENTRY', `${registered.reason}.`, rel, size);
    if (neededTag) throw new Fatal();
    if (kind === 'file') state.seen.add(rel);
    afterProblem(state);
    return null;
  }
  return kind === 'directory' ? null : rel;
}

/** The first entry names the bag's top directory; one unfit for this station ends verification. */
function claimTopDirectory(state: VerifyState, first: string, path: string, size: number | null): string {
  const topCheck = checkStructuralPath(first, state.limits);
  if (!topCheck.ok && topCheck.kind === 'limit' && first.length > 0) {
    // Too long for this station is a limit, with the limit's next step, not an unsafe name.
    limitHit(state, 'paths', `The bag's top directory "${first}": ${topCheck.reason}.`);
    fileRow(state, path, size, 'refused-limit', 'LIMIT_EXCEEDED');
    state.problems.fail('LIMIT_EXCEEDED', `The bag's top directory "${first}": ${topCheck.reason}.`, path);
  }
  if (!topCheck.ok || first.length === 0) {
    refuseName(state, 'UNSAFE_PATH', `The bag's top directory "${first}" is unsafe.`, path, size);
    throw new Fatal();
  }
  state.top = first;
  return first;
}
