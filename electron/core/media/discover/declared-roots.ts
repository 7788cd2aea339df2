/**
 * Media declared in config.json (`mediaRoots`): folders that stand for removable media, such as
 * a data diode's receive folder or a test's loop mount. Each existing folder is listed as a
 * medium; on Linux its label, serial and file system come from the device behind its mount.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { MediaVolume } from '../../../../shared/media.js';
import { deviceByPath, deviceForMount, type BlockDevice } from './lsblk-parse.js';
import { mountOfPath } from '../os/mount-table.js';
import { probeBlkid } from './discover-linux.js';
import { measureVolume } from '../os/volume-space.js';

export async function declaredVolumes(roots: readonly string[], tree: readonly BlockDevice[]): Promise<MediaVolume[]> {
  const volumes: MediaVolume[] = [];
  for (const configured of roots) {
    const root = resolve(configured);
    const s = await stat(root).catch(() => null);
    if (!s?.isDirectory()) continue;
    const space = await measureVolume(root);
    let label: string | null = null;
    let serial: string | null = null;
    let vendor: string | null = null;
    let model: string | null = null;
    let filesystem = space.fstype;
    let disk: string | null = null;
    if (process.platform === 'linux') {
      const mount = await mountOfPath(root);
      const found = (space.device ? deviceByPath(tree, space.device) : null) ?? (mount ? deviceForMount(tree, mount.mountPoint) : null);
      if (found) {
        label = found.node.label;
        serial = found.disk.serial;
        vendor = found.disk.vendor;
        model = found.disk.model;
        disk = found.disk.path;
        if (found.node.fstype) filesystem = found.node.fstype;
      }
      if (space.device !== null && space.device.startsWith('/dev/') && (label === null || filesystem === null || space.fuse)) {
        const probed = await probeBlkid(space.device);
        label ??= probed.label;
        if (probed.fstype) filesystem = probed.fstype;
      }
    }
    volumes.push({
      id: root,
      device: space.device,
      disk,
      label,
      filesystem,
      size: space.size,
      free: space.free,
      mountPoint: root,
      vendor,
      model,
      serial,
      readOnly: space.readOnly,
      removable: false,
      source: 'config',
    });
  }
  return volumes;
}
