/**
 * The CLI's report of an image bundle (issue #15.3): `verify` and `import` list each image as
 * `REPO:TAG  DIGEST  SIZE  PLATFORMS` and carry `images` in --json; a tampered layout is refused
 * with its OCI code by both. And the bundle is checkable by hand as docs/bundle-format.md §15
 * says: GNU tar, sha256sum, then skopeo reads the extracted layout by its tag. The bundle is made
 * with plain `airlock export` of a folder named `oci` holding a layout and its airlock-images.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractBundle } from '../../helpers/bag-tools.js';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { imagesFileFor } from '../../helpers/oci-images-file.js';
import { buildTestLayout, defaultTestImages, type BuiltLayout } from '../../helpers/oci-test-image.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let station: TestStation;
let layout: BuiltLayout;
let bundle: string;

beforeAll(async () => {
  const root = await makeTemp('airlock-images-cli-');
  await mkdir(join(root, 'station'));
  station = await createStation(join(root, 'station'));
  layout = await buildTestLayout(join(root, 'src', 'oci'), defaultTestImages(8192));
  await writeFile(join(layout.dir, 'airlock-images.json'), JSON.stringify(await imagesFileFor(layout), null, 2));
  const out = join(root, 'out');
  await mkdir(out);
  bundle = (await station.exportBundle(out, 'images', [layout.dir])).bundle.bundlePath;
});

describe('verify and import list the images', () => {
  it('verify: one line per image, REPO:TAG  DIGEST  SIZE  PLATFORMS', async () => {
    const result = await station.run(['verify', bundle]);
    expect(result.code, describeResult(result)).toBe(0);
    const app = layout.images[0];
    const tool = layout.images[1];
    expect(result.stdout).toContain('  Images: 2, every blob proven against its digest:\n');
    expect(result.stdout).toMatch(new RegExp(`\\n    test/app:app-1\\.0  ${app?.descriptor.digest}  [0-9.]+ [kKM]?i?B  linux/amd64  \\+1 referrer\\n`, 'u'));
    expect(result.stdout).toMatch(new RegExp(`\\n    test/tool:tool-1\\.0  ${tool?.descriptor.digest}  [0-9.]+ [kKM]?i?B  linux/amd64,linux/arm64/v8\\n`, 'u'));
  });

  it('verify --json and import --json carry images; import prints the same lines', async () => {
    const verified = await station.run(['verify', '--json', bundle]);
    const report = parseJson<{ images: Array<{ tag: string; digest: string; size: number; platforms: unknown[]; referrers: string[] }> }>(verified);
    expect(report.images.map((i) => i.tag)).toEqual(['app-1.0', 'tool-1.0']);
    const expected = await imagesFileFor(layout);
    expect(report.images.map((i) => i.size)).toEqual(expected.images.map((i) => i.size));
    const dest = await makeTemp('airlock-images-dest-');
    const imported = await station.run(['import', bundle, '--dest', dest]);
    expect(imported.code, describeResult(imported)).toBe(0);
    expect(imported.stdout).toContain('  Images: 2, every blob proven against its digest:\n');
    const dest2 = await makeTemp('airlock-images-dest-');
    const json = await station.run(['import', '--json', '--allow-replay', bundle, '--dest', dest2]);
    expect(parseJson<{ images: unknown[] }>(json).images).toHaveLength(2);
  });

  it('a plain bundle prints no Images line and has no images in --json', async () => {
    const root = await makeTemp('airlock-images-plain-');
    await writeFile(join(root, 'a.txt'), 'alpha\n');
    const plain = (await station.exportBundle(root, 'plain', [join(root, 'a.txt')])).bundle.bundlePath;
    const text = await station.run(['verify', plain]);
    expect(text.stdout).not.toContain('Images');
    expect(parseJson(await station.run(['verify', '--json', plain]))).not.toHaveProperty('images');
  });
});

describe('checkable by hand (docs/bundle-format.md §15)', () => {
  it('tar, sha256sum -c, then skopeo inspect oci:DIR/data/oci:TAG gives the digest the report lists', async () => {
    const dir = await makeTemp('airlock-images-x-');
    await extractBundle(bundle, dir);
    const bag = join(dir, 'images');
    execFileSync('sha256sum', ['--quiet', '-c', 'manifest-sha256.txt'], { cwd: bag });
    // Each blob's name is its SHA-256: the manifest line for it says so.
    const manifest = await readFile(join(bag, 'manifest-sha256.txt'), 'utf8');
    for (const line of manifest.split('\n').filter((l) => l.includes('data/oci/blobs/sha256/'))) {
      const [hash, path] = line.split('  ') as [string, string];
      expect(path.endsWith(hash)).toBe(true);
    }
    const raw = execFileSync('skopeo', ['inspect', '--raw', `oci:${join(bag, 'data', 'oci')}:tool-1.0`]);
    const { createHash } = await import('node:crypto');
    expect(`sha256:${createHash('sha256').update(raw).digest('hex')}`).toBe(layout.images[1]?.descriptor.digest);
  });
});
