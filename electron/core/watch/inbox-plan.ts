import { join } from 'node:path';
import type { WatchWaitingSet } from '../../../shared/watch.js';
import { BUNDLE_NAME_PATTERN, BUNDLE_SUFFIX } from '../bundle/format.js';
import { readRegularFile } from '../fs/open-regular.js';
import { indexFileName, indexSignatureFileName, parseIndexFileName, parsePartFileName } from '../media/parts/part-names.js';
import type { InboxEntry, SettleTracker } from './inbox-scan.js';

/** A sender's "this file is complete" marker: `FILE.done` beside FILE (for a split bundle: beside its volume index). */
export const DONE_SUFFIX = '.done';

/** A bundle (one file, or a split bundle's index, signature and parts) complete in the inbox, ready to claim. */
export interface ReadyBundle {
  kind: 'bundle' | 'split';
  /** The bundle's name (NAME of NAME.airlock.tar). */
  name: string;
  /** The file to import: the bundle file, or the split bundle's volume index. Claimed first: its rename decides. */
  primary: string;
  /** Every other file that goes with it (signature, parts, markers), in the order they are moved. */
  others: string[];
  /** The newest mtime among its files: queue order is oldest first, then by name. */
  mtimeMs: number;
}

/** A split bundle seen in part: what it still waits for (shown in `watch --status`, never imported partly). */
export type WaitingSet = WatchWaitingSet;

export interface InboxPlan {
  ready: ReadyBundle[];
  /** Split bundles not complete yet, by name (at most WAITING_LIMIT). */
  waiting: WaitingSet[];
  /** Entries to move aside unread (links and special files at once; folders and unknown names once settled). */
  refuse: InboxEntry[];
  /** Files not (yet) complete: still being written, a sender's hidden temp file, parts without their index. */
  arriving: number;
}

const INDEX_LIMIT = 1024 * 1024;
export const WAITING_LIMIT = 100;

/**
 * What the inbox holds, from one scan. A bundle is ready when its `.done` marker is newer than it
 * (an older marker is a leftover, not a promise about this file) or it has settled; a split bundle
 * when its index and signature are and every part the index names is there with the size the
 * index gives. A part of another size waits as long as it may still be arriving; once it has settled
 * by the watcher's own observation (never by a marker: `cp -p` of a late medium's part keeps an old
 * mtime) it will not change any more, so the set is taken and the import refuses it whole, rather
 * than left waiting for ever. The index read here is not trusted for anything but completeness: the
 * import checks its signature and every part again.
 */
export async function planInbox(inbox: string, entries: readonly InboxEntry[], tracker: SettleTracker, now: number): Promise<InboxPlan> {
  const files = new Map<string, InboxEntry>();
  const plan: InboxPlan = { ready: [], waiting: [], refuse: [], arriving: 0 };
  for (const entry of entries) {
    if (entry.type === 'link' || entry.type === 'other') plan.refuse.push(entry);
    else if (entry.type === 'dir') {
      if (tracker.settled(entry, now)) plan.refuse.push(entry);
    } else if (entry.name.startsWith('.')) plan.arriving += 1;
    else if (!entry.utf8 || !isInboxFileName(entry.name)) {
      if (tracker.settled(entry, now)) plan.refuse.push(entry);
      else plan.arriving += 1;
    } else files.set(entry.name, entry);
  }
  const complete = (entry: InboxEntry, marker: InboxEntry | undefined): boolean =>
    (marker !== undefined && marker.mtimeMs >= entry.mtimeMs) || tracker.settled(entry, now);
  const taken = new Set<string>();
  for (const [name, entry] of files) {
    if (!name.endsWith(BUNDLE_SUFFIX)) continue;
    const marker = files.get(`${name}${DONE_SUFFIX}`);
    taken.add(name);
    if (!complete(entry, marker)) {
      plan.arriving += 1;
      continue;
    }
    if (marker) taken.add(marker.name);
    plan.ready.push({ kind: 'bundle', name: name.slice(0, -BUNDLE_SUFFIX.length), primary: name, others: marker ? [marker.name] : [], mtimeMs: entry.mtimeMs });
  }
  for (const [name, entry] of files) {
    const bundleName = name.endsWith(DONE_SUFFIX) ? null : parseIndexFileName(name);
    if (bundleName === null || name !== indexFileName(bundleName)) continue;
    const set = await splitSet(inbox, bundleName, entry, files, complete, (e) => tracker.settled(e, now));
    if ('missing' in set) {
      plan.waiting.push(set);
      continue;
    }
    for (const file of [set.primary, ...set.others]) taken.add(file);
    plan.ready.push(set);
  }
  // Parts and signatures whose index has not come: the set waits for it.
  const indexless = new Map<string, string[]>();
  for (const name of files.keys()) {
    const owner = splitSetOf(name);
    if (owner === null || files.has(indexFileName(owner))) continue;
    indexless.set(owner, [...(indexless.get(owner) ?? []), name]);
  }
  for (const [name, present] of indexless) {
    const missing = [indexFileName(name), ...(present.includes(indexSignatureFileName(name)) ? [] : [indexSignatureFileName(name)])];
    plan.waiting.push({ name, missing, incomplete: [] });
  }
  plan.waiting.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  plan.waiting.splice(WAITING_LIMIT);
  for (const [name, entry] of files) {
    if (taken.has(name)) continue;
    // A marker waits for its file; everything else (parts, signatures) waits for its index.
    if (name.endsWith(DONE_SUFFIX)) continue;
    plan.arriving += 1;
    void entry;
  }
  plan.ready.sort((a, b) => a.mtimeMs - b.mtimeMs || (a.primary < b.primary ? -1 : a.primary > b.primary ? 1 : 0));
  return plan;
}

/** NAME.airlock.tar, a part, an index or its signature, or a `.done` marker for one of them. */
export function isInboxFileName(name: string): boolean {
  const file = name.endsWith(DONE_SUFFIX) ? name.slice(0, -DONE_SUFFIX.length) : name;
  if (file.endsWith(BUNDLE_SUFFIX)) return BUNDLE_NAME_PATTERN.test(file.slice(0, -BUNDLE_SUFFIX.length));
  return parsePartFileName(file) !== null || parseIndexFileName(file) !== null;
}

/** The split bundle a part or an index signature belongs to (null for other files, and for the index itself). */
function splitSetOf(file: string): string | null {
  const part = parsePartFileName(file);
  if (part) return part.name;
  const name = parseIndexFileName(file);
  return name !== null && file === indexSignatureFileName(name) ? name : null;
}

async function splitSet(
  inbox: string,
  name: string,
  index: InboxEntry,
  files: ReadonlyMap<string, InboxEntry>,
  complete: (entry: InboxEntry, marker: InboxEntry | undefined) => boolean,
  settled: (entry: InboxEntry) => boolean,
): Promise<ReadyBundle | WaitingSet> {
  const marker = files.get(`${index.name}${DONE_SUFFIX}`);
  const signature = files.get(indexSignatureFileName(name));
  const missing: string[] = [];
  const incomplete: string[] = [];
  if (!complete(index, marker)) incomplete.push(index.name);
  if (!signature) missing.push(indexSignatureFileName(name));
  else if (!complete(signature, marker)) incomplete.push(signature.name);
  const named = await partsNamedBy(join(inbox, index.name), index.size, name);
  // Parts lying in the inbox under this bundle's name: taken along even when the index does not
  // name them (the import then reports them as extra), never left behind to be claimed alone.
  const present = [...files.values()].filter((f) => parsePartFileName(f.name)?.name === name);
  if (named !== null) {
    for (const part of named) {
      const entry = files.get(part.file);
      if (!entry) missing.push(part.file);
      else if (part.size !== null && entry.size !== part.size ? !settled(entry) : !complete(entry, marker)) incomplete.push(part.file);
    }
  } else for (const p of present) if (!complete(p, marker)) incomplete.push(p.name);
  if (!signature || missing.length > 0 || incomplete.length > 0) return { name, missing, incomplete };
  const others = [signature.name, ...present.map((p) => p.name).sort(), ...(marker ? [marker.name] : [])];
  const mtimeMs = Math.max(index.mtimeMs, signature.mtimeMs, ...present.map((p) => p.mtimeMs));
  return { kind: 'split', name, primary: index.name, others, mtimeMs };
}

/** The parts an (unverified) index names, with their sizes; null when it cannot be read as one (the import will say why). */
async function partsNamedBy(path: string, size: number, name: string): Promise<Array<{ file: string; size: number | null }> | null> {
  if (size > INDEX_LIMIT) return null;
  try {
    // Never a blocking open: the index may have been swapped for a FIFO since the scan, and this loop is the watcher's only one.
    const parsed = JSON.parse(await readRegularFile(path, 'utf8')) as { parts?: unknown };
    if (!Array.isArray(parsed.parts)) return null;
    const parts: Array<{ file: string; size: number | null }> = [];
    for (const part of parsed.parts as unknown[]) {
      const file = (part as { file?: unknown } | null)?.file;
      const bytes = (part as { size?: unknown } | null)?.size;
      if (typeof file !== 'string' || parsePartFileName(file)?.name !== name) return null;
      parts.push({ file, size: typeof bytes === 'number' ? bytes : null });
    }
    return parts;
  } catch {
    return null;
  }
}
