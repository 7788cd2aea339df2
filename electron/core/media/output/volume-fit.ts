/**
 * Whether a medium can take volume N of an export: enough room for its parts (rounded up to the
 * file system's blocks, plus the margin and, for a split bundle, the index), no part larger than
 * its file system holds (FAT32's 4 GiB), and none of the names this export will write taken
 * already (compared as the file system compares them: FAT folds case).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AirlockError } from '../../errors.js';
import type { VolumeSpace } from '../os/volume-space.js';
import { INDEX_RESERVE_BYTES, MEDIA_MARGIN_BYTES, type PlannedPart, type VolumeRoom } from '../parts/part-plan.js';
import { foldsCase } from './fs-limits.js';
import { mediaError } from './media-errors.js';

export interface VolumeFitCheck {
  number: number;
  dir: string;
  /** The parts planned for this volume. */
  parts: PlannedPart[];
  space: VolumeSpace;
  room: VolumeRoom;
  split: boolean;
}

/** Throws MEDIA_TOO_SMALL when the volume lacks room or its file system cannot hold the largest part. */
export function assertVolumeFits({ number, dir, parts, space, room, split }: VolumeFitCheck): void {
  const needed =
    parts.reduce((n, p) => n + Math.ceil(p.size / space.blockBytes) * space.blockBytes, 0) + MEDIA_MARGIN_BYTES + (split ? INDEX_RESERVE_BYTES : 0);
  if (room.free < needed) {
    throw new AirlockError('MEDIA_TOO_SMALL', `${dir} has ${room.free} bytes free; volume ${number} needs ${needed}.`, { path: dir });
  }
  const biggest = Math.max(...parts.map((p) => p.size));
  if (room.maxPart !== null && biggest > room.maxPart) {
    throw new AirlockError(
      'MEDIA_TOO_SMALL',
      `${dir} is ${space.fstype ?? 'a file system'} and holds files of at most ${room.maxPart} bytes; volume ${number} needs a ${biggest}-byte part.`,
      { path: dir },
    );
  }
}

/** Throws OUTPUT_EXISTS naming the first of `names` the medium already holds: Airlock never overwrites. */
export async function assertNamesFree(dir: string, names: string[], fstype: string | null): Promise<void> {
  const entries = await readdir(dir).catch((error: unknown) => {
    throw mediaError(error, dir);
  });
  const fold = foldsCase(fstype) ? (s: string) => s.toLowerCase() : (s: string) => s;
  const present = new Set(entries.map(fold));
  for (const file of names) {
    if (present.has(fold(file))) throw new AirlockError('OUTPUT_EXISTS', join(dir, file), { path: join(dir, file) });
  }
}
