/**
 * `airlock` with a crash at one exact instant: the CLI runs in this process with the commit
 * rename of an import, or the no-overwrite link that publishes an export, wrapped so the process
 * SIGKILLs itself just before or just after it. Random kill instants rarely land in those
 * windows, and they are where the file system and the records can disagree.
 *
 *   node --import tsx test/fault/crash-child.ts POINT --home HOME import|export ...
 *
 * POINT: import-before-rename | import-after-rename | export-before-publish | export-after-publish |
 *        feed-before-install | feed-after-rename-1 | feed-after-rename-2 (a feed import's database
 *        files moved into the scanner's folder: none, the first, the second) |
 *        split-after-part-1 | split-after-index | split-before-signature | split-after-signature
 *        (an export --to-media split into parts: part 1 published, the (last) index copy published,
 *        right before and right after its signature is published, which completes the set) |
 *        watch-between-parts (`airlock watch` claiming a split bundle: its index and first part
 *        renamed into the claim folder, the other parts still in the inbox) |
 *        watch-before-finish (a decided claim's folder about to be renamed into accepted/ or
 *        quarantine/) | watch-step-N (right after the watcher's Nth step: a rename into, inside or
 *        out of INBOX/.airlock-watch/, or an import's commit rename) |
 *        staging-after-mkdtemp (an import's staging folder made, its owner file not yet in it) |
 *        staging-before-rmdir (a staging folder emptied, its owner file gone, the folder itself not yet) |
 *        rename-N (right after the Nth rename of the run: a durable write's file in place, its
 *        content fsynced before; the writes of a keys or checkpoint command in order up to N) |
 *        before-journal-unlink (a key change or settings save recorded, its journal keys/key-change.json
 *        or settings-change.json not yet removed) |
 *        after-rename-of-NAME (right after the first rename onto a file named NAME, e.g.
 *        after-rename-of-station-key.private.asc: a rotation's new private key in place, the rest not)
 *
 * The CLI writes no settings; the app's Settings save through the station API. For those:
 *   node --import tsx test/fault/crash-child.ts POINT --home HOME settings-save PATCH_JSON
 */
import fs from 'node:fs';
import { basename, dirname } from 'node:path';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const point = process.argv[2] ?? '';
const POINTS = [
  'import-before-rename',
  'import-after-rename',
  'export-before-publish',
  'export-after-publish',
  'feed-before-install',
  'feed-after-rename-1',
  'feed-after-rename-2',
  'split-after-part-1',
  'split-after-index',
  'split-before-signature',
  'split-after-signature',
  'watch-between-parts',
  'watch-before-finish',
  'staging-after-mkdtemp',
  'staging-before-rmdir',
  'before-journal-unlink',
];
const stepPoint = /^watch-step-(\d+)$/u.exec(point);
const renamePoint = /^rename-(\d+)$/u.exec(point);
const renameOf = /^after-rename-of-(.+)$/u.exec(point)?.[1];
let renames = 0;
if (!POINTS.includes(point) && !stepPoint && !renamePoint && !renameOf) throw new Error(`crash point must be one of ${POINTS.join(', ')}`);

function die(): never {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

const isCommit = (from: string): boolean => basename(from) === 'payload' && basename(dirname(from)).startsWith('.airlock-staging-');
const isPublish = (to: string): boolean => to.endsWith('.airlock.tar');
/** Publishing a split bundle's files (docs/bundle-format.md §14.1): part 1, an index copy, its signature. */
const splitFile = (to: string): 'part-1' | 'index' | 'signature' | null =>
  /\.airlock\.tar\.part-0*1-of-\d+$/u.test(to)
    ? 'part-1'
    : to.endsWith('.airlock-index.json')
      ? 'index'
      : to.endsWith('.airlock-index.json.asc')
        ? 'signature'
        : null;

/** A feed import moving a staged database file into the scanner's folder (inspect/feeds/install-feed.ts). */
const isFeedInstall = (from: string, to: string): boolean => from.includes('/.airlock-staging-') && /\.(cvd|cld|cud)$/u.test(to);
let feedRenames = 0;

/** A watcher's journal (electron/core/watch/claim-folder.ts): renames into, inside or out of INBOX/.airlock-watch/. */
const inWork = (path: string): boolean => path.includes('/.airlock-watch/');
const isPartClaim = (from: string, to: string): boolean => !inWork(from) && inWork(to) && /\.airlock\.tar\.part-\d+-of-\d+$/u.test(to);
const isFinish = (from: string, to: string): boolean => inWork(from) && /\/(accepted|quarantine)\/[^/]+$/u.test(to);
let watchSteps = 0;
/** Counts a watcher's step; dies after the Nth. */
function watchStep(): void {
  watchSteps += 1;
  if (stepPoint && watchSteps === Number(stepPoint[1])) die();
}

const rename = fs.promises.rename;
fs.promises.rename = async (from, to) => {
  const commit = isCommit(String(from));
  const feed = isFeedInstall(String(from), String(to));
  const step = inWork(String(from)) || inWork(String(to));
  if (commit && point === 'import-before-rename') die();
  if (feed && point === 'feed-before-install') die();
  if (isFinish(String(from), String(to)) && point === 'watch-before-finish') die();
  await rename(from, to);
  renames += 1;
  if (renamePoint && renames === Number(renamePoint[1])) die();
  if (renameOf !== undefined && basename(String(to)) === renameOf) die();
  if (commit && point === 'import-after-rename') die();
  if (isPartClaim(String(from), String(to)) && point === 'watch-between-parts') die();
  if (step || commit) watchStep();
  if (feed) feedRenames += 1;
  if (feed && point === `feed-after-rename-${feedRenames}`) die();
};
// The import commits with renameSync (its placeholder, the rename and the record's removal are one synchronous step).
const renameSync = fs.renameSync;
fs.renameSync = (from, to) => {
  const commit = isCommit(String(from));
  if (commit && point === 'import-before-rename') die();
  renameSync(from, to);
  if (commit && point === 'import-after-rename') die();
  if (commit) watchStep();
};
// The two instants a staging folder exists without its owner file (import/staging.ts, staging-owner.ts).
const isStaging = (path: string): boolean => basename(path).startsWith('.airlock-staging-');
const mkdtempSync = fs.mkdtempSync;
fs.mkdtempSync = ((prefix: string, options?: fs.EncodingOption) => {
  const made = mkdtempSync(prefix, options);
  if (isStaging(String(made)) && point === 'staging-after-mkdtemp') die();
  return made;
}) as typeof fs.mkdtempSync;
const rmdirSync = fs.rmdirSync;
fs.rmdirSync = (path, options) => {
  if (isStaging(String(path)) && point === 'staging-before-rmdir') die();
  rmdirSync(path, options);
};
const link = fs.promises.link;
fs.promises.link = async (from, to) => {
  const publish = isPublish(String(to));
  const split = splitFile(String(to));
  if (publish && point === 'export-before-publish') die();
  if (split === 'signature' && point === 'split-before-signature') die();
  await link(from, to);
  if (publish && point === 'export-after-publish') die();
  if (split !== null && point === `split-after-${split}`) die();
};
const unlink = fs.promises.unlink;
fs.promises.unlink = async (path) => {
  if (/\/(key|settings)-change\.json$/u.test(String(path)) && point === 'before-journal-unlink') die();
  await unlink(path);
};
// ESM named imports of node:fs/promises follow the patched object from here on.
syncBuiltinESMExports();

const args = process.argv.slice(3);
if (args[0] === '--home' && args[2] === 'settings-save') {
  const { Station } = await import('../../electron/core/index.js');
  const station = await Station.open({ home: args[1] });
  await station.updateSettings(JSON.parse(args[3] ?? '{}') as Parameters<typeof station.updateSettings>[0]);
  station.close();
} else {
  process.argv = [process.argv[0] as string, 'airlock', ...args];
  // The prebuilt CLI while it is fresh (the rule bin/airlock.cjs follows): the same code as the
  // TypeScript, without compiling and linking all of it through tsx's loader in every child
  // (docs/design-notes.md, "Test suite wall time, round 3 (ci22)"). It requires node:fs and
  // node:fs/promises, the objects patched above, and reads their functions when it calls them.
  const require = createRequire(import.meta.url);
  const { cliBundleState } = require('../../scripts/cli-fresh.cjs') as { cliBundleState: () => string };
  if (cliBundleState() === 'fresh') require('../../scripts/cli-loader.cjs');
  else await import('../../electron/cli/index.js');
}
