/** Linux discovery: lsblk's device tree (udev's labels and serials), blkid where udev is absent. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { MediaVolume } from '../../../../shared/media.js';
import { LSBLK_COLUMNS, LSBLK_COLUMNS_237, parseLsblk, walk, type BlockDevice } from './lsblk-parse.js';
import { refusedFromLsblk, volumesFromLsblk, type ProtectedPaths, type RefusedDisk } from './protected-disks.js';
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
    let tree: BlockDevice[];
    try {
      tree = parseLsblk(out.stdout);
    } catch {
      return [];
    }
    await readLoopBackFiles(tree);
    return tree;
  }
  return [];
}

/**
 * Each loop device's backing file, where lsblk did not say (util-linux before 2.39 has no
 * BACK-FILE column): the kernel's /sys/block/loopN/loop/backing_file. A loop whose file cannot
 * be read keeps null (then only its own mounts count).
 */
async function readLoopBackFiles(tree: readonly BlockDevice[]): Promise<void> {
  const loops: BlockDevice[] = [];
  for (const root of tree)
    walk(root, (node) => {
      if (node.type === 'loop' && node.backFile === null) loops.push(node);
    });
  for (const loop of loops) {
    const text = await readFile(`/sys/block/${basename(loop.path)}/loop/backing_file`, 'utf8').catch(() => null);
    // The kernel appends " (deleted)" when the file was unlinked; it still lives on the same disk.
    const file = text?.trim().replace(/ \(deleted\)$/u, '') ?? '';
    if (file.startsWith('/')) loop.backFile = file;
  }
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

export async function discoverLinux(paths: ProtectedPaths): Promise<{ volumes: MediaVolume[]; refused: RefusedDisk[]; tree: BlockDevice[] }> {
  const tree = await readBlockDevices();
  const volumes = volumesFromLsblk(tree, paths);
  for (const volume of volumes) {
    if (volume.filesystem === null && volume.device !== null) {
      const probed = await probeBlkid(volume.device);
      volume.filesystem = probed.fstype;
      volume.label ??= probed.label;
    }
  }
  return { volumes, refused: refusedFromLsblk(tree, paths), tree };
}
