import type { Readable } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';
import { errnoOf } from '../errors.js';
import { ArchiveError } from './archive-error.js';
import { TarGuard, type GuardEntry } from './tar-guard.js';
import { WholeBlocks } from './whole-blocks.js';

export { ArchiveError } from './archive-error.js';

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

function describe(view: { path: string; kind: string; size: number }): string {
  return `${JSON.stringify(view.path)} (${view.kind}, ${view.size} bytes)`;
}

/** Where each entry's data starts in the archive, as the guard counted it (entries are not ours to extend). */
const dataOffsets = new WeakMap<ReadEntry, number>();

/**
 * The archive offset of an entry's first data byte (an entry readTarEntries yielded), so its bytes
 * can be read again from the bundle file itself (a push-only import, oci/push/push-payload-sink.ts).
 * Whoever reads there again must check the bytes again: the file may have changed since.
 */
export function archiveOffsetOf(entry: ReadEntry): number | undefined {
  return dataOffsets.get(entry);
}

/** The same, null for an entry readTarEntries did not emit (content inspection's read-back source). */
export function entryDataOffset(entry: ReadEntry): number | null {
  return dataOffsets.get(entry) ?? null;
}

/** node-tar turns backslashes into slashes on Windows (and only there); the path rules refuse both alike later. */
const asNodeTarPath = process.platform === 'win32' ? (path: string): string => path.replace(/\\/gu, '/') : (path: string): string => path;

/** node-tar's entry and the guard's view of it must agree on path, type and size. */
function disagreement(entry: ReadEntry, view: GuardEntry | undefined): string | null {
  const kind = entryKind(entry);
  const seen = { path: entry.path, kind, size: kind === 'file' ? entry.size : 0 };
  if (!view) return `node-tar read an entry ${describe(seen)} that the archive's structure does not hold`;
  if (seen.path !== asNodeTarPath(view.path) || seen.kind !== view.kind || seen.size !== view.size)
    return `readers disagree on an entry: ${describe(view)} by its headers, ${describe(seen)} by node-tar`;
  return null;
}

/**
 * Entries of a tar stream one at a time, in order. The bytes pass first through TarGuard, a
 * strict structural reader that decides by itself what every block is and refuses whatever
 * tar readers would read differently; then node-tar's Parser (strict, every warning fatal)
 * reads them, and each entry it emits must match the guard's view of it. At the end-of-archive
 * marker reading stops: only zero padding up to the tar record may follow. The consumer must read or skip
 * each entry's data (`for await (const chunk of entry)` or `entry.resume()`) before asking for
 * the next; the parser holds back the source meanwhile, so memory stays at a few chunks.
 */
export async function* readTarEntries(
  source: Readable,
  onBytes?: (bytes: number, chunk: Buffer) => void,
  /** dataOffsets: remember where each entry's data lies (archiveOffsetOf); default true (a WeakMap entry per live entry). */
  options: { dataOffsets?: boolean } = {},
): AsyncGenerator<ReadEntry, void, undefined> {
  // Format v1 is an uncompressed tar; node-tar would quietly decompress gzip or zstd input.
  const parser = new Parser({ strict: true, zstd: false, brotli: false });
  const guard = new TarGuard();
  // node-tar is handed whole 512-byte blocks only (whole-blocks.ts): what it holds, and so which
  // entry it has ended when the source ends, does not depend on where the source's chunks end.
  const blocks = new WholeBlocks();
  const queue: ReadEntry[] = [];
  let failure: Error | null = null;
  let parserEnded = false;
  let sourceDone = false;
  let wake: (() => void) | null = null;
  let current: ReadEntry | null = null;
  /**
   * The source ended short (guard.end() refused it). node-tar emits an entry only once the one
   * before it is read, so it may still hold entries whose headers arrived: they are handed out
   * first, and the truncation is reported once the consumer has them all, whether it reads fast
   * or waits (verify's parallel pass waits for the lanes' digest): both then report the same.
   */
  let truncation: Error | null = null;
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

  // Once the guard has refused a block, node-tar only sees the bytes before it: what it then says
  // about the missing rest (no entries, no marker) is the guard's refusal, not news.
  parser.on('warn', (code: string, message: string | Error) => fail(guard.failure ?? new ArchiveError(`${code}: ${String(message)}`)));
  parser.on('error', (error: Error) => fail(guard.failure ?? new ArchiveError(`${errnoOf(error) ?? 'TAR_ERROR'}: ${error.message}`)));
  // node-tar skips, without a warning, entry types it does not know and meta headers over its
  // size cap. The guard refuses those first; this stays as a second line.
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
    const view = guard.entries.shift();
    const differs = disagreement(entry, view);
    if (differs) {
      entry.on('error', () => undefined);
      fail(new ArchiveError(differs));
      return;
    }
    if (view && options.dataOffsets !== false) dataOffsets.set(entry, view.dataOffset);
    queue.push(entry);
    notify();
  });
  let sawEndMarker = false;
  parser.on('eof', () => {
    sawEndMarker = true;
  });
  parser.on('end', () => {
    if (guard.failure) fail(guard.failure);
    else if (!sawEndMarker) fail(new ArchiveError('the archive has no end-of-archive marker: it is truncated'));
    else if (guard.entries.length > 0)
      fail(
        new ArchiveError(`node-tar skipped ${guard.entries.length} entries the archive's headers hold, the first ${describe(guard.entries[0] as GuardEntry)}`),
      );
    parserEnded = true;
    notify();
  });

  let first = true;
  let parserClosed = false;
  const closeParser = (): void => {
    if (parserClosed) return;
    parserClosed = true;
    parser.end();
  };
  source.on('data', (chunk: Buffer) => {
    if (failure || guard.failure) return;
    onBytes?.(chunk.length, chunk);
    if (first) {
      first = false;
      const compression = compressionOf(chunk);
      if (compression) {
        fail(new ArchiveError(`the bundle is ${compression}-compressed; format v1 bundles are plain (uncompressed) tar`));
        return;
      }
    }
    const pieces = blocks.whole(guard.write(chunk));
    let flowing = true;
    for (const piece of pieces) if (!parserClosed) flowing = parser.write(piece) && flowing;
    if (guard.failure) {
      // Refused: read no further. node-tar delivers the entries before the refused block, then ends,
      // and the refusal comes in their place (verify reports what it read up to there).
      source.destroy();
      closeParser();
      // Refused in the padding after the marker: node-tar has already ended, so nobody else will say it.
      if (parserEnded) fail(guard.failure);
      return;
    }
    // After the marker node-tar has all it needs; the rest of the source is only checked for padding.
    if (guard.ended) closeParser();
    else if (!flowing) {
      source.pause();
      parser.once('drain', () => source.resume());
    }
  });
  source.on('end', () => {
    // Already refused: node-tar's end reports it once the entries before the refusal are read.
    if (guard.failure) return;
    try {
      guard.end();
    } catch (error) {
      truncation = error as Error;
      // Every whole block has reached node-tar, and it has parsed each (it buffers no whole block
      // back); what is left is less than a block, which completes nothing. So an entry it has not
      // ended by now never ends: if the consumer reads that one, or waits for the next, nothing
      // more is coming. That holds for any chunk edges (the source's, the guard's).
      if (queue.length === 0 && (current === null || current.blockRemain > 0)) fail(truncation);
      return;
    }
    sourceDone = true;
    closeParser();
    notify();
  });
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
        // The last entry, cut short by the truncation: the consumer sees it, and its read fails.
        if (truncation && entry.blockRemain > 0) fail(truncation);
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
      if (parserEnded && sourceDone) break;
      // Truncated, and the consumer has every entry node-tar held.
      if (truncation) {
        fail(truncation);
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (failure) throw failure;
  } finally {
    if (!(parserEnded && sourceDone) || failure) source.destroy();
  }
}
