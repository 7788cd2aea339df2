/**
 * Hazard: an image graph that is not what a registry would take or what the sender meant — a media
 * type Airlock does not know where it stands, a manifest whose own mediaType contradicts its
 * descriptor, indexes nested without end, a blob nothing references (carried past every check
 * into the registry), a referrer whose subject is not in the bundle (OCI_GRAPH_INVALID). Loops
 * cannot be built with real hashes; test/unit/core/oci/graph-walk.test.ts walks one.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_TYPES } from '../../electron/core/oci/layout-format.js';
import type { BagPayloadFile } from '../helpers/hostile-tar.js';
import { addBlob, blobJson, editBlob, editFile, replaceBlob } from '../helpers/oci-bundle-edit.js';
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

type Desc = { mediaType: string; digest: string; size: number };
type Manifest = { mediaType: string; config: Desc; layers: Desc[]; subject?: Desc; artifactType?: string };
const m = (d: Record<string, unknown>): Manifest => d as unknown as Manifest;
const manifests = (d: Record<string, unknown>): Desc[] => d.manifests as Desc[];

describe('unknown media types', () => {
  it('a layer, a config, a platform manifest, an index.json entry, a manifest typed as a layer', async () => {
    const base = await fx.payload();
    const cases: Array<[string, () => BagPayloadFile[]]> = [
      ['a layer of an image manifest', () => editBlob(base, app.descriptor.digest, (d) => void (m(d).layers[1]!.mediaType = 'application/x-evil')).files],
      ['a layer typed as a config', () => editBlob(base, app.descriptor.digest, (d) => void (m(d).layers[0]!.mediaType = MEDIA_TYPES.ociConfig)).files],
      ['a config typed as a layer', () => editBlob(base, app.descriptor.digest, (d) => void (m(d).config.mediaType = MEDIA_TYPES.ociLayerGzip)).files],
      [
        'a platform manifest typed as a config',
        () => editBlob(base, tool.descriptor.digest, (d) => void (manifests(d)[0]!.mediaType = MEDIA_TYPES.ociConfig)).files,
      ],
      [
        'an index.json entry of an unknown type',
        () => editFile(base, 'data/oci/index.json', (d) => void (manifests(d)[2]!.mediaType = 'application/vnd.example+json')),
      ],
      ['a malformed media type', () => editBlob(base, app.descriptor.digest, (d) => void (m(d).layers[1]!.mediaType = 'not a media type')).files],
    ];
    for (const [what, build] of cases) await expect(expectRefused(fx, build(), ['OCI_GRAPH_INVALID']), what).resolves.toBeUndefined();
  });

  it("an artifact manifest (artifactType or subject) may carry any well-formed layer type: the baseline's referrer does", async () => {
    const base = await fx.payload();
    expect(m(blobJson(base, app.referrers[0]?.digest as string)).layers[0]?.mediaType).toBe('application/vnd.airlock.test.signature.v1+json');
    const result = await fx.verify(base);
    expect(result.problems).toEqual([]);
  });

  it('but not once it is no artifact any more (artifactType and subject removed, and the referrer tagged as an image)', async () => {
    const base = await fx.payload();
    const referrer = app.referrers[0]?.digest as string;
    const edited = editBlob(base, referrer, (d) => {
      delete d.artifactType;
      delete d.subject;
    });
    await expectRefused(fx, edited.files, ['OCI_GRAPH_INVALID']);
  });
});

describe("a manifest's own mediaType disagrees with its descriptor", () => {
  it('image manifest says Docker; index says image manifest; a platform manifest says index', async () => {
    const base = await fx.payload();
    const cases: Array<[string, BagPayloadFile[]]> = [
      ['image manifest claims Docker', editBlob(base, app.descriptor.digest, (d) => void (d.mediaType = MEDIA_TYPES.dockerManifest)).files],
      ['index claims image manifest', editBlob(base, tool.descriptor.digest, (d) => void (d.mediaType = MEDIA_TYPES.ociManifest)).files],
      ['platform manifest claims index', editBlob(base, tool.manifests[1]?.digest as string, (d) => void (d.mediaType = MEDIA_TYPES.ociIndex)).files],
      ['schemaVersion 1', editBlob(base, app.descriptor.digest, (d) => void (d.schemaVersion = 1)).files],
      ['layers not a list', editBlob(base, tool.manifests[0]?.digest as string, (d) => void (d.layers = {})).files],
    ];
    for (const [what, files] of cases) await expect(expectRefused(fx, files, ['OCI_GRAPH_INVALID']), what).resolves.toBeUndefined();
  });

  it('a descriptor typed as a manifest whose blob is not JSON (a layer named as a manifest)', async () => {
    const base = await fx.payload();
    const layer = m(blobJson(base, app.descriptor.digest)).layers[1] as Desc;
    const files = editBlob(base, tool.descriptor.digest, (d) => void manifests(d).push({ ...layer, mediaType: MEDIA_TYPES.ociManifest })).files;
    await expectRefused(fx, files, ['OCI_GRAPH_INVALID']);
  });
});

describe('indexes nested too deep', () => {
  it('tool-1.0 wrapped in 9 more indexes (depth 11 below index.json) is refused; wrapped in 2 it is not nesting that fails', async () => {
    const wrap = (files: BagPayloadFile[], times: number): BagPayloadFile[] => {
      let inner: Desc = { mediaType: MEDIA_TYPES.ociIndex, digest: tool.descriptor.digest, size: tool.descriptor.size };
      let out = files;
      for (let i = 0; i < times; i++) {
        const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [inner] }));
        const added = addBlob(out, bytes);
        out = added.files;
        inner = { mediaType: MEDIA_TYPES.ociIndex, digest: added.digest, size: bytes.length };
      }
      // index.json and airlock-images.json now name the outermost index.
      const outer = inner;
      out = editFile(out, 'data/oci/index.json', (d) => {
        const entry = manifests(d).find((x) => x.digest === tool.descriptor.digest) as Desc;
        entry.digest = outer.digest;
        entry.size = outer.size;
      });
      return editFile(out, 'data/oci/airlock-images.json', (d) => {
        const entry = (d.images as Array<{ digest: string; platforms: unknown[] }>).find((x) => x.digest === tool.descriptor.digest) as {
          digest: string;
          platforms: unknown[];
        };
        entry.digest = outer.digest;
        entry.platforms = [];
      });
    };
    const base = await fx.payload();
    await expectRefused(fx, wrap(base, 9), ['OCI_GRAPH_INVALID']);
    const result = await fx.verify(wrap(base, 9));
    expect(result.problems.some((p) => p.message.includes('nest deeper'))).toBe(true);
    const shallow = await fx.verify(wrap(base, 2));
    expect(shallow.problems).toEqual([]);
  });
});

describe('a blob nothing references', () => {
  it('random bytes, a stray manifest, an empty blob, every blob of an image dropped from index.json and airlock-images.json', async () => {
    const base = await fx.payload();
    const dropTool = editFile(
      editFile(base, 'data/oci/index.json', (d) => void (d.manifests = manifests(d).filter((x) => x.digest !== tool.descriptor.digest))),
      'data/oci/airlock-images.json',
      (d) => void (d.images = (d.images as Array<{ digest: string }>).filter((x) => x.digest !== tool.descriptor.digest)),
    );
    const cases: Array<[string, BagPayloadFile[]]> = [
      ['random bytes', addBlob(base, randomBytes(100)).files],
      ['a manifest no index names', addBlob(base, Buffer.from(JSON.stringify({ ...blobJson(base, app.descriptor.digest), annotations: { x: 'y' } }))).files],
      ['an empty blob', addBlob(base, Buffer.alloc(0)).files],
      ["a dropped image's blobs", dropTool],
    ];
    for (const [what, files] of cases) await expect(expectRefused(fx, files, ['OCI_GRAPH_INVALID']), what).resolves.toBeUndefined();
  });
});

describe('a referrer whose subject is not in the graph', () => {
  it('a subject digest no blob has; a subject that is a layer, not a manifest', async () => {
    const base = await fx.payload();
    const referrer = app.referrers[0]?.digest as string;
    const layer = m(blobJson(base, app.descriptor.digest)).layers[1] as Desc;
    const cases: Array<[string, BagPayloadFile[]]> = [
      [
        'unknown subject',
        editBlob(base, referrer, (d) => void (m(d).subject = { mediaType: MEDIA_TYPES.ociManifest, digest: `sha256:${'d'.repeat(64)}`, size: 5 })).files,
      ],
      ['a layer as subject', editBlob(base, referrer, (d) => void (m(d).subject = { ...layer, mediaType: MEDIA_TYPES.ociManifest })).files],
    ];
    for (const [what, files] of cases) {
      // airlock-images.json no longer lists the referrer for app (its subject is gone), and index.json still does.
      const fixed = editFile(files, 'data/oci/airlock-images.json', (d) => {
        for (const image of d.images as Array<{ referrers: string[] }>) image.referrers = [];
      });
      await expect(expectRefused(fx, fixed, ['OCI_GRAPH_INVALID']), what).resolves.toBeUndefined();
    }
  });
});

describe('a malformed manifest blob', () => {
  it('invalid JSON, a digest of another algorithm, a negative size', async () => {
    const base = await fx.payload();
    const cases: Array<[string, BagPayloadFile[]]> = [
      ['invalid JSON', replaceBlob(base, tool.manifests[0]?.digest as string, Buffer.from('{"schemaVersion": 2,')).files],
      ['a sha512 digest', editBlob(base, app.descriptor.digest, (d) => void (m(d).layers[1]!.digest = `sha512:${'a'.repeat(128)}`)).files],
      ['a negative size', editBlob(base, app.descriptor.digest, (d) => void (m(d).layers[1]!.size = -1)).files],
      ['a fractional size', editBlob(base, app.descriptor.digest, (d) => void (m(d).layers[1]!.size = 1.5)).files],
    ];
    for (const [what, files] of cases) await expect(expectRefused(fx, files, ['OCI_GRAPH_INVALID']), what).resolves.toBeUndefined();
  });
});

describe('JSON documents built to exhaust the reader', () => {
  it('a million nested lists as a descriptor field, in a manifest, in index.json and in airlock-images.json: a problem, not a crash', async () => {
    const base = await fx.payload();
    const deep = `${'['.repeat(500_000)}${']'.repeat(500_000)}`;
    const inManifest = (field: string): Buffer =>
      Buffer.from(JSON.stringify(blobJson(base, app.descriptor.digest)).replace(`"${field}":`, `"${field}":${deep},"x${field}":`));
    const cases: Array<[string, BagPayloadFile[]]> = [
      ['config', replaceBlob(base, app.descriptor.digest, inManifest('config')).files],
      ['layers', replaceBlob(base, app.descriptor.digest, inManifest('layers')).files],
      ['mediaType of a manifest', replaceBlob(base, app.descriptor.digest, inManifest('mediaType')).files],
    ];
    for (const [what, files] of cases) await expect(expectRefused(fx, files, ['OCI_GRAPH_INVALID']), what).resolves.toBeUndefined();
    const index = base.map((f) => (f.path === 'data/oci/index.json' ? { path: f.path, content: `{"schemaVersion":2,"manifests":${deep}}` } : f));
    await expectRefused(fx, index, ['OCI_GRAPH_INVALID']);
    const images = base.map((f) =>
      f.path === 'data/oci/airlock-images.json' ? { path: f.path, content: `{"airlockImages":1,"images":${deep},"expectedPresent":[]}` } : f,
    );
    await expectRefused(fx, images, ['OCI_GRAPH_INVALID']);
  });
});
