/**
 * Images through the two-person rule (#15.1 with the prepare/approve/finish of the two-person
 * export): prepare pulls a docker:// image from a real registry (distribution 2.8 on 127.0.0.1)
 * and copies an oci: layout into the staged export, laid out as the bundle's data/oci/ will be;
 * the approver is shown repository, tag, digest, platforms and size beside the files; finish
 * writes what was approved even after the registry tag moved and the source layout was deleted;
 * a 2-of-2 receiving station accepts it with the same digests; the prepare, approve, export and
 * the receiver's verify events name the images. A prepare that fails leaves no staged folder.
 */
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { GnupgHome } from '../../helpers/gnupg.js';
import { buildTestLayout, defaultTestImages, type BuiltLayout } from '../../helpers/oci-test-image.js';
import { useRegistryServer } from '../../helpers/registry-server.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { mustRun } from '../../helpers/tools.js';
import { imagesFile, sha256sumPasses, skopeoDigest, unpack } from './images-helpers.js';

const registry = useRegistryServer();
const tempDir = useTempDirs();
let operator: TestStation;
let reviewer: TestStation;
let receiver: TestStation;
let built: BuiltLayout;
let payload: string;

interface StagedImage {
  kind: string;
  repository: string;
  tag: string | null;
  digest: string;
  size: number;
  platforms: Array<{ os: string; architecture: string; variant?: string; digest: string }>;
}
interface Staged {
  stagedDir: string;
  name: string;
  files: Array<{ path: string }>;
  signatures: Array<{ fingerprint: string }>;
  images?: { images: StagedImage[]; storedBlobs: number };
}
interface AuditEvents {
  events: Array<{
    type: string;
    outcome: string;
    bundleName: string | null;
    details: { images?: Array<{ repository: string; tag: string | null; digest: string }> };
  }>;
}

const tool = () => built.images.find((i) => i.refName === 'tool-1.0')!;
const app = () => built.images.find((i) => i.refName === 'app-1.0')!;

async function publicKeyFile(station: TestStation): Promise<string> {
  const file = join(await tempDir('airlock-2p-img-pub-'), 'key.asc');
  await writeFile(file, (await station.run(['keys', 'export-public'])).stdout);
  return file;
}

async function prepare(name: string, args: readonly string[]): Promise<Staged> {
  const result = await operator.run(['export', '--prepare', '--name', name, '--passphrase-file', operator.passFile, '--json', ...args]);
  expect(result.code, describeResult(result)).toBe(0);
  return parseJson<{ staged: Staged }>(result).staged;
}

/** `airlock approve` as the reviewer, on the operator's station (the review text goes to stderr). */
function approve(stagedDir: string) {
  return operator.run(['approve', stagedDir, '--key', join(reviewer.home, 'keys', 'station-key.private.asc'), '--passphrase-file', reviewer.passFile, '--yes']);
}

function finish(stagedDir: string, out: string) {
  return operator.run(['export', '--finish', stagedDir, '--out', out, '--passphrase-file', operator.passFile, '--json']);
}

async function auditEvents(station: TestStation): Promise<AuditEvents['events']> {
  const result = await station.run(['audit', 'list', '--json', '--limit', '200']);
  expect(result.code, describeResult(result)).toBe(0);
  return parseJson<AuditEvents>(result).events;
}

beforeAll(async () => {
  const root = await tempDir('airlock-2p-img-');
  operator = await createStation(await tempDir('airlock-2p-img-op-'), 'Operator Olga');
  reviewer = await createStation(await tempDir('airlock-2p-img-rev-'), 'Reviewer Rafael');
  receiver = await createStation(await tempDir('airlock-2p-img-rx-'), 'Receiving Station');
  built = await buildTestLayout(join(root, 'layout'), defaultTestImages(40 * 1024));
  mustRun('skopeo', ['copy', '--all', '--dest-tls-verify=false', `oci:${built.dir}:tool-1.0`, `docker://${registry().host}/team/tool:1.0`]);
  payload = join(root, 'release');
  await mkdir(join(payload, 'notes'), { recursive: true });
  await writeFile(join(payload, 'notes', 'changes.txt'), 'tool 1.0 and app 1.0\n');
  await writeFile(join(payload, 'README.txt'), 'release 1.0\n');
  for (const [station, role] of [
    [operator, 'operator'],
    [reviewer, 'reviewer'],
  ] as const) {
    const trusted = await receiver.run(['keys', 'trust', await publicKeyFile(station), '--fingerprint', station.fingerprint, '--role', role]);
    expect(trusted.code, describeResult(trusted)).toBe(0);
  }
  await writeFile(join(receiver.home, 'policy.json'), JSON.stringify({ requiredSigners: { count: 2, roles: ['operator', 'reviewer'] } }));
}, 180_000);

describe('two-person export with images', () => {
  it('prepare pulls and stages the images, approve shows them, finish writes what was approved; a 2-of-2 station accepts it', async () => {
    // A copy of the source layout that is deleted after prepare: the staged export must not need it.
    const source = join(await tempDir('airlock-2p-img-src-'), 'layout');
    await cp(built.dir, source, { recursive: true });
    const staged = await prepare('release-1', [
      '--insecure-registry',
      '--image',
      `docker://${registry().host}/team/tool:1.0`,
      '--image',
      `oci:${source}:app-1.0`,
      payload,
    ]);
    expect(staged.signatures.map((s) => s.fingerprint)).toEqual([operator.fingerprint]);
    const [pulled, local] = staged.images?.images ?? [];
    expect(pulled).toMatchObject({ kind: 'image', repository: 'team/tool', tag: '1.0', digest: tool().descriptor.digest });
    expect(pulled!.platforms.map((p) => p.digest)).toEqual(tool().manifests.map((m) => m.digest));
    expect(local).toMatchObject({ kind: 'image', digest: app().descriptor.digest });
    expect(staged.files.map((f) => f.path)).toEqual(expect.arrayContaining(['data/release/README.txt', 'data/oci/index.json', 'data/oci/airlock-images.json']));
    // The staged folder holds the layout exactly as the bundle will: skopeo reads it there.
    expect(skopeoDigest(join(staged.stagedDir, 'oci'), 'team/tool:1.0')).toBe(tool().descriptor.digest);

    // After prepare: the source layout goes and the registry's tag moves to another image.
    await rm(source, { recursive: true, force: true });
    mustRun('skopeo', ['copy', '--dest-tls-verify=false', `oci:${built.dir}:app-1.0`, `docker://${registry().host}/team/tool:1.0`]);

    const approved = await approve(staged.stagedDir);
    expect(approved.code, describeResult(approved)).toBe(0);
    // The reviewer sees each image (repository:tag, digest, platforms) beside the files, not the blob file names.
    expect(approved.stderr).toContain(`image team/tool:1.0  ${tool().descriptor.digest}`);
    expect(approved.stderr).toContain('linux/amd64 linux/arm64/v8');
    // A single-platform image's platform too: the reviewer sees what runs where.
    expect(approved.stderr).toMatch(new RegExp(`image ${local!.repository}:${local!.tag}  ${app().descriptor.digest}  [^\n]*, linux/amd64, 1 referrer`, 'u'));
    expect(approved.stderr).toContain('data/release/README.txt');
    expect(approved.stderr).not.toContain('data/oci/blobs/');

    const out = await tempDir('airlock-2p-img-out-');
    const finished = await finish(staged.stagedDir, out);
    expect(finished.code, describeResult(finished)).toBe(0);
    const exported = parseJson<{ bundle: { bundlePath: string; images?: { images: StagedImage[] } } }>(finished).bundle;
    expect(exported.images?.images.map((i) => i.digest)).toEqual([tool().descriptor.digest, app().descriptor.digest]);
    await expect(readdir(staged.stagedDir)).rejects.toThrow();

    const verified = await receiver.verify(exported.bundlePath);
    expect(verified.code, describeResult(verified.result)).toBe(0);
    expect(verified.report.signers.map((s) => s.fingerprint).sort()).toEqual([operator.fingerprint, reviewer.fingerprint].sort());
    const bag = unpack(exported.bundlePath, await tempDir('airlock-2p-img-x-'), 'release-1');
    sha256sumPasses(bag);
    expect((await imagesFile(bag)).images.map((i) => i.digest)).toEqual([tool().descriptor.digest, app().descriptor.digest]);
    expect(skopeoDigest(join(bag, 'data', 'oci'), 'team/tool:1.0')).toBe(tool().descriptor.digest);

    // Who let which digest through: prepare, approve and export on the sending side; verify on the receiving side.
    const rows = [
      { repository: 'team/tool', tag: '1.0', digest: tool().descriptor.digest },
      { repository: 'layout', tag: 'app-1.0', digest: app().descriptor.digest },
    ];
    const sent = (await auditEvents(operator)).filter((e) => e.bundleName === 'release-1' && e.outcome === 'ok');
    expect(sent.map((e) => e.type).sort()).toEqual(['export', 'export-approve', 'export-prepare']);
    for (const event of sent) expect(event.details.images, event.type).toEqual(rows.map((r) => expect.objectContaining(r)));
    const checked = (await auditEvents(receiver)).find((e) => e.type === 'verify' && e.bundleName === 'release-1');
    expect(checked?.details.images).toEqual(rows.map((r) => expect.objectContaining(r)));
  });

  it('a chart and a platform choice go through prepare, approve and finish as in a plain export', async () => {
    const dir = await tempDir('airlock-2p-img-chart-');
    await mkdir(join(dir, 'mychart'));
    await writeFile(join(dir, 'mychart', 'Chart.yaml'), 'apiVersion: v2\nname: mychart\nversion: 0.2.0\n');
    await writeFile(join(dir, 'mychart', 'values.yaml'), 'image:\n  repository: team/tool\n  tag: "1.0"\n');
    mustRun('tar', ['-czf', join(dir, 'mychart-0.2.0.tgz'), '-C', dir, 'mychart']);
    const staged = await prepare('release-chart', [
      '--image',
      `oci:${built.dir}:tool-1.0`,
      '--platform',
      'linux/arm64',
      '--chart',
      join(dir, 'mychart-0.2.0.tgz'),
    ]);
    const [image, chart] = staged.images?.images ?? [];
    // One platform kept: that platform's manifest travels, with its own digest.
    expect(image).toMatchObject({ kind: 'image', digest: tool().manifests[1]!.digest });
    expect(image!.platforms.map((p) => `${p.os}/${p.architecture}`)).toEqual(['linux/arm64']);
    expect(chart).toMatchObject({ kind: 'chart', repository: 'mychart', tag: '0.2.0' });
    const approved = await approve(staged.stagedDir);
    expect(approved.code, describeResult(approved)).toBe(0);
    expect(approved.stderr).toContain(`chart mychart:0.2.0  ${chart!.digest}`);
    expect(approved.stderr).toContain('names 1 image: team/tool:1.0');
    const out = await tempDir('airlock-2p-img-out-');
    const finished = await finish(staged.stagedDir, out);
    expect(finished.code, describeResult(finished)).toBe(0);
    const verified = await receiver.verify(join(out, 'release-chart.airlock.tar'));
    expect(verified.code, describeResult(verified.result)).toBe(0);
  });

  it("--skip-blobs-in at prepare: the far registry's blobs stay out of the staged layout and of the bundle, and the reviewer is told", async () => {
    const far = await GnupgHome.create();
    try {
      const farFpr = far.generateKey('Far Station <far@example.org>');
      const dir = await tempDir('airlock-2p-img-skip-');
      const trusted = await operator.run(['keys', 'trust', await far.writePublic(farFpr, join(dir, 'far.asc')), '--fingerprint', farFpr]);
      expect(trusted.code, describeResult(trusted)).toBe(0);
      const manifest = JSON.parse(await readFile(join(built.dir, 'blobs', 'sha256', app().descriptor.digest.slice(7)), 'utf8')) as {
        layers: Array<{ digest: string; size: number; mediaType: string }>;
      };
      const base = manifest.layers[0]!;
      const receipt = join(dir, 'far.import-receipt.json');
      await writeFile(
        receipt,
        JSON.stringify({
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
          registry: { target: '127.0.0.1:5000/mirror', images: [], blobsPresent: [{ ...base, repository: 'mirror/layout' }] },
        }),
      );
      far.detachSign(farFpr, receipt, `${receipt}.asc`);
      const staged = await prepare('release-skip', ['--image', `oci:${built.dir}:app-1.0`, '--skip-blobs-in', receipt]);
      expect(staged.images).toMatchObject({ skippedBlobs: 1 });
      expect(await readdir(join(staged.stagedDir, 'oci', 'blobs', 'sha256'))).not.toContain(base.digest.slice(7));
      const approved = await approve(staged.stagedDir);
      expect(approved.code, describeResult(approved)).toBe(0);
      expect(approved.stderr).toMatch(/1 blob \(.+\) left out: the far registry holds them/u);
      const out = await tempDir('airlock-2p-img-out-');
      const finished = await finish(staged.stagedDir, out);
      expect(finished.code, describeResult(finished)).toBe(0);
      const bag = unpack(join(out, 'release-skip.airlock.tar'), await tempDir('airlock-2p-img-x-'), 'release-skip');
      sha256sumPasses(bag);
      expect((await imagesFile(bag)).expectedPresent).toEqual([{ ...base, repository: 'mirror/layout' }]);
    } finally {
      await far.close();
    }
  });

  it('a prepare whose image cannot be read leaves no staged folder, and the name can be prepared again', async () => {
    const failed = await operator.run([
      'export',
      '--prepare',
      '--name',
      'retry-me',
      '--passphrase-file',
      operator.passFile,
      '--json',
      '--insecure-registry',
      '--image',
      `docker://${registry().host}/team/tool:9.9`,
    ]);
    expect(failed.code, describeResult(failed)).toBe(3);
    expect(parseJson<{ error: { code: string } }>(failed).error.code).toBe('IMAGE_NOT_FOUND');
    const list = parseJson<{ staged: Array<{ name: string }> }>(await operator.run(['export', '--list-staged', '--json']));
    expect(list.staged.map((s) => s.name)).not.toContain('retry-me');
    const staged = await prepare('retry-me', ['--image', `oci:${built.dir}:app-1.0`]);
    expect(staged.images?.images.map((i) => i.digest)).toEqual([app().descriptor.digest]);
    const prepared = (await auditEvents(operator)).filter((e) => e.type === 'export-prepare' && e.outcome !== 'ok');
    expect(prepared.length).toBeGreaterThan(0);
  });

  it('--finish takes no image options: the staged export already holds them', async () => {
    const result = await operator.run(['export', '--finish', '/nonexistent', '--out', '/tmp', '--image', `oci:${built.dir}:app-1.0`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('USAGE');
  });
});
