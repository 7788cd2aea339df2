/**
 * Hazard: a layer whose media type names another compression than its bytes have (a gzip layer
 * relabelled `tar+zstd` or plain `tar`, a plain tar named gzip, bytes of no layer format), or one
 * blob named with two compressions by two manifests. Every digest holds, so nothing but the bytes'
 * first block tells; the registry takes it, and the pull on the far side fails to unpack it
 * (OCI_GRAPH_INVALID). The same compression under an OCI and a Docker name is one layer, not a
 * hazard. Small blobs are judged from the chunks of the payload pass; a blob over 4 MiB (hashed on
 * the lanes, left in the bundle by a push-only import) from its first 512 bytes read again.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_TYPES } from '../../electron/core/oci/layout-format.js';
import { BundleBlobSink } from '../../electron/core/oci/push/bundle-blobs.js';
import { checkBundle, type PayloadSink } from '../../electron/core/verify/check-bundle.js';
import type { BagPayloadFile } from '../helpers/hostile-tar.js';
import { blobJson, blobPath, editBlob, fileAt, jsonAt, replaceBlob, sha256Digest } from '../helpers/oci-bundle-edit.js';
import { expectRefused, openOciFixture, type OciFixture } from '../helpers/oci-bundle.js';
import type { BuiltImage } from '../helpers/oci-test-image.js';
import { EVERY_FILE_ON_LANES } from '../helpers/verify-both-ways.js';

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
type Manifest = { layers: Desc[] };
const layersOf = (d: Record<string, unknown>): Desc[] => (d as unknown as Manifest).layers;

/** app-1.0's image manifest digest, as index.json now names it (blob edits move it). */
function appManifest(files: BagPayloadFile[]): string {
  const index = jsonAt(files, 'data/oci/index.json') as { manifests: Array<Desc & { annotations?: Record<string, string> }> };
  return index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === 'app-1.0')?.digest as string;
}

/** app's own layer (not shared): its digest and bytes. */
function ownLayer(files: BagPayloadFile[]): { digest: string; bytes: Buffer } {
  const digest = layersOf(blobJson(files, appManifest(files)))[1]?.digest as string;
  return { digest, bytes: Buffer.from(fileAt(files, blobPath(digest)).content) };
}

/** app's own layer named `mediaType` (its bytes unchanged). */
function renamed(files: BagPayloadFile[], mediaType: string): BagPayloadFile[] {
  return editBlob(files, appManifest(files), (d) => void (layersOf(d)[1]!.mediaType = mediaType)).files;
}

/** app's own layer replaced by `bytes`, named `mediaType`. */
function replaced(files: BagPayloadFile[], bytes: Buffer, mediaType: string): BagPayloadFile[] {
  return renamed(replaceBlob(files, ownLayer(files).digest, bytes).files, mediaType);
}

describe("a layer's media type names another compression than its bytes have", () => {
  it('gzip bytes named zstd or plain tar; tar bytes named gzip; bytes of no layer format named gzip: refused (verify, every pass)', async () => {
    const base = await fx.payload();
    const gzip = ownLayer(base).bytes;
    expect([...gzip.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    const tar = gunzipSync(gzip);
    const cases: Array<[string, BagPayloadFile[], RegExp]> = [
      ['gzip named tar+zstd', renamed(base, MEDIA_TYPES.ociLayerZstd), /\(zstd\), but its bytes are gzip/u],
      ['gzip named tar', renamed(base, MEDIA_TYPES.ociLayerTar), /\(tar\), but its bytes are gzip/u],
      ['tar named tar+gzip', replaced(base, tar, MEDIA_TYPES.ociLayerGzip), /\(gzip\), but its bytes are tar/u],
      ['text named tar+gzip', replaced(base, Buffer.from('not a layer at all\n'.repeat(64)), MEDIA_TYPES.ociLayerGzip), /none of gzip, zstd or tar/u],
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
    await expectRefused(fx, renamed(await fx.payload(), MEDIA_TYPES.ociLayerZstd), ['OCI_GRAPH_INVALID']);
  });

  it('honest: the same bytes under the name of their own compression pass (gzip as Docker gzip, tar as OCI tar)', async () => {
    const base = await fx.payload();
    const tar = gunzipSync(ownLayer(base).bytes);
    // (The layout as built, gzip under its OCI name, is oci-good-layout's case.)
    for (const files of [renamed(base, MEDIA_TYPES.dockerLayerGzip), replaced(base, tar, MEDIA_TYPES.ociLayerTar)])
      expect((await fx.verify(files)).problems).toEqual([]);
  });
});

describe('one layer blob named with two compressions by two manifests', () => {
  const base = async (): Promise<{ files: BagPayloadFile[]; shared: string }> => {
    const files = await fx.payload();
    return { files, shared: layersOf(blobJson(files, appManifest(files)))[0]?.digest as string };
  };
  /** The shared base layer renamed in tool's amd64 manifest only (app's manifest still names it gzip). */
  const renamedInTool = (files: BagPayloadFile[], shared: string, mediaType: string): BagPayloadFile[] =>
    editBlob(files, tool.manifests[0]?.digest as string, (d) => {
      const layer = layersOf(d).find((l) => l.digest === shared) as Desc;
      layer.mediaType = mediaType;
    }).files;

  it('gzip in one and zstd or tar in the other is refused', async () => {
    const { files, shared } = await base();
    // tool's index is walked after app's manifest (index.json's order): app names it gzip first.
    for (const type of [MEDIA_TYPES.ociLayerZstd, MEDIA_TYPES.ociLayerTar]) {
      const { problems } = await fx.verify(renamedInTool(files, shared, type));
      expect(
        problems.map((p) => p.code),
        type,
      ).toEqual(['OCI_GRAPH_INVALID']);
      expect(problems[0]?.message, type).toMatch(/names it application\/vnd\.oci\.image\.layer\.v1\.tar\+gzip \(gzip\)\. One blob has one compression/u);
    }
  });

  it('honest: gzip under its OCI name in one manifest and its Docker name in the other passes', async () => {
    const { files, shared } = await base();
    expect((await fx.verify(renamedInTool(files, shared, MEDIA_TYPES.dockerLayerGzip))).problems).toEqual([]);
  });
});

describe('a layer over 4 MiB: hashed on the lanes, its head read again from the bundle', () => {
  /** gzip's magic and header, then bytes enough to put the blob above the 4 MiB line. */
  const bigGzip = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0xff]), Buffer.alloc(4 * 1024 * 1024 + 4096, 0x5a)]);

  it('named zstd: refused by verify (every pass) and import', async () => {
    await expectRefused(fx, replaced(await fx.payload(), bigGzip, MEDIA_TYPES.ociLayerZstd), ['OCI_GRAPH_INVALID']);
  });

  it("named zstd: refused by a push-only import's pass, where the blob stays in the bundle file; named gzip it passes there", async () => {
    for (const [type, refused] of [
      [MEDIA_TYPES.ociLayerZstd, true],
      [MEDIA_TYPES.ociLayerGzip, false],
    ] as const) {
      const bundlePath = await fx.bundle(replaced(await fx.payload(), bigGzip, type));
      const sink = new BundleBlobSink(discardingSink(), bundlePath);
      const result = await checkBundle({ bundlePath, trusted: [fx.judge.signer.trusted], payloadSink: sink, payloadLanes: EVERY_FILE_ON_LANES });
      expect(result.problems.map((p) => p.code)).toEqual(refused ? ['OCI_GRAPH_INVALID'] : []);
      // Its head was read (not 'unread', which would refuse too): the message names what the bytes are.
      if (refused) expect(result.problems[0]?.message).toMatch(/\(zstd\), but its bytes are gzip/u);
      // The large blob was left in the bundle (located, never written): its head came from there.
      expect(sink.locate(sha256Digest(bigGzip))).toBeDefined();
    }
  });
});

/** A staging side that takes what it is given and keeps nothing. */
function discardingSink(): PayloadSink {
  return { openFile: () => Promise.resolve({ write: () => Promise.resolve(), close: () => Promise.resolve() }) };
}
