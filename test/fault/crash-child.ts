/**
 * `airlock` with a crash at one exact instant: the CLI runs in this process with the commit
 * rename of an import, or the no-overwrite link that publishes an export, wrapped so the process
 * SIGKILLs itself just before or just after it. Random kill instants rarely land in those
 * windows, and they are where the file system and the records can disagree.
 *
 *   node --import tsx test/fault/crash-child.ts POINT --home HOME import|export ...
 *
 * POINT: import-before-rename | import-after-rename | export-before-publish | export-after-publish
 */
import fs from 'node:fs';
import { basename, dirname } from 'node:path';
import { syncBuiltinESMExports } from 'node:module';

const point = process.argv[2] ?? '';
const POINTS = ['import-before-rename', 'import-after-rename', 'export-before-publish', 'export-after-publish'];
if (!POINTS.includes(point)) throw new Error(`crash point must be one of ${POINTS.join(', ')}`);

function die(): never {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
}

const isCommit = (from: string): boolean => basename(from) === 'payload' && basename(dirname(from)).startsWith('.airlock-staging-');
const isPublish = (to: string): boolean => to.endsWith('.airlock.tar');

const rename = fs.promises.rename;
fs.promises.rename = async (from, to) => {
  const commit = isCommit(String(from));
  if (commit && point === 'import-before-rename') die();
  await rename(from, to);
  if (commit && point === 'import-after-rename') die();
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
