/**
 * A tar's members (issue #16.3), read by node-tar's Parser as a stream: nothing is extracted or
 * written. Regular files go to `visit` in order; folders, links, devices and fifos are not
 * content: they count as entries and are skipped. Every parser warning (strict mode) makes the
 * tar ARCHIVE_UNREADABLE, since an entry the parser skips is one nobody inspected.
 *
 * Where tar readers disagree, what one of them would extract could hide from the others, so:
 * - a link, device, fifo or folder that declares data (Python's tarfile reads that data as the
 *   next headers, node-tar and GNU tar skip it) is unreadable;
 * - an entry of a type node-tar does not know (GNU tar extracts those as regular files) is
 *   unreadable when it holds data;
 * - anything but zeros after the end-of-archive marker (`tar --ignore-zeros` reads on) is
 *   unreadable. Bytes after the marker are never given to node-tar (it would buffer them all).
 */
import type { Readable } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';
import { throwIfAborted } from '../../errors.js';
import { MemberStream } from './member-stream.js';
import type { WalkContext } from './walk-context.js';

const BLOCK = 512;
const ZERO_BLOCK = Buffer.alloc(BLOCK);
const CONTENT = new Set(['File', 'OldFile', 'ContiguousFile']);
const NOT_CONTENT = new Set(['Directory', 'SymbolicLink', 'Link', 'CharacterDevice', 'BlockDevice', 'FIFO']);

/** node-tar's own flag for "the end-of-archive marker was read" (its 'eof' event can come late, after queued entries). */
const SAW_EOF = Object.getOwnPropertySymbols(new Parser()).find((symbol) => symbol.description === 'sawEOF');
if (SAW_EOF === undefined) throw new Error('node-tar no longer has its sawEOF flag: tar-walk.ts needs another way to find the end-of-archive marker');
const sawEof = (parser: Parser): boolean => (parser as unknown as Record<symbol, boolean>)[SAW_EOF] === true;

function isZeroBlock(buffer: Buffer, at: number): boolean {
  return buffer[at] === 0 && buffer.subarray(at, at + BLOCK).equals(ZERO_BLOCK);
}

function allZero(buffer: Buffer): boolean {
  for (let at = 0; at < buffer.length; at += BLOCK) {
    const block = buffer.subarray(at, at + BLOCK);
    if (!block.equals(ZERO_BLOCK.subarray(0, block.length))) return false;
  }
  return true;
}

/**
 * Block-aligned `buffer` cut after each run of zero blocks: the end-of-archive marker can only end
 * inside such a run, so once a slice is written and the parser has seen the marker, what follows
 * that slice is all the parser did not read (the rest of the slice being zeros).
 */
function slicesAtZeroRuns(buffer: Buffer): Buffer[] {
  const slices: Buffer[] = [];
  let start = 0;
  let inRun = false;
  for (let at = 0; at < buffer.length; at += BLOCK) {
    const zero = isZeroBlock(buffer, at);
    if (inRun && !zero) {
      slices.push(buffer.subarray(start, at));
      start = at;
    }
    inRun = zero;
  }
  if (start < buffer.length) slices.push(buffer.subarray(start));
  return slices;
}

type Item = { entry: ReadEntry } | { ignored: ReadEntry } | 'end';

export async function walkTar(ctx: WalkContext, input: MemberStream, path: string[], depth: number): Promise<void> {
  const parser = new Parser({ strict: true, zstd: false, brotli: false });
  const items: Item[] = [];
  let wake: (() => void) | null = null;
  let failure: string | null = null;
  let stopped = false;
  let current: ReadEntry | null = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    notify();
    parser.emit('drain');
    // The entry being read gets no more bytes: end it so its reader finishes. Not from inside the
    // parser's own write (it may still be writing to that entry), hence the next turn.
    const entry = current;
    if (entry)
      setImmediate(() => {
        if (!entry.emittedEnd) entry.end();
      });
  };
  const fail = (reason: string): void => {
    failure ??= reason;
    stop();
  };
  parser.on('entry', (entry: ReadEntry) => {
    entry.on('error', () => undefined);
    items.push({ entry });
    notify();
  });
  parser.on('ignoredEntry', (entry: ReadEntry) => {
    items.push({ ignored: entry });
    notify();
  });
  parser.on('warn', (code: string, text: string | Error) => fail(`${code}: ${String(text)}`));
  parser.on('error', (error: Error & { code?: string }) => fail(`${error.code ?? 'TAR_ERROR'}: ${error.message}`));
  parser.on('end', () => {
    items.push('end');
    notify();
  });

  const feeding = feed(input, parser, () => stopped, fail);
  try {
    for (;;) {
      throwIfAborted(ctx.signal);
      if (stopped) break;
      const item = items.shift();
      if (item === undefined) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      if (item === 'end') break;
      if (!ctx.countEntry(path)) break;
      if ('ignored' in item) {
        const entry = item.ignored;
        if (entry.meta) fail(`an extended header of ${entry.size} bytes is larger than the tar reader takes`);
        else if (entry.size > 0) {
          ctx.find(
            'ARCHIVE_UNREADABLE',
            [...path, entry.path],
            `is a tar entry of a type the station does not read, holding ${entry.size} bytes (some tar tools extract it as a file)`,
          );
          stop();
        }
        continue;
      }
      const entry = item.entry;
      current = entry;
      const members = [...path, entry.path];
      if (CONTENT.has(entry.type)) {
        await ctx.openMember(ctx, new MemberStream(entry as unknown as Readable, () => !ctx.spent, ctx.signal), members, entry.size, depth, 'drain');
      } else if (NOT_CONTENT.has(entry.type) && entry.size > 0) {
        ctx.find(
          'ARCHIVE_UNREADABLE',
          members,
          `is a ${entry.type} entry that declares ${entry.size} bytes of data (tar readers disagree on whether data follows it)`,
        );
        stop();
      } else {
        entry.resume();
      }
      current = null;
      if (ctx.spent) break;
    }
  } finally {
    stop();
    await feeding;
  }
  throwIfAborted(ctx.signal);
  // A cut input (a limit or damage outside) explains itself; what node-tar says about the missing rest is no news.
  if (failure !== null && !input.cut && !ctx.spent) ctx.find('ARCHIVE_UNREADABLE', path, `is not a readable tar archive (${failure})`);
}

/** Writes the input to the parser block-aligned, stopping at the end-of-archive marker; only zeros may follow it. */
async function feed(input: MemberStream, parser: Parser, stopped: () => boolean, fail: (reason: string) => void): Promise<void> {
  let carry: Buffer | null = null;
  let ended = false;
  const write = async (slice: Buffer): Promise<void> => {
    if (ended) {
      if (!allZero(slice)) fail('data follows the end-of-archive marker (some tar tools read on and extract it)');
      return;
    }
    if (!parser.write(slice) && !stopped()) await new Promise<void>((resolve) => parser.once('drain', resolve));
    if (sawEof(parser)) ended = true;
  };
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      if (stopped()) break;
      const bytes: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      const aligned = bytes.length - (bytes.length % BLOCK);
      carry = aligned < bytes.length ? Buffer.from(bytes.subarray(aligned)) : null;
      for (const slice of slicesAtZeroRuns(bytes.subarray(0, aligned))) {
        if (stopped()) break;
        await write(slice);
      }
    }
    if (carry && !stopped()) await write(carry);
  } catch {
    // The input was destroyed (a stop or a cancel); the walk says why.
  } finally {
    // After a stop nothing more is parsed (what the parser says about the rest is no news).
    if (!stopped()) parser.end();
  }
}
