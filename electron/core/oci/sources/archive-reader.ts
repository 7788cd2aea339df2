/**
 * Reading image and chart archives (oci-archive, docker-archive, a chart's .tgz) entry by entry
 * through the bundle's own hardened tar reader (tar-entries.ts: a structural guard, then
 * node-tar's strict Parser), never by a tool that follows links. Only regular files and folders
 * are accepted; a link, device or odd name makes the archive corrupt. Nothing is extracted here:
 * the caller decides, per entry, what it keeps and where.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { ArchiveError } from '../../bundle/archive-error.js';
import { entryKind, readTarEntries } from '../../bundle/tar-entries.js';
import { AirlockError, errnoOf, throwIfAborted } from '../../errors.js';
import { printable } from './image-reference.js';
import { createRegularReadStream } from '../../fs/open-regular.js';

export interface ArchiveLimits {
  /** Entries read at most (a chart or image archive with more is refused). */
  maxEntries: number;
  /** Bytes of entry data read at most (after decompression). */
  maxBytes: number;
}

/**
 * A name inside an archive as a relative path (`./a/b` -> `a/b`), or an error for names that
 * leave the archive, are absolute, or hold `..`, backslashes or control characters.
 */
export function archiveName(raw: string, source: string): string {
  const name = raw.replace(/^(?:\.\/)+/u, '').replace(/\/+$/u, '');
  const bad =
    name === '' ||
    name.startsWith('/') ||
    name.includes('\\') ||
    /[\u0000-\u001f\u007f]/u.test(name) ||
    name.split('/').some((part) => part === '' || part === '.' || part === '..');
  if (bad && name !== '') throw new AirlockError('IMAGE_SOURCE_CORRUPT', `${printable(source)}: the archive holds an unsafe name "${printable(raw)}".`);
  return name;
}

/**
 * Calls `onFile` for each regular file (with its safe name); folders are skipped; anything else
 * refuses the archive. `gunzip`: the archive is gzip-compressed (a chart). Errors of the archive
 * itself become IMAGE_SOURCE_CORRUPT; a missing file IMAGE_NOT_FOUND.
 */
export async function readArchiveFiles(
  file: string,
  source: string,
  options: {
    gunzip: boolean;
    limits: ArchiveLimits;
    signal?: AbortSignal | undefined;
    /** Skip symbolic and hard links instead of refusing the archive (docker-archive's legacy `<id>/layer.tar` links): never followed, never created. */
    skipLinks?: boolean | undefined;
  },
  onFile: (name: string, entry: ReadEntry) => Promise<void>,
): Promise<void> {
  const stats = await lstat(file).catch((error: unknown) => {
    if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'ENOTDIR')
      throw new AirlockError('IMAGE_NOT_FOUND', `${printable(source)}: ${file} does not exist.`, { path: file });
    throw error;
  });
  if (!stats.isFile()) throw new AirlockError('IMAGE_SOURCE_INVALID', `${printable(source)}: ${file} is not a regular file.`, { path: file });
  // Opened non-blocking with fstat proof: a file swapped for a FIFO since the lstat is refused, never waited on.
  const raw = createRegularReadStream(file);
  let input: Readable = raw;
  if (options.gunzip) {
    const gunzip = createGunzip();
    raw.on('error', (error) => gunzip.destroy(error));
    input = raw.pipe(gunzip);
  }
  let entries = 0;
  let bytes = 0;
  const countBytes = (n: number): void => {
    bytes += n;
    if (bytes > options.limits.maxBytes) input.destroy(new ArchiveError(`the archive unpacks to more than ${options.limits.maxBytes} bytes`));
  };
  const handle = async (entry: ReadEntry): Promise<void> => {
    throwIfAborted(options.signal);
    if (++entries > options.limits.maxEntries) throw new ArchiveError(`the archive holds more than ${options.limits.maxEntries} entries`);
    const kind = entryKind(entry);
    if (kind === 'other' && options.skipLinks === true && (entry.type === 'SymbolicLink' || entry.type === 'Link')) {
      entry.resume();
      return;
    }
    if (kind === 'other') throw new ArchiveError(`"${entry.path}" is not a regular file or folder (type ${entry.type})`);
    const name = archiveName(entry.path, source);
    if (kind === 'directory' || name === '') {
      entry.resume();
      return;
    }
    await onFile(name, entry);
  };
  try {
    if (options.skipLinks === true) {
      await nodeTarEntries(input, countBytes, handle);
    } else {
      for await (const entry of readTarEntries(input, countBytes)) await handle(entry);
    }
  } catch (error) {
    if (error instanceof ArchiveError) throw new AirlockError('IMAGE_SOURCE_CORRUPT', `${printable(source)}: ${error.message}.`, { path: file });
    if (errnoOf(error) === 'Z_DATA_ERROR' || errnoOf(error) === 'Z_BUF_ERROR')
      throw new AirlockError('IMAGE_SOURCE_CORRUPT', `${printable(source)}: ${file} is not gzip-compressed data.`, { path: file });
    throw error;
  } finally {
    raw.destroy();
  }
}

/** An entry's bytes written to a new file (never over an existing one), hashed on the way. */
export async function saveEntry(entry: ReadEntry, path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback): void {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  await pipeline(entry as unknown as Readable, tap, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
  return { sha256: hash.digest('hex'), size };
}

/** An entry's bytes in memory, refused above `max` bytes (manifest.json, Chart.yaml, values.yaml). */
export async function entryBytes(entry: ReadEntry, max: number, what: string): Promise<Buffer> {
  if (entry.size > max) throw new AirlockError('IMAGE_SOURCE_CORRUPT', `${what} is ${entry.size} bytes, over the ${max}-byte limit.`);
  const chunks: Buffer[] = [];
  for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Entries through node-tar's Parser alone (strict; every warning fatal; entries it would skip
 * refused), for archives whose writers use links the bundle reader's structural guard refuses
 * outright (skopeo's docker-archive). The parser emits one entry at a time, after the previous
 * one's data is consumed, and holds back its input meanwhile.
 */
function nodeTarEntries(input: Readable, onBytes: (n: number) => void, onEntry: (entry: ReadEntry) => Promise<void>): Promise<void> {
  const parser = new Parser({ strict: true, zstd: false, brotli: false });
  const pending: Array<Promise<void>> = [];
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (failure: unknown): void => {
      if (settled) return;
      settled = true;
      void Promise.allSettled(pending).then(() => (failure === null ? resolve() : reject(failure instanceof Error ? failure : new Error(String(failure)))));
    };
    const fail = (error: unknown): void => {
      input.unpipe(parser);
      input.destroy();
      settle(error);
    };
    parser.on('warn', (code: string, message: string | Error) => fail(new ArchiveError(`${code}: ${String(message)}`)));
    parser.on('error', (error: Error) => fail(new ArchiveError(error.message)));
    parser.on('ignoredEntry', (entry: ReadEntry) => fail(new ArchiveError(`"${entry.path}" is an entry of unsupported type ${entry.type}`)));
    parser.on('entry', (entry: ReadEntry) => {
      entry.on('error', () => undefined);
      pending.push(
        onEntry(entry).catch((error: unknown) => {
          entry.resume();
          fail(error);
        }),
      );
    });
    parser.on('end', () => settle(null));
    input.on('data', (chunk: Buffer) => onBytes(chunk.length));
    input.on('error', (error) => fail(error));
    input.pipe(parser);
  });
}
