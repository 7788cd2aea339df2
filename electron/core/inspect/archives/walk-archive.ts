/**
 * walkArchive (contract.ts, issue #16.3; docs/inspection-archives.md): every member of a zip,
 * tar or gzip payload file, and of the archives inside it, depth-first, in archive order, shown to
 * `visit` as a bounded stream. Never extracted: bytes go from the reader to `visit` (a nested zip,
 * which needs random access, goes through a private temp folder: spool.ts). Names are hostile text,
 * reported and never used as paths.
 *
 * A member whose first bytes say zip, tar or gzip (archiveKindOf, by content: a name proves
 * nothing) is walked in turn, up to limits.maxDepth; deeper, it is an ARCHIVE_LIMIT finding naming
 * it. A member in a format the station does not open (7z, rar, ...) is ARCHIVE_UNREADABLE naming
 * the format. Both are still shown to `visit` whole, as plain members (the scanner may know more).
 * Every limit hit is a finding and stops that branch (the entry and byte budgets are the whole
 * tree's, so they stop the walk); it is never a pass.
 *
 * `visit` may read its stream wholly, partly or not at all. The stream ends early at a limit or on
 * damage (the finding says so) and is destroyed with an AbortError on cancel; a rejection from
 * `visit` is the caller's own and ends the walk with it. `size` is the size the archive declares
 * (hostile; the stream is the truth), never negative. A gzip's content is known only at its end:
 * its size is exact when it is short (it fits the head the walk peeks at), else the trailer's
 * size field for the payload file itself, but never less than the bytes already out.
 */
import { tmpdir } from 'node:os';
import { AirlockError, isAbortError, throwIfAborted } from '../../errors.js';
import { archiveKindOf, unsupportedArchiveName } from '../archive-kind.js';
import type { ArchiveWalkFinding, WalkArchive } from '../contract.js';
import { walkGzip } from './gzip-walk.js';
import { MemberStream } from './member-stream.js';
import { fileByteSource, Spool } from './spool.js';
import { walkTar } from './tar-walk.js';
import { WalkContext } from './walk-context.js';
import { walkZip } from './zip-walk.js';

export interface ArchiveWalkerOptions {
  /** Where the private temp folder for nested zips is made (default: the OS temp folder). */
  tempDir?: string | undefined;
}

/** A walkArchive whose temp folder lives under `options.tempDir` (e.g. the station's own tmp). */
export function createArchiveWalker(options: ArchiveWalkerOptions = {}): WalkArchive {
  return async (source, kind, limits, visit, signal, onNestedZip): Promise<ArchiveWalkFinding[]> => {
    throwIfAborted(signal);
    const spool = new Spool(options.tempDir ?? tmpdir());
    const ctx = new WalkContext(limits, visit, signal, spool, openMember, onNestedZip);
    try {
      if (kind === 'zip') {
        await walkZip(ctx, source, [], 1);
      } else {
        const input = new MemberStream(source.stream(), () => true, signal);
        try {
          if (kind === 'tar') await walkTar(ctx, input, [], 1);
          else await walkGzip(ctx, input, await input.peek(), [], 1, await gzipTrailerSize(source));
        } finally {
          await input.finish('stop');
        }
      }
    } catch (error) {
      if (isAbortError(error) && signal?.aborted) throw new AirlockError('CANCELLED', undefined, { cause: error });
      throw error;
    } finally {
      await spool.close();
    }
    throwIfAborted(signal);
    return ctx.findings;
  };
}

export const walkArchive: WalkArchive = createArchiveWalker();

/** The uncompressed size a gzip's trailer states (modulo 2^32, as `gzip -l` shows it); null when the file is too short. */
async function gzipTrailerSize(source: { size: number; read(position: number, length: number): Promise<Buffer> }): Promise<number | null> {
  if (source.size < 18) return null;
  const tail = await source.read(source.size - 4, 4);
  return tail.length === 4 ? tail.readUInt32LE(0) : null;
}

/** One member: shown to visit, or walked as the archive it is, then finished (drained or stopped). */
async function openMember(ctx: WalkContext, member: MemberStream, members: string[], size: number, depth: number, mode: 'drain' | 'stop'): Promise<void> {
  let finishMode = mode;
  try {
    const head = await member.peek();
    throwIfAborted(ctx.signal);
    const kind = archiveKindOf(head);
    const plain = async (): Promise<void> => ctx.visit({ members, size, stream: member });
    if (kind === null) {
      await plain();
    } else if (kind === 'unsupported') {
      ctx.find('ARCHIVE_UNREADABLE', members, `is a ${unsupportedArchiveName(head) ?? 'compressed'} archive, which the station does not open`);
      await plain();
    } else if (depth + 1 > ctx.limits.maxDepth) {
      ctx.find('ARCHIVE_LIMIT', members, `is an archive nested deeper than ${ctx.limits.maxDepth} levels; its contents were not inspected`);
      await plain();
    } else if (kind === 'tar') {
      await walkTar(ctx, member, members, depth + 1);
    } else if (kind === 'gzip') {
      await walkGzip(ctx, member, head, members, depth + 1, null);
    } else {
      await walkNestedZip(ctx, member, members, depth + 1);
    }
  } catch (error) {
    finishMode = 'stop';
    throw error;
  } finally {
    await member.finish(finishMode);
  }
}

async function walkNestedZip(ctx: WalkContext, member: MemberStream, members: string[], depth: number): Promise<void> {
  const path = await ctx.spool.write(member, (bytes) => ctx.expand(bytes, members), ctx.signal);
  if (path === null) return;
  try {
    // Cut short by a limit or damage outside: the finding is made; a partial zip is not walked.
    if (member.cut) return;
    const source = await fileByteSource(path);
    try {
      // Random access is here anyway (the spooled copy): the caller's own look at the whole zip (an Office package's checks).
      await ctx.onNestedZip?.(members, source);
      throwIfAborted(ctx.signal);
      await walkZip(ctx, source, members, depth);
    } finally {
      await source.close();
    }
  } finally {
    await ctx.spool.remove(path);
  }
}
