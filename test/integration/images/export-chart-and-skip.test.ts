/**
 * Charts as OCI artifacts (#15.1) and dedupe across the gap (#15.5): `--chart FILE.tgz` stores the
 * .tgz byte for byte as the Helm layer and lists the images its values name; `--skip-blobs-in`
 * leaves out blobs a receipt signed by a trusted far station says its registry holds, and refuses
 * an unsigned, untrusted, altered or registry-less receipt.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult } from '../../helpers/cli-runner.js';
import { GnupgHome } from '../../helpers/gnupg.js';
import { buildTestLayout, defaultTestImages, type BuiltLayout } from '../../helpers/oci-test-image.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { mustRun } from '../../helpers/tools.js';
import { blobNames, exportImages, imagesFile, sha256sumPasses, unpack } from './images-helpers.js';

const makeTemp = useTempDirs();
let root: string;
let station: TestStation;
let built: BuiltLayout;
let farGpg: GnupgHome;
let farFpr: string;
let strangerFpr: string;

beforeAll(async () => {
  root = await makeTemp('airlock-img-cs-');
  station = await createStation(root, 'Chart Skip Station');
  built = await buildTestLayout(join(root, 'layout'), defaultTestImages(32 * 1024));
  farGpg = await GnupgHome.create();
  farFpr = farGpg.generateKey('Far Station <far@example.org>');
  strangerFpr = farGpg.generateKey('Stranger <stranger@example.org>');
  const pub = await farGpg.writePublic(farFpr, join(root, 'far.asc'));
  const trusted = await station.run(['keys', 'trust', pub, '--fingerprint', farFpr, '--label', 'far station']);
  expect(trusted.code, describeResult(trusted)).toBe(0);
});

afterAll(async () => {
  await farGpg?.close();
});

async function makeChart(dir: string): Promise<string> {
  const chart = join(dir, 'mychart');
  await mkdir(chart, { recursive: true });
  await writeFile(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: mychart\nversion: 0.1.0+build.5\nappVersion: "2.0"\n');
  await writeFile(
    join(chart, 'values.yaml'),
    [
      'image:',
      '  repository: nginx',
      '  tag: "1.25"',
      'sidecar:',
      '  image: busybox:1.36',
      'api:',
      '  image:',
      '    registry: reg.example.org',
      '    repository: team/api',
      '    tag: v2',
      'replicas: 2',
      '',
    ].join('\n'),
  );
  const file = join(dir, 'mychart-0.1.0.tgz');
  mustRun('tar', ['-czf', file, '-C', dir, 'mychart']);
  return file;
}

describe('--chart FILE.tgz', () => {
  it('a Helm OCI artifact: config from Chart.yaml, the .tgz as its layer, images of the values listed', async () => {
    const dir = await makeTemp('airlock-img-chart-');
    const chart = await makeChart(dir);
    const out = await makeTemp('airlock-img-chart-out-');
    const result = await station.run(['export', '--out', out, '--name', 'chart', '--passphrase-file', station.passFile, '--chart', chart]);
    expect(result.code, describeResult(result)).toBe(0);
    expect(result.stdout).toContain('chart mychart:0.1.0_build.5');
    expect(result.stdout).toContain('nginx:1.25, busybox:1.36, reg.example.org/team/api:v2');
    expect(result.stdout).toContain('add them with --image');
    const bag = unpack(join(out, 'chart.airlock.tar'), out, 'chart');
    const verified = await station.verify(join(out, 'chart.airlock.tar'));
    expect(verified.code, describeResult(verified.result)).toBe(0);
    sha256sumPasses(bag);
    const [entry] = (await imagesFile(bag)).images;
    expect(entry).toMatchObject({
      kind: 'chart',
      repository: 'mychart',
      tag: '0.1.0_build.5',
      chartImages: ['nginx:1.25', 'busybox:1.36', 'reg.example.org/team/api:v2'],
    });
    const manifest = JSON.parse(await readFile(join(bag, 'data', 'oci', 'blobs', 'sha256', entry!.digest.slice(7)), 'utf8')) as {
      config: { mediaType: string; digest: string };
      layers: Array<{ mediaType: string; digest: string }>;
    };
    const tgzDigest = createHash('sha256')
      .update(await readFile(chart))
      .digest('hex');
    expect(manifest.layers).toEqual([
      { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', digest: `sha256:${tgzDigest}`, size: (await readFile(chart)).length },
    ]);
    expect(manifest.config.mediaType).toBe('application/vnd.cncf.helm.config.v1+json');
    const config = JSON.parse(await readFile(join(bag, 'data', 'oci', 'blobs', 'sha256', manifest.config.digest.slice(7)), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ apiVersion: 'v2', name: 'mychart', version: '0.1.0+build.5', appVersion: '2.0' });
  });

  it('an archive without Chart.yaml, or not gzip: refused with a code', async () => {
    const dir = await makeTemp('airlock-img-chart-bad-');
    await writeFile(join(dir, 'plain.txt'), 'x');
    mustRun('tar', ['-czf', join(dir, 'nochart.tgz'), '-C', dir, 'plain.txt']);
    const out = await makeTemp('airlock-img-chart-out-');
    const none = await station.run(['export', '--out', out, '--passphrase-file', station.passFile, '--chart', join(dir, 'nochart.tgz')]);
    expect(none.code, describeResult(none)).toBe(2);
    expect(none.stderr).toContain('IMAGE_SOURCE_INVALID');
    const notGzip = await station.run(['export', '--out', out, '--passphrase-file', station.passFile, '--chart', join(dir, 'plain.txt')]);
    expect(notGzip.code, describeResult(notGzip)).toBe(3);
    expect(notGzip.stderr).toContain('IMAGE_SOURCE_CORRUPT');
  });
});

describe('--skip-blobs-in RECEIPT.json', () => {
  const app = () => built.images.find((i) => i.refName === 'app-1.0')!;

  async function layersOfApp(): Promise<Array<{ digest: string; size: number; mediaType: string }>> {
    const manifest = JSON.parse(await readFile(join(built.dir, 'blobs', 'sha256', app().descriptor.digest.slice(7)), 'utf8')) as {
      layers: Array<{ digest: string; size: number; mediaType: string }>;
    };
    return manifest.layers;
  }

  async function receipt(
    dir: string,
    blobs: Array<{ digest: string; size: number; mediaType: string }>,
    options: { registry?: boolean } = {},
  ): Promise<string> {
    const file = join(dir, 'far.import-receipt.json');
    const body = {
      receipt: 'airlock-transfer-receipt',
      version: 1,
      kind: 'import',
      bundle: { name: 'earlier', uuid: null, tagmanifestSha256: null, path: '/media/earlier.airlock.tar' },
      signers: [],
      checks: [],
      files: 0,
      bytes: 0,
      destination: null,
      media: null,
      operator: 'far',
      station: 'far',
      startedAt: '2026-12-01T00:00:00.000Z',
      finishedAt: '2026-12-01T00:00:01.000Z',
      audit: { eventSeq: 1, eventHash: 'x', checkpoint: null },
      ...(options.registry === false
        ? {}
        : { registry: { target: '127.0.0.1:5000/mirror', images: [], blobsPresent: blobs.map((b) => ({ ...b, repository: 'mirror/layout' })) } }),
    };
    await writeFile(file, `${JSON.stringify(body, null, 2)}\n`);
    return file;
  }

  it('a receipt signed by the trusted far station: its blobs are left out and listed as expected-present', async () => {
    const dir = await makeTemp('airlock-img-skip-');
    const [base] = await layersOfApp();
    // A manifest listed there too stays in the bundle: the far side needs it to push.
    const file = await receipt(dir, [base!, { digest: app().descriptor.digest, size: app().descriptor.size, mediaType: app().descriptor.mediaType }]);
    farGpg.detachSign(farFpr, file, `${file}.asc`);
    const out = await makeTemp('airlock-img-skip-out-');
    const { json, result } = await exportImages(station, out, 'skip', ['--image', `oci:${built.dir}:app-1.0`, '--skip-blobs-in', file]);
    expect(json.bundle.images).toMatchObject({ skippedBlobs: 1, skippedBytes: base!.size });
    expect(result.stdout).not.toContain('left out'); // --json prints the object only
    const bag = unpack(json.bundle.bundlePath, out, 'skip');
    const verified = await station.verify(json.bundle.bundlePath);
    expect(verified.code, describeResult(verified.result)).toBe(0);
    sha256sumPasses(bag);
    const names = await blobNames(bag);
    expect(names).not.toContain(base!.digest.slice(7));
    expect(names).toContain(app().descriptor.digest.slice(7));
    expect((await imagesFile(bag)).expectedPresent).toEqual([{ ...base!, repository: 'mirror/layout' }]);

    const text = await station.run([
      'export',
      '--out',
      out,
      '--name',
      'skiptext',
      '--passphrase-file',
      station.passFile,
      '--image',
      `oci:${built.dir}:app-1.0`,
      '--skip-blobs-in',
      file,
    ]);
    expect(text.code, describeResult(text)).toBe(0);
    expect(text.stdout).toMatch(/1 blob \(.+\) left out: the far registry holds them/u);
  });

  const refusals: Array<[string, (dir: string, blobs: Array<{ digest: string; size: number; mediaType: string }>) => Promise<string>]> = [
    ['unsigned (no .asc)', (dir, blobs) => receipt(dir, blobs)],
    [
      'signed by a key the station does not trust',
      async (dir, blobs) => {
        const file = await receipt(dir, blobs);
        farGpg.detachSign(strangerFpr, file, `${file}.asc`);
        return file;
      },
    ],
    [
      'altered after signing',
      async (dir, blobs) => {
        const file = await receipt(dir, blobs);
        farGpg.detachSign(farFpr, file, `${file}.asc`);
        await writeFile(file, (await readFile(file, 'utf8')).replace('mirror/layout', 'mirror/other'));
        return file;
      },
    ],
    [
      'signed but without a registry section',
      async (dir, blobs) => {
        const file = await receipt(dir, blobs, { registry: false });
        farGpg.detachSign(farFpr, file, `${file}.asc`);
        return file;
      },
    ],
  ];
  for (const [what, make] of refusals) {
    it(`a receipt ${what}: RECEIPT_INVALID, nothing published`, async () => {
      const dir = await makeTemp('airlock-img-skip-bad-');
      const file = await make(dir, await layersOfApp());
      const out = await makeTemp('airlock-img-skip-out-');
      const result = await station.run([
        'export',
        '--out',
        out,
        '--passphrase-file',
        station.passFile,
        '--image',
        `oci:${built.dir}:app-1.0`,
        '--skip-blobs-in',
        file,
      ]);
      expect(result.code, describeResult(result)).toBe(3);
      expect(result.stderr).toContain('RECEIPT_INVALID');
      expect(result.stderr).toMatch(/^\s*Next: .*--skip-blobs-in/mu);
      expect(mustRun('ls', ['-A', out]).stdout).toBe('');
    });
  }
});
