/**
 * Which medium the operator meant: `--to-media ID` and `media verify|eject ID` accept the
 * device, the label or the mount point that `media list` shows. No match, several matches, an
 * unmounted or read-only medium each get their own error, naming what was found instead.
 */
import { resolve } from 'node:path';
import type { MediaVolume } from '../../../../shared/media.js';
import { AirlockError } from '../../errors.js';
import type { RefusedDisk } from './protected-disks.js';

function describe(v: MediaVolume): string {
  return [v.device ?? v.mountPoint ?? v.id, v.label ? `"${v.label}"` : null, v.mountPoint && v.mountPoint !== v.device ? `at ${v.mountPoint}` : null]
    .filter(Boolean)
    .join(' ');
}

export function describeMedia(volumes: readonly MediaVolume[]): string {
  return volumes.length === 0
    ? 'No removable media are inserted (and no mediaRoots are declared in config.json).'
    : `Media present: ${volumes.map(describe).join('; ')}.`;
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/[\\/]+$/u, '') : path;
}

/** The volumes `id` names: exact id, device or mount point first; else the label (case-insensitive, FAT labels are upper case). */
export function matchMedia(id: string, volumes: readonly MediaVolume[]): MediaVolume[] {
  const wanted = trimSlash(id.trim());
  const asPath = wanted.startsWith('/') ? resolve(wanted) : wanted;
  const exact = volumes.filter(
    (v) =>
      // Windows volume paths (\\?\Volume{...}\) end in a backslash, which `wanted` has lost.
      trimSlash(v.id) === wanted ||
      (v.device !== null && trimSlash(v.device) === wanted) ||
      (v.mountPoint !== null && (trimSlash(v.mountPoint) === asPath || trimSlash(v.mountPoint).toLowerCase() === wanted.toLowerCase())),
  );
  if (exact.length > 0) return exact;
  return volumes.filter((v) => v.label !== null && v.label.toLowerCase() === wanted.toLowerCase());
}

export interface ResolveOptions {
  /** The medium must be mounted and writable. */
  forWrite?: boolean;
}

/**
 * A request naming a disk Airlock never writes to: refused with why (MEDIA_IS_SYSTEM_DISK,
 * MEDIA_HOLDS_SOURCES), not "not found". Matched by the whole disk's path or by one of its volumes.
 */
export function assertNotRefused(id: string, refused: readonly RefusedDisk[]): void {
  const wanted = trimSlash(id.trim());
  const hit = refused.find((r) => r.disk === wanted || matchMedia(id, r.volumes).length > 0);
  if (!hit) return;
  const named = hit.volumes.find((v) => matchMedia(id, [v]).length > 0);
  const what = named ? describe(named) : hit.disk;
  const through = hit.via.length > 1 ? ` (through ${hit.via.join(' -> ')})` : '';
  const data = { disk: hit.disk, path: hit.path, via: hit.via.join(' -> ') };
  if (hit.reason === 'system')
    throw new AirlockError('MEDIA_IS_SYSTEM_DISK', `${what} is on ${hit.disk}, which holds ${hit.path}${through}.`, {
      path: named?.mountPoint ?? hit.disk,
      data,
    });
  throw new AirlockError('MEDIA_HOLDS_SOURCES', `${what} is on ${hit.disk}, which holds ${hit.path}, selected for this export${through}.`, {
    path: named?.mountPoint ?? hit.disk,
    data,
  });
}

export function resolveMedium(id: string, volumes: readonly MediaVolume[], options: ResolveOptions = {}, refused: readonly RefusedDisk[] = []): MediaVolume {
  if (id.trim() === '') throw new AirlockError('USAGE', 'Name a medium: its device, label or mount point.', { data: { reason: 'medium-unnamed' } });
  const matches = matchMedia(id, volumes);
  if (matches.length === 0) {
    assertNotRefused(id, refused);
    const device = /^\/dev\//u.test(id) ? ` ${id} is not a removable medium Airlock offers: system, internal and loop disks never are.` : '';
    throw new AirlockError('MEDIA_NOT_FOUND', `Nothing matches "${id}".${device} ${describeMedia(volumes)}`);
  }
  if (matches.length > 1)
    throw new AirlockError('MEDIA_AMBIGUOUS', `"${id}" matches ${matches.map(describe).join(' and ')}. Name one by its device or mount point.`);
  const medium = matches[0] as MediaVolume;
  if (medium.mountPoint === null) {
    throw new AirlockError(
      'MEDIA_NOT_MOUNTED',
      `${describe(medium)} is not mounted.${medium.device ? ` Mount it first, e.g. udisksctl mount -b ${medium.device}.` : ''}`,
      { path: medium.device ?? medium.id },
    );
  }
  if (options.forWrite && medium.readOnly) throw new AirlockError('MEDIA_READONLY', `${describe(medium)} is read-only.`, { path: medium.mountPoint });
  return medium;
}
