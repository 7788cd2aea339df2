import { DEFAULT_PATH_LIMITS, type PathLimits } from '../bundle/path-rules.js';

/**
 * Caps that bound what a hostile bundle can make the station do. Every one is checked from
 * tar headers or the manifest before the data it guards is read.
 */
export interface BundleLimits extends PathLimits {
  maxEntries: number;
  maxTotalBytes: number;
  maxFileBytes: number;
  /** bagit.txt, bag-info.txt, tagmanifest and signature are read into memory: keep them small. */
  maxTagFileBytes: number;
  /** manifest-sha256.txt is read into memory too: about 100 bytes a file. */
  maxManifestBytes: number;
}

const GiB = 1024 ** 3;

export const DEFAULT_LIMITS: BundleLimits = {
  ...DEFAULT_PATH_LIMITS,
  maxEntries: 1_000_000,
  maxTotalBytes: 4096 * GiB,
  maxFileBytes: 1024 * GiB,
  maxTagFileBytes: 1024 * 1024,
  maxManifestBytes: 256 * 1024 * 1024,
};
