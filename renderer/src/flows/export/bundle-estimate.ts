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

/**
 * Whether a bundle fits over several media, volume 1 on the first (the CLI's `--to-media A,B`):
 * each keeps core's margin and the index reserve, so the room is the sum of what is left on each.
 * A medium that cannot be written makes the set unwritable; an unknown free space, unknown.
 */
export function fitOnMedia(bundleBytes: number, media: ReadonlyArray<Pick<MediaVolumeView, 'free' | 'readOnly' | 'mountPoint'>>): Fit {
  if (media.length === 1 && media[0]) return fitOnMedium(bundleBytes, media[0]);
  let room = 0;
  for (const medium of media) {
    if (medium.mountPoint === null) return { fits: false, reason: 'not mounted' };
    if (medium.readOnly) return { fits: false, reason: 'read-only' };
    if (medium.free === null) return { fits: 'unknown' };
    // A medium with no room past the margin would hold an empty volume: it is not one to write to.
    if (!hasRoom(medium)) return { fits: false, reason: 'too small' };
    room += medium.free - MEDIA_MARGIN_BYTES;
  }
  if (media.length === 0 || bundleBytes > room) return { fits: false, reason: 'too small' };
  return { fits: true, tight: bundleBytes > room * 0.9 };
}

/** Room for part of a bundle past core's margin (an unknown free space may have). */
export function hasRoom(medium: Pick<MediaVolumeView, 'free'>): boolean {
  return medium.free === null || medium.free > MEDIA_MARGIN_BYTES;
}
