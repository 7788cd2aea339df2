/**
 * A zip's members (issue #16.3), read with yauzl 3 from a ByteSource. The central directory is the
 * truth (what unzip and most extractors list); names are hostile text and never used as paths.
 *
 * Before any member is inflated the whole directory is read (up to the entry budget) and every
 * member's place checked (zip-layout.ts): overlapping or shared entries (the "better zip bomb"),
 * local headers that disagree with the directory, and local entries the directory does not list
 * make the zip ARCHIVE_UNREADABLE, and none of it is expanded. Each member's CRC-32 is checked as
 * it is read, as unzip does.
 *
 * Encrypted members are ARCHIVE_ENCRYPTED and an unknown compression method ARCHIVE_UNREADABLE;
 * the walk goes on with the other members. The ratio is the zip's: inflated bytes of all its
 * members over the zip's own size, counted as they are inflated.
 */
import { pipeline, Transform, type Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { throwIfAborted } from '../../errors.js';
import type { ByteSource } from '../contract.js';
import { MemberStream } from './member-stream.js';
import { checkZipLayout } from './zip-layout.js';
import { archiveMeter, type WalkContext } from './walk-context.js';

const STORED = 0;
const DEFLATED = 8;
const ENCRYPTED_FLAG = 0x1;

/** yauzl reads through this: every range is a stream of the ByteSource. */
class ByteSourceReader extends yauzl.RandomAccessReader {
  constructor(private readonly source: ByteSource) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return this.source.stream(start, end);
  }
}

/** The member's bytes, failing at their end when their CRC-32 is not the one the directory states (as unzip would). */
function checkCrc(raw: Readable, expected: number): Readable {
  let crc = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding, callback): void {
      crc = crc32(chunk, crc);
      callback(null, chunk);
    },
    flush(callback): void {
      callback(crc === expected ? null : new Error(`its CRC-32 is ${crc.toString(16)}, not the ${expected.toString(16)} the directory states`));
    },
  });
  return pipeline(raw, check, () => undefined);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The member's name as stored (UTF-8 flag, Info-ZIP Unicode path field, else CP437; backslashes kept); never validated as a path. */
function nameOf(entry: yauzl.Entry): string {
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
}

/**
 * Names and extra fields kept for the whole directory at most: a hostile directory can give each
 * of its entries 192 KiB of name, fields and comment, and every entry is held until the walk.
 */
const MAX_DIRECTORY_BYTES = 32 * 1024 * 1024;
const NOTHING = Buffer.alloc(0);

/** The entry without its comment, and with copies of its name and fields (so yauzl's read buffer is not held). */
function slim(entry: yauzl.Entry): yauzl.Entry {
  entry.fileNameRaw = Buffer.from(entry.fileNameRaw);
  entry.extraFields = entry.extraFields.map((field) => ({ id: field.id, data: Buffer.from(field.data) }));
  entry.extraFieldRaw = NOTHING;
  entry.fileCommentRaw = NOTHING;
  entry.fileName = '';
  entry.fileComment = '';
  entry.comment = '';
  return entry;
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
    let kept = 0;
    try {
      while (entries.length < zip.entryCount) {
        throwIfAborted(ctx.signal);
        if (!ctx.countEntry(path)) break;
        const entry = slim(await nextEntry(zip));
        kept += entry.fileNameRaw.length + entry.extraFields.reduce((sum, field) => sum + field.data.length, 0);
        if (kept > MAX_DIRECTORY_BYTES) {
          ctx.find('ARCHIVE_LIMIT', path, `has a central directory with more than ${MAX_DIRECTORY_BYTES} bytes of names and fields; it was not inspected`);
          return;
        }
        entries.push(entry);
      }
    } catch (error) {
      // yauzl refuses PKWARE strong encryption (flag bit 6) while reading the directory.
      if (/strong encryption/u.test(message(error))) ctx.find('ARCHIVE_ENCRYPTED', path, 'uses strong encryption');
      else ctx.find('ARCHIVE_UNREADABLE', path, `has a damaged central directory (${message(error)})`);
      return;
    }
    const layout = await checkZipLayout(source, entries, directoryOffset, entries.length === zip.entryCount, ctx.signal);
    if ('problem' in layout) {
      ctx.find('ARCHIVE_UNREADABLE', path, `is a zip whose structure readers would read differently: ${layout.problem}; nothing in it was expanded`);
      return;
    }
    const meter = archiveMeter(ctx, path, () => source.size);
    for (const entry of entries) {
      throwIfAborted(ctx.signal);
      if (ctx.spent) return;
      const stop = await walkEntry(ctx, zip, entry, layout.dataStart.get(entry) as number, [...path, nameOf(entry)], depth, meter);
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
  fileDataStart: number,
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
  // yauzl 3.4's openReadStreamLowLevelPromise calls the wrong method: the callback form is used.
  const raw = await new Promise<Readable>((resolve, reject) => {
    const inflate = entry.compressionMethod === DEFLATED;
    zip.openReadStreamLowLevel(fileDataStart, entry.compressedSize, 0, entry.compressedSize, inflate, entry.uncompressedSize, (error, stream) =>
      error ? reject(error) : resolve(stream),
    );
  });
  const member = new MemberStream(checkCrc(raw, entry.crc32), meter, ctx.signal);
  await ctx.openMember(ctx, member, members, entry.uncompressedSize, depth, 'stop');
  const end = member.ended;
  if (end?.kind === 'limit') return true;
  if (end?.kind === 'error') ctx.find('ARCHIVE_UNREADABLE', members, `is damaged (${end.error.message})`);
  return false;
}
