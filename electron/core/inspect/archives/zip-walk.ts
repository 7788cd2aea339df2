/**
 * A zip's members (issue #16.3), read with yauzl 3 from a ByteSource. The central directory is the
 * truth (what unzip and most extractors list); names are hostile text and never used as paths.
 *
 * Before any member is inflated the whole directory is read (up to the entry budget) and the
 * members' places checked: two entries at one local header, or an entry whose data runs into the
 * next one, is how the "better zip bomb" (Fifield, 2019) makes a few kilobytes say terabytes
 * many times over. No zip writer produces that, so the zip is ARCHIVE_UNREADABLE (damaged) and
 * none of it is expanded. Each member's local header must agree with the directory (name, method,
 * encryption) or the zip is unreadable too: a reader that trusts local headers would see other
 * files than the ones inspected.
 *
 * Encrypted members are ARCHIVE_ENCRYPTED and an unknown compression method ARCHIVE_UNREADABLE;
 * the walk goes on with the other members. The ratio is the zip's: inflated bytes of all its
 * members over the zip's own size, counted as they are inflated.
 */
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { throwIfAborted } from '../../errors.js';
import type { ByteSource } from '../contract.js';
import { MemberStream } from './member-stream.js';
import { archiveMeter, type WalkContext } from './walk-context.js';

const STORED = 0;
const DEFLATED = 8;
const ENCRYPTED_FLAG = 0x1;
const UTF8_FLAG = 0x800;
const LOCAL_HEADER_BYTES = 30;

/** yauzl reads through this: every range is a stream of the ByteSource. */
class ByteSourceReader extends yauzl.RandomAccessReader {
  constructor(private readonly source: ByteSource) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return this.source.stream(start, end);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The member's name as stored (UTF-8 flag, Info-ZIP Unicode path field, else CP437; backslashes kept); never validated as a path. */
function nameOf(entry: yauzl.Entry): string {
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry> {
  return new Promise((resolve, reject) => {
    const onEntry = (entry: yauzl.Entry): void => {
      zip.removeListener('error', onError);
      resolve(entry);
    };
    const onError = (error: Error): void => {
      zip.removeListener('entry', onEntry);
      reject(error);
    };
    zip.once('entry', onEntry);
    zip.once('error', onError);
    zip.readEntry();
  });
}

/**
 * Where each entry's data must end: the next local header (by offset) or the central directory.
 * Null with the reason when two entries share a header or one's data covers the next's header.
 */
function dataBounds(entries: yauzl.Entry[], directoryOffset: number): { bounds: Map<yauzl.Entry, number> } | { overlap: string } {
  const sorted = [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
  const bounds = new Map<yauzl.Entry, number>();
  for (let i = 0; i < sorted.length; i += 1) {
    const entry = sorted[i] as yauzl.Entry;
    const next = sorted[i + 1]?.relativeOffsetOfLocalHeader ?? directoryOffset;
    if (next === entry.relativeOffsetOfLocalHeader) return { overlap: `two entries share the local header at byte ${next}` };
    // Even with an empty name, an entry's header and data reach this far.
    if (entry.relativeOffsetOfLocalHeader + LOCAL_HEADER_BYTES + entry.compressedSize > next)
      return { overlap: `the entry at byte ${entry.relativeOffsetOfLocalHeader} runs into the next one at byte ${next} (overlapping entries)` };
    bounds.set(entry, next);
  }
  return { bounds };
}

export async function walkZip(ctx: WalkContext, source: ByteSource, path: string[], depth: number): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromRandomAccessReaderPromise(new ByteSourceReader(source), source.size, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: true,
    });
  } catch (error) {
    ctx.find('ARCHIVE_UNREADABLE', path, `is not a readable zip archive (${message(error)})`);
    return;
  }
  try {
    // yauzl's cursor starts at the central directory (its typings call it a boolean).
    const directoryOffset = (zip as unknown as { readEntryCursor: number }).readEntryCursor;
    const entries: yauzl.Entry[] = [];
    try {
      while (entries.length < zip.entryCount) {
        throwIfAborted(ctx.signal);
        if (!ctx.countEntry(path)) break;
        entries.push(await nextEntry(zip));
      }
    } catch (error) {
      ctx.find('ARCHIVE_UNREADABLE', path, `has a damaged central directory (${message(error)})`);
      return;
    }
    const places = dataBounds(entries, directoryOffset);
    if ('overlap' in places) {
      ctx.find('ARCHIVE_UNREADABLE', path, `is a zip whose entries overlap (${places.overlap}), as zip bombs are made; nothing in it was expanded`);
      return;
    }
    const meter = archiveMeter(ctx, path, () => source.size);
    for (const entry of entries) {
      throwIfAborted(ctx.signal);
      if (ctx.spent) return;
      const stop = await walkEntry(ctx, zip, entry, places.bounds.get(entry) as number, [...path, nameOf(entry)], depth, meter);
      if (stop) return;
    }
  } finally {
    zip.close();
  }
}

/** One member; true when the zip must not be read further. */
async function walkEntry(
  ctx: WalkContext,
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  bound: number,
  members: string[],
  depth: number,
  meter: (bytes: number) => boolean,
): Promise<boolean> {
  const name = members[members.length - 1] as string;
  if (name.endsWith('/') && entry.uncompressedSize === 0 && entry.compressedSize <= 2) return false;
  if ((entry.generalPurposeBitFlag & ENCRYPTED_FLAG) !== 0) {
    ctx.find('ARCHIVE_ENCRYPTED', members, 'is encrypted');
    return false;
  }
  if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
    ctx.find('ARCHIVE_UNREADABLE', members, `uses compression method ${entry.compressionMethod}, which the station does not read`);
    return false;
  }
  let fileDataStart: number;
  try {
    const local = await zip.readLocalFileHeaderPromise(entry);
    const disagree =
      !local.fileName.equals(entry.fileNameRaw) ||
      local.compressionMethod !== entry.compressionMethod ||
      (local.generalPurposeBitFlag & (ENCRYPTED_FLAG | UTF8_FLAG)) !== (entry.generalPurposeBitFlag & (ENCRYPTED_FLAG | UTF8_FLAG));
    if (disagree) {
      ctx.find('ARCHIVE_UNREADABLE', members, 'has a local header that disagrees with the central directory (name, method or encryption)');
      return true;
    }
    fileDataStart = local.fileDataStart;
  } catch (error) {
    ctx.find('ARCHIVE_UNREADABLE', members, `cannot be read (${message(error)})`);
    return true;
  }
  if (fileDataStart + entry.compressedSize > bound) {
    ctx.find(
      'ARCHIVE_UNREADABLE',
      members.slice(0, -1),
      `is a zip whose entries overlap (data at byte ${fileDataStart} runs past byte ${bound}), as zip bombs are made`,
    );
    return true;
  }
  // yauzl 3.4's openReadStreamLowLevelPromise calls the wrong method: the callback form is used.
  const raw = await new Promise<Readable>((resolve, reject) => {
    const inflate = entry.compressionMethod === DEFLATED;
    zip.openReadStreamLowLevel(fileDataStart, entry.compressedSize, 0, entry.compressedSize, inflate, entry.uncompressedSize, (error, stream) =>
      error ? reject(error) : resolve(stream),
    );
  });
  const member = new MemberStream(raw, meter, ctx.signal);
  await ctx.openMember(ctx, member, members, entry.uncompressedSize, depth, 'stop');
  const end = member.ended;
  if (end?.kind === 'limit') return true;
  if (end?.kind === 'error') ctx.find('ARCHIVE_UNREADABLE', members, `is damaged (${end.error.message})`);
  return false;
}
