/**
 * pullToLayout against docker-registry: an image skopeo pushed comes back byte for byte (every
 * blob, the index's digest), skopeo reads the layout written; a platform subset gets a new index
 * and only its blobs; referrers come along through the sha256-<hex> tag schema; a blob tampered
 * in the registry's storage is refused and nothing of it is left in the layout.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullToLayout } from '../../../electron/core/oci/registry/pull-to-layout.js';
import { createRegistryClient, type RegistryClient } from '../../../electron/core/oci/registry/registry-client.js';
import { parseRegistryEndpoint } from '../../../electron/core/oci/registry/registry-endpoint.js';
import { buildTestLayout, defaultTestImages, type BuiltLayout } from '../../helpers/oci-test-image.js';
import { startFaultProxy } from '../../helpers/registry-fault-proxy.js';
import { pushImage, pushReferrer, readIndex } from '../../helpers/registry-push-layout.js';
import { useRegistryServer } from '../../helpers/registry-server.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { mustRun } from '../../helpers/tools.js';

const registry = useRegistryServer();
const tempDir = useTempDirs();
let layout: BuiltLayout;
let client: RegistryClient;

beforeAll(async () => {
  layout = await buildTestLayout(join(await tempDir(), 'layout'), defaultTestImages(200 * 1024));
  client = await createRegistryClient(parseRegistryEndpoint(registry().host, { insecure: true }), { backoffMs: 10 });
});

afterAll(async () => {
  await client?.close();
});

async function sameBytes(a: string, b: string): Promise<boolean> {
  return (await readFile(a)).equals(await readFile(b));
}

async function blobNames(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'blobs', 'sha256'))).sort();
}

describe('pullToLayout', () => {
  it('pulls an image skopeo pushed with identical bytes, and skopeo reads the layout', async () => {
    const tool = layout.images.find((i) => i.refName === 'tool-1.0')!;
    mustRun('skopeo', [
      'copy',
      '--all',
      '--preserve-digests',
      '--dest-tls-verify=false',
      `oci:${layout.dir}:tool-1.0`,
      `docker://${registry().host}/from/skopeo:1.0`,
    ]);
    const out = join(await tempDir(), 'pulled');
    const progress: number[] = [];
    const pulled = await pullToLayout(client, 'from/skopeo', '1.0', { platforms: 'all', layoutDir: out, onProgress: (p) => progress.push(p.bytesDone) });
    expect(pulled.descriptor.digest).toBe(tool.descriptor.digest);
    expect(pulled.sourceDigest).toBe(tool.descriptor.digest);
    expect(pulled.platforms.map((p) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`)).toEqual(['linux/amd64', 'linux/arm64/v8']);
    // Every blob of the image, byte for byte as built, and nothing else (no temp files).
    const names = await blobNames(out);
    for (const name of names) expect(await sameBytes(join(out, 'blobs', 'sha256', name), join(layout.dir, 'blobs', 'sha256', name))).toBe(true);
    expect(names.length).toBe(1 + 2 + 2 + 4); // index, 2 manifests, 2 configs, shared base + tool layer + a layer per platform
    let total = 0;
    for (const name of names) total += (await readFile(join(out, 'blobs', 'sha256', name))).length;
    expect(progress.at(-1)).toBe(total);
    const index = await readIndex(out);
    expect(index).toEqual([
      {
        mediaType: tool.descriptor.mediaType,
        digest: tool.descriptor.digest,
        size: tool.descriptor.size,
        annotations: { 'org.opencontainers.image.ref.name': '1.0' },
      },
    ]);
    const raw = mustRun('skopeo', ['inspect', '--raw', `oci:${out}:1.0`]).stdout;
    expect(raw).toBe((await readFile(join(layout.dir, 'blobs', 'sha256', tool.descriptor.digest.slice(7)))).toString('utf8'));
  });

  it('pulls a platform subset as a new index holding only that platform', async () => {
    const tool = layout.images.find((i) => i.refName === 'tool-1.0')!;
    const out = join(await tempDir(), 'arm');
    const pulled = await pullToLayout(client, 'from/skopeo', '1.0', { platforms: ['linux/arm64'], layoutDir: out, refName: 'tool-arm' });
    expect(pulled.descriptor.digest).not.toBe(tool.descriptor.digest);
    expect(pulled.sourceDigest).toBe(tool.descriptor.digest);
    expect(pulled.platforms).toEqual([{ os: 'linux', architecture: 'arm64', variant: 'v8', digest: tool.manifests[1]!.digest }]);
    const index = JSON.parse(await readFile(join(out, 'blobs', 'sha256', pulled.descriptor.digest.slice(7)), 'utf8')) as { manifests: { digest: string }[] };
    expect(index.manifests.map((m) => m.digest)).toEqual([tool.manifests[1]!.digest]);
    expect(await blobNames(out)).not.toContain(tool.manifests[0]!.digest.slice(7));
    mustRun('skopeo', ['inspect', '--raw', `oci:${out}:tool-arm`]);
    await expect(pullToLayout(client, 'from/skopeo', '1.0', { platforms: ['linux/s390x'], layoutDir: out })).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND' });
    await expect(pullToLayout(client, 'from/skopeo', '1.0', { platforms: ['linux'], layoutDir: out })).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('brings referrers along through the tag schema (distribution 2.8 has no referrers API)', async () => {
    const app = layout.images.find((i) => i.refName === 'app-1.0')!;
    await pushImage(client, layout.dir, 'signed/app', app.descriptor, '1.0');
    const { subjectHeader } = await pushReferrer(client, layout.dir, 'signed/app', app.referrers[0]!);
    expect(subjectHeader).toBe(false);
    const out = join(await tempDir(), 'signed');
    const pulled = await pullToLayout(client, 'signed/app', '1.0', { platforms: 'all', layoutDir: out });
    expect(pulled.referrers.map((r) => r.digest)).toEqual([app.referrers[0]!.digest]);
    const index = await readIndex(out);
    expect(index.map((e) => e.digest)).toEqual([app.descriptor.digest, app.referrers[0]!.digest]);
    for (const name of await blobNames(out)) expect(await sameBytes(join(out, 'blobs', 'sha256', name), join(layout.dir, 'blobs', 'sha256', name))).toBe(true);
    // Pulling again into the same layout names it once and fetches nothing.
    const again = await pullToLayout(client, 'signed/app', '1.0', { platforms: 'all', layoutDir: out });
    expect(again.blobsFetched).toBe(0);
    expect((await readIndex(out)).length).toBe(2);
  });

  it('refuses a blob the registry serves with other bytes, and leaves nothing of it', async () => {
    const app = layout.images.find((i) => i.refName === 'app-1.0')!;
    await pushImage(client, layout.dir, 'tampered/app', app.descriptor, '1.0');
    const manifest = JSON.parse(await readFile(join(layout.dir, 'blobs', 'sha256', app.descriptor.digest.slice(7)), 'utf8')) as {
      layers: { digest: string }[];
    };
    const layer = manifest.layers[1]!.digest.slice(7);
    const data = join(registry().storageDir, 'docker', 'registry', 'v2', 'blobs', 'sha256', layer.slice(0, 2), layer, 'data');
    const bytes = await readFile(data);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 10) ^ 0xff, bytes.length - 10);
    await writeFile(data, bytes);
    const out = join(await tempDir(), 'tampered');
    await expect(pullToLayout(client, 'tampered/app', '1.0', { platforms: 'all', layoutDir: out })).rejects.toMatchObject({ code: 'IMAGE_SOURCE_CORRUPT' });
    const names = await blobNames(out);
    expect(names).not.toContain(layer);
    expect(names.filter((n) => n.startsWith('.'))).toEqual([]);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 10) ^ 0xff, bytes.length - 10);
    await writeFile(data, bytes);
  });

  it('fetches a blob again after the registry cut its download, and gives up after a bound', async () => {
    const proxy = await startFaultProxy(registry().url);
    const viaProxy = await createRegistryClient(parseRegistryEndpoint(proxy.host, { insecure: true }), { backoffMs: 5 });
    try {
      const tool = layout.images.find((i) => i.refName === 'tool-1.0')!;
      proxy.dropResponseAfter(50_000, { times: 2 });
      const out = join(await tempDir(), 'cut');
      const pulled = await pullToLayout(viaProxy, 'from/skopeo', '1.0', { platforms: 'all', layoutDir: out });
      expect(pulled.descriptor.digest).toBe(tool.descriptor.digest);
      // The rule also takes small blobs (configs) that end before the cut; at least one layer was cut, and fetched again.
      const cut = proxy.requests.filter((r) => r.dropped);
      expect(cut.length).toBeGreaterThanOrEqual(1);
      for (const request of cut) expect(proxy.count((r) => r.method === 'GET' && r.path === request.path)).toBeGreaterThanOrEqual(2);
      for (const name of await blobNames(out))
        expect(await sameBytes(join(out, 'blobs', 'sha256', name), join(layout.dir, 'blobs', 'sha256', name))).toBe(true);
      proxy.dropResponseAfter(50_000, { times: 100 });
      const out2 = join(await tempDir(), 'cut-for-good');
      await expect(pullToLayout(viaProxy, 'from/skopeo', '1.0', { platforms: 'all', layoutDir: out2 })).rejects.toMatchObject({ code: 'REGISTRY_UNREACHABLE' });
      expect((await blobNames(out2)).filter((n) => n.startsWith('.'))).toEqual([]);
    } finally {
      await viaProxy.close();
      await proxy.close();
    }
  });

  it('says IMAGE_NOT_FOUND for a tag the registry does not have', async () => {
    await expect(pullToLayout(client, 'from/skopeo', 'no-such-tag', { platforms: 'all', layoutDir: join(await tempDir(), 'none') })).rejects.toMatchObject({
      code: 'IMAGE_NOT_FOUND',
    });
  });
});
