/**
 * ClamAV database file headers (.cvd signed, .cld incremental, .cud unsigned): the first 512 bytes
 * are ASCII, `ClamAV-VDB:<build time>:<version>:<signatures>:<functionality level>:<md5>:<dsig>:<builder>:<build time, unix seconds>`,
 * padded with spaces. Read where clamd's VERSION is silent (no daily database loaded) and by
 * feeds to say what a database file is before it is installed.
 */
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScannerStatus } from '../../../../shared/inspection.js';
import { ageInDays } from './version.js';

export const DATABASE_HEADER_BYTES = 512;
export const CONTAINER_EXTENSIONS = ['.cvd', '.cld', '.cud'] as const;

export interface DatabaseHeader {
  /** The file's name (`daily.cvd`). */
  name: string;
  version: number;
  signatures: number;
  builtAt: Date;
  builder: string;
  /** MD5 of the body after the header (hex), as the header states it; `X` or empty when it states none. */
  md5: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `24 Oct 2026 06-36 +0000` (sigtool's build-time text). */
function parseHeaderTime(text: string): Date | null {
  const m = /^([0-9]{1,2}) ([A-Z][a-z]{2}) ([0-9]{4}) ([0-9]{2})-([0-9]{2}) ([+-])([0-9]{2})([0-9]{2})$/u.exec(text.trim());
  if (m === null) return null;
  const month = MONTHS.indexOf(m[2] ?? '');
  if (month < 0) return null;
  const offsetMinutes = (m[6] === '-' ? -1 : 1) * (Number(m[7]) * 60 + Number(m[8]));
  const utc = Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5])) - offsetMinutes * 60_000;
  return Number.isNaN(utc) ? null : new Date(utc);
}

/** A header's fields; null when the bytes are not a ClamAV container header. */
export function parseDatabaseHeader(name: string, head: Buffer): DatabaseHeader | null {
  if (head.length < DATABASE_HEADER_BYTES) return null;
  const text = head.subarray(0, DATABASE_HEADER_BYTES).toString('latin1');
  if (!text.startsWith('ClamAV-VDB:') || !/^[\x20-\x7e]+$/u.test(text)) return null;
  const fields = text.trimEnd().split(':');
  if (fields.length < 9) return null;
  const [, timeText = '', versionText = '', sigsText = '', , md5 = '', , builder = '', stimeText = ''] = fields;
  if (!/^[0-9]{1,12}$/u.test(versionText) || !/^[0-9]{1,12}$/u.test(sigsText)) return null;
  const builtAt = /^[0-9]{1,12}$/u.test(stimeText.trim()) ? new Date(Number(stimeText.trim()) * 1000) : parseHeaderTime(timeText);
  if (builtAt === null) return null;
  return { name, version: Number(versionText), signatures: Number(sigsText), builtAt, builder, md5: md5.toLowerCase() };
}

/** The header of one container file; null when it has none (too short, not a container). */
export async function readDatabaseHeader(path: string, name: string): Promise<DatabaseHeader | null> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(DATABASE_HEADER_BYTES);
    const { bytesRead } = await handle.read(head, 0, DATABASE_HEADER_BYTES, 0);
    return parseDatabaseHeader(name, head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

export function isContainerName(name: string): boolean {
  return CONTAINER_EXTENSIONS.some((ext) => name.endsWith(ext));
}

/** Every readable container header in a database directory (files without one are skipped, not fatal). */
export async function readDatabaseHeaders(dir: string): Promise<DatabaseHeader[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const headers: DatabaseHeader[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !isContainerName(entry.name)) continue;
    const header = await readDatabaseHeader(join(dir, entry.name), entry.name).catch(() => null);
    if (header !== null) headers.push(header);
  }
  return headers;
}

/**
 * The database's version and date as a whole, as clamd's VERSION would state them: the daily
 * database when there is one (VERSION reports daily's version and date), else the most recently
 * built container, so the age is the age of the newest signatures the station has.
 */
export function newestDatabase(headers: readonly DatabaseHeader[]): DatabaseHeader | null {
  const daily = headers.filter((header) => header.name.startsWith('daily.'));
  let newest: DatabaseHeader | null = null;
  for (const header of daily.length > 0 ? daily : headers) {
    if (newest === null || header.builtAt.getTime() > newest.builtAt.getTime()) newest = header;
  }
  return newest;
}

/** newestDatabase of the container headers in `dir`; a folder that cannot be read has none. */
export async function newestDatabaseIn(dir: string): Promise<DatabaseHeader | null> {
  return newestDatabase(await readDatabaseHeaders(dir).catch(() => []));
}

/** What a scanner's status says of its database when a container header speaks for it (clamd's VERSION named none, or a command scanner). */
export function statusFromHeader(
  header: DatabaseHeader,
  now: Date,
): Pick<ScannerStatus, 'databaseVersion' | 'databaseDate' | 'databaseAgeDays' | 'databaseSource'> {
  return {
    databaseVersion: header.version,
    databaseDate: header.builtAt.toISOString(),
    databaseAgeDays: ageInDays(header.builtAt, now),
    databaseSource: 'database-header',
  };
}
