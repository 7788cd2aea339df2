import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, openSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Whether the file system holding `dir` treats two different spellings of a name as one: case
 * (vfat, exFAT, NTFS, ext4 and others with casefold folders, APFS and HFS+ by default) or Unicode
 * normalization (HFS+, APFS, ZFS with normalization). It creates a hidden probe name in `dir`
 * and asks for its other spelling; the probe is removed again (a crash in between leaves it in
 * `dir`, which must be a folder that is removed whole, like a staging folder).
 */
export function foldsNames(dir: string): boolean {
  const token = randomBytes(6).toString('hex');
  const spellings: Array<[string, string]> = [
    [`.airlock-fold-${token}-A`, `.airlock-fold-${token}-a`],
    [`.airlock-fold-${token}-\u00e9`, `.airlock-fold-${token}-e\u0301`],
  ];
  for (const [made, other] of spellings) {
    const probe = join(dir, made);
    closeSync(openSync(probe, 'wx', 0o600));
    try {
      if (lstatSync(join(dir, other), { throwIfNoEntry: false }) !== undefined) return true;
    } finally {
      unlinkSync(probe);
    }
  }
  return false;
}
