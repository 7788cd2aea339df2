/**
 * What a receiving station with the default policy (policy/limits.ts) will refuse, said when the
 * export scans its sources: a bundle of 1,000,000 files exports fine, and every default verify then
 * refuses it with LIMIT_EXCEEDED (the archive's entries include the five tag files). The sender
 * learns it at the desk, not after the media travelled. Warnings, not refusals: the far station's
 * policy may allow more.
 */
import { manifestLineBytes } from '../bundle/manifest-writer.js';
import { DEFAULT_LIMITS, type BundleLimits } from '../policy/limits.js';

/** bagit.txt, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt and its signature. */
export const TAG_FILE_ENTRIES = 5;

type Limits = Pick<BundleLimits, 'maxEntries' | 'maxTotalBytes' | 'maxFileBytes' | 'maxManifestBytes'>;
type Warning = { path: string; message: string };

export class DefaultLimitTally {
  private files = 0;
  private bytes = 0;
  private manifestBytes = 0;

  constructor(private readonly limits: Limits = DEFAULT_LIMITS) {}

  /** Count one file; a warning when the file alone is over the default per-file limit. */
  add(absPath: string, bagPath: string, size: number): Warning | null {
    this.files += 1;
    this.bytes += size;
    this.manifestBytes += manifestLineBytes(bagPath);
    if (size <= this.limits.maxFileBytes) return null;
    return { path: absPath, message: `${size} bytes, over the default limit of ${this.limits.maxFileBytes} bytes a file: ${REFUSED}` };
  }

  /** Warnings for the bundle as a whole, once every file is counted (`path` names the selection). */
  finish(path: string): Warning[] {
    const warnings: Warning[] = [];
    const entries = this.files + TAG_FILE_ENTRIES;
    if (entries > this.limits.maxEntries)
      warnings.push({
        path,
        message: `the bundle will hold ${entries} archive entries (${this.files} files and ${TAG_FILE_ENTRIES} tag files), over the default limit of ${this.limits.maxEntries}: ${REFUSED}. Split the selection into bundles of at most ${this.limits.maxEntries - TAG_FILE_ENTRIES} files`,
      });
    if (this.bytes > this.limits.maxTotalBytes)
      warnings.push({ path, message: `the payload is ${this.bytes} bytes, over the default limit of ${this.limits.maxTotalBytes} bytes a bundle: ${REFUSED}` });
    if (this.manifestBytes > this.limits.maxManifestBytes)
      warnings.push({
        path,
        message: `the manifest will be about ${this.manifestBytes} bytes, over the default limit of ${this.limits.maxManifestBytes} bytes: ${REFUSED}. Fewer files or shorter paths a bundle`,
      });
    return warnings;
  }
}

const REFUSED = 'stations with the default policy will refuse the bundle';
