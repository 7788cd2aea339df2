/**
 * `airlock import BUNDLE --push-to 127.0.0.1:PORT[/PREFIX] --insecure-registry` against Debian's
 * docker-registry (distribution 2.8), with the fault proxy in front where a test needs to count
 * requests or make the registry misbehave. Each test pushes under its own prefix, so the tests
 * share one registry without seeing each other's images. skopeo reads back what was pushed.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, parseJson, type CliResult } from '../../helpers/cli-runner.js';
import { buildImageBundle, makeSigner, receivingStation } from '../../helpers/image-bundle.js';

import { DISTRIBUTION_IMMUTABLE, startFaultProxy, type RegistryFaultProxy } from '../../helpers/registry-fault-proxy.js';
import { useRegistryServer } from '../../helpers/registry-server.js';
import type { BagPayloadFile, TestSigner } from '../../helpers/hostile-tar.js';
import type { ImagesFile } from '../../../electron/core/oci/images-file.js';
import { buildTestLayout, defaultTestImages, type TestLayoutSpec } from '../../helpers/oci-test-image.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { mustRun } from '../../helpers/tools.js';

const makeTemp = useTempDirs();
const registry = useRegistryServer();
let signer: TestSigner;
const proxies: RegistryFaultProxy[] = [];

beforeAll(async () => {
  signer = await makeSigner('Image Sender');
});

afterEach(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close();
});

async function proxy(): Promise<RegistryFaultProxy> {
  const started = await startFaultProxy(registry().url);
  proxies.push(started);
  return started;
}

interface PushJson {
  ok: boolean;
  destination: string | null;
  pushes: Array<{
    repository: string;
    tag: string | null;
    digest: string;
    outcome: string;
    errorCode?: string;
    blobs: { uploaded: number; mounted: number; skipped: number };
  }>;
  receipt: { json: string; html: string } | null;
  auditEvent: number;
}

function skopeoDigest(host: string, reference: string): string {
  const raw = mustRun('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${host}/${reference}`]).stdout;
  return `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

const uploads = (r: { method: string; path: string }): boolean =>
  (r.method === 'POST' || r.method === 'PATCH' || r.method === 'PUT') && r.path.includes('/blobs/');
const writes = (r: { method: string }): boolean => r.method !== 'GET' && r.method !== 'HEAD';

/** The layer both default test images share (their base): digest, size and media type. */
async function baseLayer(dir: string): Promise<{ digest: string; size: number; mediaType: string }> {
  const layout = await buildTestLayout(dir, defaultTestImages());
  const app = layout.images.find((i) => i.refName === 'app-1.0')?.manifests[0];
  const manifest = JSON.parse(await readFile(join(dir, 'blobs', 'sha256', (app?.digest ?? '').slice(7)), 'utf8')) as {
    layers: Array<{ digest: string; size: number; mediaType: string }>;
  };
  const first = manifest.layers[0];
  if (!first) throw new Error('no base layer');
  return { digest: first.digest, size: first.size, mediaType: first.mediaType };
}

function pushJson(result: CliResult): PushJson {
  return parseJson<PushJson>(result);
}

describe('import --push-to', () => {
  it('pushes every image after verification; skopeo reads the digests the bundle signed; receipt and audit say per image', async () => {
    const dir = await makeTemp('airlock-push-');
    const bundle = await buildImageBundle(dir, defaultTestImages(), signer);
    const station = await receivingStation(join(dir, 'rx'), signer);
    const host = registry().host;
    const result = await station.run(['import', bundle.path, '--push-to', `${host}/basic`, '--insecure-registry', '--json']);
    expect(result.code, describeResult(result)).toBe(0);
    const report = pushJson(result);
    expect(report.destination).toBeNull();
    expect(report.pushes.map((p) => [p.repository, p.tag, p.outcome])).toEqual([
      ['basic/test/app', 'app-1.0', 'pushed'],
      ['basic/test/tool', 'tool-1.0', 'pushed'],
    ]);
    for (const image of bundle.images.images) {
      expect(skopeoDigest(host, `basic/${image.repository}:${image.tag ?? ''}`)).toBe(image.digest);
    }
    // The referrer is listed in its subject's `sha256-<hex>` tag index (distribution 2.8 has no referrers API).
    const app = bundle.layout.images.find((i) => i.refName === 'app-1.0');
    const subject = app?.manifests[0]?.digest ?? '';
    const referrers = JSON.parse(
      mustRun('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${host}/basic/test/app:sha256-${subject.slice(7)}`]).stdout,
    ) as { manifests: Array<{ digest: string }> };
    expect(referrers.manifests.map((m) => m.digest)).toEqual(app?.referrers.map((r) => r.digest));
    // The shared base layer went up once, then was mounted into the second repository.
    expect(report.pushes[1]?.blobs.mounted).toBeGreaterThanOrEqual(1);
    const receipt = JSON.parse(await readFile(report.receipt?.json ?? '', 'utf8')) as {
      registry: { target: string; images: unknown[]; blobsPresent: Array<{ repository: string }> };
    };
    expect(receipt.registry.target).toBe(`${host}/basic`);
    expect(receipt.registry.images).toHaveLength(2);
    expect(new Set(receipt.registry.blobsPresent.map((b) => b.repository))).toEqual(new Set(['basic/test/app', 'basic/test/tool']));
    const html = await readFile(report.receipt?.html ?? '', 'utf8');
    expect(html).toContain(`Registry ${host}/basic`);
    expect(html).toContain('basic/test/tool:tool-1.0');
    const audit = await station.run(['audit', 'list', '--json']);
    const events = parseJson<{ events: Array<{ seq: number; type: string; details: { pushes?: Array<{ outcome: string; digest: string }> } }> }>(audit).events;
    const event = events.find((e) => e.seq === report.auditEvent);
    expect(event?.details.pushes?.map((p) => p.outcome)).toEqual(['pushed', 'pushed']);
    // Nothing of the import is left in the station's spool.
    expect((await readdir(join(station.home, 'spool', 'push'))).filter((n) => !n.startsWith('.'))).toEqual([]);
  });

  it('a re-push of images the registry holds skips every blob and says already-present', async () => {
    const dir = await makeTemp('airlock-push-again-');
    const bundle = await buildImageBundle(dir, defaultTestImages(), signer);
    const faulty = await proxy();
    const first = await (
      await receivingStation(join(dir, 'rx1'), signer)
    ).run(['import', bundle.path, '--push-to', `${faulty.host}/again`, '--insecure-registry']);
    expect(first.code, describeResult(first)).toBe(0);
    faulty.clearLog();
    const second = await (
      await receivingStation(join(dir, 'rx2'), signer)
    ).run(['import', bundle.path, '--push-to', `${faulty.host}/again`, '--insecure-registry', '--json']);
    expect(second.code, describeResult(second)).toBe(0);
    expect(pushJson(second).pushes.map((p) => p.outcome)).toEqual(['already-present', 'already-present']);
    expect(faulty.count(uploads)).toBe(0);
    expect(faulty.count(writes)).toBe(0);
  });

  it('a tampered blob: the import refuses before any request reaches the registry', async () => {
    const dir = await makeTemp('airlock-push-tamper-');
    const built = await buildImageBundle(join(dir, 'ok'), defaultTestImages(), signer);
    const layer = [...built.layout.blobs].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
    const content = await readFile(join(built.layout.dir, 'blobs', 'sha256', layer.slice(7)));
    content[content.length >> 1] = (content[content.length >> 1] ?? 0) ^ 0xff;
    const bundle = await buildImageBundle(join(dir, 'bad'), defaultTestImages(), signer, {
      tamper: { path: `data/oci/blobs/sha256/${layer.slice(7)}`, content },
    });
    const faulty = await proxy();
    const result = await (
      await receivingStation(join(dir, 'rx'), signer)
    ).run(['import', bundle.path, '--push-to', `${faulty.host}/tamper`, '--insecure-registry', '--json']);
    expect(result.code, describeResult(result)).toBe(1);
    expect(result.stdout).toContain('CHECKSUM_MISMATCH');
    expect(faulty.requests).toEqual([]);
  });

  it(
    'a tampered blob in a bundle large enough for both cores (hashed on the lanes, left in the bundle): refused before any request',
    { timeout: 240_000 },
    async () => {
      const dir = await makeTemp('airlock-push-tamper-lanes-');
      // 68 MiB of layer: over the parallel pass's 64 MiB, and a blob the push-only import leaves in the bundle file.
      const spec: TestLayoutSpec = { compression: 'none', images: [{ refName: 'big-1.0', layers: [{ seed: 31, size: 68 * 1024 * 1024 }] }] };
      const built = await buildImageBundle(join(dir, 'ok'), spec, signer);
      const layer = [...built.layout.blobs].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
      const content = await readFile(join(built.layout.dir, 'blobs', 'sha256', layer.slice(7)));
      content[content.length - 1000] = (content[content.length - 1000] ?? 0) ^ 0xff;
      const bundle = await buildImageBundle(join(dir, 'bad'), spec, signer, { tamper: { path: `data/oci/blobs/sha256/${layer.slice(7)}`, content } });
      const faulty = await proxy();
      const result = await (
        await receivingStation(join(dir, 'rx'), signer)
      ).run(['import', bundle.path, '--push-to', `${faulty.host}/tamperlanes`, '--insecure-registry', '--json']);
      expect(result.code, describeResult(result)).toBe(1);
      expect(result.stdout).toContain('CHECKSUM_MISMATCH');
      expect(faulty.requests).toEqual([]);
    },
  );

  it('an expected-present blob the registry lacks: refused before any push (REGISTRY_BLOB_ABSENT); one it holds is mounted', async () => {
    const dir = await makeTemp('airlock-push-expected-');
    const faulty = await proxy();
    const base = await baseLayer(join(dir, 'probe'));
    const withoutBase = (repository: string) => ({
      name: 'lean',
      editImages: (images: ImagesFile): ImagesFile => ({ ...images, expectedPresent: [{ ...base, repository }] }),
      editPayload: (files: BagPayloadFile[]) => files.filter((f) => f.path !== `data/oci/blobs/sha256/${base.digest.slice(7)}`),
    });
    // The registry does not hold the base layer anywhere: nothing is pushed.
    const lean = await buildImageBundle(join(dir, 'lean'), defaultTestImages(), signer, withoutBase('expected/test/app'));
    const refused = await (
      await receivingStation(join(dir, 'rx1'), signer)
    ).run(['import', lean.path, '--push-to', `${faulty.host}/expected`, '--insecure-registry', '--json']);
    expect(refused.code, describeResult(refused)).toBe(3);
    expect(parseJson<{ error: { code: string } }>(refused).error.code).toBe('REGISTRY_BLOB_ABSENT');
    expect(faulty.count(writes)).toBe(0);
    // A full push first (as an earlier release would have been): then the lean bundle pushes, the base mounted, not sent.
    const full = await buildImageBundle(join(dir, 'full'), defaultTestImages(), signer, { name: 'full' });
    const rx = await receivingStation(join(dir, 'rx2'), signer);
    expect((await rx.run(['import', full.path, '--push-to', `${faulty.host}/base`, '--insecure-registry'])).code).toBe(0);
    const lean2 = await buildImageBundle(join(dir, 'lean2'), defaultTestImages(), signer, withoutBase('base/test/app'));
    const pushed = await rx.run(['import', lean2.path, '--push-to', `${faulty.host}/expected`, '--insecure-registry', '--json']);
    expect(pushed.code, describeResult(pushed)).toBe(0);
    expect(pushJson(pushed).pushes.map((p) => [p.outcome, p.blobs.mounted > 0])).toEqual([
      ['pushed', true],
      ['pushed', true],
    ]);
    for (const image of lean2.images.images) expect(skopeoDigest(registry().host, `expected/${image.repository}:${image.tag ?? ''}`)).toBe(image.digest);
  });

  it('an immutable tag: that image fails with the registry code, the other is pushed; the same command again pushes the rest', async () => {
    const dir = await makeTemp('airlock-push-immutable-');
    const faulty = await proxy();
    // Another app-1.0 is in the registry first, under the same tag.
    const other = await buildImageBundle(join(dir, 'other'), { images: [{ refName: 'app-1.0', layers: [{ seed: 99, size: 4096 }] }] }, signer, {
      name: 'other',
    });
    const rx = await receivingStation(join(dir, 'rx'), signer);
    expect((await rx.run(['import', other.path, '--push-to', `${faulty.host}/immutable`, '--insecure-registry'])).code).toBe(0);
    faulty.immutableTags(DISTRIBUTION_IMMUTABLE);
    const bundle = await buildImageBundle(join(dir, 'main'), defaultTestImages(), signer);
    const dest = await makeTemp('airlock-push-immutable-dest-');
    const result = await rx.run(['import', bundle.path, '--push-to', `${faulty.host}/immutable`, '--insecure-registry', '--dest', dest, '--json']);
    expect(result.code, describeResult(result)).toBe(3);
    const report = pushJson(result);
    expect(report.pushes.map((p) => [p.tag, p.outcome, p.errorCode ?? null])).toEqual([
      ['app-1.0', 'failed', 'TAG_INVALID'],
      ['tool-1.0', 'pushed', null],
    ]);
    // The files landed; the receipt lists the failure.
    expect(report.destination).toBe(join(dest, 'images'));
    const text = await rx.run(['import', bundle.path, '--push-to', `${faulty.host}/immutable`, '--insecure-registry', '--dest', dest]);
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/FAILED\s+immutable\/test\/app:app-1.0/u);
    expect(text.stdout).toContain('Next:');
    // The registry's rule lifted: the same command pushes the rest, without --allow-replay, importing no file twice.
    faulty.immutableTags(null);
    const again = await rx.run(['import', bundle.path, '--push-to', `${faulty.host}/immutable`, '--insecure-registry', '--dest', dest, '--json']);
    expect(again.code, describeResult(again)).toBe(0);
    expect(pushJson(again).pushes.map((p) => p.outcome)).toEqual(['pushed', 'already-present']);
    expect(skopeoDigest(registry().host, 'immutable/test/app:app-1.0')).toBe(bundle.images.images[0]?.digest);
    // Once complete, the same import again is a replay.
    const replay = await rx.run(['import', bundle.path, '--push-to', `${faulty.host}/immutable`, '--insecure-registry', '--dest', dest, '--json']);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toContain('REPLAY');
  });

  it('cancelled (Ctrl-C) during the push: no tag, nothing imported, nothing left in the spool; the same command again pushes', async () => {
    const dir = await makeTemp('airlock-push-cancel-');
    const bundle = await buildImageBundle(
      dir,
      { images: [{ refName: 'slow-1.0', layers: [{ seed: 11, size: 24 * 1024 * 1024 }] }], compression: 'none' },
      signer,
    );
    const faulty = await proxy();
    const station = await receivingStation(join(dir, 'rx'), signer);
    const controller = new AbortController();
    const cancelled = await station.run(['import', bundle.path, '--push-to', `${faulty.host}/cancel`, '--insecure-registry'], {
      signal: controller.signal,
      stderrIsTTY: true,
      onStderr: (text) => {
        if (text.includes('slow-1.0')) controller.abort();
      },
    });
    expect(cancelled.code, describeResult(cancelled)).toBe(3);
    expect(cancelled.stderr).toContain('CANCELLED');
    expect(faulty.count((r) => r.method === 'PUT' && r.path.includes('/manifests/'))).toBe(0);
    expect(await readdir(join(station.home, 'spool', 'push'))).toEqual([]);
    const again = await station.run(['import', bundle.path, '--push-to', `${faulty.host}/cancel`, '--insecure-registry', '--json']);
    expect(again.code, describeResult(again)).toBe(0);
    expect(skopeoDigest(registry().host, 'cancel/test/slow:slow-1.0')).toBe(bundle.images.images[0]?.digest);
  });

  it('a registry answering 500 a few times, then recovering: every image pushed', async () => {
    const dir = await makeTemp('airlock-push-500-');
    const bundle = await buildImageBundle(dir, defaultTestImages(), signer);
    const faulty = await proxy();
    faulty.failNext(2, { status: 500, match: (r) => r.method === 'PUT' || r.method === 'PATCH' || r.method === 'POST' });
    const result = await (
      await receivingStation(join(dir, 'rx'), signer)
    ).run(['import', bundle.path, '--push-to', `${faulty.host}/flaky`, '--insecure-registry', '--json']);
    expect(result.code, describeResult(result)).toBe(0);
    expect(pushJson(result).pushes.map((p) => p.outcome)).toEqual(['pushed', 'pushed']);
    expect(faulty.count((r) => r.method !== 'GET' && r.method !== 'HEAD')).toBeGreaterThan(2);
    for (const image of bundle.images.images) expect(skopeoDigest(registry().host, `flaky/${image.repository}:${image.tag ?? ''}`)).toBe(image.digest);
  });

  it('a bundle holding files besides images needs --dest: refused with a next step, nothing pushed', async () => {
    const dir = await makeTemp('airlock-push-files-');
    const bundle = await buildImageBundle(dir, defaultTestImages(), signer, { files: [{ path: 'data/readme.txt', content: 'hello\n' }] });
    const faulty = await proxy();
    const result = await (
      await receivingStation(join(dir, 'rx'), signer)
    ).run(['import', bundle.path, '--push-to', `${faulty.host}/files`, '--insecure-registry']);
    expect(result.code, describeResult(result)).toBe(2);
    expect(result.stderr).toContain('--dest');
    expect(faulty.count(writes)).toBe(0);
  });

  it('--insecure-registry to a host that is not loopback is refused before anything is read', async () => {
    const dir = await makeTemp('airlock-push-insecure-');
    const station = await receivingStation(join(dir, 'rx'), signer);
    const result = await station.run(['import', join(dir, 'absent.airlock.tar'), '--push-to', 'registry.example.org:5000', '--insecure-registry']);
    expect(result.code, describeResult(result)).toBe(2);
    expect(result.stderr).toMatch(/loopback|this machine/u);
  });
});
