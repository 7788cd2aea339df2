/**
 * Hazard: a registry (or whatever answers in its place) that lies. The client must not take a
 * manifest bigger than its cap, bytes that do not hash to the digest asked for, a registry that
 * reports another digest than what was sent, a Range past what was sent, an upload Location on
 * another host (no credentials go there), a blob longer than its descriptor (reading stops), or an
 * image graph nested without end. Each answer comes from a tiny fake registry in this process.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullToLayout } from '../../electron/core/oci/registry/pull-to-layout.js';
import { createRegistryClient, type RegistryClient } from '../../electron/core/oci/registry/registry-client.js';
import { parseRegistryEndpoint } from '../../electron/core/oci/registry/registry-endpoint.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

interface Fake {
  server: Server;
  port: number;
  handler: Handler;
  seen: { method: string; url: string; authorization: string | undefined }[];
}

async function startFake(): Promise<Fake> {
  const fake: Fake = { server: createServer(), port: 0, handler: (_q, res) => res.writeHead(404).end(), seen: [] };
  fake.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      fake.seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
      if (req.url === '/v2/') {
        // Basic auth: from here on the client sends its credentials (to this origin only).
        if (req.headers.authorization === undefined) res.writeHead(401, { 'www-authenticate': 'Basic realm="fake"' }).end();
        else res.writeHead(200).end('{}');
        return;
      }
      fake.handler(req, res, Buffer.concat(chunks));
    });
  });
  fake.server.listen(0, '127.0.0.1');
  await once(fake.server, 'listening');
  const address = fake.server.address();
  fake.port = typeof address === 'object' && address !== null ? address.port : 0;
  return fake;
}

const sha256 = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const tempDir = useTempDirs();
let fake: Fake;
let other: Fake;
let client: RegistryClient;

beforeAll(async () => {
  fake = await startFake();
  other = await startFake();
  client = await createRegistryClient(parseRegistryEndpoint(`127.0.0.1:${fake.port}`, { insecure: true, credentials: { username: 'u', password: 'secret' } }), {
    retries: 1,
    backoffMs: 1,
    upload: { chunkSize: 1024, monolithicMax: 1024, maxStalls: 2 },
  });
});

afterAll(async () => {
  await client?.close();
  fake?.server.closeAllConnections();
  fake?.server.close();
  other?.server.closeAllConnections();
  other?.server.close();
});

describe('manifests', () => {
  it('refuses a manifest over the 4 MiB cap, declared or streamed', async () => {
    fake.handler = (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': String(5 * 1024 * 1024) })
        .end(Buffer.alloc(5 * 1024 * 1024));
    await expect(client.getManifest('a/b', 'big', ['application/vnd.oci.image.manifest.v1+json'])).rejects.toMatchObject({ code: 'REGISTRY_REFUSED' });
    fake.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
      const chunk = Buffer.alloc(64 * 1024, 32);
      const write = (): void => {
        if (!res.destroyed && res.write(chunk)) setImmediate(write);
        else if (!res.destroyed) res.once('drain', write);
      };
      write();
    };
    await expect(client.getManifest('a/b', 'endless', ['application/vnd.oci.image.manifest.v1+json'])).rejects.toMatchObject({ code: 'REGISTRY_REFUSED' });
  });

  it('refuses bytes that do not hash to the digest asked for, or to the digest the registry names', async () => {
    const body = Buffer.from('{"schemaVersion":2}');
    fake.handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(body);
    await expect(client.getManifest('a/b', `sha256:${'0'.repeat(64)}`, ['x/y'])).rejects.toMatchObject({ code: 'REGISTRY_DIGEST_MISMATCH' });
    fake.handler = (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': `sha256:${'1'.repeat(64)}` }).end(body);
    await expect(client.getManifest('a/b', 'tag', ['x/y'])).rejects.toMatchObject({ code: 'REGISTRY_DIGEST_MISMATCH' });
  });

  it('refuses a PUT the registry says it stored under another digest', async () => {
    fake.handler = (_req, res) => res.writeHead(201, { 'docker-content-digest': `sha256:${'2'.repeat(64)}` }).end();
    await expect(client.putManifest('a/b', 'v1', 'application/vnd.oci.image.manifest.v1+json', Buffer.from('{}'))).rejects.toMatchObject({
      code: 'REGISTRY_DIGEST_MISMATCH',
    });
  });
});

describe('uploads', () => {
  const blobBody = Buffer.alloc(3000, 7);
  const blob = { digest: sha256(blobBody), size: blobBody.length, mediaType: 'application/octet-stream' };
  const open = (offset: number): Readable => Readable.from([blobBody.subarray(offset)]);

  it('refuses a Range past the bytes sent', async () => {
    fake.handler = (req, res) => {
      if (req.method === 'POST') res.writeHead(202, { location: '/v2/a/b/blobs/uploads/1' }).end();
      else if (req.method === 'PATCH') res.writeHead(202, { location: '/v2/a/b/blobs/uploads/1', range: '0-2999' }).end();
      else res.writeHead(500).end();
    };
    await expect(client.uploadBlob('a/b', blob, open)).rejects.toMatchObject({ code: 'REGISTRY_REFUSED' });
  });

  it('refuses a final digest other than the blob’s (after one whole re-send)', async () => {
    fake.handler = (req, res) => {
      if (req.method === 'POST') res.writeHead(202, { location: '/v2/a/b/blobs/uploads/1' }).end();
      else if (req.method === 'PATCH') {
        const end = Number((req.headers['content-range'] ?? '0-0').split('-')[1]);
        res.writeHead(202, { location: '/v2/a/b/blobs/uploads/1', range: `0-${end}` }).end();
      } else if (req.method === 'PUT') res.writeHead(201, { 'docker-content-digest': `sha256:${'3'.repeat(64)}` }).end();
      else res.writeHead(500).end();
    };
    fake.seen.length = 0;
    await expect(client.uploadBlob('a/b', blob, open)).rejects.toMatchObject({ code: 'REGISTRY_DIGEST_MISMATCH' });
    expect(fake.seen.filter((r) => r.method === 'POST')).toHaveLength(2);
  });

  it('sends no credentials to an upload location on another host', async () => {
    fake.handler = (req, res) => {
      if (req.method === 'POST') res.writeHead(202, { location: `http://127.0.0.1:${other.port}/v2/a/b/blobs/uploads/1` }).end();
      else res.writeHead(500).end();
    };
    other.handler = (req, res) => {
      if (req.method === 'PATCH')
        res
          .writeHead(202, {
            location: `http://127.0.0.1:${other.port}/v2/a/b/blobs/uploads/1`,
            range: `0-${(req.headers['content-range'] ?? '0-0').split('-')[1]}`,
          })
          .end();
      else if (req.method === 'PUT') res.writeHead(201, { 'docker-content-digest': blob.digest }).end();
      else res.writeHead(500).end();
    };
    other.seen.length = 0;
    fake.seen.length = 0;
    await client.uploadBlob('a/b', blob, open);
    expect(other.seen.length).toBeGreaterThan(0);
    expect(other.seen.every((r) => r.authorization === undefined)).toBe(true);
    // The registry itself did get them: the rule is about the other host, not a client without credentials.
    expect(fake.seen.filter((r) => r.method === 'POST').every((r) => r.authorization?.startsWith('Basic '))).toBe(true);
  });
});

describe('pulls', () => {
  it('stops reading a blob that runs past its size, and leaves no file', async () => {
    const config = Buffer.from('{"os":"linux","architecture":"amd64"}');
    const layer = { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${'4'.repeat(64)}`, size: 10 };
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
        layers: [layer],
      }),
    );
    let sentOfLayer = 0;
    fake.handler = (req, res) => {
      if (req.url?.includes('/manifests/')) res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(manifest);
      else if (req.url?.endsWith(sha256(config))) res.writeHead(200).end(config);
      else if (req.url?.endsWith(layer.digest)) {
        res.writeHead(200);
        const write = (): void => {
          if (res.destroyed || sentOfLayer > 256 * 1024 * 1024) return;
          sentOfLayer += 65536;
          if (res.write(Buffer.alloc(65536))) setImmediate(write);
          else res.once('drain', write);
        };
        write();
      } else res.writeHead(404).end();
    };
    const out = join(await tempDir(), 'layout');
    await expect(pullToLayout(client, 'a/b', 'v1', { platforms: 'all', layoutDir: out, referrers: false })).rejects.toMatchObject({
      code: 'IMAGE_SOURCE_CORRUPT',
    });
    expect(sentOfLayer).toBeLessThan(64 * 1024 * 1024);
    expect((await readdir(join(out, 'blobs', 'sha256'))).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('refuses an image graph nested deeper than the limit', async () => {
    let child = { mediaType: 'application/vnd.oci.image.index.v1+json', body: Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [] })) };
    const bodies = new Map<string, Buffer>([[sha256(child.body), child.body]]);
    for (let depth = 0; depth < 8; depth++) {
      const body = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: child.mediaType,
          manifests: [{ mediaType: child.mediaType, digest: sha256(child.body), size: child.body.length }],
        }),
      );
      bodies.set(sha256(body), body);
      child = { mediaType: child.mediaType, body };
    }
    const top = child.body;
    fake.handler = (req, res) => {
      const ref = decodeURIComponent(req.url?.split('/manifests/')[1] ?? '');
      const body = ref === 'deep' ? top : bodies.get(ref);
      if (body) res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' }).end(body);
      else res.writeHead(404).end();
    };
    await expect(pullToLayout(client, 'a/b', 'deep', { platforms: 'all', layoutDir: join(await tempDir(), 'deep'), referrers: false })).rejects.toMatchObject({
      code: 'IMAGE_SOURCE_CORRUPT',
    });
  });

  it('refuses a referrers answer that is not an index of valid descriptors', async () => {
    fake.handler = (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' })
        .end('{"manifests":[{"digest":"sha256:../../etc","size":1,"mediaType":"x/y"}]}');
    await expect(client.listReferrers('a/b', `sha256:${'5'.repeat(64)}`)).rejects.toMatchObject({ code: 'REGISTRY_REFUSED' });
  });
});
