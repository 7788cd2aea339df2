import { writeBundle } from '../export/write-bundle.js';
import { exportedImages, type ImagePayload } from '../oci/image-payload.js';
import { nextExportSequence } from '../db/station-db.js';
import { toAirlockError } from '../errors.js';
import { JOB_PLANS, withJobEta } from '../jobs/job-eta.js';
import type { MediaOutput } from '../media/output/media-output.js';
import { withEarlyRenderer, type ReceiptRenderer } from '../receipts/pdf-render-early.js';
import { runAudited } from './audited-operation.js';
import { firstMountPoint, mediaWriteFailed, openMediaOutput, recordMediaWritten } from './media-target.js';
import type { StationContext } from './context.js';
import { requestedExportDetails, stationImagePayload } from './image-sources.js';
import { bundlePathIn, defaultBundleName } from './bundle-name.js';
import { completeExport, exportEvent, publishingNote, startChannelExportIntent } from './export.js';
import { assertChannelName } from '../channels/channel-name.js';
import type { MediaExportOutcome, MediaExportRequest } from './requests.js';
import { requiredSigner } from './signers.js';

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
        output = await openMediaOutput(context, request, {
          sourcePaths: request.selection,
          indexSigner: signer,
          // A channel export notes its tag manifest before the rename that completes the bundle (set once the intent exists).
          beforeComplete: (tagmanifestSha256, completingPath) => noteCompleting?.(tagmanifestSha256, completingPath),
        });
        const sequence = nextExportSequence(context.database());
        const name = request.name ?? defaultBundleName(sequence, startedAt);
        const mountPoint = firstMountPoint(output);
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
    succeeded: ({ result, intent, stamp, output, images }, also) => exportEvent(context, result, intent, recordMediaWritten(output, also), images, stamp),
  });
  const media = done.value.output.report();
  const outcome = await completeExport(context, done, { startedAt, media, onProgress: request.onProgress, renderer });
  return { ...outcome, media, images: done.value.images, channel: done.value.stamp ?? undefined };
}
