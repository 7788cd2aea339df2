import { writeBundle } from '../export/write-bundle.js';
import { exportedImages, type ImagePayload } from '../oci/image-payload.js';
import { signWithAll } from '../crypto/bundle-signer.js';
import { nextExportSequence } from '../db/station-db.js';
import { AirlockError, toAirlockError } from '../errors.js';
import { JOB_PLANS, withJobEta } from '../jobs/job-eta.js';
import { MediaOutput, type NextMediumRequest } from '../media/output/media-output.js';
import { resolveMedium } from '../media/discover/resolve-medium.js';
import { withEarlyRenderer, type ReceiptRenderer } from '../receipts/pdf-render-early.js';
import { runAudited, type RecordEvent } from './audited-operation.js';
import { mediaWriteEvent, readBackEvent } from './media-audit-events.js';
import type { StationContext } from './context.js';
import { requestedExportDetails, stationImagePayload } from './image-sources.js';
import { bundlePathIn, defaultBundleName } from './bundle-name.js';
import { completeExport, exportEvent, publishingNote, startChannelExportIntent } from './export.js';
import { assertChannelName } from '../channels/channel-name.js';
import type { MediaExportOutcome, MediaExportRequest } from './requests.js';
import { requiredSigner } from './signers.js';
import { surveyMedia } from './station-media.js';

/**
 * Export onto removable media: the bundle (or its parts and signed volume index, over as many
 * volumes as needed) is written atomically per file and read back past the page cache. Events:
 * media-write (ok/failed), media-readback (ok/rejected), export; the receipt names the media.
 */
export async function exportToMedia(context: StationContext, request: MediaExportRequest): Promise<MediaExportOutcome> {
  // The receipt's PDF renderer starts now and warms up beside the payload pass (pdf-render-early.ts).
  return withEarlyRenderer(undefined, (renderer) => exportToMediaWith(context, request, renderer));
}

async function exportToMediaWith(context: StationContext, request: MediaExportRequest, renderer: ReceiptRenderer | undefined): Promise<MediaExportOutcome> {
  const startedAt = new Date();
  const details = { media: request.media, ...requestedExportDetails(request) };
  const done = await runAudited(context, {
    type: 'export',
    failureDetails: details,
    run: async (during) => {
      let output: MediaOutput | null = null;
      let imagePayload: ImagePayload | null = null;
      let noteCompleting: ((tagmanifestSha256: string, completingPath: string) => void) | undefined;
      try {
        if (request.channel !== undefined) assertChannelName(request.channel);
        const signer = await requiredSigner(context, request.signer, request.passphrase);
        // Images first: a bad reference or a damaged source fails before the media are touched.
        imagePayload = await stationImagePayload(context, request);
        const images = imagePayload;
        // The disks holding the sources are system disks for this export: never written to.
        const present = await surveyMedia(context, { sourcePaths: request.selection });
        const targets = request.media.map((id) => resolveMedium(id, present.offered, { forWrite: true }, present.refused));
        request.onMediaChosen?.(targets);
        const ask = request.nextMedium;
        output = new MediaOutput({
          targets,
          signIndex: (bytes) => signWithAll(bytes, [signer]),
          volumeSize: request.volumeSize,
          partSize: request.partSize,
          readBack: request.readBack,
          // A channel export notes its tag manifest before the rename that completes the bundle (set once the intent exists).
          beforeComplete: (tagmanifestSha256, completingPath) => noteCompleting?.(tagmanifestSha256, completingPath),
          nextMedium:
            ask &&
            (async (wanted: NextMediumRequest) => {
              const id = await ask(wanted);
              const now = await surveyMedia(context, { sourcePaths: request.selection });
              const medium = resolveMedium(id, now.offered, { forWrite: true }, now.refused);
              request.onMediaChosen?.([medium]);
              return medium;
            }),
        });
        const sequence = nextExportSequence(context.database());
        const name = request.name ?? defaultBundleName(sequence, startedAt);
        const mountPoint = targets[0]?.mountPoint;
        if (!mountPoint) throw new AirlockError('MEDIA_NOT_MOUNTED');
        // A split bundle has parts, not this file: recovery also looks for its complete index (recovery/published-bundle.ts).
        const written = output;
        const { intent, stamp } = await startChannelExportIntent(
          context,
          during,
          { kind: 'media', name, sequence, path: bundlePathIn(mountPoint, name), details },
          request.channel === undefined ? null : { reserve: request.channel, heartbeat: false },
          request.signal,
          () => written.leftovers.length > 0,
        );
        noteCompleting = publishingNote(context, intent, stamp);
        const result = await writeBundle({
          extraFiles: images?.files,
          checkPayload: images ? (payload) => images.check(payload) : undefined,
          selection: request.selection,
          outDir: mountPoint,
          name,
          sequence,
          identity: context.identity,
          signers: [signer],
          channel: stamp ?? undefined,
          now: startedAt,
          openOutput: output.open,
          // The medium may still decline after the scan (FAT, FUSE, a bundle that must be split): then two passes.
          onePassTo: output.mayWriteInOnePass() ? output.openOnePass : undefined,
          spoolDir: context.paths.spool,
          signal: request.signal,
          onProgress: withJobEta(request.readBack === false ? JOB_PLANS.export : JOB_PLANS['export-to-media'], request.onProgress),
        });
        return { result, signer, intent, stamp, output, images: images ? exportedImages(images) : undefined };
      } catch (error) {
        // Once media were chosen, a failure is a failed media write (also when the check before writing refused them).
        throw output ? mediaWriteFailed(output, toAirlockError(error), during.also) : error;
      } finally {
        await imagePayload?.cleanup();
      }
    },
    succeeded: ({ result, intent, stamp, output, images }, also) => {
      const report = output.report();
      also(mediaWriteEvent(report, 'ok', null, [], output.targets()));
      const readBack = readBackEvent(report);
      if (readBack) also(readBack);
      return exportEvent(context, result, intent, report, images, stamp);
    },
  });
  const media = done.value.output.report();
  const outcome = await completeExport(context, done, { startedAt, media, onProgress: request.onProgress, renderer });
  return { ...outcome, media, images: done.value.images, channel: done.value.stamp ?? undefined };
}

/** A media write that failed: its media-write (and read-back) events, and the failure the export records after them. */
function mediaWriteFailed(output: MediaOutput, failure: AirlockError, record: RecordEvent): AirlockError {
  const report = output.report();
  const readBackFailed = failure.code === 'MEDIA_READBACK_FAILED';
  record(
    mediaWriteEvent(
      report,
      readBackFailed ? 'ok' : failure.code === 'CANCELLED' ? 'cancelled' : 'failed',
      readBackFailed ? null : failure,
      output.leftovers,
      output.targets(),
    ),
  );
  const readBack = readBackFailed ? readBackEvent(report) : null;
  if (readBack) record(readBack);
  if (output.leftovers.length === 0) return failure;
  const detail = failure.detail === undefined ? '' : `${failure.detail} `;
  return new AirlockError(
    failure.code,
    `${detail}Could not remove ${output.leftovers.join(', ')} (the medium is gone); Airlock removes such leftovers the next time it writes to that medium.`,
    { path: failure.path, data: failure.data, cause: failure },
  );
}
