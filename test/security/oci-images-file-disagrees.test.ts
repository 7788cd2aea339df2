/**
 * Hazard: airlock-images.json — what the operator is shown and what import pushes under which
 * name — saying something the graph does not: another digest, tag, platform set or referrer set
 * than index.json and the manifests prove; an image index.json tags but the file does not
 * declare; a malformed file. And expected-present blobs (--skip-blobs-in): a declared layer may
 * be absent, but nothing else about it may be off (OCI_GRAPH_INVALID, OCI_DIGEST_MISMATCH).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_TYPES } from '../../electron/core/oci/layout-format.js';
import type { BagPayloadFile } from '../helpers/hostile-tar.js';
import { blobJson, blobPath, editFile, sorted } from '../helpers/oci-bundle-edit.js';
import { expectRefused, openOciFixture, type OciFixture } from '../helpers/oci-bundle.js';
import type { BuiltImage } from '../helpers/oci-test-image.js';

let fx: OciFixture;
let app: BuiltImage;
let tool: BuiltImage;
beforeAll(async () => {
  fx = await openOciFixture();
  app = fx.layout.images.find((i) => i.refName === 'app-1.0') as BuiltImage;
  tool = fx.layout.images.find((i) => i.refName === 'tool-1.0') as BuiltImage;
});
afterAll(async () => {
  await fx.close();
});

interface Entry {
  repository: string;
  tag: string | null;
  digest: string;
  mediaType: string;
  platforms: Array<{ os: string; architecture: string; variant?: string; digest: string }>;
  referrers: string[];
}
type Desc = { mediaType: string; digest: string; size: number; annotations?: Record<string, string> };
const IMAGES = 'data/oci/airlock-images.json';
const entries = (d: Record<string, unknown>): Entry[] => d.images as Entry[];
const onImages = (files: BagPayloadFile[], edit: (images: Entry[], doc: Record<string, unknown>) => void): BagPayloadFile[] =>
  editFile(files, IMAGES, (d) => edit(entries(d), d));

describe('airlock-images.json disagrees with index.json and the graph', () => {
  it('digests, tags, platforms, referrers, media types, duplicates, undeclared images (each image in turn)', async () => {
    const base = await fx.payload();
    const cases: Array<[string, BagPayloadFile[]]> = [];
    for (const at of [0, 1]) {
      const other = at === 0 ? tool : app;
      cases.push(
        [`#${at}: digest of the other image`, onImages(base, (i) => void (i[at]!.digest = other.descriptor.digest))],
        [`#${at}: digest of a platform manifest`, onImages(base, (i) => void (i[at]!.digest = tool.manifests[1]?.digest as string))],
        [`#${at}: digest nothing has`, onImages(base, (i) => void (i[at]!.digest = `sha256:${'c'.repeat(64)}`))],
        [`#${at}: another tag`, onImages(base, (i) => void (i[at]!.tag = 'latest'))],
        [`#${at}: a platform dropped`, onImages(base, (i) => void i[at]!.platforms.pop())],
        [`#${at}: a platform added`, onImages(base, (i) => void i[at]!.platforms.push({ os: 'windows', architecture: 'amd64', digest: i[at]!.digest }))],
        [`#${at}: an architecture changed`, onImages(base, (i) => void (i[at]!.platforms[0]!.architecture = 's390x'))],
        [`#${at}: a variant added`, onImages(base, (i) => void (i[at]!.platforms[0]!.variant = 'v7'))],
        [`#${at}: another media type`, onImages(base, (i) => void (i[at]!.mediaType = at === 0 ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.ociManifest))],
        [`#${at}: a referrer claimed that is not one`, onImages(base, (i) => void i[at]!.referrers.push(tool.manifests[0]?.digest as string))],
        [`#${at}: listed twice`, onImages(base, (i) => void i.push({ ...i[at]! }))],
      );
    }
    cases.push(
      ["app's referrer left out", onImages(base, (i) => void (i[0]!.referrers = []))],
      ["app's referrer claimed by tool instead", onImages(base, (i) => void ((i[1]!.referrers = i[0]!.referrers), (i[0]!.referrers = [])))],
      ['tool not declared', onImages(base, (i, d) => void (d.images = i.slice(0, 1)))],
      [
        'index.json tags an image twice, once under a tag not declared',
        editFile(base, 'data/oci/index.json', (d) => {
          const list = d.manifests as Desc[];
          list.push({ ...(list[0] as Desc), annotations: { 'org.opencontainers.image.ref.name': 'app-evil' } });
        }),
      ],
      ['not JSON', sorted(base.map((f) => (f.path === IMAGES ? { path: IMAGES, content: '{"airlockImages": 1,' } : f)))],
      ['another schema version', editFile(base, IMAGES, (d) => void (d.airlockImages = 2))],
      ['an unknown field', editFile(base, IMAGES, (d) => void (d.pushTo = 'elsewhere'))],
      ['a repository with upper case', onImages(base, (i) => void (i[0]!.repository = 'Team/App'))],
      ['no images', onImages(base, (i, d) => void (d.images = []))],
    );
    for (const [what, files] of cases) await expect(expectRefused(fx, files, ['OCI_GRAPH_INVALID'], { path: IMAGES }), what).resolves.toBeUndefined();
  });

  it('index.json may tag an image `repository:tag` as well as `tag`; an image may travel by digest only (tag null, untagged in index.json)', async () => {
    const base = await fx.payload();
    const longTag = editFile(base, 'data/oci/index.json', (d) => {
      const first = (d.manifests as Desc[])[0] as Desc;
      first.annotations = { 'org.opencontainers.image.ref.name': 'test/app:app-1.0' };
    });
    expect((await fx.verify(longTag)).problems).toEqual([]);
    const byDigest = onImages(
      editFile(base, 'data/oci/index.json', (d) => void delete (d.manifests as Desc[])[0]!.annotations),
      (i) => void (i[0]!.tag = null),
    );
    const result = await fx.verify(byDigest);
    expect(result.problems).toEqual([]);
    expect(result.images?.[0]?.tag).toBeNull();
  });
});

describe('expected-present blobs (--skip-blobs-in)', () => {
  const declare = (files: BagPayloadFile[], blob: { digest: string; size: number; mediaType: string }, keep = false): BagPayloadFile[] => {
    const { digest, size, mediaType } = blob;
    const out = editFile(files, IMAGES, (d) => void (d.expectedPresent as unknown[]).push({ digest, size, mediaType, repository: 'test/app' }));
    return keep ? out : out.filter((f) => f.path !== blobPath(blob.digest));
  };
  const layerOf = (files: BagPayloadFile[], manifest: string, i: number): Desc => (blobJson(files, manifest).layers as Desc[])[i] as Desc;

  it('a layer declared expected-present may be missing: the bundle verifies and imports (the shared base layer; a layer of each image)', async () => {
    const base = await fx.payload();
    for (const [manifest, i] of [
      [app.descriptor.digest, 0],
      [app.descriptor.digest, 1],
      [tool.manifests[1]?.digest as string, 2],
    ] as const) {
      const files = declare(base, layerOf(base, manifest, i));
      const verified = await fx.verify(files);
      expect(verified.problems).toEqual([]);
      const imported = await fx.import(files);
      expect(imported.problems).toEqual([]);
      expect(imported.ok).toBe(true);
    }
  });

  it('two layers declared, both left out', async () => {
    const base = await fx.payload();
    const files = declare(declare(base, layerOf(base, app.descriptor.digest, 0)), layerOf(base, app.descriptor.digest, 1));
    expect((await fx.verify(files)).problems).toEqual([]);
  });

  it('refused: declared with another size; another media type; a config or a manifest declared; declared yet carried; declared and unused; declared twice', async () => {
    const base = await fx.payload();
    const layer = layerOf(base, app.descriptor.digest, 1);
    const config = blobJson(base, app.descriptor.digest).config as Desc;
    await expectRefused(fx, declare(base, { ...layer, size: layer.size + 1 }), ['OCI_DIGEST_MISMATCH'], { message: /declares it expected-present with/u });
    const cases: Array<[string, BagPayloadFile[], RegExp]> = [
      ['another media type', declare(base, { ...layer, mediaType: MEDIA_TYPES.ociLayerTar }), /declares it expected-present as/u],
      ['a config', declare(base, config), /only layers may be left out/u],
      ['a platform manifest', declare(base, { ...(tool.manifests[0] as Desc) }), /only layers may be left out/u],
      ['declared yet carried', declare(base, layer, true), /but the bundle carries it/u],
      [
        'declared, referenced by nothing',
        declare(base, { digest: `sha256:${'f'.repeat(64)}`, size: 10, mediaType: MEDIA_TYPES.ociLayerGzip }),
        /no image refers to it/u,
      ],
      ['declared twice', declare(declare(base, layer), layer), /expected-present twice/u],
    ];
    for (const [what, files, message] of cases) await expect(expectRefused(fx, files, ['OCI_GRAPH_INVALID'], { message }), what).resolves.toBeUndefined();
  });
});
