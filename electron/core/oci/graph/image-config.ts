/**
 * What an image manifest's config must say of the manifest for a pull to take it (image-spec
 * config.md): `rootfs.diff_ids`, one entry per layer, in order; and the platform an index names it
 * under must be the config's `os` and `architecture` (a client picks the manifest by the index's
 * word, then runs what the config describes). A client unpacking the image
 * checks each layer's uncompressed digest against its diff ID and refuses an image whose counts
 * differ ("mismatched rootfs and manifest layers"); a registry takes it all the same. So a count
 * that disagrees passes every digest of the bundle and fails only on the far side of the gap.
 * (The diff IDs themselves are digests of the uncompressed layers: checking them would mean
 * decompressing every layer, which verify does not do.)
 */
import { MEDIA_TYPES } from '../layout-format.js';
import { parseJsonBytes } from './documents.js';

/** Config types that are image configs (Helm's config and the empty descriptor have no rootfs). */
const IMAGE_CONFIG_TYPES: ReadonlySet<string> = new Set([MEDIA_TYPES.ociConfig, MEDIA_TYPES.dockerConfig]);

/** What the walk needs of an image config: its diff ID count (or why it has none), its os and architecture. */
export interface ImageConfigFacts {
  diffIds: number | string;
  os: string | undefined;
  architecture: string | undefined;
}

/**
 * An image config's facts; null for a config that is not an image config. `bytes`: the config
 * blob (the walk keeps it: a JSON object of at most 4 MiB). The walk asks once per config,
 * however many manifests share it.
 */
export function imageConfigFacts(configType: string, bytes: Buffer): ImageConfigFacts | null {
  if (!IMAGE_CONFIG_TYPES.has(configType)) return null;
  const json = parseJsonBytes(bytes, 'the config');
  if (typeof json === 'string') return { diffIds: json, os: undefined, architecture: undefined };
  const config = json.json as { rootfs?: unknown; os?: unknown; architecture?: unknown } | null;
  const rootfs = config?.rootfs as { diff_ids?: unknown } | undefined;
  const diffIds =
    typeof rootfs !== 'object' || rootfs === null || !Array.isArray(rootfs.diff_ids)
      ? 'the config has no rootfs.diff_ids list, which a pull needs to unpack the layers.'
      : rootfs.diff_ids.length;
  return {
    diffIds,
    os: typeof config?.os === 'string' ? config.os : undefined,
    architecture: typeof config?.architecture === 'string' ? config.architecture : undefined,
  };
}

/** Why a config's diff ID count (diffIdCount) disagrees with its manifest's `layerCount`; null when it agrees. */
export function configDisagreement(facts: ImageConfigFacts | null, layerCount: number): string | null {
  if (facts === null) return null;
  const count = facts.diffIds;
  if (typeof count === 'string') return count;
  if (count === layerCount) return null;
  return `the config lists ${count} layer diff ID(s) for ${layerCount} layer(s): a pull refuses an image whose counts differ.`;
}
