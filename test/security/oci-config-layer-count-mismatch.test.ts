/**
 * Hazard: an image whose config does not describe its manifest's layers — `rootfs.diff_ids`
 * with one entry fewer or more than the layers, or no rootfs at all — passes every digest in the
 * bundle, is taken by the registry, and is refused by the client that pulls it on the far side
 * ("mismatched rootfs and manifest layers"). Verify and import refuse it (OCI_GRAPH_INVALID).
 * Honest: a layer named twice with its diff ID listed twice (Docker repeats its empty layer).
 * And an index naming a manifest under another platform than its config states (amd64 and arm64
 * swapped, airlock-images.json following the index): a client picks by the index and runs the
 * other platform's image.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BagPayloadFile } from '../helpers/hostile-tar.js';
import { blobJson, editBlob, editFile, jsonAt } from '../helpers/oci-bundle-edit.js';
import { expectRefused, openOciFixture, type OciFixture } from '../helpers/oci-bundle.js';
import { graphFindings } from '../helpers/oci-graph-findings.js';
import type { BuiltImage } from '../helpers/oci-test-image.js';

let fx: OciFixture;
let tool: BuiltImage;
beforeAll(async () => {
  fx = await openOciFixture();
  tool = fx.layout.images.find((i) => i.refName === 'tool-1.0') as BuiltImage;
});
afterAll(async () => {
  await fx.close();
});

type Desc = { mediaType: string; digest: string; size: number };
type Manifest = { config: Desc; layers: Desc[] };
type Config = { rootfs?: { type: string; diff_ids: string[] } };

/** app-1.0's image manifest digest, as index.json now names it (blob edits move it). */
function appManifest(files: BagPayloadFile[]): string {
  const index = jsonAt(files, 'data/oci/index.json') as { manifests: Array<Desc & { annotations?: Record<string, string> }> };
  return index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === 'app-1.0')?.digest as string;
}
const manifestOf = (files: BagPayloadFile[]): Manifest => blobJson(files, appManifest(files)) as unknown as Manifest;
const editConfig = (files: BagPayloadFile[], edit: (config: Config) => void): BagPayloadFile[] =>
  editBlob(files, manifestOf(files).config.digest, (d) => edit(d)).files;
const editManifest = (files: BagPayloadFile[], edit: (manifest: Manifest) => void): BagPayloadFile[] =>
  editBlob(files, appManifest(files), (d) => edit(d as unknown as Manifest)).files;

describe("an image config's rootfs.diff_ids against its manifest's layers", () => {
  it('one diff ID fewer, one more, a layer added to the manifest only, no rootfs: refused (verify, every pass)', async () => {
    const base = await fx.payload();
    const cases: Array<[string, BagPayloadFile[], RegExp]> = [
      ['a diff ID dropped', editConfig(base, (c) => void c.rootfs?.diff_ids.pop()), /lists 1 layer diff ID\(s\) for 2 layer\(s\)/u],
      ['a diff ID added', editConfig(base, (c) => void c.rootfs?.diff_ids.push(c.rootfs.diff_ids[0] as string)), /lists 3 layer diff ID\(s\) for 2/u],
      ['a layer added to the manifest', editManifest(base, (m) => void m.layers.push(m.layers[0] as Desc)), /lists 2 layer diff ID\(s\) for 3/u],
      ['no rootfs', editConfig(base, (c) => void delete c.rootfs), /no rootfs\.diff_ids list/u],
    ];
    for (const [what, files, message] of cases) {
      const { problems } = await fx.verify(files);
      expect(
        problems.map((p) => p.code),
        what,
      ).toEqual(['OCI_GRAPH_INVALID']);
      expect(problems[0]?.message, what).toMatch(message);
    }
  });

  it('and by import, with the same code', async () => {
    await expectRefused(
      fx,
      editConfig(await fx.payload(), (c) => void c.rootfs?.diff_ids.pop()),
      ['OCI_GRAPH_INVALID'],
    );
  });

  it('honest: a layer named twice, its diff ID listed twice, passes', async () => {
    const base = await fx.payload();
    const twice = editManifest(
      editConfig(base, (c) => void c.rootfs?.diff_ids.push(c.rootfs.diff_ids[0] as string)),
      (m) => void m.layers.push(m.layers[0] as Desc),
    );
    expect((await fx.verify(twice)).problems).toEqual([]);
  });
});

describe("an index's platform for a manifest against that manifest's config", () => {
  it('amd64 and arm64 swapped in the index (and in airlock-images.json): refused', async () => {
    type Platform = { os: string; architecture: string; variant?: string };
    const swap = (p: Platform): Platform =>
      p.architecture === 'amd64' ? { os: 'linux', architecture: 'arm64', variant: 'v8' } : { os: 'linux', architecture: 'amd64' };
    const edited = editBlob(await fx.payload(), tool.descriptor.digest, (d) => {
      for (const m of d.manifests as Array<{ platform: Platform }>) m.platform = swap(m.platform);
    });
    const files = editFile(edited.files, 'data/oci/airlock-images.json', (d) => {
      const entry = (d.images as Array<{ digest: string; platforms: Array<Platform & { digest: string }> }>).find((i) => i.digest === edited.digest);
      if (!entry) throw new Error('tool not declared');
      entry.platforms = entry.platforms.map((p) => ({ ...swap(p), digest: p.digest }));
    });
    const { problems } = await fx.verify(files);
    expect(problems.map((p) => p.code)).toEqual(['OCI_GRAPH_INVALID', 'OCI_GRAPH_INVALID']);
    expect(problems[0]?.message).toMatch(/as linux\/arm64; its config says linux\/amd64/u);
  });

  it("index.json's own descriptor naming app's manifest arm64 (its config says amd64): refused; amd64 passes", async () => {
    const base = await fx.payload();
    const withPlatform = (architecture: string): BagPayloadFile[] =>
      editFile(base, 'data/oci/index.json', (d) => {
        const top = (d.manifests as Array<Desc & { platform?: unknown }>).find((m) => m.digest === appManifest(base));
        if (!top) throw new Error('app not in index.json');
        top.platform = { os: 'linux', architecture };
      });
    expect(graphFindings(withPlatform('amd64'))).toEqual([]);
    const findings = graphFindings(withPlatform('arm64'));
    expect(findings.map((f) => [f.code, f.path])).toEqual([['OCI_GRAPH_INVALID', 'data/oci/index.json']]);
    expect(findings[0]?.detail).toMatch(/manifests\[\d\] of index\.json names .* as linux\/arm64; its config says linux\/amd64/u);
  });
});
