/** Linux discovery: lsblk's device tree (udev's labels and serials), blkid where udev is absent. */
import type { MediaVolume } from '../../../../shared/media.js';
import { LSBLK_COLUMNS, LSBLK_COLUMNS_237, parseLsblk, volumesFromLsblk, type BlockDevice } from './lsblk-parse.js';
import { runTool } from '../os/run-tool.js';

/** The device tree, or [] when lsblk is missing or fails (then only declared roots are media). */
export async function readBlockDevices(): Promise<BlockDevice[]> {
  for (const columns of [LSBLK_COLUMNS_237, LSBLK_COLUMNS]) {
    let out;
    try {
      out = await runTool('lsblk', ['--json', '--bytes', '--output', columns.join(',')]);
    } catch {
      return [];
    }
    // util-linux before 2.37 does not know MOUNTPOINTS: retry with MOUNTPOINT alone.
    if (out.code !== 0) continue;
    try {
      return parseLsblk(out.stdout);
    } catch {
      return [];
    }
  }
  return [];
}

/** LABEL, TYPE and UUID straight from the device when udev has not recorded them (containers, no udevd). */
export async function probeBlkid(device: string): Promise<{ label: string | null; fstype: string | null; uuid: string | null }> {
  const none = { label: null, fstype: null, uuid: null };
  let out;
  try {
    out = await runTool('blkid', ['-o', 'export', device], { timeoutMs: 5_000 });
  } catch {
    return none;
  }
  if (out.code !== 0) return none;
  const fields = new Map(out.stdout.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const));
  return { label: fields.get('LABEL') || null, fstype: fields.get('TYPE') || null, uuid: fields.get('UUID') || null };
}

export async function discoverLinux(protectedPaths: readonly string[]): Promise<{ volumes: MediaVolume[]; tree: BlockDevice[] }> {
  const tree = await readBlockDevices();
  const volumes = volumesFromLsblk(tree, protectedPaths);
  for (const volume of volumes) {
    if (volume.filesystem === null && volume.device !== null) {
      const probed = await probeBlkid(volume.device);
      volume.filesystem = probed.fstype;
      volume.label ??= probed.label;
    }
  }
  return { volumes, tree };
}
