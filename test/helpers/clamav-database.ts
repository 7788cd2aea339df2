/**
 * Signature databases for tests (issue #16.8): no downloads, only what we write here.
 * - markerBytes(): a file clamd flags as `Airlock.Test.Marker` (a body signature, .ndb, matching
 *   anywhere in any file, so also inside archives clamd unpacks).
 * - buildDatabaseContainer(): a ClamAV container (.cud: unsigned, the kind `sigtool --build
 *   --unsigned` makes) holding that signature, with a build time of our choosing: a STALE database
 *   is one built with a date in the past. clamd loads it and names its version and date in VERSION.
 *   The layout mirrors sigtool's: a 512-byte header `ClamAV-VDB:time:version:sigs:flevel:md5:X:builder:stime`,
 *   then a tar.gz of COPYING, `<name>.info` (the same header line + `file:size:sha256` per file) and
 *   the signature files; clamd checks the .info header against the container header.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mustRun } from './tools.js';

export const MARKER_SIGNATURE = 'Airlock.Test.Marker';
/** The bytes the signature matches (ASCII, so a marker also survives inside text files and archives). */
export const MARKER_TEXT = 'AIRLOCK-TEST-MARKER-7f3c9e1d';

/** A file clamd reports as Airlock.Test.Marker: `prefix`, the marker, `suffix`. */
export function markerBytes(prefix = 'This file carries a test marker: ', suffix = '\n'): Buffer {
  return Buffer.from(`${prefix}${MARKER_TEXT}${suffix}`, 'latin1');
}

/** The .ndb line: name, target 0 (any file), offset * (anywhere), the marker in hex. */
export function markerNdb(): string {
  return `${MARKER_SIGNATURE}:0:*:${Buffer.from(MARKER_TEXT, 'latin1').toString('hex')}\n`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** sigtool's build-time text: `24 Oct 2026 06-36 +0000`. */
function headerTime(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${pad(date.getUTCHours())}-${pad(date.getUTCMinutes())} +0000`;
}

export interface DatabaseContainerOptions {
  /** `daily` (clamd's VERSION reports the daily database), `main`, ... */
  name?: string | undefined;
  version?: number | undefined;
  builtAt?: Date | undefined;
  /** Signature files inside (default: the marker as `<name>.ndb`). */
  files?: Record<string, string | Buffer> | undefined;
}

/** The bytes of an unsigned ClamAV container (.cud). */
export async function buildDatabaseContainer(options: DatabaseContainerOptions = {}): Promise<Buffer> {
  const name = options.name ?? 'daily';
  const version = options.version ?? 27_000;
  const builtAt = options.builtAt ?? new Date();
  const files = options.files ?? { [`${name}.ndb`]: markerNdb() };
  const stime = Math.floor(builtAt.getTime() / 1000);
  const signatures = Object.values(files).reduce(
    (n, body) =>
      n +
      body
        .toString()
        .split('\n')
        .filter((line) => line.trim().length > 0).length,
    0,
  );
  const fields = (md5: string): string => `ClamAV-VDB:${headerTime(builtAt)}:${version}:${signatures}:90:${md5}:X:airlock-test:${stime}`;
  const work = await mkdtemp(join(tmpdir(), 'airlock-cvd-'));
  try {
    const info = [
      fields('X'),
      ...Object.entries(files).map(([file, body]) => `${file}:${Buffer.byteLength(body)}:${createHash('sha256').update(body).digest('hex')}`),
    ].join('\n');
    await writeFile(join(work, 'COPYING'), 'Test signatures for Airlock, made by its tests.\n');
    await writeFile(join(work, `${name}.info`), `${info}\n`);
    for (const [file, body] of Object.entries(files)) await writeFile(join(work, file), body);
    mustRun('tar', [
      '--format=ustar',
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '-czf',
      join(work, 'body.tar.gz'),
      '-C',
      work,
      'COPYING',
      `${name}.info`,
      ...Object.keys(files),
    ]);
    const body = await readFile(join(work, 'body.tar.gz'));
    const header = Buffer.alloc(512, ' ');
    header.write(fields(createHash('md5').update(body).digest('hex')), 0, 'latin1');
    return Buffer.concat([header, body]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Write `<name>.cud` into a database directory; returns its path. */
export async function writeDatabaseContainer(dir: string, options: DatabaseContainerOptions = {}): Promise<string> {
  const path = join(dir, `${options.name ?? 'daily'}.cud`);
  await writeFile(path, await buildDatabaseContainer(options));
  return path;
}

/** Write the marker as a plain `.ndb` file: clamd loads it but its VERSION then names no database. */
export async function writePlainSignatures(dir: string): Promise<string> {
  const path = join(dir, 'airlock-test.ndb');
  await writeFile(path, markerNdb());
  return path;
}

/** A date `days` whole days before `now` (a stale database's build time). */
export function daysAgo(days: number, now = new Date()): Date {
  return new Date(now.getTime() - days * 86_400_000);
}
