/**
 * Which medium the operator meant: `--to-media ID` and `media verify|eject ID` accept the
 * device, the label or the mount point that `media list` shows. No match, several matches, an
 * unmounted or read-only medium each get their own error, naming what was found instead.
 */
import { resolve } from 'node:path';
import type { MediaVolume } from '../../../../shared/media.js';
import { AirlockError } from '../../errors.js';

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
      v.id === wanted ||
      v.device === wanted ||
      (v.mountPoint !== null && (trimSlash(v.mountPoint) === asPath || trimSlash(v.mountPoint).toLowerCase() === wanted.toLowerCase())),
  );
  if (exact.length > 0) return exact;
  return volumes.filter((v) => v.label !== null && v.label.toLowerCase() === wanted.toLowerCase());
}

export interface ResolveOptions {
  /** The medium must be mounted and writable. */
  forWrite?: boolean;
}

export function resolveMedium(id: string, volumes: readonly MediaVolume[], options: ResolveOptions = {}): MediaVolume {
  if (id.trim() === '') throw new AirlockError('USAGE', 'Name a medium: its device, label or mount point.', { data: { reason: 'medium-unnamed' } });
  const matches = matchMedia(id, volumes);
  if (matches.length === 0) {
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
