/**
 * What an image manifest's config must say of the manifest for a pull to take it (image-spec
 * config.md): `rootfs.diff_ids`, one entry per layer, in order. A client unpacking the image
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

/**
 * Why an image config disagrees with its manifest's `layerCount`, or null when it agrees or is
 * not an image config. `bytes`: the config blob (the walk keeps it: a JSON object of at most 4 MiB).
 */
export function configDisagreement(configType: string, bytes: Buffer, layerCount: number): string | null {
  if (!IMAGE_CONFIG_TYPES.has(configType)) return null;
  const json = parseJsonBytes(bytes, 'the config');
  if (typeof json === 'string') return json;
  const rootfs = (json.json as { rootfs?: unknown } | null)?.rootfs as { type?: unknown; diff_ids?: unknown } | undefined;
  if (typeof rootfs !== 'object' || rootfs === null || !Array.isArray(rootfs.diff_ids))
    return 'the config has no rootfs.diff_ids list, which a pull needs to unpack the layers.';
  if (rootfs.diff_ids.length !== layerCount)
    return `the config lists ${rootfs.diff_ids.length} layer diff ID(s) for ${layerCount} layer(s): a pull refuses an image whose counts differ.`;
  return null;
}
