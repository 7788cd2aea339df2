/**
 * The client against a registry that misbehaves (issue #15.7's hostile registry cases), through
 * the fault proxy in front of docker-registry: a connection dropped mid-PATCH (the registry kept
 * nothing of it: resume from the session's Range; it kept part: distribution drops the session and
 * the blob starts again), 500 twice then success, 500 for good (bounded retries), an immutable tag
 * refused with the registry's code, the referrers API when the registry has one, and an abort in
 * the middle of a chunk.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRegistryClient, type RegistryClient } from '../../../electron/core/oci/registry/registry-client.js';
import { parseRegistryEndpoint } from '../../../electron/core/oci/registry/registry-endpoint.js';
import { buildTestLayout, defaultTestImages, type BuiltLayout } from '../../helpers/oci-test-image.js';
import { DISTRIBUTION_IMMUTABLE, HARBOR_IMMUTABLE, type RegistryFaultProxy, startFaultProxy } from '../../helpers/registry-fault-proxy.js';
import { pushImage, pushReferrer } from '../../helpers/registry-push-layout.js';
import { useRegistryServer } from '../../helpers/registry-server.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const MiB = 1024 * 1024;
const registry = useRegistryServer();
const tempDir = useTempDirs();
let proxy: RegistryFaultProxy;
let client: RegistryClient;
let layout: BuiltLayout;
let bigFile: string;
let big: { digest: string; size: number; mediaType: string };
let counter = 0;

beforeAll(async () => {
  const dir = await tempDir();
  layout = await buildTestLayout(join(dir, 'layout'), defaultTestImages(64 * 1024));
  const body = Buffer.alloc(5 * MiB + 4321);
  for (let i = 0; i < body.length; i++) body[i] = (i * 2654435761) >>> 24;
  bigFile = join(dir, 'big');
  await writeFile(bigFile, body);
  big = { digest: `sha256:${createHash('sha256').update(body).digest('hex')}`, size: body.length, mediaType: 'application/octet-stream' };
  proxy = await startFaultProxy(registry().url);
  client = await createRegistryClient(parseRegistryEndpoint(proxy.host, { insecure: true }), {
    backoffMs: 5,
    maxBackoffMs: 20,
    upload: { chunkSize: MiB, monolithicMax: MiB },
  });
});

afterEach(() => {
  proxy.clearRules();
  proxy.clearLog();
});

afterAll(async () => {
  await client?.close();
  await proxy?.close();
});

function openBig(offset: number): Readable {
  return createReadStream(bigFile, { start: offset });
}

/** A fresh repository per test: nothing left from another. */
function repo(): string {
  counter++;
  return `faults/r${counter}`;
}

async function digestAtRegistry(repository: string, digest: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of await client.getBlob(repository, digest)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

describe('dropped connection mid-PATCH', () => {
  it('resumes from the Range the registry holds when it kept nothing of the cut chunk', async () => {
    const repository = repo();
    proxy.dropAfter(MiB / 2, { registrySees: 'nothing', match: (r) => r.method === 'PATCH' && proxy.count((x) => x.method === 'PATCH') === 3 });
    await client.uploadBlob(repository, big, openBig);
    expect(await digestAtRegistry(repository, big.digest)).toBe(big.digest);
    const patches = proxy.requests.filter((r) => r.method === 'PATCH');
    expect(patches.filter((r) => r.dropped)).toHaveLength(1);
    // One session throughout: asked for its state once, never started again.
    expect(proxy.count((r) => r.method === 'POST')).toBe(1);
    expect(proxy.count((r) => r.method === 'GET' && r.path.includes('/blobs/uploads/'))).toBe(1);
    const sent = patches.reduce((sum, r) => sum + r.bytesIn, 0);
    expect(sent).toBe(big.size + MiB / 2);
  });

  it('starts the blob again when the registry kept part of the cut chunk (distribution drops that session)', async () => {
    const repository = repo();
    proxy.dropAfter(MiB / 2, { registrySees: 'partial', match: (r) => r.method === 'PATCH' && proxy.count((x) => x.method === 'PATCH') === 2 });
    await client.uploadBlob(repository, big, openBig);
    expect(await digestAtRegistry(repository, big.digest)).toBe(big.digest);
    expect(proxy.count((r) => r.method === 'POST')).toBe(2);
    expect(proxy.requests.filter((r) => r.dropped)).toHaveLength(1);
  });

  it('survives a cut in every other chunk and ends with the right digest', async () => {
    const repository = repo();
    proxy.dropAfter(1000, { registrySees: 'nothing', times: 4, match: (r) => r.method === 'PATCH' && proxy.count((x) => x.method === 'PATCH') % 2 === 0 });
    await client.uploadBlob(repository, big, openBig);
    expect(await digestAtRegistry(repository, big.digest)).toBe(big.digest);
    expect(proxy.requests.filter((r) => r.dropped).length).toBe(4);
  });

  it('starts a small blob again after its monolithic PUT was cut', async () => {
    const repository = repo();
    const image = layout.images[0]!;
    proxy.dropAfter(100, { registrySees: 'partial', match: (r) => r.method === 'PUT' && r.path.includes('/blobs/uploads/') });
    const { digest } = await pushImage(client, layout.dir, repository, image.descriptor, image.refName);
    expect(digest).toBe(image.descriptor.digest);
    expect(proxy.requests.filter((r) => r.dropped)).toHaveLength(1);
  });

  it('gives up with REGISTRY_UNREACHABLE when every attempt is cut (bounded, no endless loop)', async () => {
    const repository = repo();
    proxy.dropAfter(1000, { registrySees: 'nothing', times: 1000, match: (r) => r.method === 'PATCH' });
    try {
      await expect(client.uploadBlob(repository, big, openBig)).rejects.toMatchObject({ code: 'REGISTRY_UNREACHABLE' });
      expect(proxy.count((r) => r.method === 'PATCH')).toBeLessThanOrEqual(10);
    } finally {
      proxy.clearRules();
    }
  });
});

describe('server errors', () => {
  it('retries after 500 twice and succeeds, for blobs and manifests alike', async () => {
    const repository = repo();
    const image = layout.images[1]!;
    proxy.failNext(2, { match: (r) => r.method === 'HEAD' });
    proxy.failNext(2, { match: (r) => r.method === 'PATCH' || (r.method === 'PUT' && r.path.includes('/blobs/')) });
    proxy.failNext(2, { match: (r) => r.method === 'PUT' && r.path.includes('/manifests/') });
    const { digest } = await pushImage(client, layout.dir, repository, image.descriptor, image.refName);
    expect(digest).toBe(image.descriptor.digest);
    expect(proxy.count((r) => r.status === 500)).toBe(6);
    // Every blob here is small (one PUT): after a 500 the session's `Range: 0-0` must not be read as
    // one byte held (distribution's ambiguity), which would send a PATCH and end in DIGEST_INVALID.
    expect(proxy.count((r) => r.method === 'PATCH')).toBe(0);
    expect(proxy.count((r) => r.status === 400)).toBe(0);
    expect((await client.headManifest(repository, image.refName))?.digest).toBe(image.descriptor.digest);
  });

  it('stops after a bounded number of attempts with REGISTRY_UNREACHABLE and the status', async () => {
    const repository = repo();
    proxy.failNext(1000, { status: 503, match: (r) => r.method === 'HEAD' });
    try {
      await expect(client.hasBlob(repository, big.digest)).rejects.toMatchObject({ code: 'REGISTRY_UNREACHABLE', data: { status: 503 } });
      expect(proxy.count((r) => r.method === 'HEAD')).toBe(5);
    } finally {
      proxy.clearRules();
    }
  });
});

describe('immutable tags', () => {
  for (const [name, style] of [
    ['distribution (400 TAG_INVALID)', DISTRIBUTION_IMMUTABLE],
    ['Harbor (412 PRECONDITION)', HARBOR_IMMUTABLE],
  ] as const) {
    it(`refuses a second push of a tag with the registry's code: ${name}`, async () => {
      const repository = repo();
      const [first, second] = layout.images;
      await pushImage(client, layout.dir, repository, first!.descriptor, 'release');
      proxy.immutableTags(style);
      try {
        const failure = pushImage(client, layout.dir, repository, second!.descriptor, 'release');
        await expect(failure).rejects.toMatchObject({ code: 'REGISTRY_REFUSED', data: { status: style.status, registryCode: style.code } });
        // By digest it still goes in; the tag still names the first image.
        expect((await pushImage(client, layout.dir, repository, second!.descriptor, null)).digest).toBe(second!.descriptor.digest);
        expect((await client.headManifest(repository, 'release'))?.digest).toBe(first!.descriptor.digest);
      } finally {
        proxy.immutableTags(null);
      }
    });
  }
});

describe('referrers API', () => {
  it('uses the referrers API when the registry answers it, without the tag schema', async () => {
    const repository = repo();
    const app = layout.images.find((i) => i.refName === 'app-1.0')!;
    proxy.referrersApi = 'serve';
    try {
      await pushImage(client, layout.dir, repository, app.descriptor, '1.0');
      const { subjectHeader } = await pushReferrer(client, layout.dir, repository, app.referrers[0]!);
      expect(subjectHeader).toBe(true);
      proxy.clearLog();
      const found = await client.listReferrers(repository, app.descriptor.digest);
      expect(found.map((r) => r.digest)).toEqual([app.referrers[0]!.digest]);
      expect(proxy.count((r) => r.path.includes('/referrers/'))).toBe(1);
      expect(proxy.count((r) => r.path.includes('/manifests/sha256-'))).toBe(0);
    } finally {
      proxy.referrersApi = 'hide';
    }
    // Hidden again: the API answers 404, the tag was never written, so there are none.
    expect(await client.listReferrers(repository, app.descriptor.digest)).toEqual([]);
  });
});

describe('abort', () => {
  it('stops within the chunk in flight: CANCELLED, and no request after it', async () => {
    const repository = repo();
    const controller = new AbortController();
    const fourMiB = await createRegistryClient(parseRegistryEndpoint(proxy.host, { insecure: true }), { upload: { chunkSize: 4 * MiB, monolithicMax: MiB } });
    let read = 0;
    const open = (offset: number): Readable => {
      const source = openBig(offset);
      source.on('data', (chunk: Buffer) => {
        read += chunk.length;
        // Part-way through the first 4 MiB chunk.
        if (read >= 2.5 * MiB) controller.abort();
      });
      return source;
    };
    try {
      await expect(fourMiB.uploadBlob(repository, big, open, { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    } finally {
      await fourMiB.close();
    }
    const patches = proxy.requests.filter((r) => r.method === 'PATCH');
    expect(patches.length).toBe(1);
    expect(patches[0]!.bytesIn).toBeLessThan(4 * MiB);
    const countAtAbort = proxy.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(proxy.requests.length).toBe(countAtAbort);
    expect(read).toBeLessThan(4 * MiB);
  });
});

describe('resume after a restart (the push journal keeps the location)', () => {
  it('goes on from the session a killed run left, sending only the rest', async () => {
    const repository = repo();
    const controller = new AbortController();
    let location: string | undefined;
    let accepted = 0;
    await expect(
      client.uploadBlob(repository, big, openBig, {
        signal: controller.signal,
        onProgress: (p) => {
          location = p.location;
          accepted = p.bytes;
          if (p.bytes >= 3 * MiB) controller.abort();
        },
      }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(accepted).toBe(3 * MiB);
    proxy.clearLog();
    const restarted = await createRegistryClient(parseRegistryEndpoint(proxy.host, { insecure: true }), { upload: { chunkSize: MiB, monolithicMax: MiB } });
    try {
      await restarted.uploadBlob(repository, big, openBig, { resumeUrl: location });
    } finally {
      await restarted.close();
    }
    expect(await digestAtRegistry(repository, big.digest)).toBe(big.digest);
    expect(proxy.count((r) => r.method === 'POST')).toBe(0);
    expect(proxy.requests.filter((r) => r.method === 'PATCH').reduce((sum, r) => sum + r.bytesIn, 0)).toBe(big.size - 3 * MiB);
  });

  it('starts again when the session the journal names is gone', async () => {
    const repository = repo();
    proxy.clearLog();
    await client.uploadBlob(repository, big, openBig, {
      resumeUrl: `${proxy.url}/v2/${repository}/blobs/uploads/00000000-0000-0000-0000-000000000000?_state=x`,
    });
    expect(await digestAtRegistry(repository, big.digest)).toBe(big.digest);
    expect(proxy.count((r) => r.method === 'POST')).toBe(1);
  });
});
