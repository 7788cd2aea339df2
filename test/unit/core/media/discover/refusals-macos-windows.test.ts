/**
 * macOS and Windows refuse a named system disk or the disk holding the sources as Linux does
 * (MEDIA_IS_SYSTEM_DISK, MEDIA_HOLDS_SOURCES with disk, path, via), not MEDIA_NOT_FOUND. diskutil
 * and PowerShell cannot run here: discovery is driven by recorded output (test/fixtures/media)
 * through a tool runner that answers each command line as the real tool did.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverMacos } from '../../../../../electron/core/media/discover/discover-macos.js';
import { discoverWindows } from '../../../../../electron/core/media/discover/discover-windows.js';
import { parseDiskutilInfo, surveyDiskutil } from '../../../../../electron/core/media/discover/diskutil-parse.js';
import type { ProtectedPaths, RefusedDisk } from '../../../../../electron/core/media/discover/protected-disks.js';
import { resolveMedium } from '../../../../../electron/core/media/discover/resolve-medium.js';
import { parsePowerShellJson, surveyWindows, WINDOWS_LIST_SCRIPT } from '../../../../../electron/core/media/discover/windows-parse.js';
import type { ToolRunner } from '../../../../../electron/core/media/os/run-tool.js';
import { AirlockError } from '../../../../../electron/core/errors.js';
import type { MediaVolume } from '../../../../../shared/media.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', '..', 'fixtures', 'media');
const fixture = (...parts: string[]): string => readFileSync(join(FIXTURES, ...parts), 'utf8');

/** Answers the recorded command lines; anything else fails the test (discovery asked for something unexpected). */
function recorded(answers: Record<string, string>): { runner: ToolRunner; asked: string[] } {
  const asked: string[] = [];
  const runner: ToolRunner = async (file, args) => {
    const line = [file, ...args].join(' ');
    asked.push(line);
    const stdout = answers[line];
    if (stdout === undefined) throw new Error(`unexpected command: ${line}`);
    return { code: 0, stdout, stderr: '' };
  };
  return { runner, asked };
}

function refusal(id: string, offered: MediaVolume[], refused: RefusedDisk[]): AirlockError {
  try {
    resolveMedium(id, offered, { forWrite: true }, refused);
  } catch (error) {
    if (error instanceof AirlockError) return error;
    throw error;
  }
  throw new Error(`${id} was accepted`);
}

describe('macOS: a named system disk or source disk is refused by name', () => {
  const macosTools = recorded({
    'diskutil list -plist external physical': fixture('macos', 'diskutil-list-external-physical.plist'),
    'diskutil info -plist disk4': fixture('macos', 'diskutil-info-disk4.plist'),
    'diskutil info -plist disk4s1': fixture('macos', 'diskutil-info-disk4s1.plist'),
    'diskutil info -plist disk5': fixture('macos', 'diskutil-info-disk5.plist'),
    'diskutil info -plist disk5s2': fixture('macos', 'diskutil-info-disk5s2.plist'),
  });
  const paths = (sources: string[], system: string[] = ['/', '/Users/op']): ProtectedPaths => ({ system, sources });

  it('discovery offers both sticks when they hold nothing protected', async () => {
    const { volumes, refused } = await discoverMacos(paths([]), macosTools.runner);
    expect(volumes.map((v) => v.mountPoint)).toEqual(['/Volumes/TRANSFER', '/Volumes/SD & CO']);
    expect(refused).toEqual([]);
  });

  it('the stick holding the sources: not offered, and naming it by device, label, mount point or disk gets MEDIA_HOLDS_SOURCES', async () => {
    const { volumes, refused } = await discoverMacos(paths(['/Volumes/TRANSFER/outgoing/q3']), macosTools.runner);
    expect(volumes.map((v) => v.mountPoint)).toEqual(['/Volumes/SD & CO']);
    expect(refused).toEqual([
      expect.objectContaining({ disk: '/dev/disk4', reason: 'sources', path: '/Volumes/TRANSFER/outgoing/q3', via: ['/dev/disk4s1', '/dev/disk4'] }),
    ]);
    for (const id of ['/dev/disk4s1', 'TRANSFER', 'transfer', '/Volumes/TRANSFER/', '/dev/disk4']) {
      const error = refusal(id, volumes, refused);
      expect(error.code, id).toBe('MEDIA_HOLDS_SOURCES');
      expect(error.message, id).toContain('/Volumes/TRANSFER/outgoing/q3, selected for this export');
      expect(error.data, id).toEqual({ disk: '/dev/disk4', path: '/Volumes/TRANSFER/outgoing/q3', via: '/dev/disk4s1 -> /dev/disk4' });
    }
    expect(resolveMedium('/Volumes/SD & CO', volumes, {}, refused).device).toBe('/dev/disk5s2');
    expect(refusal('NOSUCH', volumes, refused).code).toBe('MEDIA_NOT_FOUND');
  });

  it('an external disk holding a system path (the station home on the stick) gets MEDIA_IS_SYSTEM_DISK, also when it holds sources too', async () => {
    const { volumes, refused } = await discoverMacos(paths(['/Volumes/SD & CO/plans'], ['/', '/Volumes/SD & CO/airlock-home']), macosTools.runner);
    expect(volumes.map((v) => v.mountPoint)).toEqual(['/Volumes/TRANSFER']);
    const error = refusal('SD & CO', volumes, refused);
    expect(error.code).toBe('MEDIA_IS_SYSTEM_DISK');
    expect(error.data).toMatchObject({ disk: '/dev/disk5', path: '/Volumes/SD & CO/airlock-home' });
  });

  it('refuses the whole disk: its other volumes are neither offered nor accepted by name', () => {
    const info = (id: string) => parseDiskutilInfo(fixture('macos', `diskutil-info-${id}.plist`));
    const second = { ...info('disk4s1'), DeviceIdentifier: 'disk4s2', DeviceNode: '/dev/disk4s2', VolumeName: 'SECOND', MountPoint: '/Volumes/SECOND' };
    const { volumes, refused } = surveyDiskutil([{ disk: 'disk4', whole: info('disk4'), volumes: [info('disk4s1'), second] }], {
      system: ['/'],
      sources: ['/Volumes/TRANSFER/a.txt'],
    });
    expect(volumes).toEqual([]);
    expect(refusal('SECOND', volumes, refused).code).toBe('MEDIA_HOLDS_SOURCES');
  });

  it('a diskutil that fails or prints no plist leaves nothing offered and nothing refused', async () => {
    const broken = recorded({ 'diskutil list -plist external physical': 'not a plist' });
    expect(await discoverMacos(paths([]), broken.runner)).toEqual({ volumes: [], refused: [] });
  });
});

describe('Windows: a named system disk or source disk is refused by name', () => {
  const combined = JSON.stringify({
    disks: parsePowerShellJson(fixture('windows', 'get-disk.json')),
    partitions: parsePowerShellJson(fixture('windows', 'get-partition.json')),
    volumes: parsePowerShellJson(fixture('windows', 'get-volume.json')),
  });
  const line = `powershell.exe -NoProfile -NonInteractive -Command ${WINDOWS_LIST_SCRIPT}`;
  const tools = recorded({ [line]: `\uFEFF${combined}` });
  const paths = (sources: string[]): ProtectedPaths => ({ system: ['C:\\Users\\operator', 'C:\\Program Files\\Airlock'], sources });

  it('the boot disk: naming C:, its volume path or the disk gets MEDIA_IS_SYSTEM_DISK', async () => {
    const { volumes, refused } = await discoverWindows(paths([]), tools.runner);
    expect(tools.asked).toEqual([line]);
    expect(volumes.map((v) => v.id)).toEqual(['E:', 'F:']);
    expect(refused.map((r) => [r.disk, r.reason, r.path])).toEqual([['\\\\.\\PHYSICALDRIVE0', 'system', 'C:\\Users\\operator']]);
    for (const id of ['C:', 'C:\\', 'c:', '\\\\.\\PHYSICALDRIVE0', '\\\\?\\Volume{b3c2a1d0-0000-4000-8000-000000000002}\\']) {
      const error = refusal(id, volumes, refused);
      expect(error.code, id).toBe('MEDIA_IS_SYSTEM_DISK');
      expect(error.data, id).toEqual({ disk: '\\\\.\\PHYSICALDRIVE0', path: 'C:\\Users\\operator', via: 'C: -> \\\\.\\PHYSICALDRIVE0' });
    }
    // A data disk that is not removable is simply not a medium, as on Linux.
    expect(refusal('D:', volumes, refused).code).toBe('MEDIA_NOT_FOUND');
  });

  it('the stick holding the sources: naming it by letter, label or disk gets MEDIA_HOLDS_SOURCES; the card stays offered', async () => {
    const { volumes, refused } = await discoverWindows(paths(['e:\\outgoing\\q3']), tools.runner);
    expect(volumes.map((v) => v.id)).toEqual(['F:']);
    for (const id of ['E:', 'E:\\', 'TRANSFER', '\\\\.\\PHYSICALDRIVE1']) {
      const error = refusal(id, volumes, refused);
      expect(error.code, id).toBe('MEDIA_HOLDS_SOURCES');
      expect(error.message, id).toContain('e:\\outgoing\\q3, selected for this export');
      expect(error.data, id).toEqual({ disk: '\\\\.\\PHYSICALDRIVE1', path: 'e:\\outgoing\\q3', via: 'E: -> \\\\.\\PHYSICALDRIVE1' });
    }
    expect(resolveMedium('SDCARD', volumes, {}, refused).id).toBe('F:');
  });

  it('a boot disk without a protected path on it is refused for its boot flag, and sources on it keep it a system disk', () => {
    const listing = JSON.parse(combined) as Parameters<typeof surveyWindows>[0];
    const { refused } = surveyWindows(listing, { system: [], sources: ['C:\\data\\report.pdf'] });
    expect(refused).toEqual([expect.objectContaining({ disk: '\\\\.\\PHYSICALDRIVE0', reason: 'system', path: 'C:\\', via: ['C:', '\\\\.\\PHYSICALDRIVE0'] })]);
  });

  it('PowerShell failing leaves nothing offered and nothing refused', async () => {
    const failing: ToolRunner = async () => ({ code: 1, stdout: '', stderr: 'Get-Disk: access denied' });
    expect(await discoverWindows(paths([]), failing)).toEqual({ volumes: [], refused: [] });
  });
});
