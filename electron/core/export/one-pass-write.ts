/**
 * The one-pass export (one-pass-layout.ts, design-notes §6): scan, lay the archive out, then read
 * each source once, hashing it and writing its record at its place in the destination file; then
 * build and sign the tag files over the digests and write them in front. The bytes in the bundle
 * are the bytes that were hashed, read once. A change to a source during the pass stops the export
 * (record-lanes.ts).
 *
 * The destination is a temp file in the output folder (folderDestination) or one whole file on a
 * removable medium (media/output/media-output.ts's openOnePass), which proves the file by reading
 * it back region by region (media/read-back/region-check.ts: `regions` below). Split bundles,
 * GnuPG signers and media whose file system takes writes out of order badly use the two passes.
 */
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { signWithAll } from '../crypto/bundle-signer.js';
import { sha256Hex } from '../crypto/sha256.js';
import { AirlockError, throwIfAborted, toAirlockError } from '../errors.js';
import { tempPathFor } from '../fs/durable.js';
import { releaseTemp } from '../fs/owned-temp.js';
import { freeBytes, publishWithoutOverwrite } from '../fs/publish.js';
import type { ProgressTracker } from '../jobs/progress-tracker.js';
import { buildBagTags, encodeTagRecords, tagManifestFor } from '../bundle/bag-tag-files.js';
import { writeManifestAt } from '../bundle/manifest-writer.js';
import { BAG_INFO_NAME, BAGIT_TXT_NAME, MANIFEST_NAME, SIGNATURE_NAME, TAGMANIFEST_NAME } from '../bundle/format.js';
import { encodeFileHeader, END_OF_ARCHIVE, padding, paddingLength } from '../bundle/tar-header.js';
import { RecordLanes } from '../bundle/record-lanes.js';
import type { DigestTable } from '../bundle/digest-table.js';
import type { ExpectedRegion } from '../media/read-back/region-check.js';
import { scanSources } from './source-scan.js';
import type { SourceFile } from './source-scan.js';
import { planOnePassLayout, type OnePassLayout } from './one-pass-layout.js';
import { HashedPayload } from './hashed-payload.js';
import { bundleResult } from './bundle-result.js';
import type { PreparedBundle, WriteBundleOptions, WriteBundleResult } from './write-bundle.js';

/** Free space kept beyond the bundle itself, so the export never fills a volume to the last block. */
export const SPACE_MARGIN_BYTES = 1 << 20;

/** What the destination is told once every byte is at its place. */
export interface OnePassWritten {
  tagmanifestSha256: string;
  /** Every byte of the file as it must read back, in order (made afresh per call, memory flat). */
  regions: () => Iterable<ExpectedRegion>;
}

/** Where a one-pass export writes its archive by position. */
export interface OnePassDestination {
  /** The file the records are written into, by position (a fresh file of the archive's size to be). */
  handle: FileHandle;
  /** Every byte is written: make it durable, give it its final name (and prove it, on media). */
  complete(written: OnePassWritten): Promise<{ bundlePath: string; bundleBytes: number }>;
  /** The export failed, was cancelled, or is written again the two-pass way: remove what was written. */
  discard(reason: unknown): Promise<void>;
  /** What a failure to write into `handle` is to the operator (a medium: full, pulled, failing); default toAirlockError. */
  failure?(error: unknown): Promise<AirlockError>;
}

export interface OnePassPlan {
  name: string;
  uuid: string;
  archiveBytes: number;
  tracker: ProgressTracker;
  signal?: AbortSignal | undefined;
}

/** A destination other than the output folder; null: this bundle goes the two-pass way there (nothing was written). */
export type OpenOnePassDestination = (plan: OnePassPlan) => Promise<OnePassDestination | null>;

/** Writes a prepared bundle the two-pass way (write-bundle.ts's writePreparedBundle, bound by the caller). */
export type TwoPassWrite = (prepared: PreparedBundle, signature: string) => Promise<WriteBundleResult>;

/**
 * The one-pass export. Null when `options.onePassTo` declined the bundle before a byte was written:
 * the caller then exports the two-pass way.
 */
export async function writeBundleOnePass(
  options: WriteBundleOptions,
  tracker: ProgressTracker,
  finalPath: string,
  twoPass: TwoPassWrite,
): Promise<WriteBundleResult | null> {
  // Counted in files found (no total yet): a 200,000-file selection takes seconds to walk.
  tracker.startPhase('scanning', { etaFromFiles: true });
  // The worker lane boots on the other core while this thread scans.
  const lanes = new RecordLanes();
  try {
    return await scanAndWriteOnePass(options, tracker, lanes, finalPath, twoPass);
  } finally {
    await lanes.close();
  }
}

async function scanAndWriteOnePass(
  options: WriteBundleOptions,
  tracker: ProgressTracker,
  lanes: RecordLanes,
  finalPath: string,
  twoPass: TwoPassWrite,
): Promise<WriteBundleResult | null> {
  const { signal } = options;
  const now = options.now ?? new Date();
  const scan = await scanSources(options.selection, signal, () => tracker.addFiles(), options.extraFiles, options.emptyPayload === true);
  // The scan's last report carries every file it found, however fast it went.
  tracker.flush();
  const meta = { identity: options.identity, sequence: options.sequence, now, channel: options.channel };
  const layout = await planOnePassLayout({ name: options.name, files: scan.files, ...meta, signers: options.signers });
  const plan = { name: options.name, uuid: layout.uuid, archiveBytes: layout.archiveBytes, tracker, signal };
  const destination = options.onePassTo ? await options.onePassTo(plan) : await folderDestination(plan, options, finalPath);
  if (!destination) return null;
  let payloadBytes = 0;
  for (const file of scan.files) payloadBytes += file.size;
  const signers = options.signers.map((s) => ({ fingerprint: s.fingerprint, userIds: s.userIds }));
  const out = destination.handle;
  let completed = false;
  /** Set when the signature does not fit the room left for it: the bundle is then written the two-pass way. */
  let refit: { prepared: PreparedBundle; signature: string };
  /** The pass's digests (a spill file for a large export): handed on with the result's rows, else released here. */
  let digests: DigestTable | undefined;
  try {
    tracker.startPhase('hashing-and-writing', { bytes: payloadBytes, files: scan.files.length });
    const table = await lanes.write(layout, out.fd, tracker, signal, options.digestSpill);
    digests = table;
    tracker.flush();
    // No copy of the file list with its digests: rows are made as the manifest and the audit log read them.
    const payload = new HashedPayload(scan.files, table);
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
      const tagSection = { head, manifestHeader, manifestSha256: manifest.sha256, tail };
      completed = true;
      const written = await destination.complete({
        tagmanifestSha256: sha256Hex(tagmanifest),
        regions: () => archiveRegions(layout, tagSection, scan.files, table),
      });
      return bundleResult({ ...signed, files: payload.length, rows: payload.auditRows() }, signers, written.bundlePath, written.bundleBytes);
    }
  } catch (error) {
    // complete() names its own failures (flush, publish, read-back); before it, the writes into the file failed.
    digests?.release();
    const failure = !completed && destination.failure ? await destination.failure(error) : toAirlockError(error, finalPath);
    await destination.discard(failure).catch(() => undefined);
    throw failure;
  }
  // Not a word was published; the sources are read again and checked against the digests just signed.
  if (!completed) await destination.discard(null);
  // The two-pass write reads the copies made for it (hashedSources), not the table.
  digests?.release();
  return twoPass(refit.prepared, refit.signature);
}

/** The tag section's parts as written (the manifest by its SHA-256: it is written, not held). */
interface TagSection {
  head: Buffer;
  manifestHeader: Buffer;
  manifestSha256: string;
  tail: Buffer;
}

/** Every byte of the archive in order, as a one-pass export wrote it (the read-back's regions). */
export function* archiveRegions(layout: OnePassLayout, tags: TagSection, files: OnePassLayout['files'], digests: DigestTable): Generator<ExpectedRegion> {
  yield { kind: 'bytes', bytes: tags.head, region: { part: 'tag-files-head', path: null } };
  yield { kind: 'bytes', bytes: tags.manifestHeader, region: { part: 'manifest-header', path: null } };
  yield { kind: 'sha256', length: layout.manifestBytes, sha256: tags.manifestSha256, region: { part: 'manifest', path: null } };
  yield { kind: 'zeros', length: paddingLength(layout.manifestBytes), region: { part: 'manifest-padding', path: null } };
  yield { kind: 'bytes', bytes: tags.tail, region: { part: 'tag-files-tail', path: null } };
  for (let index = 0; index < files.length; index += 1) {
    const file = files.at(index) as SourceFile;
    yield { kind: 'bytes', bytes: layout.headerOf(index), region: { part: 'entry-header', path: file.bagPath } };
    yield { kind: 'sha256', length: file.size, sha256: digests.hexAt(index), region: { part: 'entry-payload', path: file.bagPath } };
    yield { kind: 'zeros', length: paddingLength(file.size), region: { part: 'entry-padding', path: file.bagPath } };
  }
  yield { kind: 'zeros', length: END_OF_ARCHIVE.length, region: { part: 'end-blocks', path: null } };
}

/** The output folder: a temp file beside the final name, fsynced and published without overwriting. */
async function folderDestination(plan: OnePassPlan, options: WriteBundleOptions, finalPath: string): Promise<OnePassDestination> {
  const outDir = resolve(options.outDir);
  const available = await freeBytes(outDir);
  if (available < plan.archiveBytes + SPACE_MARGIN_BYTES) {
    throw new AirlockError(
      'NO_SPACE',
      `The bundle needs ${plan.archiveBytes} bytes and ${SPACE_MARGIN_BYTES} bytes are kept free beside it; ${outDir} has ${available} free.`,
      { path: outDir },
    );
  }
  const tempPath = tempPathFor(finalPath);
  const out = await open(tempPath, 'wx', 0o644).catch((error: unknown) => {
    throw toAirlockError(error, tempPath);
  });
  let published = false;
  return {
    handle: out,
    complete: async (written) => {
      const { tracker, signal, archiveBytes } = plan;
      tracker.startPhase('syncing', { bytes: archiveBytes });
      await out.sync();
      await out.close();
      throwIfAborted(signal);
      options.beforePublish?.(written.tagmanifestSha256);
      await publishWithoutOverwrite(tempPath, finalPath);
      published = true;
      tracker.addBytes(archiveBytes);
      tracker.flush();
      return { bundlePath: finalPath, bundleBytes: archiveBytes };
    },
    discard: async () => {
      if (!published) await discardTemp(out, tempPath);
    },
  };
}

/** A temp bundle that was not published: close and remove it (best effort: the error that got here matters more). */
export async function discardTemp(out: FileHandle, tempPath: string): Promise<void> {
  await out.close().catch(() => undefined);
  await unlink(tempPath).catch(() => undefined);
  releaseTemp(tempPath);
}
