import type { ChannelStamp } from '../../../shared/channels.js';
import { open, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ProgressListener } from '../../../shared/progress.js';
import type { ExportResult } from '../../../shared/results.js';
import { signWithAll, type BundleSigner } from '../crypto/bundle-signer.js';
import { sha256Hex } from '../crypto/sha256.js';
import { AirlockError, throwIfAborted, toAirlockError } from '../errors.js';
import { tempPathFor } from '../fs/durable.js';
import { releaseTemp, sweepDeadTemps } from '../fs/owned-temp.js';
import { SequentialWriter } from '../fs/sequential-writer.js';
import { assertAbsent, freeBytes, publishWithoutOverwrite } from '../fs/publish.js';
import type { StationIdentity } from '../home/station-config.js';
import { ProgressTracker } from '../jobs/progress-tracker.js';
import { buildBagTags, encodeTagRecords, tagManifestFor, type BagTags, type TagFile } from '../bundle/bag-tag-files.js';
import { writeManifestAt } from '../bundle/manifest-writer.js';
import { BAG_INFO_NAME, BAGIT_TXT_NAME, BUNDLE_NAME_PATTERN, BUNDLE_SUFFIX, MANIFEST_NAME, SIGNATURE_NAME, TAGMANIFEST_NAME } from '../bundle/format.js';
import { SourceHasher, type HashedSource } from './hash-sources.js';
import { scanSources, type SourceFile, type SourceScan } from './source-scan.js';
import { PayloadSpool } from './payload-spool.js';
import { archivedSizeBound, encodeFileHeader, END_OF_ARCHIVE, padding, paddingLength } from '../bundle/tar-header.js';
import { planOnePassLayout } from './one-pass-layout.js';
import { RecordLanes } from '../bundle/record-lanes.js';
import type { AuditFileRows } from '../audit/audit-event.js';
import { HashedPayload } from './hashed-payload.js';
import { bundleResult, preparedResult } from './bundle-result.js';
import { writeArchive, writeThroughOutput, type OpenBundleOutput } from './archive-writer.js';

export interface WriteBundleOptions {
  selection: readonly string[];
  outDir: string;
  name: string;
  sequence: number;
  identity: StationIdentity;
  signers: BundleSigner[];
  /** The channel stamp to sign into bag-info (docs/channels.md); absent: no channel. */
  channel?: ChannelStamp | undefined;
  /** A heartbeat: the selection is empty on purpose (no SOURCE_EMPTY). */
  emptyPayload?: boolean | undefined;
  /**
   * Called with the tag manifest's SHA-256 right before the bundle is published (renamed into
   * place): a channel export notes it in its intent, so recovery knows what may have gone out.
   */
  beforePublish?: ((tagmanifestSha256: string) => void) | undefined;
  now?: Date;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
  /** Stream the archive here instead of a temp file in outDir (removable media: parts, index, read-back). */
  openOutput?: OpenBundleOutput;
  /** A folder on the system disk for the small-file spool (payload-spool.ts); without it, sources are read twice. */
  spoolDir?: string;
  /** Payload files from outside the selection, bag paths set (the bundle's OCI layout, issue #15). */
  extraFiles?: readonly SourceFile[] | undefined;
  /** Sees every payload file's hash after the hashing pass, before anything is signed; throws to stop the export. */
  checkPayload?: ((payload: readonly HashedSource[]) => void) | undefined;
}

export interface WriteBundleResult extends ExportResult {
  warnings: Array<{ path: string; message: string }>;
  /** Every payload file as signed, for the audit log's per-file rows (made as they are read: hashed-payload.ts). */
  payloadFiles: AuditFileRows;
}

/** The first half of an export: what is to be signed, before anything is written. */
export interface PreparedBundle {
  name: string;
  sequence: number;
  createdAt: Date;
  payload: HashedSource[];
  tags: BagTags;
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
  const tracker = new ProgressTracker(options.onProgress);
  const finalPath = await checkOutput(options.outDir, options.name, !options.openOutput);
  if (exportsInOnePass(options)) return writeBundleOnePass(options, tracker, finalPath);
  const { prepared, spool } = await scanAndHash({ ...options, tracker }, options.spoolDir);
  try {
    tracker.startPhase('signing');
    const signature = await signWithAll(prepared.tags.tagmanifest, options.signers, prepared.createdAt);
    throwIfAborted(options.signal);
    return await writePreparedBundle(prepared, signature, {
      outDir: options.outDir,
      signers: options.signers.map((s) => ({ fingerprint: s.fingerprint, userIds: s.userIds })),
      tracker,
      spool,
      signal: options.signal,
      openOutput: options.openOutput,
      beforePublish: options.beforePublish,
    });
  } finally {
    spool?.close();
  }
}

/**
 * Whether writeBundle reads the sources once (one-pass-layout.ts): to a folder, with signers that
 * may be asked for a stand-in signature. Removable media and GnuPG signers take two passes.
 */
export function exportsInOnePass(options: Pick<WriteBundleOptions, 'signers' | 'openOutput'>): boolean {
  return !options.openOutput && options.signers.length > 0 && options.signers.every((s) => s.signsInProcess === true);
}

/** `sweep`: remove dead temp files here first (a custom output, removable media, sweeps and reports its own). */
async function checkOutput(outDir: string, name: string, sweep: boolean): Promise<string> {
  if (!BUNDLE_NAME_PATTERN.test(name)) throw new AirlockError('INVALID_NAME', `Got "${name}".`);
  const outStats = await stat(outDir).catch((error: unknown) => {
    throw toAirlockError(error, outDir);
  });
  if (!outStats.isDirectory()) throw new AirlockError('NOT_A_FOLDER', `The output folder ${outDir} is a file, not a folder.`, { path: outDir });
  const finalPath = join(resolve(outDir), `${name}${BUNDLE_SUFFIX}`);
  await assertAbsent(finalPath);
  // Before the free-space check: temp files of killed exports (and receipts) here are provably dead and only take room.
  if (sweep) await sweepDeadTemps(resolve(outDir));
  return finalPath;
}

/**
 * The one-pass export: one read of each source (one-pass-layout.ts): scan, lay the archive out, then read
 * each source once, hashing it and writing its record at its place in the temp file; then build
 * and sign the tag files over the digests and write them in front. The bytes in the bundle are
 * the bytes that were hashed, read once. A change to a source during the pass stops the export
 * (record-lanes.ts). Removable media (sequential parts) and GnuPG signers use the two passes.
 */
async function writeBundleOnePass(options: WriteBundleOptions, tracker: ProgressTracker, finalPath: string): Promise<WriteBundleResult> {
  // Counted in files found (no total yet): a 200,000-file selection takes seconds to walk.
  tracker.startPhase('scanning', { etaFromFiles: true });
  // The worker lane boots on the other core while this thread scans.
  const lanes = new RecordLanes();
  try {
    return await scanAndWriteOnePass(options, tracker, lanes, finalPath);
  } finally {
    await lanes.close();
  }
}

async function scanAndWriteOnePass(options: WriteBundleOptions, tracker: ProgressTracker, lanes: RecordLanes, finalPath: string): Promise<WriteBundleResult> {
  const { signal } = options;
  const now = options.now ?? new Date();
  const outDir = resolve(options.outDir);
  const scan = await scanSources(options.selection, signal, () => tracker.addFiles(), options.extraFiles, options.emptyPayload === true);
  // The scan's last report carries every file it found, however fast it went.
  tracker.flush();
  const meta = { identity: options.identity, sequence: options.sequence, now, channel: options.channel };
  const layout = await planOnePassLayout({ name: options.name, files: scan.files, ...meta, signers: options.signers });
  const available = await freeBytes(outDir);
  if (available < layout.archiveBytes + SPACE_MARGIN_BYTES) {
    throw new AirlockError('NO_SPACE', `The bundle needs ${layout.archiveBytes} bytes; ${outDir} has ${available} free.`, { path: outDir });
  }
  let payloadBytes = 0;
  for (const file of scan.files) payloadBytes += file.size;
  const signers = options.signers.map((s) => ({ fingerprint: s.fingerprint, userIds: s.userIds }));

  const tempPath = tempPathFor(finalPath);
  const out = await open(tempPath, 'wx', 0o644).catch((error: unknown) => {
    throw toAirlockError(error, tempPath);
  });
  let published = false;
  /** Set when the signature does not fit the room left for it: the bundle is then written the two-pass way. */
  let refit: { prepared: PreparedBundle; signature: string };
  try {
    tracker.startPhase('hashing-and-writing', { bytes: payloadBytes, files: scan.files.length });
    const digests = await lanes.write(layout, out.fd, tracker, signal);
    tracker.flush();
    // No copy of the file list with its digests: rows are made as the manifest and the audit log read them.
    const payload = new HashedPayload(scan.files, digests);
    if (options.checkPayload) options.checkPayload(payload.hashedSources());
    tracker.startPhase('signing');
    // The manifest goes straight to its place in the file, hashed as it is written (manifest-writer.ts).
    const manifestHeader = encodeFileHeader({ path: `${options.name}/${MANIFEST_NAME}`, size: layout.manifestBytes, mtime: now });
    const manifest = writeManifestAt(out.fd, layout.manifestAt + manifestHeader.length, payload.manifestEntries());
    if (manifest.bytes !== layout.manifestBytes)
      throw new AirlockError('INTERNAL', `The manifest took ${manifest.bytes} bytes; ${layout.manifestBytes} were laid out.`);
    const tagmanifest = tagManifestFor(layout.bagit, layout.bagInfo, manifest.sha256);
    const signed = {
      name: options.name,
      sequence: options.sequence,
      tags: { uuid: layout.uuid, payloadBytes: layout.payloadBytes, tagmanifest },
      warnings: scan.warnings,
    };
    const signature = await signWithAll(tagmanifest, options.signers, now);
    throwIfAborted(signal);
    const head = encodeTagRecords(
      options.name,
      [
        { name: BAGIT_TXT_NAME, bytes: layout.bagit },
        { name: BAG_INFO_NAME, bytes: layout.bagInfo },
      ],
      now,
    );
    const manifestEnd = layout.manifestAt + manifestHeader.length + layout.manifestBytes + paddingLength(layout.manifestBytes);
    const tail = encodeTagRecords(
      options.name,
      [
        { name: TAGMANIFEST_NAME, bytes: tagmanifest },
        { name: SIGNATURE_NAME, bytes: Buffer.from(signature, 'utf8') },
      ],
      now,
    );
    if (head.length !== layout.manifestAt || manifestEnd + tail.length !== layout.tagSectionBytes) {
      const tags = buildBagTags(payload.tagged(), { ...meta, uuid: layout.uuid });
      if (!tags.tagmanifest.equals(tagmanifest)) throw new AirlockError('INTERNAL', 'The tag manifest built again differs from the one signed.');
      refit = { prepared: { ...signed, tags, createdAt: now, payload: payload.hashedSources() }, signature };
    } else {
      const tagBytes = layout.tagSectionBytes - layout.manifestBytes;
      tracker.startPhase('writing-tag-files', { bytes: tagBytes + END_OF_ARCHIVE.length, files: 0 });
      await out.write(head, 0, head.length, 0);
      await out.write(manifestHeader, 0, manifestHeader.length, layout.manifestAt);
      const pad = padding(layout.manifestBytes);
      await out.write(pad, 0, pad.length, manifestEnd - pad.length);
      await out.write(tail, 0, tail.length, manifestEnd);
      await out.write(END_OF_ARCHIVE, 0, END_OF_ARCHIVE.length, layout.archiveBytes - END_OF_ARCHIVE.length);
      tracker.addBytes(tagBytes + END_OF_ARCHIVE.length);
      tracker.flush();
      tracker.startPhase('syncing', { bytes: layout.archiveBytes });
      await out.sync();
      await out.close();
      throwIfAborted(signal);
      options.beforePublish?.(sha256Hex(tagmanifest));
      await publishWithoutOverwrite(tempPath, finalPath);
      published = true;
      tracker.addBytes(layout.archiveBytes);
      tracker.flush();
      return bundleResult({ ...signed, files: payload.length, rows: payload.auditRows() }, signers, finalPath, layout.archiveBytes);
    }
  } catch (error) {
    throw toAirlockError(error, finalPath);
  } finally {
    if (!published) await discardTemp(out, tempPath);
  }
  // The temp file is gone; the sources are read again and checked against the digests just signed.
  return writePreparedBundle(refit.prepared, refit.signature, { outDir, signers, tracker, signal, beforePublish: options.beforePublish });
}

interface PrepareOptions {
  selection: readonly string[];
  name: string;
  sequence: number;
  identity: StationIdentity;
  channel?: ChannelStamp | undefined;
  emptyPayload?: boolean | undefined;
  now?: Date;
  signal?: AbortSignal | undefined;
  tracker: ProgressTracker;
  extraFiles?: readonly SourceFile[] | undefined;
  checkPayload?: ((payload: readonly HashedSource[]) => void) | undefined;
}

/** Scan and hash the selection and build the tag files: everything a signer signs. */
export async function prepareBundle(options: PrepareOptions): Promise<PreparedBundle> {
  return (await scanAndHash(options)).prepared;
}

/** prepareBundle, keeping the small files' bytes in a spool for the write pass when `spoolDir` is given. */
async function scanAndHash(options: PrepareOptions, spoolDir?: string): Promise<{ prepared: PreparedBundle; spool: PayloadSpool | null }> {
  const { signal, tracker } = options;
  const createdAt = options.now ?? new Date();
  if (!BUNDLE_NAME_PATTERN.test(options.name)) throw new AirlockError('INVALID_NAME', `Got "${options.name}".`);
  tracker.startPhase('scanning', { etaFromFiles: true });
  const spool = spoolDir
    ? await PayloadSpool.open(spoolDir).catch((error: unknown) => {
        throw toAirlockError(error, spoolDir);
      })
    : null;
  // Hashing starts on the other core while the scan still walks (hash-sources.ts).
  const hasher = new SourceHasher(signal, spool);
  try {
    let scan: SourceScan;
    try {
      scan = await scanSources(
        options.selection,
        signal,
        (file) => {
          hasher.add(file);
          tracker.addFiles();
        },
        options.extraFiles,
        options.emptyPayload === true,
      );
    } catch (error) {
      await hasher.abort();
      throw error;
    }
    tracker.flush();
    let totalBytes = 0;
    for (const file of scan.files) totalBytes += file.size;
    tracker.startPhase('hashing', { bytes: totalBytes, files: scan.files.length });
    const payload = await hasher.finish(tracker);
    tracker.flush();
    options.checkPayload?.(payload);
    const tags = buildBagTags(payload, { identity: options.identity, sequence: options.sequence, now: createdAt, channel: options.channel });
    return { prepared: { name: options.name, sequence: options.sequence, createdAt, payload, tags, warnings: scan.warnings }, spool };
  } catch (error) {
    spool?.close();
    throw error;
  }
}

/**
 * The second half: write a prepared bundle with its (possibly several-signer) signature.
 * Every source is read and hashed again; a change since preparation aborts the write.
 */
export async function writePreparedBundle(
  prepared: PreparedBundle,
  signatureArmored: string,
  options: {
    outDir: string;
    signers: Array<{ fingerprint: string; userIds: string[] }>;
    tracker?: ProgressTracker;
    onProgress?: ProgressListener | undefined;
    signal?: AbortSignal | undefined;
    openOutput?: OpenBundleOutput | undefined;
    /** The small files' bytes from the hashing pass (writeBundle only). */
    spool?: PayloadSpool | null;
    /** As WriteBundleOptions.beforePublish (a file in outDir only). */
    beforePublish?: ((tagmanifestSha256: string) => void) | undefined;
  },
): Promise<WriteBundleResult> {
  const { signal } = options;
  const tracker = options.tracker ?? new ProgressTracker(options.onProgress);
  const finalPath = await checkOutput(options.outDir, prepared.name, !options.openOutput);
  const { payload, tags } = prepared;
  const now = prepared.createdAt;
  const signature = Buffer.from(signatureArmored, 'utf8');
  const tagFiles: TagFile[] = [...tags.files, { name: SIGNATURE_NAME, bytes: signature }];
  const outDir = resolve(options.outDir);

  // An upper bound (a few hundred bytes over per long name): checking it costs no header encoding.
  const archiveBytes =
    tagFiles.reduce((sum, t) => sum + archivedSizeBound(`${prepared.name}/${t.name}`, t.bytes.length), 0) +
    payload.reduce((sum, f) => sum + archivedSizeBound(`${prepared.name}/${f.bagPath}`, f.size), 0) +
    END_OF_ARCHIVE.length;
  // A custom output checks its own room, with the exact size.
  const output = options.openOutput ? await options.openOutput({ prepared, tagFiles, sizeBound: archiveBytes, tracker, signal }) : null;
  const available = output ? null : await freeBytes(outDir);
  if (available !== null && available < archiveBytes + SPACE_MARGIN_BYTES) {
    throw new AirlockError('NO_SPACE', `The bundle needs up to ${archiveBytes} bytes; ${outDir} has ${available} free.`, { path: outDir });
  }

  tracker.startPhase('writing', { bytes: archiveBytes, files: payload.length });
  if (output) {
    const written = await writeThroughOutput(output, (sink) =>
      writeArchive(sink, prepared.name, tagFiles, payload, now, tracker, signal, options.spool ?? null),
    );
    return bundleResult(preparedResult(prepared), options.signers, written.bundlePath, written.bundleBytes);
  }
  const tempPath = tempPathFor(finalPath);
  const out = await open(tempPath, 'wx', 0o644).catch((error: unknown) => {
    throw toAirlockError(error, tempPath);
  });
  let published = false;
  let bundleBytes: number;
  try {
    const writer = new SequentialWriter(out);
    await writeArchive(writer, prepared.name, tagFiles, payload, now, tracker, signal, options.spool ?? null);
    await writer.finish();
    bundleBytes = writer.bytesWritten;
    tracker.flush();
    tracker.startPhase('syncing', { bytes: bundleBytes });
    await out.sync();
    await out.close();
    throwIfAborted(signal);
    options.beforePublish?.(sha256Hex(tags.tagmanifest));
    await publishWithoutOverwrite(tempPath, finalPath);
    published = true;
    tracker.addBytes(bundleBytes);
    tracker.flush();
  } catch (error) {
    throw toAirlockError(error, finalPath);
  } finally {
    if (!published) await discardTemp(out, tempPath);
  }

  return bundleResult(preparedResult(prepared), options.signers, finalPath, bundleBytes);
}

/** A temp bundle that was not published: close and remove it (best effort: the error that got here matters more). */
async function discardTemp(out: FileHandle, tempPath: string): Promise<void> {
  await out.close().catch(() => undefined);
  await unlink(tempPath).catch(() => undefined);
  releaseTemp(tempPath);
}
