/**
 * Export of images from an OCI layout (#15.1/#15.2): the bundle still checks with tar, sha256sum
 * and gpg alone; skopeo reads the same manifest digests from the bundle's layout; blobs shared by
 * two images are stored once; referrers travel along; platform choice keeps or replaces digests.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult } from '../../helpers/cli-runner.js';
import { GnupgHome } from '../../helpers/gnupg.js';
import { buildTestLayout, defaultTestImages, type BuiltLayout } from '../../helpers/oci-test-image.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { blobNames, exportImages, imagesFile, sha256sumPasses, skopeoDigest, unpack } from './images-helpers.js';

const makeTemp = useTempDirs();
let root: string;
let station: TestStation;
let built: BuiltLayout;
let gnupg: GnupgHome;

beforeAll(async () => {
  root = await makeTemp('airlock-img-oci-');
  station = await createStation(root, 'Image Export Station');
  built = await buildTestLayout(join(root, 'layout'), defaultTestImages(64 * 1024));
  const exported = await station.run(['keys', 'export-public']);
  await writeFile(join(root, 'station.asc'), exported.stdout);
  gnupg = await GnupgHome.create();
  gnupg.importKeyFile(join(root, 'station.asc'));
});

afterAll(async () => {
  await gnupg?.close();
});

const image = (ref: string) => built.images.find((i) => i.refName === ref)!;

describe('export --image oci:DIR:TAG', () => {
  it('carries both images in one layout that tar, sha256sum, gpg and skopeo accept, every blob once', async () => {
    const out = await makeTemp('airlock-img-out-');
    const { json, result } = await exportImages(station, out, 'both', ['--image', `oci:${built.dir}:app-1.0`, '--image', `oci:${built.dir}:tool-1.0`]);
    const bag = unpack(json.bundle.bundlePath, out, 'both');
    sha256sumPasses(bag);
    const gpg = gnupg.verify(join(bag, 'tagmanifest-sha256.txt.asc'), join(bag, 'tagmanifest-sha256.txt'));
    expect(gpg.status, gpg.stderr).toBe(0);

    const layout = join(bag, 'data', 'oci');
    expect(skopeoDigest(layout, 'layout:app-1.0')).toBe(image('app-1.0').descriptor.digest);
    expect(skopeoDigest(layout, 'layout:tool-1.0')).toBe(image('tool-1.0').descriptor.digest);

    // The two images and the referrer reach every blob of the source layout; each is stored once.
    expect(await blobNames(bag)).toEqual([...built.blobs.keys()].map((d) => d.slice(7)).sort());
    const manifest = await readFile(join(bag, 'manifest-sha256.txt'), 'utf8');
    const blobLines = manifest.split('\n').filter((line) => line.includes('  data/oci/blobs/sha256/'));
    expect(blobLines).toHaveLength(built.blobs.size);
    // The base layer both images share: one line, one file.
    const layersOf = async (digest: string): Promise<string[]> =>
      (JSON.parse(await readFile(join(built.dir, 'blobs', 'sha256', digest.slice(7)), 'utf8')) as { layers: Array<{ digest: string }> }).layers.map(
        (l) => l.digest,
      );
    const appLayers = await layersOf(image('app-1.0').manifests[0]!.digest);
    const shared = (await layersOf(image('tool-1.0').manifests[0]!.digest)).filter((d) => appLayers.includes(d));
    expect(shared).toHaveLength(1);
    expect(blobLines.filter((line) => line.startsWith(shared[0]!.slice(7)))).toHaveLength(1);
    for (const line of blobLines) expect(line.slice(0, 64)).toBe(line.slice(-64));
    expect(json.bundle.images?.storedBlobs).toBe(built.blobs.size);
    expect(result.stderr).toBe('');

    const descriptor = await imagesFile(bag);
    expect(descriptor.expectedPresent).toEqual([]);
    const app = descriptor.images.find((i) => i.tag === 'app-1.0')!;
    expect(app).toMatchObject({ kind: 'image', source: `oci:${built.dir}:app-1.0`, repository: 'layout', digest: image('app-1.0').descriptor.digest });
    expect(app.platforms).toEqual([{ os: 'linux', architecture: 'amd64', digest: image('app-1.0').descriptor.digest }]);
    expect(app.referrers).toEqual(image('app-1.0').referrers.map((r) => r.digest));
    const tool = descriptor.images.find((i) => i.tag === 'tool-1.0')!;
    expect(tool.platforms.map((p) => p.digest)).toEqual(image('tool-1.0').manifests.map((m) => m.digest));
  });

  it('verifies with airlock and prints the images in the text summary', async () => {
    const out = await makeTemp('airlock-img-out-');
    const result = await station.run(['export', '--out', out, '--name', 'text', '--passphrase-file', station.passFile, '--image', `oci:${built.dir}:tool-1.0`]);
    expect(result.code, describeResult(result)).toBe(0);
    expect(result.stdout).toContain(`image layout:tool-1.0  ${image('tool-1.0').descriptor.digest}`);
    expect(result.stdout).toContain('linux/amd64 linux/arm64/v8');
    const verified = await station.verify(join(out, 'text.airlock.tar'));
    expect(verified.code, describeResult(verified.result)).toBe(0);
  });

  it('mixes plain files and images, and takes the ref name repo:tag as the target', async () => {
    const copy = join(await makeTemp('airlock-img-src-'), 'any');
    await cp(built.dir, copy, { recursive: true });
    const index = JSON.parse(await readFile(join(copy, 'index.json'), 'utf8')) as { manifests: Array<{ annotations?: Record<string, string> }> };
    for (const m of index.manifests)
      if (m.annotations?.['org.opencontainers.image.ref.name'] === 'app-1.0')
        m.annotations['org.opencontainers.image.ref.name'] = 'registry.example.org:5000/team/App:1.0';
    await writeFile(join(copy, 'index.json'), JSON.stringify(index));
    await writeFile(join(root, 'readme.txt'), 'release notes\n');
    const out = await makeTemp('airlock-img-out-');
    const { json } = await exportImages(station, out, 'mixed', [join(root, 'readme.txt'), '--image', `oci:${copy}:registry.example.org:5000/team/App:1.0`]);
    const bag = unpack(json.bundle.bundlePath, out, 'mixed');
    expect(await readFile(join(bag, 'data', 'readme.txt'), 'utf8')).toBe('release notes\n');
    const [entry] = (await imagesFile(bag)).images;
    expect(entry).toMatchObject({ repository: 'team/app', tag: '1.0', digest: image('app-1.0').descriptor.digest });
    expect(skopeoDigest(join(bag, 'data', 'oci'), 'team/app:1.0')).toBe(image('app-1.0').descriptor.digest);
  });
});

describe('--platform', () => {
  it('one platform of an index: that platform manifest itself, digest preserved', async () => {
    const out = await makeTemp('airlock-img-out-');
    const { json } = await exportImages(station, out, 'arm', ['--image', `oci:${built.dir}:tool-1.0`, '--platform', 'linux/arm64/v8']);
    const bag = unpack(json.bundle.bundlePath, out, 'arm');
    const verified = await station.verify(json.bundle.bundlePath);
    expect(verified.code, describeResult(verified.result)).toBe(0);
    const arm = image('tool-1.0').manifests[1]!;
    const [entry] = (await imagesFile(bag)).images;
    expect(entry).toMatchObject({ digest: arm.digest, mediaType: 'application/vnd.oci.image.manifest.v1+json' });
    expect(entry!.platforms).toEqual([{ os: 'linux', architecture: 'arm64', variant: 'v8', digest: arm.digest }]);
    expect(skopeoDigest(join(bag, 'data', 'oci'), 'layout:tool-1.0')).toBe(arm.digest);
    // The amd64 manifest and its own layer stay home.
    expect(await blobNames(bag)).not.toContain(image('tool-1.0').manifests[0]!.digest.slice(7));
    sha256sumPasses(bag);
  });

  it('several (not all) platforms: a new index of them, with a new digest', async () => {
    const three = await buildTestLayout(join(await makeTemp('airlock-img-src-'), 'multi'), {
      images: [
        {
          refName: 'multi-1.0',
          layers: [{ seed: 7, size: 4096 }],
          platforms: [
            { os: 'linux', architecture: 'amd64' },
            { os: 'linux', architecture: 'arm64', variant: 'v8' },
            { os: 'linux', architecture: 's390x' },
          ],
        },
      ],
    });
    const out = await makeTemp('airlock-img-out-');
    const { json } = await exportImages(station, out, 'two', ['--image', `oci:${three.dir}`, '--platform', 'linux/amd64', '--platform', 'linux/arm64']);
    const bag = unpack(json.bundle.bundlePath, out, 'two');
    const verified = await station.verify(json.bundle.bundlePath);
    expect(verified.code, describeResult(verified.result)).toBe(0);
    const [entry] = (await imagesFile(bag)).images;
    expect(entry!.digest).not.toBe(three.images[0]!.descriptor.digest);
    expect(entry!.platforms.map((p) => p.digest)).toEqual(three.images[0]!.manifests.slice(0, 2).map((m) => m.digest));
    expect(skopeoDigest(join(bag, 'data', 'oci'), 'multi:multi-1.0')).toBe(entry!.digest);
    expect(await blobNames(bag)).not.toContain(three.images[0]!.manifests[2]!.digest.slice(7));
  });

  it('a platform the image lacks: IMAGE_NOT_FOUND naming what it has', async () => {
    const out = await makeTemp('airlock-img-out-');
    const result = await station.run([
      'export',
      '--out',
      out,
      '--passphrase-file',
      station.passFile,
      '--image',
      `oci:${built.dir}:tool-1.0`,
      '--platform',
      'windows/amd64',
    ]);
    expect(result.code, describeResult(result)).toBe(3);
    expect(result.stderr).toContain('IMAGE_NOT_FOUND');
    expect(result.stderr).toContain('linux/arm64/v8');
  });
});
