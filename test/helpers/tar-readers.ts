/**
 * Three readings of one tar archive, for the differential test: GNU tar's, Python tarfile's
 * (test/helpers/tar-listing.py) and Airlock's (readTarEntries). Each is a list of
 * (path bytes, type, size, sha256) or an error.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { entryKind, readTarEntries } from '../../electron/core/bundle/tar-entries.js';

const run = promisify(execFile);

export interface ListedEntry {
  /** Raw name bytes, base64; directories without a trailing slash. */
  path: string;
  type: string;
  size: number;
  sha256: string | null;
}
export type Reading = { entries: ListedEntry[] } | { error: string };

const LISTER = fileURLToPath(new URL('./tar-listing.py', import.meta.url));

/** Python's readings of many archives in one interpreter. */
export async function pythonReadings(paths: string[]): Promise<Map<string, Reading>> {
  const { stdout } = await run('python3', [LISTER, ...paths], { maxBuffer: 256 << 20 });
  const readings = new Map<string, Reading>();
  for (const line of stdout.trim().split('\n')) {
    const parsed = JSON.parse(line) as { archive: string; entries?: ListedEntry[]; error?: string };
    readings.set(parsed.archive, parsed.error !== undefined ? { error: parsed.error } : { entries: parsed.entries ?? [] });
  }
  return readings;
}

/** Undo GNU tar's --quoting-style=c (C escapes, octal bytes); returns the raw bytes and the rest of the line. */
function unquoteC(text: string): { bytes: Buffer; rest: string } {
  if (!text.startsWith('"')) throw new Error(`not a quoted name: ${text}`);
  const out: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, '"': 34, '?': 63 };
  let i = 1;
  for (; i < text.length && text[i] !== '"'; i += 1) {
    if (text[i] !== '\\') {
      out.push(...Buffer.from(text[i] as string, 'latin1'));
      continue;
    }
    const next = text[i + 1] as string;
    if (/[0-7]/u.test(next)) {
      out.push(parseInt(text.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      out.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return { bytes: Buffer.from(out), rest: text.slice(i + 1) };
}

// GNU tar lists a contiguous file (typeflag 7) as C and extracts it as a regular file.
const GNU_TYPES: Record<string, string> = { '-': 'file', C: 'file', d: 'directory' };

/** GNU tar's reading: its verbose listing (types, sizes, names) and the data it extracts to stdout, split by those sizes. */
export async function gnuTarReading(path: string): Promise<Reading> {
  const env = { ...process.env, LC_ALL: 'C', TZ: 'UTC' };
  let listing: string;
  let data: Buffer;
  try {
    ({ stdout: listing } = await run(
      'tar',
      ['--list', '--verbose', '--absolute-names', '--quoting-style=c', '--numeric-owner', '--full-time', '--file', path],
      { env, maxBuffer: 64 << 20 },
    ));
    ({ stdout: data } = (await run('tar', ['--extract', '--to-stdout', '--absolute-names', '--file', path], {
      env,
      encoding: 'buffer',
      maxBuffer: 64 << 20,
    })) as unknown as { stdout: Buffer });
  } catch (error) {
    return { error: `GNU tar: ${String((error as { stderr?: unknown }).stderr ?? error).trim()}` };
  }
  const entries: ListedEntry[] = [];
  let at = 0;
  for (const line of listing.split('\n')) {
    if (line === '') continue;
    const match = /^(\S)\S*\s+\S+\s+(\S+)\s+\S+\s+\S+\s+(".*)$/u.exec(line);
    if (!match) return { error: `GNU tar: unparsed listing line ${JSON.stringify(line)}` };
    const type = GNU_TYPES[match[1] as string] ?? `other:${match[1] as string}`;
    let name = unquoteC(match[3] as string).bytes;
    const size = type === 'file' ? Number(match[2]) : 0;
    let sha256: string | null = null;
    if (type === 'file') {
      sha256 = createHash('sha256')
        .update(data.subarray(at, at + size))
        .digest('hex');
      at += size;
    }
    if (type === 'directory') while (name.length > 1 && name[name.length - 1] === 0x2f) name = name.subarray(0, -1);
    entries.push({ path: name.toString('base64'), type, size, sha256 });
  }
  if (at !== data.length) return { error: `GNU tar: extracted ${data.length} bytes, listed ${at}` };
  return { entries };
}

/** What airlockReading says when the reader gives no verdict in time (a hang is a failure, not a refusal). */
export const NO_VERDICT = 'Airlock: no verdict';

/** Airlock's reading through readTarEntries, the source cut into chunks of the given sizes (cycled); NO_VERDICT after `timeoutMs`. */
export async function airlockReading(path: string, chunkSizes: number[] = [1 << 20], timeoutMs = 20_000): Promise<Reading> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Reading>((resolve) => {
    timer = setTimeout(() => resolve({ error: `${NO_VERDICT} within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([readWithAirlock(path, chunkSizes), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function readWithAirlock(path: string, chunkSizes: number[]): Promise<Reading> {
  const bytes = await readFile(path);
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i += 1) {
    const size = chunkSizes[i % chunkSizes.length] as number;
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  const entries: ListedEntry[] = [];
  try {
    for await (const entry of readTarEntries(Readable.from(chunks, { objectMode: false }))) {
      const kind = entryKind(entry);
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of entry) {
        hash.update(chunk);
        size += chunk.length;
      }
      let name = Buffer.from(entry.path, 'utf8');
      if (kind === 'directory') while (name.length > 1 && name[name.length - 1] === 0x2f) name = name.subarray(0, -1);
      entries.push({
        path: name.toString('base64'),
        type: kind === 'other' ? `other:${entry.type}` : kind,
        size: kind === 'file' ? size : 0,
        sha256: kind === 'file' ? hash.digest('hex') : null,
      });
    }
  } catch (error) {
    return { error: `Airlock: ${(error as Error).message}` };
  }
  return { entries };
}

export function sameReading(a: Reading, b: Reading): boolean {
  if ('error' in a || 'error' in b) return 'error' in a && 'error' in b;
  return JSON.stringify(a.entries) === JSON.stringify(b.entries);
}

export function describeReading(reading: Reading): string {
  if ('error' in reading) return reading.error;
  return reading.entries
    .map((e) => `${e.type} ${JSON.stringify(Buffer.from(e.path, 'base64').toString('latin1'))} ${e.size} ${e.sha256?.slice(0, 8) ?? ''}`)
    .join('; ');
}
