import { open, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PrivateKey } from 'openpgp';
import type { ProgressListener } from '../../../shared/progress.js';
import type { ExportResult } from '../../../shared/results.js';
import { signDetached } from '../crypto/detached-signature.js';
import { HASH_CHUNK_BYTES, sha256, sha256Hex } from '../crypto/sha256.js';
import { AirlockError, throwIfAborted, toAirlockError } from '../errors.js';
import { tempPathFor } from '../fs/durable.js';
import { readSmallFileSync, SMALL_FILE_BYTES, smallFileScratch } from '../fs/read-small-file.js';
import { SequentialWriter } from '../fs/sequential-writer.js';
import { CooperativeYield } from '../jobs/cooperative-yield.js';
import { assertAbsent, freeBytes, publishWithoutOverwrite } from '../fs/publish.js';
import type { StationIdentity } from '../home/station-config.js';
import { ProgressTracker } from '../jobs/progress-tracker.js';
import { buildBagTags, type TagFile } from './bag-tag-files.js';
import { BUNDLE_NAME_PATTERN, BUNDLE_SUFFIX, SIGNATURE_NAME } from './format.js';
import { hashSources, type HashedSource } from './hash-sources.js';
import { scanSources } from './source-scan.js';
import { archivedSizeBound, encodeFileHeader, END_OF_ARCHIVE, padding } from './tar-header.js';

export interface WriteBundleOptions {
  selection: readonly string[];
  outDir: string;
  name: string;
  sequence: number;
  identity: StationIdentity;
  signingKeys: PrivateKey[];
  now?: Date;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface WriteBundleResult extends ExportResult {
  warnings: Array<{ path: string; message: string }>;
  /** Every payload file as signed, for the audit log's per-file rows. */
  payloadFiles: Array<{ path: string; size: number; sha256: string }>;
}

/** Free space kept beyond the bundle itself, so the export never fills a volume to the last block. */
const SPACE_MARGIN_BYTES = 1 << 20;

/**
 * Export: scan, hash (pass 1), build and sign the tag files, then stream the tar (pass 2)
 * to a temp name in `outDir`, hashing every source again and aborting if anything changed,
 * fsync, and publish under NAME.airlock.tar without overwriting. On any failure or cancel
 * the temp file is removed: there is a whole signed bundle or none.
 */
export async function writeBundle(options: WriteBundleOptions): Promise<WriteBundleResult> {
  const { signal } = options;
  const now = options.now ?? new Date();
  if (!BUNDLE_NAME_PATTERN.test(options.name)) throw new AirlockError('INVALID_NAME', `Got "${options.name}".`);
  const tracker = new ProgressTracker(options.onProgress);

  const outStats = await stat(options.outDir).catch((error: unknown) => {
    throw toAirlockError(error, options.outDir);
  });
  if (!outStats.isDirectory()) throw new AirlockError('NOT_FOUND', `${options.outDir} is not a directory.`, { path: options.outDir });
  const finalPath = join(resolve(options.outDir), `${options.name}${BUNDLE_SUFFIX}`);
  await assertAbsent(finalPath);

  tracker.startPhase('scanning');
  const scan = await scanSources(options.selection, signal);
  const totalBytes = scan.files.reduce((sum, f) => sum + f.size, 0);

  tracker.startPhase('hashing', { bytes: totalBytes, files: scan.files.length });
  const payload = await hashSources(scan.files, tracker, signal);
  tracker.flush();

  tracker.startPhase('signing');
  const tags = buildBagTags(payload, { identity: options.identity, sequence: options.sequence, now });
  const signature = Buffer.from(await signDetached(tags.tagmanifest, options.signingKeys, now), 'utf8');
  const tagFiles: TagFile[] = [...tags.files, { name: SIGNATURE_NAME, bytes: signature }];
  throwIfAborted(signal);

  // An upper bound (a few hundred bytes over per long name): checking it costs no header encoding.
  const archiveBytes =
    tagFiles.reduce((sum, t) => sum + archivedSizeBound(`${options.name}/${t.name}`, t.bytes.length), 0) +
    payload.reduce((sum, f) => sum + archivedSizeBound(`${options.name}/${f.bagPath}`, f.size), 0) +
    END_OF_ARCHIVE.length;
  const available = await freeBytes(options.outDir);
  if (available < archiveBytes + SPACE_MARGIN_BYTES) {
    throw new AirlockError('NO_SPACE', `The bundle needs up to ${archiveBytes} bytes; ${options.outDir} has ${available} free.`, { path: options.outDir });
  }

  tracker.startPhase('writing', { bytes: archiveBytes, files: payload.length });
  const tempPath = tempPathFor(finalPath);
  const out = await open(tempPath, 'wx', 0o644).catch((error: unknown) => {
    throw toAirlockError(error, tempPath);
  });
  let published = false;
  let bundleBytes: number;
  try {
    const writer = new SequentialWriter(out);
    await writeArchive(writer, options.name, tagFiles, payload, now, tracker, signal);
    await writer.finish();
    bundleBytes = writer.bytesWritten;
    tracker.flush();
    tracker.startPhase('syncing', { bytes: bundleBytes });
    await out.sync();
    await out.close();
    throwIfAborted(signal);
    await publishWithoutOverwrite(tempPath, finalPath);
    published = true;
    tracker.addBytes(bundleBytes);
    tracker.flush();
  } catch (error) {
    throw toAirlockError(error, finalPath);
  } finally {
    if (!published) {
      await out.close().catch(() => undefined);
      await unlink(tempPath).catch(() => undefined);
    }
  }

  return {
    bundlePath: finalPath,
    name: options.name,
    uuid: tags.uuid,
    sequence: options.sequence,
    files: payload.length,
    bytes: tags.payloadBytes,
    bundleBytes,
    tagmanifestSha256: sha256Hex(tags.tagmanifest),
    signers: await Promise.all(options.signingKeys.map(async (key) => ({ fingerprint: key.getFingerprint().toUpperCase(), userIds: key.getUserIDs() }))),
    warnings: scan.warnings,
    payloadFiles: payload.map((f) => ({ path: f.bagPath, size: f.size, sha256: f.sha256 })),
  };
}

/** The archive, in order: tag files first, then each payload file re-hashed as it is read. */
async function writeArchive(
  writer: SequentialWriter,
  name: string,
  tagFiles: readonly TagFile[],
  payload: readonly HashedSource[],
  now: Date,
  tracker: ProgressTracker,
  signal: AbortSignal | undefined,
): Promise<void> {
  for (const tag of tagFiles) {
    const piece = Buffer.concat([encodeFileHeader({ path: `${name}/${tag.name}`, size: tag.bytes.length, mtime: now }), tag.bytes, padding(tag.bytes.length)]);
    await writer.write(piece);
    tracker.addBytes(piece.length);
  }
  const pause = new CooperativeYield();
  // Safe to reuse per file: the writer has copied a small piece by the time write() resolves.
  const scratch = smallFileScratch();
  for (const file of payload) {
    throwIfAborted(signal);
    const header = encodeFileHeader({ path: `${name}/${file.bagPath}`, size: file.size, mtime: file.mtime });
    await writer.write(header);
    tracker.addBytes(header.length);
    if (file.size <= SMALL_FILE_BYTES) {
      const bytes = readSmallSourceUnchanged(file, scratch);
      await writer.write(bytes);
      tracker.addBytes(bytes.length);
      await pause.maybeYield();
    } else {
      await streamSourceUnchanged(file, writer, tracker, signal);
    }
    const pad = padding(file.size);
    if (pad.length > 0) await writer.write(pad);
    tracker.addBytes(pad.length);
    tracker.addFiles(1);
  }
  await writer.write(END_OF_ARCHIVE);
  tracker.addBytes(END_OF_ARCHIVE.length);
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
  if ('actualSize' in read) throw changed(file, read.actualSize > file.size ? 'grew while the bundle was written.' : 'became shorter while the bundle was written.');
  if (sha256().update(read.bytes).digest('hex') !== file.sha256) throw changed(file, 'changed between hashing and writing.');
  return read.bytes;
}

/** Exactly `file.size` bytes of the source, failing the export if its content differs from the first pass. */
async function streamSourceUnchanged(file: HashedSource, writer: SequentialWriter, tracker: ProgressTracker, signal: AbortSignal | undefined): Promise<void> {
  const handle = await open(file.absPath, 'r').catch((error: unknown) => {
    throw toAirlockError(error, file.absPath);
  });
  try {
    const hash = sha256();
    let remaining = file.size;
    while (remaining > 0) {
      throwIfAborted(signal);
      // A fresh buffer per chunk: the writer still holds the previous one while it is written.
      const chunk = Buffer.allocUnsafe(Math.min(HASH_CHUNK_BYTES, remaining));
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
