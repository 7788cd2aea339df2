/**
 * Removable media as data: what `airlock media list` shows, what export writes to, and what
 * read-back proves. Plain types so the CLI, the worker and the app's renderer share them.
 */
import type { Problem } from './problems.js';
import type { ReadBackRegion } from './read-back-region.js';

/** One volume Airlock may write a bundle to or read one from. */
export interface MediaVolume {
  /** What `--to-media` and `media verify|eject` accept first: the device path, or the folder for a declared root. */
  id: string;
  /** Block device of the volume (`/dev/sdb1`, `/dev/disk4s1`, `\\.\PHYSICALDRIVE2` partition), when known. */
  device: string | null;
  /** The whole disk the volume is on (`/dev/sdb`, `disk4`, `2`), when known. */
  disk: string | null;
  label: string | null;
  /** File system as the OS names it: `vfat`, `exfat`, `ext4`, `msdos`, `FAT32`, `NTFS`, ... */
  filesystem: string | null;
  /** Bytes of the volume; null when unknown. */
  size: number | null;
  /** Bytes a writer can still use; null when unknown. */
  free: number | null;
  /** Where it is mounted (for a declared root: the folder itself); null when not mounted. */
  mountPoint: string | null;
  vendor: string | null;
  model: string | null;
  serial: string | null;
  readOnly: boolean;
  /** Found by discovery as removable/hot-plug/USB/SD, as opposed to declared in config.json. */
  removable: boolean;
  /** Where the description came from: OS discovery, or `mediaRoots` in config.json. */
  source: 'lsblk' | 'diskutil' | 'windows' | 'config';
  /**
   * Larger than the station's large-drive threshold (config.json `largeMediumBytes`, default
   * LARGE_MEDIUM_BYTES): warned about before writing, in the CLI and the app. Absent: not large.
   */
  large?: boolean | undefined;
}

/**
 * 512 GiB: transfer sticks and SD cards are almost all smaller; a drive larger than this is far
 * more often an external backup disk or an internal disk in a USB enclosure, whose other files
 * would leave the station with the bundle. Still allowed, after a warning.
 */
export const LARGE_MEDIUM_BYTES = 512 * 1024 ** 3;

/** A medium as recorded in audit events and receipts. */
export interface MediaRef {
  label: string | null;
  serial: string | null;
  device: string | null;
  mountPoint: string | null;
  filesystem: string | null;
}

/**
 * How bytes were read back past the page cache:
 * - `o-direct`: `dd iflag=direct` (O_DIRECT, aligned buffers) on the file;
 * - `flushbufs+o-direct`: a FUSE file system (fusefat): the block device's buffer cache is
 *   dropped first (BLKFLSBUF), then the file is read with O_DIRECT;
 * - `fadvise-dontneed`: `dd iflag=nocache` drops the file's cached pages before and while reading
 *   (where O_DIRECT is refused);
 * - `remount`: the volume was unmounted and mounted again, then read (macOS plan);
 * - `buffered`: an ordinary read; the cache may have answered (`bypassesCache` false).
 */
export type ReadBackMethod = 'o-direct' | 'flushbufs+o-direct' | 'fadvise-dontneed' | 'remount' | 'buffered';

export interface ReadBackFile {
  /** Absolute path of the file on the medium. */
  file: string;
  size: number;
  /**
   * SHA-256 of the bytes written (export) or recorded in the signed index (verify). A bundle
   * written in one pass has none before its read-back (checkedBy 'records'): there it is the SHA-256
   * read back once every record checked out, and empty when one did not.
   */
  expectedSha256: string;
  /** SHA-256 of the bytes read back; null when the file could not be read. */
  actualSha256: string | null;
  /** Bytes read back (null when the file could not be read). */
  actualSize?: number | null | undefined;
  /**
   * Where a file that read back differently first differs: the 1 MiB chunk (or, where the sizes
   * differ, the tail) holding the first difference, `offset` its first byte. Null when the file
   * matched or could not be read at all.
   */
  firstDifference?: { offset: number; length: number } | null | undefined;
  /** checkedBy 'records': what the differing region holds (a header, a payload file, padding, the tag files), in English. */
  differsIn?: string | null | undefined;
  /** The same region as data, for the app to word in the operator's language. */
  differsInRegion?: ReadBackRegion | null | undefined;
  ok: boolean;
}

export interface ReadBackReport {
  ok: boolean;
  method: ReadBackMethod;
  /** False when the method could not prove the bytes came from the medium rather than a cache. */
  bypassesCache: boolean;
  /** One line on how the method was chosen (e.g. why O_DIRECT was not used). */
  methodDetail: string;
  files: ReadBackFile[];
  /** CHECKSUM_MISMATCH or FILE_MISSING per bad file; `path` is the file on the medium. */
  problems: Problem[];
  /** Bytes read back and the time it took, for the report. */
  bytes: number;
  seconds: number;
  /**
   * What the bytes read back were compared with: `sha256` (absent in older reports), each file's
   * SHA-256 as written; `records`, a bundle written in one pass by position (no SHA-256 of the
   * whole file exists before it is read back): its tag files and every record header byte for
   * byte, every payload file against its SHA-256 in the signed manifest, padding and the
   * end-of-archive blocks as zeros, and its length; every byte of the file is in one region.
   */
  checkedBy?: 'sha256' | 'records' | undefined;
}

export interface MediaWrittenFile {
  /** Absolute path on the medium. */
  path: string;
  size: number;
  sha256: string;
  /** 1-based volume number within this export. */
  volume: number;
  kind: 'bundle' | 'part' | 'index' | 'index-signature';
}

/** What an export to removable media wrote, where, and what reading it back proved. */
export interface MediaExportReport {
  bundle: { name: string; uuid: string | null; tagmanifestSha256: string };
  split: boolean;
  parts: number;
  volumes: Array<{ number: number; medium: MediaRef; files: string[]; readBack: ReadBackReport | null }>;
  files: MediaWrittenFile[];
  /** The volume index (first volume's copy) when the bundle was split; else null. */
  indexFile: string | null;
  /** Leftovers of an earlier interrupted write that were removed before writing. */
  removedLeftovers: string[];
  readBackOk: boolean;
}

export type MediaEvent = { type: 'inserted' | 'removed' | 'changed'; volume: MediaVolume };
