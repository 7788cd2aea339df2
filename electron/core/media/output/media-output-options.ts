/** What an export to removable media is given (media-output.ts): the media, sizes, and how to ask for the next medium. */
import type { MediaRef, MediaVolume } from '../../../../shared/media.js';

export interface NextMediumRequest {
  /** 1-based number of the volume wanted, and how many there will be. */
  volume: number;
  volumes: number;
  /** Bytes the volume must have free. */
  bytes: number;
  files: string[];
  /** Why the medium offered last time was not taken, or null on the first ask. */
  problem: string | null;
  /** The media this export already wrote, in order (written and read back). */
  used: MediaRef[];
}

export interface MediaOutputOptions {
  /** Resolved, mounted targets in order; further volumes come from nextMedium. */
  targets: readonly MediaVolume[];
  /** Capacity to plan with for every medium (--volume-size); caps the measured free space. */
  volumeSize?: number | undefined;
  /** Largest part (--part-size); rounded down to a multiple of 512. */
  partSize?: number | undefined;
  /** Interactive: ask the operator for the next medium (and again when the one offered does not fit). */
  nextMedium?: ((request: NextMediumRequest) => Promise<MediaVolume>) | undefined;
  /** Signs the volume index with the key(s) that sign the bundle. */
  signIndex: (bytes: Buffer) => Promise<string>;
  /** Read every written file back past the cache (default true). */
  readBack?: boolean | undefined;
  /**
   * Called right before the rename that makes the bundle readable by a receiver: the single
   * file's, or a split bundle's last index signature (before it no reader accepts the set), with
   * the tag manifest's SHA-256 and that file's final path. A channel export notes it in its
   * intent, so recovery after a crash counts the number as used (channels/channel-send.ts).
   */
  beforeComplete?: ((tagmanifestSha256: string, completingPath: string) => void) | undefined;
}
