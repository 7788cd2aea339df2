import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { MediaEvent, MediaVolume } from '../../../shared/media.js';
import type { ProgressListener } from '../../../shared/progress.js';
import { AirlockError } from '../errors.js';
import { loadTrustedKeys } from '../keys/trust-store.js';
import { surveyMedia as discoverMedia, type MediaSurvey } from '../media/discover/discover.js';
import { ejectMedium, type EjectResult } from '../media/discover/eject.js';
import { mediaRef } from '../media/discover/medium-ref.js';
import { verifyMedium, type MediaVerifyReport } from '../media/read-back/media-verify.js';
import { watchMedia as watchMediaVolumes, type MediaWatch, type MediaWatchOptions } from '../media/discover/media-watch.js';
import { resolveMedium } from '../media/discover/resolve-medium.js';
import { readStationPolicy } from '../policy/station-policy.js';
import { verifyChecks } from './verify-checks.js';
import type { BundleSigner } from '../crypto/bundle-signer.js';
import { withEarlyRenderer, type ReceiptRenderer } from '../receipts/pdf-render-early.js';
import { readStationConfig } from '../home/station-config.js';
import { imageEventRows } from '../audit/image-event-rows.js';
import { runAudited } from './audited-operation.js';
import { writeMediaVerifyReceipts } from './media-verify-receipts.js';
import { signerFor } from './signers.js';
import type { StationContext } from './context.js';

/** Removable volumes (never a disk holding the system, the homes or `protectedPaths`) and the declared media roots. */
export async function listMedia(context: StationContext, options: { protectedPaths?: readonly string[] | undefined } = {}): Promise<MediaVolume[]> {
  return (await surveyMedia(context, { sourcePaths: options.protectedPaths })).offered;
}

/** The media offered, and the disks refused (system disks; the disks holding `sourcePaths`, the selection of an export). */
export async function surveyMedia(context: StationContext, options: { sourcePaths?: readonly string[] | undefined } = {}): Promise<MediaSurvey> {
  // Read each time: the app lists media every two seconds, and an edited threshold applies at once.
  const { largeMediumBytes } = await readStationConfig(context.paths);
  return discoverMedia({ mediaRoots: context.mediaRoots, protectedPaths: [context.paths.root], sourcePaths: options.sourcePaths, largeMediumBytes });
}

/** Insert/remove events for the app (polling). */
export function watchMedia(
  context: StationContext,
  onEvent: (event: MediaEvent) => void,
  options: Omit<MediaWatchOptions, 'list' | 'onEvent'> = {},
): MediaWatch {
  return watchMediaVolumes({ list: () => listMedia(context), onEvent, ...options });
}

/** Flush, unmount and power off (where the OS can) the medium `id` names. */
export async function ejectMedia(context: StationContext, id: string): Promise<EjectResult> {
  const volumes = await listMedia(context);
  return ejectMedium(resolveMedium(id, volumes));
}

export interface MediaVerifyRequest {
  target: string;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
  now?: Date | undefined;
  /** Unlocks the station key to sign the receipts and an audit checkpoint; absent: unsigned receipts. */
  passphrase?: string | undefined;
  /** Where the receipts go (`--receipt-dir`); absent: `receipts/` in the station home. Never the medium. */
  receiptDir?: string | undefined;
}

/** `media verify PATH|ID`: every bundle and part set on the medium, read past the cache, against signatures and indexes. */
export async function verifyMedia(context: StationContext, request: MediaVerifyRequest): Promise<MediaVerifyReport> {
  const startedAt = new Date();
  // A wrong passphrase is refused before anything is read, like import's.
  const signer = await signerFor(context, undefined, request.passphrase);
  // The receipts' PDF renderer starts now and warms up beside the read-back (pdf-render-early.ts).
  return withEarlyRenderer(undefined, (renderer) => verifyMediaWith(context, request, { startedAt, signer, renderer }));
}

async function verifyMediaWith(
  context: StationContext,
  request: MediaVerifyRequest,
  { startedAt, signer, renderer }: { startedAt: Date; signer: BundleSigner | null; renderer: ReceiptRenderer | undefined },
): Promise<MediaVerifyReport> {
  const done = await runAudited(context, {
    type: 'media-readback',
    failureDetails: { target: request.target },
    run: async () => {
      const { dir, medium } = await locateMedium(context, request.target);
      const [trusted, policy] = await Promise.all([loadTrustedKeys(context.paths), readStationPolicy(context.paths)]);
      return verifyMedium(dir, {
        checks: verifyChecks(trusted, policy, request.now),
        medium: medium ? mediaRef(medium) : null,
        signal: request.signal,
        onProgress: request.onProgress,
      });
    },
    succeeded: (report) => ({
      outcome: report.ok ? 'ok' : 'rejected',
      problemCodes: report.problems.map((p) => p.code),
      files: report.items.length,
      details: {
        label: report.medium?.label ?? null,
        serial: report.medium?.serial ?? null,
        dir: report.dir,
        method: report.readBack?.method ?? null,
        bypassesCache: report.readBack?.bypassesCache ?? null,
        items: report.items.map((i) => ({
          kind: i.kind,
          file: i.file,
          ok: i.ok,
          reassembled: i.reassembled,
          name: i.result.bundle.name,
          tagmanifestSha256: i.result.bundle.tagmanifestSha256,
          // The images each bundle carried, as verify records them.
          images: i.result.images ? imageEventRows(i.result.images) : undefined,
        })),
        problems: report.problems,
      },
    }),
  });
  const report = done.value;
  if (report.items.length === 0) return { ...report, auditEvent: done.event.seq };
  const receipt = await writeMediaVerifyReceipts(context, { report, event: done.event, signer, startedAt, receiptDir: request.receiptDir, renderer });
  if (receipt.problem !== null) report.warnings.push(`${receipt.problem.code}: ${receipt.problem.message}`);
  else if (!receipt.signed) report.warnings.push('The receipts and the audit checkpoint are unsigned: no passphrase was given to unlock the station key.');
  return { ...report, auditEvent: done.event.seq, receipt };
}

/** A folder given as a path (and the medium it is the mount point of, if any), or a medium by device, label or mount point. */
async function locateMedium(context: StationContext, target: string): Promise<{ dir: string; medium: MediaVolume | null }> {
  const volumes = await listMedia(context);
  const asDir = await stat(target).then(
    (s) => (s.isDirectory() ? resolve(target) : null),
    () => null,
  );
  if (asDir !== null) return { dir: asDir, medium: volumes.find((v) => v.mountPoint !== null && resolve(v.mountPoint) === asDir) ?? null };
  const medium = resolveMedium(target, volumes);
  // resolveMedium refuses an unmounted medium; this keeps the type honest.
  if (medium.mountPoint === null) throw new AirlockError('MEDIA_NOT_MOUNTED');
  return { dir: medium.mountPoint, medium };
}
