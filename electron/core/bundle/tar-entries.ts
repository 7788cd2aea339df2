import type { Readable } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';
import { errnoOf } from '../errors.js';
import { ArchiveError } from './archive-error.js';
import { BlockEntry, GuardFeed } from './guard-entries.js';
import { TarGuard, type GuardEntry } from './tar-guard.js';
import { WholeBlocks } from './whole-blocks.js';

export { ArchiveError } from './archive-error.js';

/** Past the guard switch, the source is paused while this much data waits for the consumer. */
const GUARD_HOLD_BYTES = 1 << 20;

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

/** An entry readTarEntries yields: node-tar's, or, past its `headersByGuard` switch, the guard's alone (guard-entries.ts). */
export type TarEntry = ReadEntry | BlockEntry;

export function entryKind(entry: TarEntry): EntryKind {
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
export function archiveOffsetOf(entry: TarEntry): number | undefined {
  return entry instanceof BlockEntry ? entry.dataOffset : dataOffsets.get(entry);
}

/** The same, null for an entry readTarEntries did not emit (content inspection's read-back source). */
export function entryDataOffset(entry: TarEntry): number | null {
  return archiveOffsetOf(entry) ?? null;
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
export function readTarEntries(
  source: Readable,
  onBytes?: (bytes: number, chunk: Buffer) => void,
  options?: { dataOffsets?: boolean },
): AsyncGenerator<ReadEntry, void, undefined>;
/**
 * headersByGuard: once it answers true, node-tar is fed only up to the next entry's header and
 * every later entry is the guard's reading alone (guard-entries.ts): verify's stream lane, past
 * its hand-over (docs/design-notes.md, smallver4). Whatever the answer, the guard reads every byte.
 */
export function readTarEntries(
  source: Readable,
  onBytes: ((bytes: number, chunk: Buffer) => void) | undefined,
  options: { dataOffsets?: boolean; headersByGuard?: (() => boolean) | undefined },
): AsyncGenerator<TarEntry, void, undefined>;
export async function* readTarEntries(
  source: Readable,
  onBytes?: (bytes: number, chunk: Buffer) => void,
  /** dataOffsets: remember where each entry's data lies (archiveOffsetOf); default true (a WeakMap entry per live entry). */
  options: { dataOffsets?: boolean; headersByGuard?: (() => boolean) | undefined } = {},
): AsyncGenerator<TarEntry, void, undefined> {
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
  let current: TarEntry | null = null;
  /** Past the switch: the guard's entries and their data (null before; node-tar reads until then). */
  let feed = null as GuardFeed | null;
  /** Past the switch, the guard's refusal: reported once every entry before the refused block is read, as node-tar's end reports it. */
  let refusal = null as Error | null;
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
    if (current instanceof BlockEntry) current.fail(error);
    else current?.emit('error', error);
    feed?.failOpen(error);
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
  let completed = false;
  let parserClosed = false;
  const closeParser = (): void => {
    if (parserClosed) return;
    parserClosed = true;
    parser.end();
  };
  /** Bytes written to the guard before the switch (its offset: the switch lies where nothing is held back). */
  let fed = 0;
  let tarWaits = false;
  const resumeIfRoom = (): void => {
    if (!tarWaits && (feed === null || feed.held < GUARD_HOLD_BYTES)) source.resume();
  };
  /**
   * node-tar gets the bytes up to the next header (the rest of the entry it is in), then the guard's
   * entries are the entries: returns the bytes past that header's start, or the whole chunk when
   * no header starts in it with nothing held back (the switch waits for the next chunk).
   */
  const switchToGuard = (chunk: Buffer): Buffer => {
    const before = guard.bytesToNextHeader;
    if (before === null || before >= chunk.length) return chunk;
    // Data and padding only: the guard passes them on whole, and the header after them starts a block.
    if (before > 0 && !parserClosed) for (const piece of blocks.whole(guard.write(chunk.subarray(0, before)))) if (!parser.write(piece)) tarWaits = true;
    fed += before;
    if (tarWaits)
      parser.once('drain', () => {
        tarWaits = false;
        resumeIfRoom();
      });
    // Never seen (a header starts a block, and every byte before it reached node-tar): node-tar reads on.
    if (blocks.held === 0 && guard.bytesToNextHeader === 0) feed = new GuardFeed(fed, resumeIfRoom);
    return chunk.subarray(before);
  };
  const readByGuard = (into: GuardFeed, chunk: Buffer): void => {
    const owed = guard.entries.length;
    const pieces = blocks.whole(guard.write(chunk));
    // The views node-tar has not emitted yet stay for it; the rest are this reading's entries.
    into.take(guard.entries.splice(owed), pieces);
    if (guard.failure) {
      refusal = guard.failure;
      source.destroy();
    } else if (into.held >= GUARD_HOLD_BYTES || tarWaits) source.pause();
    notify();
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
    let bytes = chunk;
    if (feed === null && options.headersByGuard?.() === true) bytes = switchToGuard(bytes);
    if (feed !== null) {
      readByGuard(feed, bytes);
      return;
    }
    fed += bytes.length;
    const pieces = blocks.whole(guard.write(bytes));
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
      if (feed !== null) {
        // Past the switch: the entries whose headers arrived are handed out, one not whole fails when read (below).
        feed.failOpen(truncation);
        notify();
        return;
      }
      // Every whole block has reached node-tar, and it has parsed each (it buffers no whole block
      // back); what is left is less than a block, which completes nothing. So an entry it has not
      // ended by now never ends: if the consumer reads that one, or waits for the next, nothing
      // more is coming. That holds for any chunk edges (the source's, the guard's).
      if (queue.length === 0 && (current === null || (current instanceof BlockEntry ? !current.whole : current.blockRemain > 0))) fail(truncation);
      return;
    }
    sourceDone = true;
    // Past the switch node-tar has read no marker: it is left as it is (ended, it would call the archive truncated).
    if (feed === null) closeParser();
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
      // Past the switch, once node-tar has emitted every entry whose header it read.
      if (feed !== null && guard.entries.length === 0) {
        const next = feed.next();
        if (next) {
          current = next;
          yield next;
          // An entry not whole by the source's end fails here (failOpen), read or not, as node-tar's does.
          await next.drained();
          current = null;
          continue;
        }
        const ending = refusal ?? truncation;
        if (ending) {
          fail(ending);
          continue;
        }
        if (sourceDone) {
          completed = true;
          break;
        }
      }
      if (parserEnded && sourceDone) {
        completed = true;
        break;
      }
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
    if (!completed || failure) source.destroy();
  }
}
