/**
 * Archive sources made by skopeo from the reproducible test layout (#15.1): oci-archive keeps
 * every digest; docker-archive is converted to OCI with uncompressed layers whose digests are the
 * layer tars' own (not the registry's), and skopeo reads the result back. Hostile archives: a link
 * in an oci-archive, a manifest.json naming a member that is only a link, a name leaving the archive.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeResult } from '../../helpers/cli-runner.js';
import { buildTestLayout, defaultTestImages, type BuiltLayout } from '../../helpers/oci-test-image.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { mustRun } from '../../helpers/tools.js';
import { exportImages, imagesFile, sha256sumPasses, skopeoDigest, unpack } from './images-helpers.js';

const makeTemp = useTempDirs();
let root: string;
let station: TestStation;
let built: BuiltLayout;

beforeAll(async () => {
  root = await makeTemp('airlock-img-arc-');
  station = await createStation(root, 'Image Archive Station');
  built = await buildTestLayout(join(root, 'layout'), defaultTestImages(32 * 1024));
});

describe('oci-archive:FILE[:TAG]', () => {
  it('an archive skopeo wrote exports with the source digest', async () => {
    const archive = join(root, 'tool.tar');
    mustRun('skopeo', ['copy', '--all', `oci:${built.dir}:tool-1.0`, `oci-archive:${archive}:tool-1.0`]);
    const out = await makeTemp('airlock-img-arc-out-');
    const { json } = await exportImages(station, out, 'ociarc', ['--image', `oci-archive:${archive}:tool-1.0`]);
    const bag = unpack(json.bundle.bundlePath, out, 'ociarc');
    const verified = await station.verify(json.bundle.bundlePath);
    expect(verified.code, describeResult(verified.result)).toBe(0);
    sha256sumPasses(bag);
    const [entry] = (await imagesFile(bag)).images;
    const tool = built.images.find((i) => i.refName === 'tool-1.0')!;
    expect(entry).toMatchObject({ repository: 'tool', tag: 'tool-1.0', digest: tool.descriptor.digest, source: `oci-archive:${archive}:tool-1.0` });
    expect(skopeoDigest(join(bag, 'data', 'oci'), 'tool:tool-1.0')).toBe(tool.descriptor.digest);
  });

  it('a symbolic link inside: IMAGE_SOURCE_CORRUPT, nothing published', async () => {
    const dir = await makeTemp('airlock-img-arc-bad-');
    mustRun('cp', ['-r', built.dir, join(dir, 'layout')]);
    mustRun('ln', ['-s', '/etc/passwd', join(dir, 'layout', 'blobs', 'sha256', 'link')]);
    const archive = join(dir, 'linked.tar');
    mustRun('tar', ['-cf', archive, '-C', join(dir, 'layout'), '.']);
    const out = await makeTemp('airlock-img-arc-out-');
    const result = await station.run(['export', '--out', out, '--passphrase-file', station.passFile, '--image', `oci-archive:${archive}:app-1.0`]);
    expect(result.code, describeResult(result)).toBe(3);
    expect(result.stderr).toContain('IMAGE_SOURCE_CORRUPT');
    expect(result.stderr).toContain('symbolic link');
  });
});

describe('docker-archive:FILE', () => {
  it('converted to OCI: uncompressed layers named by the layer tars digests, repository and tag from RepoTags', async () => {
    const archive = join(root, 'app-docker.tar');
    mustRun('skopeo', ['copy', `oci:${built.dir}:app-1.0`, `docker-archive:${archive}:localhost/team/app:1.0`]);
    const out = await makeTemp('airlock-img-arc-out-');
    const { json } = await exportImages(station, out, 'dockerarc', ['--image', `docker-archive:${archive}`]);
    const bag = unpack(json.bundle.bundlePath, out, 'dockerarc');
    const verified = await station.verify(json.bundle.bundlePath);
    expect(verified.code, describeResult(verified.result)).toBe(0);
    sha256sumPasses(bag);
    const [entry] = (await imagesFile(bag)).images;
    expect(entry).toMatchObject({ repository: 'team/app', tag: '1.0', mediaType: 'application/vnd.oci.image.manifest.v1+json' });
    const app = built.images.find((i) => i.refName === 'app-1.0')!;
    expect(entry!.digest).not.toBe(app.descriptor.digest);
    const raw = JSON.parse(mustRun('skopeo', ['inspect', '--raw', `oci:${join(bag, 'data', 'oci')}:team/app:1.0`]).stdout) as {
      layers: Array<{ mediaType: string; digest: string }>;
    };
    expect(raw.layers.map((l) => l.mediaType)).toEqual(['application/vnd.oci.image.layer.v1.tar', 'application/vnd.oci.image.layer.v1.tar']);
    // The layer digests are the diff IDs the source config lists: the uncompressed tars.
    const config = JSON.parse(mustRun('skopeo', ['inspect', '--config', '--raw', `oci:${built.dir}:app-1.0`]).stdout) as { rootfs: { diff_ids: string[] } };
    expect(raw.layers.map((l) => l.digest)).toEqual(config.rootfs.diff_ids);
    expect(skopeoDigest(join(bag, 'data', 'oci'), 'team/app:1.0')).toBe(entry!.digest);
  });

  it('manifest.json naming a member the archive lacks (or holds only as a link): IMAGE_SOURCE_CORRUPT', async () => {
    const dir = await makeTemp('airlock-img-arc-dk-');
    const stage = join(dir, 'stage');
    await mkdir(stage);
    await writeFile(join(stage, 'config.json'), '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
    await writeFile(join(stage, 'manifest.json'), JSON.stringify([{ Config: 'config.json', RepoTags: ['x:1'], Layers: ['layer.tar'] }]));
    mustRun('ln', ['-s', '/etc/passwd', join(stage, 'layer.tar')]);
    const archive = join(dir, 'bad.tar');
    mustRun('tar', ['-cf', archive, '-C', stage, '.']);
    const out = await makeTemp('airlock-img-arc-out-');
    const result = await station.run(['export', '--out', out, '--passphrase-file', station.passFile, '--image', `docker-archive:${archive}`]);
    expect(result.code, describeResult(result)).toBe(3);
    expect(result.stderr).toContain('IMAGE_SOURCE_CORRUPT');
    expect(result.stderr).toContain('layer.tar');
  });

  it('a member named outside the archive (../): IMAGE_SOURCE_CORRUPT', async () => {
    const dir = await makeTemp('airlock-img-arc-dot-');
    await mkdir(join(dir, 'a'));
    await writeFile(join(dir, 'evil'), 'x');
    const archive = join(dir, 'dots.tar');
    mustRun('tar', ['-cf', archive, '-C', join(dir, 'a'), '--transform', 's,^,../,', '-P', '../evil']);
    const out = await makeTemp('airlock-img-arc-out-');
    const result = await station.run(['export', '--out', out, '--passphrase-file', station.passFile, '--image', `docker-archive:${archive}`]);
    expect(result.code, describeResult(result)).toBe(3);
    expect(result.stderr).toContain('IMAGE_SOURCE_CORRUPT');
    expect(result.stderr).toContain('unsafe name "../../evil"');
  });
});
