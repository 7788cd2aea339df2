/**
 * Hazard: an image blob that is not what its descriptor names — bytes altered (and the BagIt
 * manifest re-hashed over them, so BagIt alone passes: the digest no longer equals the blob's
 * name), a descriptor whose size differs from the blob's, a manifest pointing at a blob of another
 * size, a blob that is not there, and a layer over the station's file limit. Each at several
 * positions in the graph (layer, shared layer, config, platform manifest, index, referrer), and
 * each through verify and import, which must give the same codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedBag, tarOf, type BagPayloadFile } from '../helpers/hostile-tar.js';
import { blobJson, blobPath, editBlob, editFile, sorted } from '../helpers/oci-bundle-edit.js';
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

type Doc = { config: { digest: string; size: number }; layers: Array<{ digest: string; size: number; mediaType: string }> };
const manifestOf = (files: BagPayloadFile[], digest: string): Doc => blobJson(files, digest) as unknown as Doc;

/** Positions of blobs in the default layout, by what they are. */
function positions(files: BagPayloadFile[]): Array<[string, string]> {
  const appManifest = manifestOf(files, app.descriptor.digest);
  const armManifest = manifestOf(files, tool.manifests[1]?.digest as string);
  const referrer = manifestOf(files, app.referrers[0]?.digest as string);
  return [
    ['the shared base layer', appManifest.layers[0]?.digest as string],
    ["app's own layer", appManifest.layers[1]?.digest as string],
    ["app's config", appManifest.config.digest],
    ["the arm64 platform's own layer", armManifest.layers.at(-1)?.digest as string],
    ['the arm64 platform manifest', tool.manifests[1]?.digest as string],
    ["tool's image index", tool.descriptor.digest],
    ["app's image manifest", app.descriptor.digest],
    ['the referrer manifest', app.referrers[0]?.digest as string],
    ["the referrer's payload", referrer.layers[0]?.digest as string],
  ];
}

describe('tampered blob: bytes changed and BagIt re-hashed, so its digest is not its name', () => {
  it('is refused before any payload byte at every position, by verify and import alike (OCI_DIGEST_MISMATCH)', async () => {
    const base = await fx.payload();
    for (const [what, digest] of positions(base)) {
      const files = base.map((f) => {
        if (f.path !== blobPath(digest)) return f;
        const bytes = Buffer.from(f.content);
        const at = Math.floor(bytes.length / 2);
        bytes[at] = (bytes[at] as number) ^ 0x01;
        return { path: f.path, content: bytes };
      });
      await expect(expectRefused(fx, files, ['OCI_DIGEST_MISMATCH']), what).resolves.toBeUndefined();
    }
  });

  it('names the blob in the problem and reads no payload (no file counted as intact)', async () => {
    const base = await fx.payload();
    const digest = positions(base)[0]?.[1] as string;
    const files = base.map((f) => (f.path === blobPath(digest) ? { path: f.path, content: Buffer.concat([Buffer.from(f.content), Buffer.from('x')]) } : f));
    const result = await fx.verify(files);
    expect(result.problems.map((p) => [p.code, p.path])).toEqual([['OCI_DIGEST_MISMATCH', blobPath(digest)]]);
    expect(result.files.counts.ok).toBe(0);
  });
});

describe('descriptor size differs from the blob (OCI_DIGEST_MISMATCH)', () => {
  it('a layer, a config, a platform manifest in an index, a top descriptor in index.json, a referrer in index.json', async () => {
    const base = await fx.payload();
    const cases: Array<[string, () => BagPayloadFile[]]> = [
      ['a layer size +1 in a manifest', () => editBlob(base, app.descriptor.digest, (d) => void ((d as unknown as Doc).layers[1]!.size += 1)).files],
      [
        'a layer size -1 in a platform manifest',
        () => editBlob(base, tool.manifests[0]?.digest as string, (d) => void ((d as unknown as Doc).layers[0]!.size -= 1)).files,
      ],
      ['a config size', () => editBlob(base, app.descriptor.digest, (d) => void ((d as unknown as Doc).config.size += 7)).files],
      [
        'a platform manifest size in the index',
        () => editBlob(base, tool.descriptor.digest, (d) => void ((d.manifests as Array<{ size: number }>)[1]!.size += 1)).files,
      ],
      [
        'the image manifest size in index.json',
        () => editFile(base, 'data/oci/index.json', (d) => void ((d.manifests as Array<{ size: number }>)[0]!.size += 1)),
      ],
      ['the referrer size in index.json', () => editFile(base, 'data/oci/index.json', (d) => void ((d.manifests as Array<{ size: number }>)[1]!.size -= 1))],
      ['a size of zero', () => editBlob(base, app.descriptor.digest, (d) => void ((d as unknown as Doc).layers[0]!.size = 0)).files],
    ];
    for (const [what, build] of cases) await expect(expectRefused(fx, build(), ['OCI_DIGEST_MISMATCH']), what).resolves.toBeUndefined();
  });

  it('a manifest pointing at another blob of another size (that blob exists; the one it replaced is gone)', async () => {
    const base = await fx.payload();
    const appDoc = manifestOf(base, app.descriptor.digest);
    const own = appDoc.layers[1] as { digest: string };
    const toolOwn = manifestOf(base, tool.manifests[0]?.digest as string).layers[1] as { digest: string; size: number };
    expect(toolOwn.size).not.toBe(appDoc.layers[1]?.size);
    const edited = editBlob(base, app.descriptor.digest, (d) => void ((d as unknown as Doc).layers[1]!.digest = toolOwn.digest));
    const files = edited.files.filter((f) => f.path !== blobPath(own.digest));
    await expectRefused(fx, files, ['OCI_DIGEST_MISMATCH']);
  });
});

describe('missing blob: named by a descriptor, not in the bundle, not expected-present (OCI_BLOB_MISSING)', () => {
  it('a layer, the shared layer, a config, a referrer payload', async () => {
    const base = await fx.payload();
    const all = positions(base);
    for (const index of [0, 1, 2, 3, 8]) {
      const [what, digest] = all[index] as [string, string];
      const files = base.filter((f) => f.path !== blobPath(digest));
      await expect(expectRefused(fx, files, ['OCI_BLOB_MISSING']), what).resolves.toBeUndefined();
    }
  });

  it('a descriptor naming a digest that no blob has', async () => {
    const base = await fx.payload();
    const files = editBlob(base, app.referrers[0]?.digest as string, (d) => {
      (d as unknown as Doc).layers.push({ mediaType: 'application/vnd.airlock.test.signature.v1+json', digest: `sha256:${'e'.repeat(64)}`, size: 10 });
    }).files;
    await expectRefused(fx, files, ['OCI_BLOB_MISSING']);
  });

  it('listed in the signed manifest but absent from the archive is FILE_MISSING (the bag is incomplete), not also an OCI code', async () => {
    const base = await fx.payload();
    const digest = positions(base)[1]?.[1] as string;
    const bag = await signedBag(fx.judge.signer, sorted(base));
    const path = await fx.judge.write(tarOf([...bag.tagEntries, ...bag.payloadEntries.filter((e) => !e.path.endsWith(blobPath(digest)))]));
    expect(await fx.judge.verifyCodes(path)).toEqual(['FILE_MISSING']);
    expect(await fx.judge.importCodes(path)).toEqual(['FILE_MISSING']);
  });
});

describe('layer bigger than the station limit: LIMIT_EXCEEDED from the tar header, and nothing else', () => {
  it('the largest layer, then the two largest, over maxFileBytes', async () => {
    const base = await fx.payload();
    const sizes = [...new Set(fx.layout.blobs.values())].sort((a, b) => b - a);
    // Blob sizes, largest first: a limit of the n-th largest puts the n-1 larger ones over it.
    for (const over of [1, 2]) {
      const maxFileBytes = sizes[over] as number;
      expect(sizes[over - 1]).toBeGreaterThan(maxFileBytes);
      await expect(expectRefused(fx, base, ['LIMIT_EXCEEDED'], { limits: { maxFileBytes } }), `${over} over`).resolves.toBeUndefined();
    }
  });
});

describe('a blob altered after signing (BagIt not re-hashed): CHECKSUM_MISMATCH alone, not also graph findings below it', () => {
  it('a manifest, an index, a layer, airlock-images.json, index.json', async () => {
    const base = await fx.payload();
    const targets = [
      blobPath(app.descriptor.digest),
      blobPath(tool.descriptor.digest),
      positions(base)[1]?.[1] as string,
      'data/oci/airlock-images.json',
      'data/oci/index.json',
    ];
    for (const target of targets) {
      const path = target.startsWith('sha256:') ? blobPath(target) : target;
      const bag = await signedBag(fx.judge.signer, sorted(base));
      const entries = bag.payloadEntries.map((e) => {
        if (!e.path.endsWith(path)) return e;
        const body = Buffer.from(e.body ?? '');
        body[0] = (body[0] as number) ^ 0x20;
        return { ...e, body };
      });
      const bundlePath = await fx.judge.write(tarOf([...bag.tagEntries, ...entries]));
      expect(await fx.judge.verifyCodes(bundlePath), path).toEqual(['CHECKSUM_MISMATCH']);
      expect(await fx.judge.importCodes(bundlePath), path).toEqual(['CHECKSUM_MISMATCH']);
    }
  });
});
