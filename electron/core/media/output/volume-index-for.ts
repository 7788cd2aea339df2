/**
 * The signed volume index written on each volume of a split export (docs/bundle-format.md): the
 * whole plan (every part, its volume and size), the hashes of the parts written so far, and on
 * the last volume the whole bundle's SHA-256, so any volume tells what is missing.
 */
import type { MediaWrittenFile } from '../../../../shared/media.js';
import { BUNDLE_SUFFIX } from '../../bundle/format.js';
import type { PlannedPart } from '../parts/part-plan.js';
import { INDEX_VERSION, type VolumeIndex } from '../parts/volume-index.js';
import type { VolumeState } from './volume-state.js';

export interface VolumeIndexInput {
  name: string;
  uuid: string | null;
  tagmanifestSha256: string;
  /** The whole archive's exact size. */
  exact: number;
  volumeCount: number;
  parts: PlannedPart[];
  fileName: (part: PlannedPart) => string;
  /** Every file written so far, on every volume. */
  written: MediaWrittenFile[];
  /** The volumes adopted so far (holes for those not inserted yet). */
  volumes: Array<VolumeState | undefined>;
}

export function volumeIndexFor(input: VolumeIndexInput, volume: VolumeState, last: boolean, wholeSha256: string | null): VolumeIndex {
  const hashes = new Map(input.written.filter((f) => f.kind === 'part').map((f) => [f.path.slice(f.path.lastIndexOf('/') + 1), f.sha256]));
  return {
    airlockIndex: INDEX_VERSION,
    name: input.name,
    bundle: {
      file: `${input.name}${BUNDLE_SUFFIX}`,
      size: input.exact,
      sha256: last ? wholeSha256 : null,
      tagmanifestSha256: input.tagmanifestSha256,
      uuid: input.uuid,
    },
    volume: volume.number,
    volumes: input.volumeCount,
    complete: last,
    media: input.volumes.filter((v) => v !== undefined).map((v) => ({ volume: v.number, label: v.medium.label, serial: v.medium.serial })),
    parts: input.parts.map((p) => ({
      file: input.fileName(p),
      number: p.number,
      size: p.size,
      sha256: hashes.get(input.fileName(p)) ?? null,
      volume: p.volume,
    })),
    created: new Date().toISOString(),
  };
}
