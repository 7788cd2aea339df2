/** The per-OS discovery parsers on sample output of lsblk, diskutil and PowerShell (test/fixtures/media). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLsblk } from '../../../../../electron/core/media/discover/lsblk-parse.js';
import { systemDisks, volumesFromLsblk } from '../../../../../electron/core/media/discover/protected-disks.js';
import { parseDiskutilInfo, parseDiskutilList, volumeFromDiskutil } from '../../../../../electron/core/media/discover/diskutil-parse.js';
import { parsePlist } from '../../../../../electron/core/media/discover/plist.js';
import { parsePowerShellJson, parseWindowsListing, volumesFromWindows } from '../../../../../electron/core/media/discover/windows-parse.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', '..', 'fixtures', 'media');
const fixture = (...parts: string[]): string => readFileSync(join(FIXTURES, ...parts), 'utf8');

describe('Linux: lsblk --json', () => {
  const tree = parseLsblk(fixture('linux', 'lsblk-laptop-2.38.json'));
  const protectedPaths = ['/', '/boot', '/boot/efi', '/home', '/home/operator', '/opt/airlock'];

  it('offers the USB stick, the write-protected superfloppy and the unmounted SD card, with vendor, model and serial', () => {
    const volumes = volumesFromLsblk(tree, protectedPaths);
    expect(volumes.map((v) => v.id)).toEqual(['/dev/sda1', '/dev/sdc1', '/dev/sdd']);
    expect(volumes[0]).toEqual({
      id: '/dev/sda1',
      device: '/dev/sda1',
      disk: '/dev/sda',
      label: 'TRANSFER',
      filesystem: 'vfat',
      size: 15617343488,
      free: 15614795776,
      mountPoint: '/media/operator/TRANSFER',
      vendor: 'SanDisk',
      model: 'Cruzer Blade',
      serial: '4C530001230517115104',
      readOnly: false,
      removable: true,
      source: 'lsblk',
    });
    expect(volumes[1]).toMatchObject({ label: 'SDCARD', filesystem: 'exfat', mountPoint: null, free: null, size: 63863521280, model: 'SD/MMC' });
    expect(volumes[2]).toMatchObject({ device: '/dev/sdd', disk: '/dev/sdd', label: 'LOCKED', readOnly: true, serial: 'E0D55EA5740AF1A0B8430E37' });
  });

  it('never offers a system disk: the NVMe root disk, nor the hot-plug USB SSD that holds /home', () => {
    expect([...systemDisks(tree, protectedPaths)].sort()).toEqual(['/dev/nvme0n1', '/dev/sdb']);
    const ids = volumesFromLsblk(tree, protectedPaths).map((v) => v.id);
    expect(ids).not.toContain('/dev/sdb1');
    expect(ids.some((id) => id.startsWith('/dev/nvme'))).toBe(false);
  });

  it('treats a stick as a system disk when it holds a protected path (the sources being exported)', () => {
    const ids = volumesFromLsblk(tree, [...protectedPaths, '/media/operator/TRANSFER/outgoing']).map((v) => v.id);
    expect(ids).toEqual(['/dev/sdc1', '/dev/sdd']);
  });

  it('skips loop devices, empty optical drives and swap', () => {
    const ids = volumesFromLsblk(tree, []).map((v) => v.id);
    expect(ids).not.toContain('/dev/loop0');
    expect(ids).not.toContain('/dev/sr0');
    expect(ids).not.toContain('/dev/nvme0n1p3');
  });

  it('reads older util-linux: a flat --list with string values and MOUNTPOINT only', () => {
    const legacy = parseLsblk(fixture('linux', 'lsblk-legacy-list.json'));
    expect(legacy.map((d) => d.path)).toEqual(['/dev/sda', '/dev/vda']);
    const volumes = volumesFromLsblk(legacy, ['/', '/root']);
    expect(volumes).toHaveLength(1);
    expect(volumes[0]).toMatchObject({
      id: '/dev/sda1',
      label: 'USB DISK',
      mountPoint: '/media/usb disk',
      size: 30990090240,
      free: 30987526144,
      vendor: 'Verbatim',
      serial: '07A1B2C3D4E5F6',
      readOnly: false,
    });
  });

  it('refuses output that is not lsblk JSON', () => {
    expect(() => parseLsblk('{"devices": []}')).toThrow(/blockdevices/);
  });
});

describe('macOS: diskutil -plist', () => {
  const info = (id: string) => parseDiskutilInfo(fixture('macos', `diskutil-info-${id}.plist`));

  it('lists the data volumes of each external disk, not its EFI partition', () => {
    expect(parseDiskutilList(fixture('macos', 'diskutil-list-external-physical.plist')).disks).toEqual([
      { disk: 'disk4', volumes: ['disk4s1'] },
      { disk: 'disk5', volumes: ['disk5s2'] },
    ]);
  });

  it('describes a FAT32 stick and a read-only exFAT card from diskutil info', () => {
    expect(volumeFromDiskutil(info('disk4s1'), info('disk4'), ['/', '/Users/op'])).toEqual({
      id: '/dev/disk4s1',
      device: '/dev/disk4s1',
      disk: 'disk4',
      label: 'TRANSFER',
      filesystem: 'msdos',
      size: 15630073856,
      free: 15614795776,
      mountPoint: '/Volumes/TRANSFER',
      vendor: null,
      model: 'Cruzer Blade',
      serial: null,
      readOnly: false,
      removable: true,
      source: 'diskutil',
    });
    expect(volumeFromDiskutil(info('disk5s2'), info('disk5'), ['/'])).toMatchObject({
      label: 'SD & CO',
      mountPoint: '/Volumes/SD & CO',
      filesystem: 'exfat',
      readOnly: true,
      model: 'STORAGE DEVICE',
    });
  });

  it('refuses internal disks and volumes holding a protected path', () => {
    const internal = { ...info('disk4s1'), Internal: true };
    expect(volumeFromDiskutil(internal, info('disk4'), [])).toBeNull();
    expect(volumeFromDiskutil(info('disk4s1'), info('disk4'), ['/Volumes/TRANSFER/outgoing'])).toBeNull();
  });

  it('parses plist values: integers, booleans, entities, data, empty dicts; refuses unknown elements', () => {
    const value = parsePlist(
      '<?xml version="1.0"?><plist version="1.0"><dict><key>a&amp;b</key><integer>-3</integer><key>t</key><true/><key>d</key><data>AAEC</data><key>e</key><dict/><key>r</key><real>1.5</real></dict></plist>',
    );
    expect(value).toEqual({ 'a&b': -3, t: true, d: Buffer.from([0, 1, 2]), e: {}, r: 1.5 });
    expect(() => parsePlist('<plist><dict><key>x</key><script>1</script></dict></plist>')).toThrow(/unsupported/);
  });
});

describe('Windows: Get-Disk / Get-Partition / Get-Volume | ConvertTo-Json', () => {
  const listing = {
    disks: parsePowerShellJson(fixture('windows', 'get-disk.json')),
    partitions: parsePowerShellJson(fixture('windows', 'get-partition.json')),
    volumes: parsePowerShellJson(fixture('windows', 'get-volume.json')),
  };

  it('offers the USB stick and the card reader, not the boot disk, the SATA disk or the DVD drive', () => {
    const volumes = volumesFromWindows(listing, ['C:\\Users\\operator']);
    expect(volumes.map((v) => v.id)).toEqual(['E:', 'F:']);
    expect(volumes[0]).toEqual({
      id: 'E:',
      device: '\\\\?\\Volume{6e1d84c4-0000-0000-0000-100000000000}\\',
      disk: '\\\\.\\PHYSICALDRIVE1',
      label: 'TRANSFER',
      filesystem: 'FAT32',
      size: 15617343488,
      free: 15614795776,
      mountPoint: 'E:\\',
      vendor: 'SanDisk',
      model: 'Cruzer Blade',
      serial: '4C530001230517115104',
      readOnly: false,
      removable: true,
      source: 'windows',
    });
    expect(volumes[1]).toMatchObject({ label: 'SDCARD', filesystem: 'exFAT', readOnly: true });
  });

  it('treats a removable disk holding a protected path (the sources) as a system disk', () => {
    expect(volumesFromWindows(listing, ['E:\\outgoing\\q3']).map((v) => v.id)).toEqual(['F:']);
  });

  it('reads one object where a cmdlet returned one item, and enums as numbers (PowerShell 7, WINDOWS_LIST_SCRIPT)', () => {
    expect(parsePowerShellJson(fixture('windows', 'get-disk-single.json'))).toHaveLength(1);
    const volumes = volumesFromWindows(parseWindowsListing(fixture('windows', 'list-script-pwsh7.json')), []);
    expect(volumes).toEqual([
      expect.objectContaining({ id: 'H:', label: 'KINGSTON', filesystem: 'FAT32', serial: 'E0D55EA5740AF1A0B8430E37', model: 'DataTraveler 3.0' }),
    ]);
  });
});
