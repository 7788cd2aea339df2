import type { Readable } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';
import { checkMetaHeader } from './pax-guard.js';

/** Why the archive itself cannot be read safely; the caller maps it to a problem code. */
export class ArchiveError extends Error {
  constructor(
    message: string,
    readonly kind: 'corrupt' | 'unsafe-type' = 'corrupt',
  ) {
    super(message);
    this.name = 'ArchiveError';
  }
}

const MAGIC: Array<[string, number[]]> = [
  ['gzip', [0x1f, 0x8b]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
];

function compressionOf(chunk: Buffer): string | null {
  for (const [name, bytes] of MAGIC) if (bytes.every((b, i) => chunk[i] === b)) return name;
  return null;
}

const REGULAR = new Set(['File', 'OldFile', 'ContiguousFile']);

export type EntryKind = 'file' | 'directory' | 'other';

export function entryKind(entry: ReadEntry): EntryKind {
  if (REGULAR.has(entry.type)) return 'file';
  if (entry.type === 'Directory') return 'directory';
  return 'other';
}

/**
 * Entries of a tar stream one at a time, in order. node-tar's Parser runs in strict mode and
 * every warning is fatal; each pax/long-name header is checked by checkMetaHeader; global
 * headers and oversized (ignored) meta entries are refused. The consumer must read or skip
 * each entry's data (`for await (const chunk of entry)` or `entry.resume()`) before asking for
 * the next; the parser holds back the source meanwhile, so memory stays at a few chunks.
 */
export async function* readTarEntries(source: Readable, onBytes?: (bytes: number) => void): AsyncGenerator<ReadEntry, void, undefined> {
  // Format v1 is an uncompressed tar; node-tar would quietly decompress gzip or zstd input.
  const parser = new Parser({ strict: true, zstd: false, brotli: false });
  const queue: ReadEntry[] = [];
  let failure: Error | null = null;
  let ended = false;
  let wake: (() => void) | null = null;
  let current: ReadEntry | null = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const fail = (error: Error): void => {
    if (failure) return;
    failure = error;
    source.destroy();
    current?.emit('error', error);
    notify();
  };

  parser.on('warn', (code: string, message: string | Error) => fail(new ArchiveError(`${code}: ${String(message)}`)));
  parser.on('error', (error: Error & { code?: string }) => fail(new ArchiveError(`${error.code ?? 'TAR_ERROR'}: ${error.message}`)));
  parser.on('meta', (meta: string) => {
    const verdict = checkMetaHeader(meta);
    if (!verdict.ok) fail(new ArchiveError(verdict.reason, verdict.sparse ? 'unsafe-type' : 'corrupt'));
  });
  // node-tar skips, without a warning, entry types it does not know (old GNU sparse files,
  // volume labels ...) and meta headers over its size cap. Skipping is not ours to allow.
  parser.on('ignoredEntry', (entry: ReadEntry) => {
    if (entry.meta) fail(new ArchiveError(`an extended header of ${entry.size} bytes is larger than allowed`));
    else fail(new ArchiveError(`"${entry.path}" is an entry of unsupported type ${entry.type}`, 'unsafe-type'));
  });
  parser.on('entry', (entry: ReadEntry) => {
    // A global pax header would silently rename or resize every later entry.
    if (entry.globalExtended) {
      fail(new ArchiveError('a global pax header (it applies to every later entry)'));
      return;
    }
    queue.push(entry);
    notify();
  });
  let sawEndMarker = false;
  parser.on('eof', () => {
    sawEndMarker = true;
  });
  parser.on('end', () => {
    // An archive cut exactly between two entries parses cleanly; its missing end marker says it was cut.
    if (!sawEndMarker) fail(new ArchiveError('the archive has no end-of-archive marker: it is truncated'));
    ended = true;
    notify();
  });

  let first = true;
  source.on('data', (chunk: Buffer) => {
    onBytes?.(chunk.length);
    if (first) {
      first = false;
      const compression = compressionOf(chunk);
      if (compression) {
        fail(new ArchiveError(`the bundle is ${compression}-compressed; format v1 bundles are plain (uncompressed) tar`));
        return;
      }
    }
    if (!parser.write(chunk)) {
      source.pause();
      parser.once('drain', () => source.resume());
    }
  });
  source.on('end', () => parser.end());
  source.on('error', (error) => fail(error));

  try {
    for (;;) {
      if (failure) throw failure;
      const entry = queue.shift();
      if (entry) {
        current = entry;
        // fail() emits 'error' on the current entry to wake a consumer blocked reading it. Between
        // reads nobody listens, and an unheard 'error' would crash the process; Minipass keeps the
        // error and hands it to the consumer's next read, so this listener only has to exist.
        entry.on('error', () => undefined);
        yield entry;
        // Whatever the consumer left unread is drained so the parser can move on.
        if (!entry.emittedEnd) {
          await new Promise<void>((resolve, reject) => {
            if (failure) {
              reject(failure);
              return;
            }
            entry.once('end', () => resolve());
            entry.once('error', reject);
            entry.resume();
          });
        }
        current = null;
        continue;
      }
      if (ended) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (failure) throw failure;
  } finally {
    if (!ended || failure) source.destroy();
  }
}
