/**
 * The two-pass export's writing pass (write-bundle.ts's writePreparedBundle): the archive in order,
 * tag files first, then every source read again and checked against the digest signed, into the
 * temp file's SequentialWriter or a BundleOutput (removable media).
 */
import { open } from 'node:fs/promises';
import { HASH_CHUNK_BYTES, sha256 } from '../crypto/sha256.js';
import { AirlockError, throwIfAborted, toAirlockError } from '../errors.js';
import { readSmallFileSync, SMALL_FILE_BYTES, smallFileScratch } from '../fs/read-small-file.js';
import { COPIED_BELOW_BYTES } from '../fs/sequential-writer.js';
import { CooperativeYield } from '../jobs/cooperative-yield.js';
import type { ProgressTracker } from '../jobs/progress-tracker.js';
import { encodeTagRecords, type TagFile } from '../bundle/bag-tag-files.js';
import { encodeFileHeader, END_OF_ARCHIVE, padding } from '../bundle/tar-header.js';
import type { HashedSource } from './hash-sources.js';
import type { PayloadSpool, SpoolReader } from './payload-spool.js';
import type { PreparedBundle } from './write-bundle.js';
import { RECORD_OPEN_FLAGS } from '../bundle/record-lane.js';

/** Chunks are short enough that every sink copies them (else each chunk needs a buffer of its own). */
const REUSE_CHUNKS = HASH_CHUNK_BYTES < COPIED_BELOW_BYTES;

/** Where writeArchive puts bytes: the temp file's SequentialWriter, or a BundleOutput. */
export interface ArchiveSink {
  write(data: Buffer): Promise<void>;
}

/**
 * A destination other than one temp file in outDir (removable media). It receives the archive
 * bytes in order with SequentialWriter's contract (pieces shorter than COPIED_BELOW_BYTES may be
 * reused by the caller once write() resolves; larger ones are not touched again), then commit()
 * or abort().
 */
export interface BundleOutput extends ArchiveSink {
  /** Every byte written: make it durable, give it its final name(s), say where it is. */
  commit(): Promise<{ bundlePath: string; bundleBytes: number }>;
  /** The write failed or was cancelled: remove what this output wrote. */
  abort(reason: unknown): Promise<void>;
}

export interface BundleOutputPlan {
  prepared: PreparedBundle;
  tagFiles: readonly TagFile[];
  /** writePreparedBundle's upper bound; the output computes the exact size itself. */
  sizeBound: number;
  tracker: ProgressTracker;
  signal?: AbortSignal | undefined;
}

export type OpenBundleOutput = (plan: BundleOutputPlan) => Promise<BundleOutput>;

export async function writeThroughOutput(
  output: BundleOutput,
  write: (sink: ArchiveSink) => Promise<void>,
): Promise<{ bundlePath: string; bundleBytes: number }> {
  try {
    await write(output);
    return await output.commit();
  } catch (error) {
    await output.abort(error).catch(() => undefined);
    throw toAirlockError(error);
  }
}

/**
 * The archive, in order: tag files first, then the payload. Small files come from the spool
 * when there is one (the very bytes the hashing pass hashed); all others are read again and
 * re-hashed as they are written, and a change since hashing aborts the write.
 */
export async function writeArchive(
  writer: ArchiveSink,
  name: string,
  tagFiles: readonly TagFile[],
  payload: readonly HashedSource[],
  now: Date,
  tracker: ProgressTracker,
  signal: AbortSignal | undefined,
  spool: PayloadSpool | null,
): Promise<void> {
  const tagRecords = encodeTagRecords(name, tagFiles, now);
  await writer.write(tagRecords);
  tracker.addBytes(tagRecords.length);
  const pause = new CooperativeYield();
  // Safe to reuse per file: the writer has copied a small piece by the time write() resolves.
  const scratch = smallFileScratch();
  const spooled = spool?.reader() ?? null;
  // One chunk buffer for every large file: the sink has copied a chunk this short by the time
  // write() resolves. A fresh 1 MiB buffer per chunk cost a garbage collection every few dozen
  // MiB and tens of MB of resident garbage in between (issue #18, the media export's peak RSS).
  const chunk = REUSE_CHUNKS ? Buffer.allocUnsafe(HASH_CHUNK_BYTES) : null;
  for (const [index, file] of payload.entries()) {
    throwIfAborted(signal);
    const header = encodeFileHeader({ path: `${name}/${file.bagPath}`, size: file.size, mtime: file.mtime });
    await writer.write(header);
    tracker.addBytes(header.length);
    if (file.size <= SMALL_FILE_BYTES) {
      const bytes = spooled && spool?.has(index) ? readSpooled(spooled, index, file) : readSmallSourceUnchanged(file, scratch);
      await writer.write(bytes);
      tracker.addBytes(bytes.length);
      await pause.maybeYield();
    } else {
      await streamSourceUnchanged(file, writer, tracker, signal, chunk);
    }
    const pad = padding(file.size);
    if (pad.length > 0) await writer.write(pad);
    tracker.addBytes(pad.length);
    tracker.addFiles(1);
  }
  await writer.write(END_OF_ARCHIVE);
  tracker.addBytes(END_OF_ARCHIVE.length);
}

function readSpooled(reader: SpoolReader, index: number, file: HashedSource): Buffer {
  try {
    return reader.bytesOf(index, file.size);
  } catch (error) {
    throw toAirlockError(error);
  }
}

function changed(file: HashedSource, detail: string): AirlockError {
  return new AirlockError('SOURCE_CHANGED', `${file.absPath} ${detail}`, { path: file.absPath });
}

function readSmallSourceUnchanged(file: HashedSource, scratch: Buffer): Buffer {
  let read;
  try {
    read = readSmallFileSync(file.absPath, file.size, scratch);
  } catch (error) {
    throw toAirlockError(error, file.absPath);
  }
  if ('actualSize' in read)
    throw changed(file, read.actualSize > file.size ? 'grew while the bundle was written.' : 'became shorter while the bundle was written.');
  if (sha256().update(read.bytes).digest('hex') !== file.sha256) throw changed(file, 'changed between hashing and writing.');
  return read.bytes;
}

/**
 * Exactly `file.size` bytes of the source, failing the export if its content differs from the
 * first pass. `reused`: read every chunk into it; null: a fresh buffer per chunk.
 */
async function streamSourceUnchanged(
  file: HashedSource,
  writer: ArchiveSink,
  tracker: ProgressTracker,
  signal: AbortSignal | undefined,
  reused: Buffer | null,
): Promise<void> {
  // The record lanes' flags: a source swapped for a link or a FIFO after the scan is neither followed nor waited on.
  const handle = await open(file.absPath, RECORD_OPEN_FLAGS).catch((error: unknown) => {
    throw toAirlockError(error, file.absPath);
  });
  try {
    const hash = sha256();
    let remaining = file.size;
    while (remaining > 0) {
      throwIfAborted(signal);
      const size = Math.min(HASH_CHUNK_BYTES, remaining);
      const chunk = reused ? reused.subarray(0, size) : Buffer.allocUnsafe(size);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) throw changed(file, 'became shorter while the bundle was written.');
      const data = bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead);
      hash.update(data);
      remaining -= bytesRead;
      await writer.write(data);
      tracker.addBytes(bytesRead);
    }
    const probe = Buffer.allocUnsafe(1);
    if ((await handle.read(probe, 0, 1, null)).bytesRead !== 0) throw changed(file, 'grew while the bundle was written.');
    if (hash.digest('hex') !== file.sha256) throw changed(file, 'changed between hashing and writing.');
  } finally {
    await handle.close();
  }
}
