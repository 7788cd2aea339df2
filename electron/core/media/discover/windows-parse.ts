/**
 * Windows: removable volumes from PowerShell's storage cmdlets, each piped to ConvertTo-Json:
 *   Get-Disk | Select-Object Number,FriendlyName,Manufacturer,Model,SerialNumber,BusType,IsBoot,IsSystem,IsReadOnly,IsOffline,Size
 *   Get-Partition | Select-Object DiskNumber,PartitionNumber,DriveLetter,Size,AccessPaths,IsBoot,IsSystem
 *   Get-Volume | Select-Object DriveLetter,FileSystemLabel,FileSystem,DriveType,Size,SizeRemaining,UniqueId
 * ConvertTo-Json writes one object (not an array) when a cmdlet returns one item, and enum
 * values as numbers or names depending on the PowerShell version; both are read.
 */
import type { MediaVolume } from '../../../../shared/media.js';

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

/**
 * Volumes on removable disks (USB, SD, MMC bus, or a "Removable" drive type) that are not the
 * boot or system disk and hold no protected path (`C:\Users\...` protects C:).
 */
export function volumesFromWindows(listing: WindowsListing, protectedPaths: readonly string[]): MediaVolume[] {
  const protectedLetters = new Set(protectedPaths.map((p) => /^([A-Za-z]):/u.exec(p)?.[1]?.toUpperCase()).filter((l): l is string => l !== undefined));
  const disks = new Map<number, Raw>();
  for (const disk of listing.disks) {
    const n = num(disk, 'Number');
    if (n !== null) disks.set(n, disk);
  }
  const systemDisks = new Set<number>();
  for (const [n, disk] of disks) if (bool(disk, 'IsBoot') || bool(disk, 'IsSystem')) systemDisks.add(n);
  for (const part of listing.partitions) {
    const n = num(part, 'DiskNumber');
    const l = letter(part);
    if (n !== null && (bool(part, 'IsBoot') || bool(part, 'IsSystem') || (l !== null && protectedLetters.has(l)))) systemDisks.add(n);
  }

  const volumes: MediaVolume[] = [];
  for (const part of listing.partitions) {
    const diskNumber = num(part, 'DiskNumber');
    if (diskNumber === null || systemDisks.has(diskNumber)) continue;
    const disk = disks.get(diskNumber);
    const l = letter(part);
    const paths = Array.isArray(part.AccessPaths) ? part.AccessPaths.filter((p): p is string => typeof p === 'string') : [];
    const volume = listing.volumes.find((v) => {
      const vl = letter(v);
      const unique = str(v, 'UniqueId');
      return (l !== null && vl === l) || (unique !== null && paths.includes(unique));
    });
    if (!volume) continue;
    const removable = REMOVABLE_BUS.has(enumText(disk?.BusType)) || ['removable', '2'].includes(enumText(volume.DriveType));
    if (!removable) continue;
    const fs = str(volume, 'FileSystem');
    if (fs === null) continue;
    const mountPoint = l === null ? null : `${l}:\\`;
    const device = str(volume, 'UniqueId');
    volumes.push({
      id: l === null ? (device ?? `disk${diskNumber}p${num(part, 'PartitionNumber') ?? '?'}`) : `${l}:`,
      device,
      disk: `\\\\.\\PHYSICALDRIVE${diskNumber}`,
      label: str(volume, 'FileSystemLabel'),
      filesystem: fs,
      size: num(volume, 'Size') ?? num(part, 'Size'),
      free: num(volume, 'SizeRemaining'),
      mountPoint,
      vendor: disk ? str(disk, 'Manufacturer') : null,
      model: disk ? (str(disk, 'Model') ?? str(disk, 'FriendlyName')) : null,
      serial: disk ? str(disk, 'SerialNumber') : null,
      readOnly: disk ? bool(disk, 'IsReadOnly') : false,
      removable: true,
      source: 'windows',
    });
  }
  return volumes;
}
