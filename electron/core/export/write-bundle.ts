import type { ChannelStamp } from '../../../shared/channels.js';
import { open, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ProgressListener } from '../../../shared/progress.js';
import type { ExportResult } from '../../../shared/results.js';
import { signWithAll, type BundleSigner } from '../crypto/bundle-signer.js';
import { sha256Hex } from '../crypto/sha256.js';
import { AirlockError, throwIfAborted, toAirlockError } from '../errors.js';
import { tempPathFor } from '../fs/durable.js';
import { sweepDeadTemps } from '../fs/owned-temp.js';
import { SequentialWriter } from '../fs/sequential-writer.js';
import { assertAbsent, freeBytes, publishWithoutOverwrite } from '../fs/publish.js';
import type { StationIdentity } from '../home/station-config.js';
import { ProgressTracker } from '../jobs/progress-tracker.js';
import { buildBagTags, type BagTags, type TagFile } from '../bundle/bag-tag-files.js';
import { BUNDLE_NAME_PATTERN, BUNDLE_SUFFIX, SIGNATURE_NAME } from '../bundle/format.js';
import { SourceHasher, type HashedSource } from './hash-sources.js';
import { scanSources, type SourceFile, type SourceScan } from './source-scan.js';
import { PayloadSpool } from './payload-spool.js';
import { archivedSizeBound, END_OF_ARCHIVE } from '../bundle/tar-header.js';
import type { AuditFileRows } from '../audit/audit-event.js';
import type { TableSpill } from '../bundle/digest-table.js';
import { bundleResult, preparedResult } from './bundle-result.js';
import { writeArchive, writeThroughOutput, type OpenBundleOutput } from './archive-writer.js';
import { discardTemp, SPACE_MARGIN_BYTES, writeBundleOnePass, type OpenOnePassDestination, type TwoPassWrite } from './one-pass-write.js';

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
  /**
   * With openOutput: where a one-pass export may write instead (removable media: one whole file,
   * read back region by region); when it declines, the bundle goes to openOutput in two passes.
   */
  onePassTo?: OpenOnePassDestination | undefined;
  /** A folder on the system disk for the small-file spool (payload-spool.ts); without it, sources are read twice. */
  spoolDir?: string;
  /**
   * The one-pass export to a folder: where a large export's digests are kept instead of memory
   * (bundle/digest-table.ts). With it, the caller releases the result's `payloadFiles` once recorded.
   */
  digestSpill?: TableSpill | undefined;
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

/**
 * Export: scan, hash (pass 1), build and sign the tag files, then stream the tar (pass 2)
 * to a temp name in `outDir`, hashing every source again and aborting if anything changed,
 * fsync, and publish under NAME.airlock.tar without overwriting. On any failure or cancel
 * the temp file is removed: there is a whole signed bundle or none.
 */
export async function writeBundle(options: WriteBundleOptions): Promise<WriteBundleResult> {
  const tracker = new ProgressTracker(options.onProgress);
  const finalPath = await checkOutput(options.outDir, options.name, !options.openOutput);
  if (exportsInOnePass(options)) {
    const twoPass: TwoPassWrite = (prepared, signature) =>
      writePreparedBundle(prepared, signature, {
        outDir: options.outDir,
        signers: options.signers.map((s) => ({ fingerprint: s.fingerprint, userIds: s.userIds })),
        tracker,
        signal: options.signal,
        openOutput: options.openOutput,
        beforePublish: options.beforePublish,
      });
    const done = await writeBundleOnePass(options, tracker, finalPath, twoPass);
    // Null: the medium declined the one pass before a byte was written (a split bundle, FAT): two passes.
    if (done) return done;
  }
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
 * Whether writeBundle tries to read the sources once (one-pass-write.ts): to a folder, or to a
 * medium that offers a one-pass destination (which may still decline: a split bundle), with
 * signers that may be asked for a stand-in signature. GnuPG signers take two passes.
 */
export function exportsInOnePass(options: Pick<WriteBundleOptions, 'signers' | 'openOutput' | 'onePassTo'>): boolean {
  return (!options.openOutput || options.onePassTo !== undefined) && options.signers.length > 0 && options.signers.every((s) => s.signsInProcess === true);
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
    throw new AirlockError(
      'NO_SPACE',
      `The bundle needs up to ${archiveBytes} bytes and ${SPACE_MARGIN_BYTES} bytes are kept free beside it; ${outDir} has ${available} free.`,
      { path: outDir },
    );
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
