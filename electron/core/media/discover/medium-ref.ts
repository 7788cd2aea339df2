/** How a medium is named in reports, receipts and the audit log, and when two descriptions are the same medium. */
import type { MediaRef, MediaVolume } from '../../../../shared/media.js';

export function mediaRef(medium: MediaVolume): MediaRef {
  return { label: medium.label, serial: medium.serial, device: medium.device, mountPoint: medium.mountPoint, filesystem: medium.filesystem };
}

export function sameMedium(a: MediaVolume, b: MediaVolume): boolean {
  if (a.mountPoint !== null && a.mountPoint === b.mountPoint) return true;
  if (a.device !== null && a.device === b.device) return true;
  return a.serial !== null && a.serial === b.serial && a.label === b.label;
}
