import { createWriteStream } from 'node:fs';
import { open, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PrivateKey } from 'openpgp';
import type { ProgressListener } from '../../../shared/progress.js';
import type { ExportResult } from '../../../shared/results.js';
import { signDetached } from '../crypto/detached-signature.js';
import { HASH_CHUNK_BYTES, sha256, sha256Hex } from '../crypto/sha256.js';
import { AirlockError, throwIfAborted, toAirlockError } from '../errors.js';
import { tempPathFor } from '../fs/durable.js';
import { assertAbsent, freeBytes, publishWithoutOverwrite } from '../fs/publish.js';
import type { StationIdentity } from '../home/station-config.js';
import { ProgressTracker } from '../jobs/progress-tracker.js';
import { buildBagTags, type TagFile } from './bag-tag-files.js';
import { BUNDLE_NAME_PATTERN, BUNDLE_SUFFIX, SIGNATURE_NAME } from './format.js';
import { hashSources, type HashedSource } from './hash-sources.js';
import { scanSources } from './source-scan.js';
import { archivedSize, encodeFileHeader, END_OF_ARCHIVE, padding } from './tar-header.js';

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
  const finalPath = join(options.outDir, `${options.name}${BUNDLE_SUFFIX}`);
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

  const archiveBytes =
    tagFiles.reduce((sum, t) => sum + archivedSize({ path: `${options.name}/${t.name}`, size: t.bytes.length, mtime: now }), 0) +
    payload.reduce((sum, f) => sum + archivedSize({ path: `${options.name}/${f.bagPath}`, size: f.size, mtime: f.mtime }), 0) +
    END_OF_ARCHIVE.length;
  const available = await freeBytes(options.outDir);
  if (available < archiveBytes + SPACE_MARGIN_BYTES) {
    throw new AirlockError('NO_SPACE', `The bundle needs ${archiveBytes} bytes; ${options.outDir} has ${available} free.`, { path: options.outDir });
  }

  tracker.startPhase('writing', { bytes: archiveBytes, files: payload.length });
  const tempPath = tempPathFor(finalPath);
  const out = await open(tempPath, 'wx', 0o644).catch((error: unknown) => {
    throw toAirlockError(error, tempPath);
  });
  let published = false;
  try {
    const chunks = archiveChunks(options.name, tagFiles, payload, now, tracker, signal);
    // The stream gets the bare descriptor: a FileHandle-backed stream that does not close it
    // would hold the handle's close() forever, and we need the handle for fsync.
    const sink = createWriteStream('', { fd: out.fd, autoClose: false, highWaterMark: 4 * HASH_CHUNK_BYTES });
    await pipeline(Readable.from(chunks, { objectMode: false, highWaterMark: 4 * HASH_CHUNK_BYTES }), sink, signal ? { signal } : {});
    tracker.flush();
    tracker.startPhase('syncing', { bytes: archiveBytes });
    await out.sync();
    await out.close();
    throwIfAborted(signal);
    await publishWithoutOverwrite(tempPath, finalPath);
    published = true;
    tracker.addBytes(archiveBytes);
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
    bundleBytes: archiveBytes,
    tagmanifestSha256: sha256Hex(tags.tagmanifest),
    signers: await Promise.all(options.signingKeys.map(async (key) => ({ fingerprint: key.getFingerprint().toUpperCase(), userIds: key.getUserIDs() }))),
    warnings: scan.warnings,
  };
}

/** The archive as a stream of buffers: tag files first, then each payload file re-hashed as it is read. */
async function* archiveChunks(
  name: string,
  tagFiles: readonly TagFile[],
  payload: readonly HashedSource[],
  now: Date,
  tracker: ProgressTracker,
  signal: AbortSignal | undefined,
): AsyncGenerator<Buffer> {
  for (const tag of tagFiles) {
    const header = encodeFileHeader({ path: `${name}/${tag.name}`, size: tag.bytes.length, mtime: now });
    yield Buffer.concat([header, tag.bytes, padding(tag.bytes.length)]);
    tracker.addBytes(header.length + tag.bytes.length + padding(tag.bytes.length).length);
  }
  for (const file of payload) {
    throwIfAborted(signal);
    const header = encodeFileHeader({ path: `${name}/${file.bagPath}`, size: file.size, mtime: file.mtime });
    yield header;
    tracker.addBytes(header.length);
    yield* sourceBytesUnchanged(file, tracker);
    const pad = padding(file.size);
    if (pad.length > 0) yield pad;
    tracker.addBytes(pad.length);
    tracker.addFiles(1);
  }
  yield END_OF_ARCHIVE;
  tracker.addBytes(END_OF_ARCHIVE.length);
}

/** Exactly `file.size` bytes of the source, failing the export if its content differs from the first pass. */
async function* sourceBytesUnchanged(file: HashedSource, tracker: ProgressTracker): AsyncGenerator<Buffer> {
  const changed = (detail: string): AirlockError => new AirlockError('SOURCE_CHANGED', `${file.absPath} ${detail}`, { path: file.absPath });
  const handle = await open(file.absPath, 'r').catch((error: unknown) => {
    throw toAirlockError(error, file.absPath);
  });
  try {
    const hash = sha256();
    let remaining = file.size;
    while (remaining > 0) {
      // A fresh buffer per chunk: the write stream holds on to what we yield until it is written.
      const chunk = Buffer.allocUnsafe(Math.min(HASH_CHUNK_BYTES, remaining));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) throw changed('became shorter while the bundle was written.');
      const data = bytesRead === chunk.length ? chunk : chunk.subarray(0, bytesRead);
      hash.update(data);
      remaining -= bytesRead;
      tracker.addBytes(bytesRead);
      yield data;
    }
    const probe = Buffer.allocUnsafe(1);
    if ((await handle.read(probe, 0, 1, null)).bytesRead !== 0) throw changed('grew while the bundle was written.');
    if (hash.digest('hex') !== file.sha256) throw changed('changed between hashing and writing.');
  } finally {
    await handle.close();
  }
}
