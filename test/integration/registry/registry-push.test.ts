/**
 * The registry client against Debian's docker-registry (distribution 2.8): images of a
 * reproducible OCI layout pushed blob by blob then manifest, index last; skopeo reads back the very
 * manifest bytes; a second push skips every blob (the proxy counts the requests); blobs mount
 * across repositories; a multi-MiB blob goes up in chunks.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRegistryEndpoint } from '../../../electron/core/oci/registry/registry-endpoint.js';
import { createRegistryClient, type RegistryClient } from '../../../electron/core/oci/registry/registry-client.js';
import { buildTestLayout, defaultTestImages, type BuiltLayout } from '../../helpers/oci-test-image.js';
import { RegistryFaultProxy, startFaultProxy } from '../../helpers/registry-fault-proxy.js';
import { pushImage } from '../../helpers/registry-push-layout.js';
import { useRegistryServer } from '../../helpers/registry-server.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { mustRun } from '../../helpers/tools.js';

const registry = useRegistryServer();
const tempDir = useTempDirs();
let layout: BuiltLayout;
let proxy: RegistryFaultProxy;
let client: RegistryClient;

beforeAll(async () => {
  layout = await buildTestLayout(join(await tempDir(), 'layout'), defaultTestImages(300 * 1024));
  proxy = await startFaultProxy(registry().url);
  client = await createRegistryClient(parseRegistryEndpoint(proxy.host, { insecure: true }), { backoffMs: 10 });
});

afterAll(async () => {
  await client?.close();
  await proxy?.close();
});

function sha256(data: string | Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

describe('push of a layout image, then skopeo', () => {
  it('pushes each image so skopeo inspect --raw returns the same manifest digest', async () => {
    for (const image of layout.images) {
      const { digest } = await pushImage(client, layout.dir, 'team/app', image.descriptor, image.refName);
      expect(digest).toBe(image.descriptor.digest);
      const raw = mustRun('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry().host}/team/app:${image.refName}`]).stdout;
      expect(sha256(raw)).toBe(image.descriptor.digest);
    }
    // The multi-platform image: skopeo resolves a platform's manifest that the index lists.
    const tool = layout.images.find((i) => i.refName === 'tool-1.0')!;
    const arm = mustRun('skopeo', [
      'inspect',
      '--raw',
      '--tls-verify=false',
      '--override-arch',
      'arm64',
      `docker://${registry().host}/team/app@${tool.manifests[1]!.digest}`,
    ]).stdout;
    expect(sha256(arm)).toBe(tool.manifests[1]!.digest);
  });

  it('skips every blob on a second push (HEAD only: no upload request reaches the registry)', async () => {
    proxy.clearLog();
    const image = layout.images[0]!;
    const { stats } = await pushImage(client, layout.dir, 'team/app', image.descriptor, image.refName);
    expect(stats.uploaded).toBe(0);
    expect(stats.skipped).toBeGreaterThanOrEqual(3);
    expect(proxy.count((r) => r.method === 'POST' || r.method === 'PATCH')).toBe(0);
    expect(proxy.count((r) => r.method === 'PUT' && r.path.includes('/blobs/'))).toBe(0);
    expect(proxy.count((r) => r.method === 'HEAD' && r.path.includes('/blobs/'))).toBe(stats.skipped);
  });

  it('mounts blobs from another repository instead of uploading them', async () => {
    proxy.clearLog();
    const image = layout.images[0]!;
    const { digest, stats } = await pushImage(client, layout.dir, 'other/copy', image.descriptor, 'mounted', { mountFrom: 'team/app' });
    expect(digest).toBe(image.descriptor.digest);
    expect(stats.uploaded).toBe(0);
    expect(stats.mounted).toBeGreaterThanOrEqual(3);
    expect(proxy.count((r) => r.method === 'PATCH' || (r.method === 'PUT' && r.path.includes('/blobs/')))).toBe(0);
    expect((await client.hasBlob('other/copy', image.manifests[0]!.digest)).present).toBe(false);
  });

  it('falls back to an upload when the mount source does not hold the blob, leaving no session open', async () => {
    const dir = await tempDir();
    const body = Buffer.from('a blob only this test has');
    const blob = { digest: sha256(body), size: body.length, mediaType: 'application/octet-stream' };
    await writeFile(join(dir, 'blob'), body);
    expect(await client.mountBlob('other/fresh', blob.digest, 'team/app')).toBe(false);
    await client.uploadBlob('other/fresh', blob, (offset) => createReadStream(join(dir, 'blob'), { start: offset }));
    expect(await client.hasBlob('other/fresh', blob.digest)).toEqual({ present: true, size: body.length });
  });

  it('uploads a multi-MiB blob in chunks and ends with the right digest', async () => {
    const dir = await tempDir();
    const body = Buffer.alloc(5 * 1024 * 1024 + 123);
    for (let i = 0; i < body.length; i++) body[i] = (i * 7919) % 251;
    const blob = { digest: sha256(body), size: body.length, mediaType: 'application/octet-stream' };
    await writeFile(join(dir, 'big'), body);
    const chunked = await createRegistryClient(parseRegistryEndpoint(proxy.host, { insecure: true }), {
      upload: { chunkSize: 1024 * 1024, monolithicMax: 1024 * 1024 },
    });
    const progress: number[] = [];
    proxy.clearLog();
    try {
      await chunked.uploadBlob('team/big', blob, (offset) => createReadStream(join(dir, 'big'), { start: offset }), {
        onProgress: (p) => progress.push(p.bytes),
      });
    } finally {
      await chunked.close();
    }
    expect(proxy.count((r) => r.method === 'PATCH')).toBe(6);
    expect(progress.at(-1)).toBe(body.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const stream = await client.getBlob('team/big', blob.digest);
    const hash = createHash('sha256');
    for await (const chunk of stream) hash.update(chunk as Buffer);
    expect(`sha256:${hash.digest('hex')}`).toBe(blob.digest);
  });
});
