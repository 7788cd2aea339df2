/**
 * A fresh destination folder and station database for one import test (the import tests' per-test
 * set-up): `root/destN` made empty, the previous test's database closed, `root/stationN.db` opened.
 * A new database per test keeps one test's imports from being another's replays.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openStationDb, type StationDb } from '../../electron/core/db/station-db.js';

export async function nextImportTarget(root: string, n: number | string, previous: StationDb | undefined): Promise<{ dest: string; db: StationDb }> {
  previous?.close();
  const dest = join(root, `dest${n}`);
  await mkdir(dest);
  return { dest, db: openStationDb(join(root, `station${n}.db`)) };
}
