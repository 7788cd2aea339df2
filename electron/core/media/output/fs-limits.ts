/**
 * What each file system lets a bundle be: the largest file it holds. FAT (12/16/32) stores a
 * file's size in 32 bits, so no file may reach 4 GiB; exFAT, NTFS, ext4, APFS have no limit a
 * bundle part meets. An unknown file system is treated like FAT: a part too small costs a
 * few more files, a part too large costs the export.
 */

/** FAT's limit: 2^32 - 1 bytes. */
export const FAT_MAX_FILE_BYTES = 2 ** 32 - 1;
/** The largest part that fits FAT, as a multiple of 512 (docs/bundle-format.md §14). */
export const FAT_MAX_PART_BYTES = 2 ** 32 - 512;

const FAT_NAMES = new Set([
  'vfat',
  'fat',
  'fat12',
  'fat16',
  'fat32',
  'msdos',
  'ms-dos',
  'ms-dos fat32',
  'ms-dos fat16',
  'fuse.fusefat',
  'fusefat',
  'dos_fat_32',
  'dos_fat_16',
]);
const LARGE_FILE_NAMES = new Set([
  'exfat',
  'fuse.exfat',
  'ntfs',
  'ntfs3',
  'fuseblk',
  'ext2',
  'ext3',
  'ext4',
  'xfs',
  'btrfs',
  'f2fs',
  'apfs',
  'hfs',
  'hfsplus',
  'hfs+',
  'udf',
  'zfs',
  'tmpfs',
  'refs',
  'jfs',
  'reiserfs',
  'nilfs2',
  'bcachefs',
  'overlay',
  'nfs',
  'nfs4',
  'cifs',
  'smb3',
  '9p',
  'virtiofs',
]);

function normal(fs: string | null): string {
  return (fs ?? '').trim().toLowerCase();
}

export function isFat(fs: string | null): boolean {
  const name = normal(fs);
  return FAT_NAMES.has(name) || /^fat(12|16|32)?$/u.test(name) || name.includes('fat32') || name.includes('fat16');
}

/** The largest single file the file system holds, or null for "no limit a bundle meets". */
export function maxFileBytes(fs: string | null): number | null {
  const name = normal(fs);
  if (name !== '' && !isFat(name) && LARGE_FILE_NAMES.has(name)) return null;
  if (name.includes('exfat') || name.includes('ntfs')) return null;
  return FAT_MAX_FILE_BYTES;
}

/** The largest part Airlock writes on this file system: a multiple of 512, at most 2^32 - 512 where files are capped at 2^32 - 1. */
export function maxPartBytes(fs: string | null): number | null {
  const limit = maxFileBytes(fs);
  return limit === null ? null : Math.floor(limit / 512) * 512;
}

/**
 * fusefat (0.1a, Debian's) refuses writes at or past 2^31 bytes into a file (EPERM), although FAT
 * itself takes 2^32 - 1: on a fusefat mount parts stay below 2 GiB.
 */
export const FUSEFAT_MAX_PART_BYTES = 2 ** 31 - 512;

/** The largest part for a mount: the file system's limit, and the FUSE driver's where it is lower. */
export function maxPartBytesOnMount(fs: string | null, mountType: string | null): number | null {
  const limit = maxPartBytes(fs);
  if (mountType === 'fuse.fusefat') return Math.min(limit ?? FUSEFAT_MAX_PART_BYTES, FUSEFAT_MAX_PART_BYTES);
  return limit;
}

/** FAT and exFAT compare names without case: part and index names never differ by case only. */
export function foldsCase(fs: string | null): boolean {
  const name = normal(fs);
  return isFat(name) || name.includes('exfat') || name.includes('ntfs') || name === 'apfs' || name.startsWith('hfs');
}
