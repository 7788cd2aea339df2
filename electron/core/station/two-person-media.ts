import { dirname, sep } from 'node:path';
import { toAirlockError } from '../errors.js';
import type { SourceFile } from '../export/source-scan.js';
import { JOB_PLANS, withJobEta } from '../jobs/job-eta.js';
import type { MediaOutput } from '../media/output/media-output.js';
import { withEarlyRenderer, type ReceiptRenderer } from '../receipts/pdf-render-early.js';
import { runAudited } from './audited-operation.js';
import { bundlePathIn } from './bundle-name.js';
import type { StationContext } from './context.js';
import { exportEvent, publishingNote, startChannelExportIntent } from './export.js';
import { firstMountPoint, mediaWriteFailed, openMediaOutput, recordMediaWritten } from './media-target.js';
import type { FinishToMediaRequest, MediaExportOutcome } from './requests.js';
import { requiredSigner } from './signers.js';
import { completeFinish, finishableCheck, loadForFinish, writeStagedBundle } from './two-person.js';

/**
 * `export --finish STAGED --to-media ID[,ID...]`: a staged two-person export written onto
 * removable media exactly as `export --to-media` writes a new one (media-target.ts: room checked
 * before writing, parts and a signed volume index over several media, atomic files, read-back
 * past the page cache, events media-write and media-readback, then export). What is written is
 * the staged bundle with its staged signatures, unchanged: the finishing key adds none to the
 * bundle; it signs a split bundle's volume index, the receipt and the checkpoint, so it is required.
 * Always two passes (each source read again and compared, as a finish to a folder): the signed
 * tag files exist already, so there is nothing a one-pass write would save.
 */
export async function finishExportToMedia(context: StationContext, request: FinishToMediaRequest): Promise<MediaExportOutcome> {
  return withEarlyRenderer(undefined, (renderer) => finishToMediaWith(context, request, renderer));
}

async function finishToMediaWith(context: StationContext, request: FinishToMediaRequest, renderer: ReceiptRenderer | undefined): Promise<MediaExportOutcome> {
  const startedAt = new Date();
  const details = { stagedDir: request.stagedDir, media: request.media };
  const done = await runAudited(context, {
    type: 'export',
    failureDetails: details,
    run: async (during) => {
      let output: MediaOutput | null = null;
      let noteCompleting: ((tagmanifestSha256: string, completingPath: string) => void) | undefined;
      try {
        const signer = await requiredSigner(context, request.signer, request.passphrase);
        // The staged export is checked before any medium is touched: an edited one writes nothing anywhere.
        const { staged, name, sequence, station, stamp } = await loadForFinish(context, request.stagedDir);
        // The sources' disks and the staged folder's (its oci/ layout is read too) are never written to.
        const sourcePaths = [staged.dir, ...selectionRoots(staged.prepared.payload)];
        output = await openMediaOutput(context, request, {
          sourcePaths,
          indexSigner: signer,
          beforeComplete: (tagmanifestSha256, completingPath) => noteCompleting?.(tagmanifestSha256, completingPath),
        });
        const written = output;
        const { intent } = await startChannelExportIntent(
          context,
          during,
          {
            kind: 'media',
            name,
            sequence,
            station,
            path: bundlePathIn(firstMountPoint(output), name),
            details,
            inTransaction: finishableCheck(context, staged, sequence),
          },
          stamp === null ? null : { confirm: stamp },
          request.signal,
          () => written.leftovers.length > 0,
        );
        noteCompleting = publishingNote(context, intent, stamp);
        const result = await writeStagedBundle(staged, {
          outDir: firstMountPoint(output),
          openOutput: output.open,
          signal: request.signal,
          onProgress: withJobEta(request.readBack === false ? JOB_PLANS.export : JOB_PLANS['export-to-media'], request.onProgress),
        });
        return { result, signer, intent, staged, stamp, output };
      } catch (error) {
        // Once media were chosen, a failure is a failed media write (also when the check before writing refused them).
        throw output ? mediaWriteFailed(output, toAirlockError(error), during.also) : error;
      }
    },
    succeeded: ({ result, intent, staged, stamp, output }, also) =>
      exportEvent(context, result, intent, recordMediaWritten(output, also), staged.images ?? undefined, stamp),
  });
  const media = done.value.output.report();
  const outcome = await completeFinish(context, done, { startedAt, media, onProgress: request.onProgress, renderer });
  return { ...outcome, media };
}

/**
 * The files and folders the operator selected at prepare, recovered from the payload (a folder
 * `reports` is `data/reports/...` in the bag): one path per selected item rather than one per
 * file, so that finding their disks costs a few lookups, not one per file of a large export.
 */
export function selectionRoots(payload: readonly Pick<SourceFile, 'absPath' | 'bagPath'>[]): string[] {
  const roots = new Set<string>();
  for (const file of payload) {
    // data/<top>/<rest>: the selected item is absPath without <rest>.
    const rest = file.bagPath.split('/').slice(2).join(sep);
    const suffix = rest === '' ? '' : `${sep}${rest}`;
    roots.add(suffix !== '' && file.absPath.endsWith(suffix) ? file.absPath.slice(0, -suffix.length) : rest === '' ? file.absPath : dirname(file.absPath));
  }
  return [...roots];
}
