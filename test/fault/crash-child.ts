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
 *        files moved into the scanner's folder: none, the first, the second)
 */
import fs from 'node:fs';
import { basename, dirname } from 'node:path';
import { syncBuiltinESMExports } from 'node:module';

const point = process.argv[2] ?? '';
const POINTS = [
  'import-before-rename',
  'import-after-rename',
  'export-before-publish',
  'export-after-publish',
  'feed-before-install',
  'feed-after-rename-1',
  'feed-after-rename-2',
];
if (!POINTS.includes(point)) throw new Error(`crash point must be one of ${POINTS.join(', ')}`);

function die(): never {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

const isCommit = (from: string): boolean => basename(from) === 'payload' && basename(dirname(from)).startsWith('.airlock-staging-');
const isPublish = (to: string): boolean => to.endsWith('.airlock.tar');

/** A feed import moving a staged database file into the scanner's folder (inspect/feeds/install-feed.ts). */
const isFeedInstall = (from: string, to: string): boolean => from.includes('/.airlock-staging-') && /\.(cvd|cld|cud)$/u.test(to);
let feedRenames = 0;

const rename = fs.promises.rename;
fs.promises.rename = async (from, to) => {
  const commit = isCommit(String(from));
  const feed = isFeedInstall(String(from), String(to));
  if (commit && point === 'import-before-rename') die();
  if (feed && point === 'feed-before-install') die();
  await rename(from, to);
  if (commit && point === 'import-after-rename') die();
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
};
const link = fs.promises.link;
fs.promises.link = async (from, to) => {
  const publish = isPublish(String(to));
  if (publish && point === 'export-before-publish') die();
  await link(from, to);
  if (publish && point === 'export-after-publish') die();
};
// ESM named imports of node:fs/promises follow the patched object from here on.
syncBuiltinESMExports();

process.argv = [process.argv[0] as string, 'airlock', ...process.argv.slice(3)];
await import('../../electron/cli/index.js');
