/**
 * Whether a bundle will fit on a medium, judged before anything is hashed: the selection's bytes
 * plus a generous tar overhead per file and for the tag files, plus the margin core keeps free on
 * a medium. An estimate for the destination screen only; core computes the exact archive size
 * after hashing and refuses (MEDIA_TOO_SMALL / NO_SPACE) before writing a byte.
 */
import type { MediaVolumeView, SelectionSummary } from '../../../../shared/ipc.js';

/** Header, PAX record and padding per file, rounded up generously. */
const PER_FILE_BYTES = 2048;
/** bagit.txt, bag-info.txt, the manifests and the signature, with room to spare. */
const TAG_FILES_BYTES = 256 * 1024;
/** What core leaves free on a medium (part-plan.ts MEDIA_MARGIN_BYTES) plus the volume index reserve. */
const MEDIA_MARGIN_BYTES = (1 << 20) + 256 * 1024;

export function estimateBundleBytes(summary: Pick<SelectionSummary, 'totalBytes' | 'totalFiles'>): number {
  return summary.totalBytes + summary.totalFiles * PER_FILE_BYTES + TAG_FILES_BYTES;
}

export type Fit = { fits: true; tight: boolean } | { fits: false; reason: string } | { fits: 'unknown' };

export function fitOnMedium(bundleBytes: number, medium: Pick<MediaVolumeView, 'free' | 'readOnly' | 'mountPoint'>): Fit {
  if (medium.mountPoint === null) return { fits: false, reason: 'not mounted' };
  if (medium.readOnly) return { fits: false, reason: 'read-only' };
  if (medium.free === null) return { fits: 'unknown' };
  const need = bundleBytes + MEDIA_MARGIN_BYTES;
  if (need > medium.free) return { fits: false, reason: 'too small' };
  return { fits: true, tight: need > medium.free * 0.9 };
}
