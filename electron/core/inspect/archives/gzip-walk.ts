/**
 * A gzip stream (issue #16.3), inflated by zlib as it is read, never whole in memory. A gzip
 * holding a tar is that tar (tar.gz: the same archive, the same depth, its members named under
 * the gzip's name). Anything else is the gzip's one member, named as gunzip would name it: the
 * gzip's own name without `.gz` (`.tgz` becomes `.tar`); when that name says nothing (the payload
 * file itself, or no gzip suffix), the name stored in the gzip header, else "(gzip content)".
 *
 * The ratio is inflated bytes over compressed bytes fed so far, checked as zlib inflates: at the
 * limit the inflater is stopped, so a bomb is never inflated to the end.
 */
import { createGunzip } from 'node:zlib';
import { archiveKindOf } from '../archive-kind.js';
import { MemberStream } from './member-stream.js';
import { walkTar } from './tar-walk.js';
import { archiveMeter, type WalkContext } from './walk-context.js';

const FEXTRA = 0x04;
const FNAME = 0x08;

/** The original name stored in a gzip header (FNAME), if the head holds one. */
export function gzipStoredName(head: Buffer): string | null {
  if (head.length < 10 || head[0] !== 0x1f || head[1] !== 0x8b) return null;
  const flags = head[3] as number;
  if ((flags & FNAME) === 0) return null;
  let at = 10;
  if ((flags & FEXTRA) !== 0) {
    if (head.length < 12) return null;
    at += 2 + head.readUInt16LE(10);
  }
  const end = head.indexOf(0, at);
  if (end <= at) return null;
  return head.subarray(at, end).toString('latin1');
}

/** What the gzip's one member is called (see the module comment). */
export function gzipContentName(gzipName: string | null, head: Buffer): string {
  if (gzipName !== null) {
    if (/\.tgz$/iu.test(gzipName) && gzipName.length > 4) return gzipName.replace(/\.tgz$/iu, '.tar');
    const stripped = gzipName.replace(/\.(gz|gzip|z)$/iu, '');
    if (stripped !== gzipName && stripped !== '' && !stripped.endsWith('/')) return stripped;
  }
  return gzipStoredName(head) ?? '(gzip content)';
}

/**
 * Walks the gzip whose compressed bytes are `input` (already peeked: `head` is their start).
 * `path` names the gzip ([] for the payload file itself); `declared` is the size its trailer
 * states, when it can be read ahead (the payload file itself), else null.
 */
export async function walkGzip(ctx: WalkContext, input: MemberStream, head: Buffer, path: string[], depth: number, declared: number | null): Promise<void> {
  const gunzip = createGunzip();
  let compressed = 0;
  const count = (chunk: Buffer): void => {
    compressed += chunk.length;
  };
  input.on('data', count);
  input.pipe(gunzip);
  const content = new MemberStream(
    gunzip,
    archiveMeter(ctx, path, () => compressed),
    ctx.signal,
  );
  try {
    const contentHead = await content.peek();
    if (archiveKindOf(contentHead) === 'tar') {
      await walkTar(ctx, content, path, depth);
    } else if (!(content.ended?.kind === 'error' && contentHead.length === 0) && ctx.countEntry(path)) {
      // The content's size: exact when it ended within the head; else what the trailer states, but
      // never less than what has already come out (a trailer is hostile, and a consumer may skip a
      // member it believes empty).
      const size = content.ended?.kind === 'end' ? content.received : Math.max(declared ?? 0, content.received);
      await ctx.openMember(ctx, content, [...path, gzipContentName(path[path.length - 1] ?? null, head)], size, depth, 'stop');
    }
  } finally {
    const end = await content.finish('stop');
    input.removeListener('data', count);
    input.unpipe(gunzip);
    gunzip.destroy();
    if (end.kind === 'error') ctx.find('ARCHIVE_UNREADABLE', path, `is not valid gzip data (${end.error.message})`);
  }
}
