/**
 * Where each byte of the archive goes: one file when the bundle fits the first medium and its
 * file-size limit, else numbered parts filling each volume in turn (docs/bundle-format.md §14).
 * Pure arithmetic on exact sizes, so it is decided before anything is written.
 */
import { MIN_LAST_PART_BYTES } from './volume-index.js';

/** Kept free on every medium so a write never fills it to the last block. */
export const MEDIA_MARGIN_BYTES = 1 << 20;
/** Room kept on each volume of a split bundle for the volume index, its signature and directory entries. */
export const INDEX_RESERVE_BYTES = 256 * 1024;
/** No part smaller than this is cut to fill the end of a volume (the last part may be smaller). */
const MIN_FILL_PART_BYTES = 64 * 1024;

export interface VolumeRoom {
  /** Free bytes on the volume (for a medium not inserted yet: the capacity assumed for it). */
  free: number;
  /** Largest part the file system takes (multiple of 512), null for no limit. */
  maxPart: number | null;
  /** Allocation unit: a file occupies whole units. */
  block: number;
}

export interface PlannedPart {
  number: number;
  size: number;
  volume: number;
}

export type Layout =
  | { kind: 'single'; parts: [PlannedPart]; volumes: 1 }
  | { kind: 'split'; parts: PlannedPart[]; volumes: number }
  | { kind: 'too-small'; reason: string; volumesNeeded: number | null };

const floor512 = (n: number): number => Math.floor(n / 512) * 512;
const ceilTo = (n: number, unit: number): number => Math.ceil(n / unit) * unit;

/**
 * Lay out `total` archive bytes (a multiple of 512) over the `known` volumes, then over further
 * volumes of `assumed` room (null: no further volumes may be asked for). `partLimit` caps every
 * part (the operator's --part-size).
 */
export function planLayout(
  total: number,
  known: readonly VolumeRoom[],
  assumed: VolumeRoom | null,
  partLimit: number | null = null,
  maxVolumes = 1000,
): Layout {
  if (total <= 0 || total % 512 !== 0) throw new Error(`archive size ${total} is not a positive multiple of 512`);
  const limitOf = (room: VolumeRoom): number =>
    floor512(Math.min(room.maxPart ?? Number.POSITIVE_INFINITY, partLimit ?? Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER));
  const first = known[0];
  if (!first) throw new Error('no target volume');
  if (total <= limitOf(first) && ceilTo(total, first.block) <= first.free - MEDIA_MARGIN_BYTES) {
    return { kind: 'single', parts: [{ number: 1, size: total, volume: 1 }], volumes: 1 };
  }

  const parts: PlannedPart[] = [];
  const spaceLeft: number[] = [];
  let remaining = total;
  let volume = 0;
  while (remaining > 0) {
    volume += 1;
    const room = known[volume - 1] ?? assumed;
    if (!room || volume > maxVolumes) {
      const per = assumed ?? first;
      const perVolume = Math.max(0, per.free - MEDIA_MARGIN_BYTES - INDEX_RESERVE_BYTES);
      return {
        kind: 'too-small',
        reason: `${total} bytes need more room than the ${known.length === 1 ? '1 medium' : `${known.length} media`} given; ${remaining} bytes would be left over.`,
        volumesNeeded: perVolume > 0 ? volume - 1 + Math.ceil(remaining / perVolume) : null,
      };
    }
    let space = room.free - MEDIA_MARGIN_BYTES - INDEX_RESERVE_BYTES;
    const limit = limitOf(room);
    let placed = 0;
    while (remaining > 0) {
      const fits = floor512(space - room.block);
      const size = Math.min(remaining, limit, fits);
      if (size <= 0 || (size < MIN_FILL_PART_BYTES && size < remaining)) break;
      parts.push({ number: parts.length + 1, size, volume });
      space -= ceilTo(size, room.block);
      remaining -= size;
      placed += 1;
    }
    spaceLeft.push(space);
    if (placed === 0) {
      if (volume <= known.length)
        return { kind: 'too-small', reason: `Medium ${volume} has no room for a part (${Math.max(0, room.free)} bytes free).`, volumesNeeded: null };
      return { kind: 'too-small', reason: `A medium of ${assumed?.free ?? 0} bytes has no room for a part.`, volumesNeeded: null };
    }
  }

  // The last part holds at least the end-of-archive blocks and the last block of the last entry.
  const last = parts.at(-1) as PlannedPart;
  const previous = parts.at(-2);
  if (previous && last.size < MIN_LAST_PART_BYTES) {
    const shift = MIN_LAST_PART_BYTES - last.size;
    const lastRoom = spaceLeft[last.volume - 1] ?? 0;
    if (previous.size - shift < 512 || (previous.volume !== last.volume && lastRoom < shift + (known[last.volume - 1] ?? assumed ?? first).block)) {
      return { kind: 'too-small', reason: `The last part cannot be made ${MIN_LAST_PART_BYTES} bytes long.`, volumesNeeded: null };
    }
    previous.size -= shift;
    last.size += shift;
  }
  return { kind: 'split', parts, volumes: volume };
}
