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
  const parser = new Parser({ strict: true });
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
  parser.on('end', () => {
    ended = true;
    notify();
  });

  source.on('data', (chunk: Buffer) => {
    onBytes?.(chunk.length);
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
