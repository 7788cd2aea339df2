/**
 * Which archive a file's first bytes announce (issue #16.3): the ones Airlock opens itself (zip,
 * tar, gzip) and the ones it knows but cannot open safely, which are `unsupported` (7z, rar, xz,
 * bzip2, cab, ...). By content only: a name proves nothing. Shared by type detection (types/) and
 * the archive walk (archives/) so both agree on what is an archive.
 */

export type ArchiveKind = 'zip' | 'tar' | 'gzip' | 'unsupported';

const starts = (head: Buffer, bytes: readonly number[], at = 0): boolean => head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);

/** Formats known to be archives or compressed streams that Airlock does not open. */
const UNSUPPORTED: ReadonlyArray<{ name: string; magic: readonly number[]; at?: number }> = [
  { name: '7z', magic: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { name: 'rar', magic: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07] },
  { name: 'xz', magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { name: 'bzip2', magic: [0x42, 0x5a, 0x68] },
  { name: 'zstd', magic: [0x28, 0xb5, 0x2f, 0xfd] },
  { name: 'lzip', magic: [0x4c, 0x5a, 0x49, 0x50] },
  { name: 'cab', magic: [0x4d, 0x53, 0x43, 0x46] },
  { name: 'ar', magic: [0x21, 0x3c, 0x61, 0x72, 0x63, 0x68, 0x3e, 0x0a] },
  { name: 'cpio', magic: [0x30, 0x37, 0x30, 0x37, 0x30] },
  { name: 'iso9660', magic: [0x43, 0x44, 0x30, 0x30, 0x31], at: 0x8001 },
];

/** The archive kind of a file from its head (at least 512 bytes when the file has them; 0x8006 to see ISO 9660). */
export function archiveKindOf(head: Buffer): ArchiveKind | null {
  // Local file header, or an empty archive's end-of-central-directory record.
  if (starts(head, [0x50, 0x4b, 0x03, 0x04]) || starts(head, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (starts(head, [0x1f, 0x8b])) return 'gzip';
  // POSIX ustar ("ustar\0") and GNU ("ustar  \0") both put "ustar" at offset 257.
  if (starts(head, [0x75, 0x73, 0x74, 0x61, 0x72], 257)) return 'tar';
  if (UNSUPPORTED.some((f) => starts(head, f.magic, f.at ?? 0))) return 'unsupported';
  return null;
}

/** The name of an unsupported format, for messages. */
export function unsupportedArchiveName(head: Buffer): string | null {
  return UNSUPPORTED.find((f) => starts(head, f.magic, f.at ?? 0))?.name ?? null;
}
