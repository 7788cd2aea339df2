/**
 * Windows: removable volumes from PowerShell's storage cmdlets, each piped to ConvertTo-Json:
 *   Get-Disk | Select-Object Number,FriendlyName,Manufacturer,Model,SerialNumber,BusType,IsBoot,IsSystem,IsReadOnly,IsOffline,Size
 *   Get-Partition | Select-Object DiskNumber,PartitionNumber,DriveLetter,Size,AccessPaths,IsBoot,IsSystem
 *   Get-Volume | Select-Object DriveLetter,FileSystemLabel,FileSystem,DriveType,Size,SizeRemaining,UniqueId
 * ConvertTo-Json writes one object (not an array) when a cmdlet returns one item, and enum
 * values as numbers or names depending on the PowerShell version; both are read.
 */
import type { MediaVolume } from '../../../../shared/media.js';
import type { DiskProtection, ProtectedPaths, ProtectionReason, RefusedDisk } from './protected-disks.js';

type Raw = Record<string, unknown>;

/** The PowerShell script `media list` runs: one JSON object with the three listings. */
export const WINDOWS_LIST_SCRIPT = [
  '$ErrorActionPreference = "Stop"',
  '$d = @(Get-Disk | Select-Object Number,FriendlyName,Manufacturer,Model,SerialNumber,BusType,IsBoot,IsSystem,IsReadOnly,IsOffline,Size)',
  '$p = @(Get-Partition | Select-Object DiskNumber,PartitionNumber,DriveLetter,Size,AccessPaths,IsBoot,IsSystem)',
  '$v = @(Get-Volume | Select-Object DriveLetter,FileSystemLabel,FileSystem,DriveType,Size,SizeRemaining,UniqueId)',
  '[pscustomobject]@{ disks = $d; partitions = $p; volumes = $v } | ConvertTo-Json -Depth 4 -Compress',
].join('; ');

/** STORAGE_BUS_TYPE: 7 USB, 12 SD, 13 MMC. */
const REMOVABLE_BUS = new Set(['usb', 'sd', 'mmc', '7', '12', '13']);

function list(value: unknown): Raw[] {
  if (Array.isArray(value)) return value.filter((v): v is Raw => typeof v === 'object' && v !== null);
  if (typeof value === 'object' && value !== null) return [value as Raw];
  return [];
}

/** Parse one cmdlet's ConvertTo-Json output (an array, or one object for one item). */
export function parsePowerShellJson(text: string): Raw[] {
  const trimmed = text.replace(/^\uFEFF/u, '').trim();
  if (trimmed === '') return [];
  return list(JSON.parse(trimmed));
}

function str(raw: Raw, key: string): string | null {
  const value = raw[key];
  if (typeof value !== 'string') return null;
  const trimmed = value.replace(/\u0000/gu, '').trim();
  return trimmed === '' ? null : trimmed;
}

function num(raw: Raw, key: string): number | null {
  const value = raw[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function bool(raw: Raw, key: string): boolean {
  return raw[key] === true;
}

/** A drive letter as PowerShell serialises a [char]: "E", 69, "\u0000" or null. */
function letter(raw: Raw): string | null {
  const value = raw.DriveLetter;
  if (typeof value === 'number') return value >= 65 && value <= 90 ? String.fromCharCode(value) : null;
  const s =
    typeof value === 'string'
      ? value
          .replace(/\u0000/gu, '')
          .trim()
          .toUpperCase()
      : '';
  return /^[A-Z]$/u.test(s) ? s : null;
}

function enumText(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim().toLowerCase() : '';
}

export interface WindowsListing {
  disks: Raw[];
  partitions: Raw[];
  volumes: Raw[];
}

/** The combined object WINDOWS_LIST_SCRIPT prints. */
export function parseWindowsListing(text: string): WindowsListing {
  const root = JSON.parse(text.replace(/^\uFEFF/u, '').trim()) as Raw;
  return { disks: list(root.disks), partitions: list(root.partitions), volumes: list(root.volumes) };
}

/** The volume a partition carries (matched by drive letter or volume path), described as a medium; null without a file system. */
function volumeOfPartition(listing: WindowsListing, part: Raw, diskNumber: number, disk: Raw | undefined): MediaVolume | null {
  const l = letter(part);
  const paths = Array.isArray(part.AccessPaths) ? part.AccessPaths.filter((p): p is string => typeof p === 'string') : [];
  const volume = listing.volumes.find((v) => {
    const vl = letter(v);
    const unique = str(v, 'UniqueId');
    return (l !== null && vl === l) || (unique !== null && paths.includes(unique));
  });
  if (!volume) return null;
  const fs = str(volume, 'FileSystem');
  if (fs === null) return null;
  const device = str(volume, 'UniqueId');
  return {
    id: l === null ? (device ?? `disk${diskNumber}p${num(part, 'PartitionNumber') ?? '?'}`) : `${l}:`,
    device,
    disk: physicalDrive(diskNumber),
    label: str(volume, 'FileSystemLabel'),
    filesystem: fs,
    size: num(volume, 'Size') ?? num(part, 'Size'),
    free: num(volume, 'SizeRemaining'),
    mountPoint: l === null ? null : `${l}:\\`,
    vendor: disk ? str(disk, 'Manufacturer') : null,
    model: disk ? (str(disk, 'Model') ?? str(disk, 'FriendlyName')) : null,
    serial: disk ? str(disk, 'SerialNumber') : null,
    readOnly: disk ? bool(disk, 'IsReadOnly') : false,
    removable: REMOVABLE_BUS.has(enumText(disk?.BusType)) || ['removable', '2'].includes(enumText(volume.DriveType)),
    source: 'windows',
  };
}

function physicalDrive(n: number): string {
  return `\\\\.\\PHYSICALDRIVE${n}`;
}

/** The drive letter a path is on (`C:\Users\op` -> C), or null for a path without one. */
function driveLetterOf(path: string): string | null {
  return /^([A-Za-z]):/u.exec(path)?.[1]?.toUpperCase() ?? null;
}

/**
 * Why each disk is never offered, as on Linux (protected-disks.ts): it holds a system path, or
 * Windows boots from it (the boot or system flag of the disk or a partition: `[BOOT]`, `[SYSTEM]`),
 * or it holds a source being exported. A disk that is both is `system`. Keyed by disk number.
 */
function protectedWindowsDisks(listing: WindowsListing, paths: ProtectedPaths): Map<number, DiskProtection> {
  const result = new Map<number, DiskProtection>();
  const add = (n: number | null, reason: ProtectionReason, path: string, via: string[]): void => {
    if (n !== null && !result.has(n)) result.set(n, { disk: physicalDrive(n), reason, path, via: [...via, physicalDrive(n)] });
  };
  const byLetter = (wanted: readonly string[], reason: ProtectionReason): void => {
    for (const path of wanted) {
      const l = driveLetterOf(path);
      const part = l === null ? undefined : listing.partitions.find((p) => letter(p) === l);
      if (part) add(num(part, 'DiskNumber'), reason, path, [`${l}:`]);
    }
  };
  byLetter(paths.system, 'system');
  // The Windows partition (boot flag, C:) names the disk better than the EFI partition (system flag) does.
  for (const part of listing.partitions) {
    const l = letter(part);
    if (bool(part, 'IsBoot')) add(num(part, 'DiskNumber'), 'system', l === null ? '[BOOT]' : `${l}:\\`, l === null ? [] : [`${l}:`]);
  }
  for (const part of listing.partitions) if (bool(part, 'IsSystem')) add(num(part, 'DiskNumber'), 'system', '[SYSTEM]', []);
  for (const disk of listing.disks) {
    if (bool(disk, 'IsBoot')) add(num(disk, 'Number'), 'system', '[BOOT]', []);
    else if (bool(disk, 'IsSystem')) add(num(disk, 'Number'), 'system', '[SYSTEM]', []);
  }
  byLetter(paths.sources, 'sources');
  return result;
}

/**
 * What Windows offers and refuses. Offered: volumes on removable disks (USB, SD, MMC bus, or a
 * "Removable" drive type) that hold no system path and no source. Refused (so that naming one gets
 * MEDIA_IS_SYSTEM_DISK or MEDIA_HOLDS_SOURCES, not "not found"): every disk, removable or not,
 * that Windows boots from, holds a system path (`C:\Users\...` protects C:'s disk) or a source,
 * with its volumes.
 */
export function surveyWindows(listing: WindowsListing, paths: ProtectedPaths): { volumes: MediaVolume[]; refused: RefusedDisk[] } {
  const disks = new Map<number, Raw>();
  for (const disk of listing.disks) {
    const n = num(disk, 'Number');
    if (n !== null) disks.set(n, disk);
  }
  const guarded = protectedWindowsDisks(listing, paths);
  const volumes: MediaVolume[] = [];
  const refused = new Map<number, RefusedDisk>();
  for (const [n, protection] of guarded) refused.set(n, { ...protection, volumes: [] });
  for (const part of listing.partitions) {
    const diskNumber = num(part, 'DiskNumber');
    if (diskNumber === null) continue;
    const volume = volumeOfPartition(listing, part, diskNumber, disks.get(diskNumber));
    if (!volume) continue;
    const refusal = refused.get(diskNumber);
    if (refusal) refusal.volumes.push(volume);
    else if (volume.removable) volumes.push(volume);
  }
  return { volumes, refused: [...refused.values()] };
}

/** The offered volumes alone (surveyWindows); every path counts as a system path. */
export function volumesFromWindows(listing: WindowsListing, protectedPaths: ProtectedPaths | readonly string[]): MediaVolume[] {
  return surveyWindows(listing, 'system' in protectedPaths ? protectedPaths : { system: protectedPaths, sources: [] }).volumes;
}
