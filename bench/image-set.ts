/**
 * The images section's data: an OCI layout built by test/helpers/oci-test-image.ts (the same
 * reproducible builder the tests and scripts/make-test-image.ts use), about `bytes` of blobs.
 * Two images share a 2/8 base layer; each adds a 2/8 and a 1/8 layer of its own, and `tool-1.0` is
 * an index for linux/amd64 and linux/arm64/v8 (each platform adds a 4 KiB layer); `app-1.0`
 * carries a referrer. Layers are stored UNCOMPRESSED: their bytes are seeded pseudo-random, which
 * gzip cannot shrink, so gzip would only add a minute of generating (level 1, one core) and
 * change nothing that is measured (neither Airlock nor skopeo recompresses a layer it copies).
 */
import { buildTestLayout, type BuiltLayout, type TestLayoutSpec } from '../test/helpers/oci-test-image.js';

export const BENCH_IMAGE_TAGS = ['app-1.0', 'tool-1.0'] as const;

export function benchImageSpec(bytes: number): TestLayoutSpec {
  const eighth = Math.max(1, Math.floor(bytes / 8));
  const base = { seed: 1, size: 2 * eighth };
  return {
    compression: 'none',
    images: [
      { refName: 'app-1.0', layers: [base, { seed: 2, size: 2 * eighth }, { seed: 3, size: eighth }], withReferrer: true },
      {
        refName: 'tool-1.0',
        layers: [base, { seed: 4, size: 2 * eighth }, { seed: 5, size: eighth }],
        platforms: [
          { os: 'linux', architecture: 'amd64' },
          { os: 'linux', architecture: 'arm64', variant: 'v8' },
        ],
      },
    ],
  };
}

export interface BenchImageSet {
  layout: BuiltLayout;
  /** Every blob once. */
  bytes: number;
  blobs: number;
  layers: number;
}

export async function buildBenchImageSet(dir: string, bytes: number): Promise<BenchImageSet> {
  const spec = benchImageSpec(bytes);
  const layout = await buildTestLayout(dir, spec);
  let total = 0;
  for (const size of layout.blobs.values()) total += size;
  const layers = new Set(spec.images.flatMap((i) => i.layers.map((l) => l.seed))).size + 2; // + one small layer per platform of tool-1.0
  return { layout, bytes: total, blobs: layout.blobs.size, layers };
}
