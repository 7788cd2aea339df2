import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ExportedImages } from '../../../shared/images.js';
import type { MediaExportReport } from '../../../shared/media.js';
import type { ProgressListener } from '../../../shared/progress.js';
import { exportedImages } from '../oci/image-payload.js';
import { exportChecks, mediaExportChecks, receiptMedia } from '../audit/receipt-checks.js';
import { writeReceipt } from '../audit/receipt.js';
import { withEarlyRenderer, type ReceiptRenderer } from '../receipts/pdf-render-early.js';
import { receiptPdfOptions } from '../receipts/receipt-options.js';
import { buildTransferReceipt } from '../audit/transfer-receipt.js';
import type { AuditEvent, AuditFileRows } from '../audit/audit-event.js';
import { imageEventRows } from '../audit/image-event-rows.js';
import { bagInfoValue, parseBagInfo } from '../bundle/bag-info.js';
import { BAG_INFO_NAME, INFO } from '../bundle/format.js';
import { exportsInOnePass, writeBundle, type WriteBundleResult } from '../export/write-bundle.js';
import type { BundleSigner } from '../crypto/bundle-signer.js';
import { nextExportSequence } from '../db/station-db.js';
import { receiptNotWritten } from './receipt-not-written.js';
import { JOB_PLANS, withJobEta } from '../jobs/job-eta.js';
import { pastCommitProgress, reportingWhile } from '../jobs/progress-heartbeat.js';
import { recordExportIntent, settleExportIntent, type ExportIntentRequest } from '../recovery/export-intent.js';
import type { ChannelStamp } from '../../../shared/channels.js';
import { channelReceipt } from '../channels/channel-receive.js';
import { findPublishedBundle } from '../recovery/published-bundle.js';
import { assertChannelName } from '../channels/channel-name.js';
import {
  advanceChannel,
  confirmChannelStamp,
  INTENT_CHANNEL_KEY,
  notePublishing,
  publishingFromIntentDetails,
  publishingPathFromIntentDetails,
  reserveChannelStamp,
  whileChannelBusy,
} from '../channels/channel-send.js';
import { bundlePathIn, defaultBundleName } from './bundle-name.js';
import { runAudited, type Audited, type DuringOperation, type SuccessEvent } from './audited-operation.js';
import type { StationContext } from './context.js';
export { defaultBundleName } from './bundle-name.js';
import { requestedExportDetails, stationImagePayload } from './image-sources.js';
import type { ExportOutcome, ExportRequest } from './requests.js';
import { checkpointWith, requiredSigner } from './signers.js';
import { sweepDeadTemps } from '../fs/owned-temp.js';

/** A bundle written to a folder: intent first, then the bundle, then the event that settles the intent (docs/design-notes.md §13). */
export async function exportBundle(context: StationContext, request: ExportRequest): Promise<ExportOutcome> {
  // The receipt's PDF renderer starts now and warms up beside the payload pass (pdf-render-early.ts).
  return withEarlyRenderer(undefined, (renderer) => exportWith(context, request, renderer));
}

async function exportWith(context: StationContext, request: ExportRequest, renderer: ReceiptRenderer | undefined): Promise<ExportOutcome> {
  const startedAt = new Date();
  const details = { outDir: request.outDir, ...requestedExportDetails(request) };
  // The export's per-file rows (a digest spill behind them for a large export): released once recorded, on every path.
  let rows: AuditFileRows | undefined;
  const done = await runAudited(context, {
    type: 'export',
    failureDetails: details,
    run: async (during) => {
      if (request.channel !== undefined) assertChannelName(request.channel);
      const signer = await requiredSigner(context, request.signer, request.passphrase);
      const sequence = nextExportSequence(context.database());
      const name = request.name ?? defaultBundleName(sequence, startedAt);
      // Temp files of killed exports in this folder are provably dead: remove them before the intent
      // can refuse the name (OUTPUT_EXISTS when the killed run had already published), or they
      // outlive every retry (the fault harness's kill at export-after-publish).
      await sweepDeadTemps(resolve(request.outDir));
      const { intent, stamp } = await startChannelExportIntent(
        context,
        during,
        { kind: 'folder', name, sequence, path: bundlePathIn(request.outDir, name), details },
        request.channel === undefined ? null : { reserve: request.channel, heartbeat: false },
        request.signal,
      );
      const imagePayload = await stationImagePayload(context, request);
      let result: WriteBundleResult;
      try {
        result = await writeBundle({
          extraFiles: imagePayload?.files,
          checkPayload: imagePayload ? (payload) => imagePayload.check(payload) : undefined,
          selection: request.selection,
          outDir: request.outDir,
          name,
          sequence,
          identity: context.identity,
          signers: [signer],
          channel: stamp ?? undefined,
          beforePublish: publishingNote(context, intent, stamp),
          now: startedAt,
          spoolDir: context.paths.spool,
          digestSpill: { dir: context.paths.spool },
          signal: request.signal,
          onProgress: withJobEta(exportsInOnePass({ signers: [signer] }) ? JOB_PLANS['export-one-pass'] : JOB_PLANS.export, request.onProgress),
        });
      } finally {
        await imagePayload?.cleanup();
      }
      rows = result.payloadFiles;
      return { result, signer, intent, stamp, images: imagePayload ? exportedImages(imagePayload) : undefined };
    },
    succeeded: ({ result, intent, stamp, images }) => exportEvent(context, result, intent, null, images, stamp),
  }).finally(() => rows?.release?.());
  const outcome = await completeExport(context, done, { startedAt, media: null, onProgress: request.onProgress, renderer });
  return { ...outcome, images: done.value.images, channel: done.value.stamp ?? undefined };
}

/**
 * An export's intent, written before anything is published (export-intent.ts). Should the
 * export fail, the intent is settled 'failed' in the same transaction as its failure event.
 */
export function startExportIntent(
  context: StationContext,
  during: DuringOperation,
  request: Omit<ExportIntentRequest, 'station' | 'operator' | 'settleInterrupted'> & { station?: string | undefined },
): number {
  const intent = recordExportIntent(context.database(), {
    ...request,
    station: request.station ?? context.identity.station,
    operator: context.identity.operator,
    settleInterrupted: () => context.settleInterrupted(),
  });
  during.onFailure(() => settleExportIntent(context.database(), intent, 'failed'));
  return intent;
}

/** For a channel export: note the tag manifest in the intent right before the publishing rename (channel-send.ts notePublishing). */
export function publishingNote(
  context: StationContext,
  intent: number,
  stamp: ChannelStamp | null,
): ((tagmanifestSha256: string, completingPath?: string) => void) | undefined {
  return stamp === null
    ? undefined
    : (tagmanifestSha256, completingPath) => notePublishing(context.database(), intent, tagmanifestSha256, completingPath ?? null);
}

/** A channel for a new export: take its next number (`reserve`), or confirm one fixed at prepare (`confirm`). */
export type ChannelIntent = { reserve: string; heartbeat: boolean } | { confirm: ChannelStamp };

/**
 * startExportIntent, taking the channel's sequence number in the intent's own transaction
 * (channels/channel-send.ts): while another export holds the channel this one waits (cancellable).
 */
export async function startChannelExportIntent(
  context: StationContext,
  during: DuringOperation,
  request: Omit<ExportIntentRequest, 'station' | 'operator' | 'settleInterrupted'> & { station?: string | undefined },
  channel: ChannelIntent | null,
  signal: AbortSignal | undefined,
  /** After a failure: whether a published file could not be removed (its medium had gone): the bundle may be out. */
  publishedLeftBehind?: () => boolean,
): Promise<{ intent: number; stamp: ChannelStamp | null }> {
  if (channel === null) return { intent: startExportIntent(context, during, request), stamp: null };
  const db = context.database();
  return whileChannelBusy(() => {
    const taken: { stamp: ChannelStamp | null } = { stamp: null };
    const intent = startExportIntent(context, during, {
      ...request,
      inTransaction: () => {
        // The caller's own check first (a staged export's finish: not finished by another, staged-finish-guard.ts).
        const own = request.inTransaction?.() ?? {};
        if ('confirm' in channel) confirmChannelStamp(db, channel.confirm);
        taken.stamp = 'confirm' in channel ? channel.confirm : reserveChannelStamp(db, channel.reserve, channel.heartbeat);
        return { ...own, [INTENT_CHANNEL_KEY]: taken.stamp };
      },
    });
    const stamp = taken.stamp;
    // A failure after the completing rename (flushing the folder, a failed read-back): the bundle is out, so its number is used.
    if (stamp !== null) during.onFailure(() => advanceIfPublished(context, intent, request, stamp, publishedLeftBehind));
    return { intent, stamp };
  }, signal);
}

/**
 * The export failed: if its bundle was published anyway (a file or a complete split set, as
 * recovery proves it: recovery/published-bundle.ts), or its completing rename was noted and a
 * published file could not be removed, the channel moves on to it. Otherwise its number is free.
 */
function advanceIfPublished(
  context: StationContext,
  intent: number,
  request: { path: string; sequence: number; station?: string | undefined },
  stamp: ChannelStamp,
  publishedLeftBehind: (() => boolean) | undefined,
): void {
  const db = context.database();
  const row = db.prepare('SELECT details FROM export_intents WHERE id = ?').get(intent) as { details: string } | undefined;
  const details = row ? (JSON.parse(row.details) as Record<string, unknown>) : {};
  const noted = publishingFromIntentDetails(details);
  const published = findPublishedBundle({
    path: request.path,
    station: request.station ?? context.identity.station,
    sequence: request.sequence,
    notedTagmanifestSha256: noted,
    notedPath: publishingPathFromIntentDetails(details),
  });
  if (published) advanceChannel(db, stamp, { tagmanifestSha256: published.tagmanifestSha256, uuid: published.uuid ?? '' });
  else if (noted !== null && publishedLeftBehind?.() === true) advanceChannel(db, stamp, { tagmanifestSha256: noted, uuid: '' });
}

/**
 * The `export` event of a written bundle. The event and the settled intent are one
 * transaction: a crash before it leaves the intent pending, and the next start records the
 * published bundle as recovered.
 */
export function exportEvent(
  context: StationContext,
  result: WriteBundleResult,
  intent: number,
  media: MediaExportReport | null,
  images?: ExportedImages | undefined,
  channel?: ChannelStamp | null | undefined,
): SuccessEvent {
  const details: Record<string, unknown> = {
    bundlePath: result.bundlePath,
    bundleBytes: result.bundleBytes,
    sequence: result.sequence,
    warnings: result.warnings.length,
  };
  // Which channel and number it carries: the sender's audit log says what the receiver should have.
  if (channel) details.channel = channel;
  if (media) {
    details.media = media.volumes.map((v) => v.medium);
    details.parts = media.parts;
  }
  if (images) {
    // Who moved what: each image's target and digest, and what was left out as expected-present.
    details.images = imageEventRows(images.images);
    details.skippedBlobs = images.skippedBlobs;
  }
  return {
    alongside: () => {
      settleExportIntent(context.database(), intent, 'exported');
      // Published: the channel moves on, in the same transaction as the event (channel-send.ts).
      if (channel) advanceChannel(context.database(), channel, { tagmanifestSha256: result.tagmanifestSha256, uuid: result.uuid });
    },
    outcome: 'ok',
    bundleUuid: result.uuid,
    bundleName: result.name,
    tagmanifestSha256: result.tagmanifestSha256,
    signers: result.signers.map((s) => s.fingerprint),
    files: result.files,
    bytes: result.bytes,
    details,
    fileRows: result.payloadFiles,
  };
}

/** What every export's audited run returns: the bundle written, who signed it, the channel number it carries. */
export interface ExportRun {
  result: WriteBundleResult;
  signer: BundleSigner | null;
  stamp: ChannelStamp | null;
}

/** After the event: the checkpoint and the receipt (on removable media: receipt in the station home, with the media). */
export async function completeExport(
  context: StationContext,
  audited: Audited<ExportRun, AuditEvent>,
  done: {
    startedAt: Date;
    media: MediaExportReport | null;
    /** A staged export prepared by one person and approved by another: the PDF receipt gets two signature lines. */
    twoPerson?: boolean | undefined;
    /** Told when the receipts start: the bundle is published and on record, so a cancel can no longer undo it. */
    onProgress?: ProgressListener | undefined;
    /** The PDF renderer started at the export's start (pdf-render-early.ts); absent: one is started for the receipt. */
    renderer?: ReceiptRenderer | undefined;
  },
): Promise<ExportOutcome> {
  const { result, signer, stamp } = audited.value;
  const { event } = audited;
  const { media } = done;
  const { payloadFiles: _payloadFiles, ...outcome } = result;
  // Deliberately no AbortSignal from here on: the bundle is out, and a receipt set is all or nothing.
  // Reported at once and again while the PDF is rendered apart (issue #18: the line never stalls).
  const receiptsPhase = reportingWhile(done.onProgress, pastCommitProgress('writing-receipts', result.files), async () => {
    const checkpoint = await checkpointWith(context, signer);
    // A receipt on the medium would cross the gap and is not covered by the read-back: it stays here.
    const receiptDir = media ? join(context.paths.root, 'receipts') : dirname(result.bundlePath);
    if (media) await mkdir(receiptDir, { recursive: true, mode: 0o700 });
    const receipt = await writeReceipt(
      receiptDir,
      buildTransferReceipt('export', context.identity, {
        bundle: { name: result.name, uuid: result.uuid, tagmanifestSha256: result.tagmanifestSha256, path: result.bundlePath },
        signers: result.signers,
        checks: media ? mediaExportChecks(result, media) : exportChecks(result),
        media: media ? receiptMedia(media) : null,
        channel: channelReceipt(stamp),
        files: result.files,
        bytes: result.bytes,
        destination: result.bundlePath,
        startedAt: done.startedAt,
        event,
        checkpoint,
      }),
      signer,
      { ...receiptPdfOptions(context, event, done.twoPerson ?? false), renderer: done.renderer },
    );
    return { checkpoint, receipt };
  });
  // The bundle is published and on record: a full or unwritable receipt folder must not read as
  // "not enough space, try again", which would make a second bundle of the same files (as import.ts).
  const { checkpoint, receipt } = await receiptsPhase.catch(
    receiptNotWritten(`The export is complete at ${result.bundlePath}`, event.seq, media ? join(context.paths.root, 'receipts') : dirname(result.bundlePath)),
  );
  if (receipt.pdfProblem !== undefined) outcome.warnings.push({ path: receipt.json, message: receipt.pdfProblem });
  return { ...outcome, auditEvent: event.seq, checkpoint, receipt };
}

/** The station a prepared bundle's bag-info names (what a recovered export is matched against). */
export function preparedStation(tagFiles: ReadonlyArray<{ name: string; bytes: Buffer }>): string | null {
  const bagInfo = tagFiles.find((t) => t.name === BAG_INFO_NAME);
  if (!bagInfo) return null;
  const parsed = parseBagInfo(bagInfo.bytes.toString('utf8'));
  return parsed.ok ? (bagInfoValue(parsed.info, INFO.station) ?? null) : null;
}
