/**
 * Hazard: files in data/oci/ that are not the layout (a stray file, an upper-case blob name, a
 * blob under another algorithm, a name of the wrong length) or a layout missing a required file.
 * A reader that went by the file system instead of index.json could push them or trust them; they
 * are refused from the signed manifest alone, before any payload byte (OCI_GRAPH_INVALID).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BagPayloadFile } from '../helpers/hostile-tar.js';
import { BLOBS, sha256Digest, sorted } from '../helpers/oci-bundle-edit.js';
import { expectRefused, openOciFixture, type OciFixture } from '../helpers/oci-bundle.js';

let fx: OciFixture;
beforeAll(async () => {
  fx = await openOciFixture();
});
afterAll(async () => {
  await fx.close();
});

const blobPaths = (files: BagPayloadFile[]): string[] => files.filter((f) => f.path.startsWith(BLOBS)).map((f) => f.path);

describe('stray files under data/oci/', () => {
  it('beside index.json, in blobs/, beside a blob, a dotfile, a nested path under a blob name', async () => {
    const base = await fx.payload();
    const someBlob = blobPaths(base)[0] as string;
    for (const path of [
      'data/oci/README.txt',
      'data/oci/index.json.bak',
      'data/oci/blobs/notes.txt',
      `${someBlob}.partial`,
      `${BLOBS}.tmp-1`,
      'data/oci/blobs/sha256/x/y',
    ]) {
      await expect(expectRefused(fx, sorted([...base, { path, content: 'x' }]), ['OCI_GRAPH_INVALID']), path).resolves.toBeUndefined();
    }
  });

  it('the refusal names the stray file and comes before any payload byte is read', async () => {
    const result = await fx.verify(sorted([...(await fx.payload()), { path: 'data/oci/extra.json', content: '{}' }]));
    expect(result.problems.map((p) => [p.code, p.path])).toEqual([['OCI_GRAPH_INVALID', 'data/oci/extra.json']]);
    expect(result.files.counts.ok).toBe(0);
  });

  it('files outside data/oci/ are plain payload beside the images', async () => {
    const result = await fx.verify(sorted([...(await fx.payload()), { path: 'data/readme.txt', content: 'x' }, { path: 'data/ocix/a', content: 'y' }]));
    expect(result.problems).toEqual([]);
  });
});

describe('blob names that are not blobs/sha256/<64 lower-case hex>', () => {
  it('an upper-case hex name (a layer, a manifest, a config), a sha512 blob, 63 and 65 hex digits', async () => {
    const base = await fx.payload();
    const paths = blobPaths(base);
    const renamed = (from: string, to: string): BagPayloadFile[] => sorted(base.map((f) => (f.path === from ? { path: to, content: f.content } : f)));
    const upper = (p: string): string => BLOBS + p.slice(BLOBS.length).toUpperCase();
    const cases: Array<[string, BagPayloadFile[]]> = [
      ...paths.slice(0, 3).map((p): [string, BagPayloadFile[]] => [`upper-case ${p}`, renamed(p, upper(p))]),
      [
        'one upper-case digit',
        renamed(
          paths[1] as string,
          `${(paths[1] as string).slice(0, -1)}${(paths[1] as string).slice(-1).toUpperCase() === (paths[1] as string).slice(-1) ? 'A' : (paths[1] as string).slice(-1).toUpperCase()}`,
        ),
      ],
      ['a blob moved to blobs/sha512/', renamed(paths[0] as string, `data/oci/blobs/sha512/${'a'.repeat(128)}`)],
      ['an extra sha512 blob', sorted([...base, { path: `data/oci/blobs/sha512/${'b'.repeat(128)}`, content: 'x' }])],
      ['63 hex digits', renamed(paths[2] as string, (paths[2] as string).slice(0, -1))],
      ['65 hex digits', renamed(paths[2] as string, `${paths[2] as string}0`)],
      ['a sha256: prefix in the name', renamed(paths[2] as string, `${BLOBS}sha256:${(paths[2] as string).slice(BLOBS.length)}`)],
    ];
    for (const [what, files] of cases) await expect(expectRefused(fx, files, ['OCI_GRAPH_INVALID']), what).resolves.toBeUndefined();
  });

  it("a well-formed name that is another blob's hash is OCI_DIGEST_MISMATCH (the bytes were swapped, BagIt re-hashed)", async () => {
    const base = await fx.payload();
    const [a, b] = blobPaths(base) as [string, string];
    // Swapping names: each file now holds the other's bytes.
    const contents = new Map(base.map((f) => [f.path, f.content]));
    const files = sorted(
      base.map((f) => (f.path === a ? { path: a, content: contents.get(b) ?? '' } : f.path === b ? { path: b, content: contents.get(a) ?? '' } : f)),
    );
    expect(sha256Digest(Buffer.from(files.find((f) => f.path === a)?.content ?? '')).slice(7)).not.toBe(a.slice(BLOBS.length));
    await expectRefused(fx, files, ['OCI_DIGEST_MISMATCH']);
  });
});

describe('a layout without one of its required files', () => {
  it('no oci-layout; no airlock-images.json', async () => {
    const base = await fx.payload();
    for (const path of ['data/oci/oci-layout', 'data/oci/airlock-images.json'])
      await expect(
        expectRefused(
          fx,
          base.filter((f) => f.path !== path),
          ['OCI_GRAPH_INVALID'],
        ),
        path,
      ).resolves.toBeUndefined();
  });

  it('an oci-layout of another version, or not JSON', async () => {
    const base = await fx.payload();
    for (const content of ['{"imageLayoutVersion":"2.0.0"}', 'not json', '{}'])
      await expect(
        expectRefused(fx, sorted(base.map((f) => (f.path === 'data/oci/oci-layout' ? { path: f.path, content } : f))), ['OCI_GRAPH_INVALID']),
        content,
      ).resolves.toBeUndefined();
  });

  it('without index.json the bundle carries no images: data/oci/ is then plain payload (the manifest decides)', async () => {
    const result = await fx.verify((await fx.payload()).filter((f) => f.path !== 'data/oci/index.json'));
    expect(result.problems).toEqual([]);
    expect(result.images).toBeUndefined();
  });
});
