import { loadTrustedKeys } from '../keys/trust-store.js';
import { hasImageSources, prepareImagePayload, type ImagePayload, type ImageSources } from '../oci/image-payload.js';
import type { ProgressListener } from '../../../shared/progress.js';
import type { StationContext } from './context.js';

/**
 * The images and charts an export names, read into this station's spool (the work folder a kill
 * leaves is swept by the next export); null when it names none. One call for the folder and the
 * media export, so both read sources and trust a --skip-blobs-in receipt the same way.
 */
export async function stationImagePayload(
  context: StationContext,
  request: ImageSources & { signal?: AbortSignal | undefined; onProgress?: ProgressListener | undefined },
): Promise<ImagePayload | null> {
  if (!hasImageSources(request)) return null;
  return prepareImagePayload(request, {
    workParent: context.paths.spool,
    trustedKeys: () => loadTrustedKeys(context.paths),
    signal: request.signal,
    onProgress: request.onProgress,
  });
}

/** What the audit event records of the image sources asked for, also when the export fails: the references as given. */
export function imageAuditDetails(request: ImageSources): { images?: readonly string[]; imagesFrom?: string | null; charts?: readonly string[] } {
  if (!hasImageSources(request)) return {};
  return { images: request.images ?? [], imagesFrom: request.imagesFrom ?? null, charts: request.charts ?? [] };
}

/** What an export's audit event names, also when it fails: who asked to move what (selection, name, channel, the image references as given). */
export function requestedExportDetails(
  request: ImageSources & { selection: readonly string[]; name?: string | undefined; channel?: string | undefined },
): Record<string, unknown> {
  return { selection: request.selection, name: request.name ?? null, channel: request.channel ?? null, ...imageAuditDetails(request) };
}
