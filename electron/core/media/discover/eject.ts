/**
 * `airlock media eject ID`: flush, unmount and, where the OS can, power the medium off, saying
 * exactly what was done. Linux: udisksctl (unmount, then power-off of the whole disk) when it is
 * installed, else umount (fusermount -u for FUSE) and `eject` if present. macOS: diskutil eject.
 * Windows: the shell's Eject verb on the drive letter.
 */
import { realpath } from 'node:fs/promises';
import type { MediaRef, MediaVolume } from '../../../../shared/media.js';
import { AirlockError } from '../../errors.js';
import { mediaRef } from './medium-ref.js';
import { isFuse, mountOfPath } from '../os/mount-table.js';
import { haveTool, runTool } from '../os/run-tool.js';

export interface EjectResult {
  medium: MediaRef;
  /** What was done, in order, as an operator would say it. */
  actions: string[];
  /** The medium was unmounted (safe to remove). */
  unmounted: boolean;
  /** The device was powered off or ejected as well. */
  poweredOff: boolean;
}

async function must(what: string, file: string, args: string[]): Promise<void> {
  const out = await runTool(file, args, { timeoutMs: 60_000 }).catch((error: unknown) => ({ code: -1, stdout: '', stderr: (error as Error).message }));
  if (out.code !== 0) throw new AirlockError('MEDIA_EJECT_FAILED', `${what}: ${out.stderr.trim() || `${file} exited ${out.code}`}`);
}

export async function ejectMedium(medium: MediaVolume, platform: NodeJS.Platform = process.platform): Promise<EjectResult> {
  const ref = mediaRef(medium);
  const mountPoint = medium.mountPoint;
  if (mountPoint === null) throw new AirlockError('MEDIA_NOT_MOUNTED', `${medium.device ?? medium.id} is not mounted: nothing to eject.`);
  const actions: string[] = [];

  if (platform === 'darwin') {
    await must(`diskutil eject ${medium.disk ?? medium.device ?? mountPoint}`, 'diskutil', ['eject', medium.disk ?? medium.device ?? mountPoint]);
    return { medium: ref, actions: [`diskutil eject ${medium.disk ?? medium.device ?? mountPoint}`], unmounted: true, poweredOff: true };
  }
  if (platform === 'win32') {
    const letter = /^([A-Za-z]):/u.exec(mountPoint)?.[1];
    if (!letter) throw new AirlockError('MEDIA_EJECT_FAILED', `${mountPoint} has no drive letter.`);
    const script = `(New-Object -ComObject Shell.Application).Namespace(17).ParseName('${letter.toUpperCase()}:').InvokeVerb('Eject')`;
    await must(`Eject ${letter}:`, 'powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script]);
    return { medium: ref, actions: [`Shell "Eject" on ${letter.toUpperCase()}:`], unmounted: true, poweredOff: false };
  }

  const mount = await mountOfPath(mountPoint);
  const real = await realpath(mountPoint).catch(() => mountPoint);
  if (!mount || mount.mountPoint !== real) {
    throw new AirlockError(
      'MEDIA_EJECT_FAILED',
      `${mountPoint} is a folder on ${mount?.mountPoint ?? 'another file system'}, not a mounted medium: there is nothing to eject.`,
      { path: mountPoint },
    );
  }
  await must(`sync ${mountPoint}`, 'sync', ['-f', mountPoint]);
  actions.push(`flushed ${mountPoint} (sync -f)`);
  const device = medium.device;
  if (device !== null && device.startsWith('/dev/') && !isFuse(mount) && (await haveTool('udisksctl', ['help']))) {
    await must(`udisksctl unmount -b ${device}`, 'udisksctl', ['unmount', '-b', device]);
    actions.push(`unmounted ${device} (udisksctl unmount)`);
    const disk = medium.disk ?? device;
    const off = await runTool('udisksctl', ['power-off', '-b', disk]).catch(() => null);
    if (off && off.code === 0) {
      actions.push(`powered off ${disk} (udisksctl power-off)`);
      return { medium: ref, actions, unmounted: true, poweredOff: true };
    }
    actions.push(`could not power off ${disk}: ${off?.stderr.trim() || 'udisksctl failed'}; it is unmounted and safe to remove`);
    return { medium: ref, actions, unmounted: true, poweredOff: false };
  }
  if (isFuse(mount) && (await haveTool('fusermount', ['-V']))) {
    await must(`fusermount -u ${real}`, 'fusermount', ['-u', real]);
    actions.push(`unmounted ${real} (fusermount -u)`);
  } else {
    await must(`umount ${real}`, 'umount', [real]);
    actions.push(`unmounted ${real} (umount${(await haveTool('udisksctl', ['help'])) ? '' : '; udisksctl is not installed'})`);
  }
  let poweredOff = false;
  const disk = medium.disk;
  if (disk !== null && disk.startsWith('/dev/') && !/\/loop\d+$/u.test(disk) && (await haveTool('eject', ['--version']))) {
    const out = await runTool('eject', [disk]).catch(() => null);
    poweredOff = out?.code === 0;
    actions.push(
      poweredOff ? `ejected ${disk} (eject)` : `could not eject ${disk}: ${out?.stderr.trim() || 'eject failed'}; it is unmounted and safe to remove`,
    );
  } else {
    actions.push('not powered off (no udisksctl): the medium is unmounted and safe to remove');
  }
  return { medium: ref, actions, unmounted: true, poweredOff };
}
