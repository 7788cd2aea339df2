import type { MediaExportReport } from '../../../shared/media.js';
import type { BundleSigner } from '../crypto/bundle-signer.js';
import { signWithAll } from '../crypto/bundle-signer.js';
import { AirlockError } from '../errors.js';
import { resolveMedium } from '../media/discover/resolve-medium.js';
import { MediaOutput, type NextMediumRequest } from '../media/output/media-output.js';
import type { RecordEvent } from './audited-operation.js';
import type { StationContext } from './context.js';
import { mediaWriteEvent, readBackEvent } from './media-audit-events.js';
import type { MediaTargetRequest } from './requests.js';
import { surveyMedia } from './station-media.js';

/**
 * The media side of an export, shared by `export --to-media` (media-export.ts) and
 * `export --finish --to-media` (two-person-media.ts): the media named resolved for writing (the
 * disks holding the sources never are), the MediaOutput that plans, writes, indexes and reads
 * back, and the media-write / media-readback events of a success or a failure.
 */
export async function openMediaOutput(
  context: StationContext,
  request: MediaTargetRequest,
  options: {
    /** Paths this export reads: a medium on their disk is a system disk for it. */
    sourcePaths: readonly string[];
    /** Signs a split bundle's volume index. */
    indexSigner: BundleSigner;
    /** As MediaOutputOptions.beforeComplete (a channel export notes its tag manifest). */
    beforeComplete?: ((tagmanifestSha256: string, completingPath: string) => void) | undefined;
  },
): Promise<MediaOutput> {
  const present = await surveyMedia(context, { sourcePaths: options.sourcePaths });
  const targets = request.media.map((id) => resolveMedium(id, present.offered, { forWrite: true }, present.refused));
  request.onMediaChosen?.(targets);
  const ask = request.nextMedium;
  const output = new MediaOutput({
    targets,
    signIndex: (bytes) => signWithAll(bytes, [options.indexSigner]),
    volumeSize: request.volumeSize,
    partSize: request.partSize,
    readBack: request.readBack,
    beforeComplete: options.beforeComplete,
    nextMedium:
      ask &&
      (async (wanted: NextMediumRequest) => {
        const id = await ask(wanted);
        const now = await surveyMedia(context, { sourcePaths: options.sourcePaths });
        const medium = resolveMedium(id, now.offered, { forWrite: true }, now.refused);
        request.onMediaChosen?.([medium]);
        return medium;
      }),
  });
  return output;
}

/** Where the bundle's path is recorded (the export intent): the first medium's mount point. */
export function firstMountPoint(output: MediaOutput): string {
  const mountPoint = output.targets()[0]?.mountPoint;
  if (!mountPoint) throw new AirlockError('MEDIA_NOT_MOUNTED');
  return mountPoint;
}

/** A media write that succeeded: its media-write and media-readback events; the report for the export's. */
export function recordMediaWritten(output: MediaOutput, also: RecordEvent): MediaExportReport {
  const report = output.report();
  also(mediaWriteEvent(report, 'ok', null, [], output.targets()));
  const readBack = readBackEvent(report);
  if (readBack) also(readBack);
  return report;
}

/** A media write that failed: its media-write (and read-back) events, and the failure the export records after them. */
export function mediaWriteFailed(output: MediaOutput, failure: AirlockError, record: RecordEvent): AirlockError {
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
