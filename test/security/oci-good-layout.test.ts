/**
 * The baseline every OCI hazard test departs from: a bundle holding the default test layout (two
 * images sharing a base layer, one for two platforms, one with a referrer) verifies and imports,
 * and the report lists each image from the proven graph.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOciFixture, type OciFixture } from '../helpers/oci-bundle.js';
import { imagesFileFor } from '../helpers/oci-images-file.js';

let fx: OciFixture;
beforeAll(async () => {
  fx = await openOciFixture();
});
afterAll(async () => {
  await fx.close();
});

describe('a good image bundle', () => {
  it('verifies and lists every image with tag, platforms, digest, size and referrers', async () => {
    const result = await fx.verify(await fx.payload());
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    const app = fx.layout.images.find((i) => i.refName === 'app-1.0');
    const tool = fx.layout.images.find((i) => i.refName === 'tool-1.0');
    expect(result.images?.map((i) => [i.repository, i.tag, i.digest])).toEqual([
      ['test/app', 'app-1.0', app?.descriptor.digest],
      ['test/tool', 'tool-1.0', tool?.descriptor.digest],
    ]);
    expect(result.images?.[0]?.referrers).toEqual(app?.referrers.map((r) => r.digest));
    expect(result.images?.[0]?.platforms).toEqual([{ os: 'linux', architecture: 'amd64', variant: undefined, digest: app?.descriptor.digest }]);
    expect(result.images?.[1]?.platforms.map((p) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`)).toEqual(['linux/amd64', 'linux/arm64/v8']);
    // Size: every blob reachable from the image, each once (the shared base layer counted in both images).
    // (computed here from the layout's files, independently of the graph check)
    expect(result.images?.map((i) => i.size)).toEqual((await imagesFileFor(fx.layout)).images.map((i) => i.size));
  });

  it('imports, with the same image list', async () => {
    const result = await fx.import(await fx.payload());
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.images?.map((i) => i.tag)).toEqual(['app-1.0', 'tool-1.0']);
  });

  it('a bundle without data/oci/index.json carries no images: no images field', async () => {
    const result = await fx.verify([{ path: 'data/a.txt', content: 'alpha\n' }]);
    expect(result.ok).toBe(true);
    expect(result.images).toBeUndefined();
  });
});
