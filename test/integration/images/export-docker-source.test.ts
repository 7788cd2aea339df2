/**
 * docker:// sources (#15.1): an image skopeo copied into a local docker-registry (distribution
 * 2.8 on 127.0.0.1, started by the test) is pulled into the bundle with its digest; one platform
 * of an index keeps that platform's digest; by digest as well as by tag; a missing tag is
 * IMAGE_NOT_FOUND; plain HTTP to a host that is not loopback is refused; Basic auth is used.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeResult } from '../../helpers/cli-runner.js';
import { buildTestLayout, defaultTestImages, type BuiltLayout } from '../../helpers/oci-test-image.js';
import { useRegistryServer } from '../../helpers/registry-server.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { mustRun } from '../../helpers/tools.js';
import { exportImages, imagesFile, sha256sumPasses, skopeoDigest, unpack } from './images-helpers.js';

const registry = useRegistryServer();
const secured = useRegistryServer({ htpasswd: { puller: 'pull-secret' } });
const makeTemp = useTempDirs();
let root: string;
let station: TestStation;
let built: BuiltLayout;

beforeAll(async () => {
  root = await makeTemp('airlock-img-docker-');
  station = await createStation(root, 'Image Pull Station');
  built = await buildTestLayout(join(root, 'layout'), defaultTestImages(48 * 1024));
  mustRun('skopeo', ['copy', '--all', '--dest-tls-verify=false', `oci:${built.dir}:tool-1.0`, `docker://${registry().host}/team/tool:1.0`]);
  mustRun('skopeo', ['copy', '--dest-tls-verify=false', `oci:${built.dir}:app-1.0`, `docker://${registry().host}/team/app:1.0`]);
  mustRun('skopeo', [
    'copy',
    '--dest-tls-verify=false',
    '--dest-creds',
    'puller:pull-secret',
    `oci:${built.dir}:app-1.0`,
    `docker://${secured().host}/private/app:1.0`,
  ]);
}, 120_000);

const tool = () => built.images.find((i) => i.refName === 'tool-1.0')!;
const app = () => built.images.find((i) => i.refName === 'app-1.0')!;

describe('export --image docker://HOST:PORT/REPO:TAG', () => {
  it('pulls a multi-platform image with its digest; the bundle checks with sha256sum and skopeo', async () => {
    const out = await makeTemp('airlock-img-docker-out-');
    const { json } = await exportImages(station, out, 'pulled', ['--insecure-registry', '--image', `docker://${registry().host}/team/tool:1.0`]);
    const bag = unpack(json.bundle.bundlePath, out, 'pulled');
    const verified = await station.verify(json.bundle.bundlePath);
    expect(verified.code, describeResult(verified.result)).toBe(0);
    sha256sumPasses(bag);
    const [entry] = (await imagesFile(bag)).images;
    expect(entry).toMatchObject({ repository: 'team/tool', tag: '1.0', digest: tool().descriptor.digest, source: `docker://${registry().host}/team/tool:1.0` });
    expect(entry!.platforms.map((p) => p.digest)).toEqual(tool().manifests.map((m) => m.digest));
    expect(skopeoDigest(join(bag, 'data', 'oci'), 'team/tool:1.0')).toBe(tool().descriptor.digest);
  });

  it('one platform, and by digest: that manifest with its own digest; images from two sources share blobs', async () => {
    const out = await makeTemp('airlock-img-docker-out-');
    const { json } = await exportImages(station, out, 'arm', [
      '--insecure-registry',
      '--image',
      `docker://${registry().host}/team/tool@${tool().descriptor.digest}`,
      '--platform',
      'linux/arm64',
      '--image',
      `oci:${built.dir}:app-1.0`,
    ]);
    const bag = unpack(json.bundle.bundlePath, out, 'arm');
    const verified = await station.verify(json.bundle.bundlePath);
    expect(verified.code, describeResult(verified.result)).toBe(0);
    const [pulled, local] = (await imagesFile(bag)).images;
    expect(pulled).toMatchObject({ repository: 'team/tool', tag: null, digest: tool().manifests[1]!.digest });
    expect(local).toMatchObject({ digest: app().descriptor.digest });
    const index = JSON.parse(await readFile(join(bag, 'data', 'oci', 'index.json'), 'utf8')) as { manifests: Array<{ digest: string; annotations?: object }> };
    // By digest only: listed untagged in index.json.
    expect(
      index.manifests.find((m) => m.digest === tool().manifests[1]!.digest),
      JSON.stringify(index),
    ).not.toHaveProperty('annotations');
    sha256sumPasses(bag);
  });

  it('a tag the registry lacks: IMAGE_NOT_FOUND, nothing published', async () => {
    const out = await makeTemp('airlock-img-docker-out-');
    const result = await station.run([
      'export',
      '--out',
      out,
      '--passphrase-file',
      station.passFile,
      '--insecure-registry',
      '--image',
      `docker://${registry().host}/team/tool:9.9`,
    ]);
    expect(result.code, describeResult(result)).toBe(3);
    expect(result.stderr).toContain('IMAGE_NOT_FOUND');
    expect(mustRun('ls', ['-A', out]).stdout).toBe('');
  });

  it('plain HTTP to a host that is not loopback: refused before any connection', async () => {
    const out = await makeTemp('airlock-img-docker-out-');
    const result = await station.run([
      'export',
      '--out',
      out,
      '--passphrase-file',
      station.passFile,
      '--insecure-registry',
      '--image',
      'docker://registry.example.org/team/app:1.0',
    ]);
    expect(result.code, describeResult(result)).toBe(2);
    expect(result.stderr).toContain('USAGE');
  });

  it('Basic auth: the right credentials pull, wrong ones are REGISTRY_AUTH_FAILED', async () => {
    const passwordFile = join(root, 'registry-password.txt');
    await writeFile(passwordFile, 'pull-secret\n');
    const out = await makeTemp('airlock-img-docker-out-');
    const ref = `docker://${secured().host}/private/app:1.0`;
    const { json } = await exportImages(station, out, 'private', [
      '--insecure-registry',
      '--registry-user',
      'puller',
      '--registry-password-file',
      passwordFile,
      '--image',
      ref,
    ]);
    const [entry] = (await imagesFile(unpack(json.bundle.bundlePath, out, 'private'))).images;
    expect(entry!.digest).toBe(app().descriptor.digest);

    await writeFile(passwordFile, 'wrong\n');
    const denied = await station.run([
      'export',
      '--out',
      out,
      '--name',
      'denied',
      '--passphrase-file',
      station.passFile,
      '--insecure-registry',
      '--registry-user',
      'puller',
      '--registry-password-file',
      passwordFile,
      '--image',
      ref,
    ]);
    expect(denied.code, describeResult(denied)).toBe(3);
    expect(denied.stderr).toContain('REGISTRY_AUTH_FAILED');
  });
});
