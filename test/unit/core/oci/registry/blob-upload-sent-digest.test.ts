/**
 * The upload never closes a blob whose bytes, as read for sending, do not hash to its digest: the
 * hazard is a source that changed after it was verified (a push-only import reads blobs from the
 * bundle file, which someone may rewrite meanwhile). Checked against a small in-process registry
 * that stores a blob whenever a closing PUT arrives whole, whatever it hashes to: so the test
 * fails unless the client itself holds the bytes back.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../../../../electron/core/oci/registry/registry-client.js';
import type { BlobReader } from '../../../../../electron/core/oci/registry/registry-api.js';
import { parseRegistryEndpoint } from '../../../../../electron/core/oci/registry/registry-endpoint.js';

interface Session {
  bytes: Buffer[];
}

/** POST opens a session, PATCH appends (Range back), PUT ?digest= closes it and stores the blob (no digest check: a careless registry). */
class CarelessRegistry {
  readonly sessions = new Map<string, Session>();
  /** Closed uploads: the digest asked for -> size and the SHA-256 of what actually arrived. */
  readonly stored = new Map<string, number>();
  readonly arrived = new Map<string, string>();
  readonly requests: string[] = [];
  private server: Server | null = null;
  host = '';

  async start(): Promise<void> {
    let next = 0;
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const chunks: Buffer[] = [];
      let aborted = false;
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('aborted', () => (aborted = true));
      req.on('error', () => (aborted = true));
      req.on('end', () => {
        this.requests.push(`${req.method} ${url.pathname}${aborted ? ' (cut)' : ''}`);
        if (url.pathname === '/v2/') return void res.writeHead(200).end('{}');
        const id = url.pathname.split('/').at(-1) ?? '';
        if (req.method === 'POST') {
          const name = `s${String(next++)}`;
          this.sessions.set(name, { bytes: [] });
          return void res.writeHead(202, { location: `/v2/app/blobs/uploads/${name}`, range: '0-0' }).end();
        }
        const session = this.sessions.get(id);
        if (!session) return void res.writeHead(404).end('{"errors":[{"code":"BLOB_UPLOAD_UNKNOWN"}]}');
        const body = Buffer.concat(chunks);
        const declared = Number(req.headers['content-length'] ?? 0);
        if (aborted || body.length !== declared) return void res.writeHead(400).end();
        session.bytes.push(body);
        const size = session.bytes.reduce((sum, b) => sum + b.length, 0);
        if (req.method === 'GET') return void res.writeHead(204, { location: `/v2/app/blobs/uploads/${id}`, range: `0-${String(size - 1)}` }).end();
        if (req.method === 'PATCH') return void res.writeHead(202, { location: `/v2/app/blobs/uploads/${id}`, range: `0-${String(size - 1)}` }).end();
        if (req.method === 'PUT') {
          const digest = url.searchParams.get('digest') ?? '';
          this.stored.set(digest, size);
          this.arrived.set(digest, digestOf(Buffer.concat(session.bytes)));
          this.sessions.delete(id);
          return void res.writeHead(201, { 'docker-content-digest': digest }).end();
        }
        res.writeHead(405).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.host = `127.0.0.1:${String((this.server.address() as AddressInfo).port)}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

function pattern(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) out[i] = (i * 131 + seed * 7 + (i >> 9)) & 0xff;
  return out;
}

const digestOf = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

type Mode = 'stream' | 'reader';

interface Source {
  open: (offset: number) => Readable;
  /** Upload options that make the client read through a BlobReader (mode 'reader') or the stream. */
  via: { reader?: () => Promise<BlobReader> };
  /** Where each read of the source started (each stream opened; each reader's first read). */
  opens: number[];
}

/** A source that reads `bytes`, except that `changed` (if given) replaces them from the `after`-th open on. */
function source(mode: Mode, bytes: Buffer, changed?: { bytes: Buffer; after: number }): Source {
  const opens: number[] = [];
  const current = (): Buffer => (changed && opens.length > changed.after ? changed.bytes : bytes);
  const reader = (): Promise<BlobReader> => {
    let first = true;
    return Promise.resolve({
      read: (buffer: Uint8Array, position: number) => {
        if (first) opens.push(position);
        first = false;
        const now = current();
        const n = Math.max(0, Math.min(buffer.length, now.length - position, 100_000));
        now.copy(buffer, 0, position, position + n);
        return Promise.resolve(n);
      },
      close: () => Promise.resolve(),
    });
  };
  return {
    opens,
    via: mode === 'reader' ? { reader } : {},
    open: (offset: number) => {
      opens.push(offset);
      const now = current();
      const parts: Buffer[] = [];
      for (let at = offset; at < now.length; at += 100_000) parts.push(now.subarray(at, Math.min(now.length, at + 100_000)));
      return Readable.from(parts);
    },
  };
}

describe.each(['stream', 'reader'] as const)('blob upload (%s source): the bytes sent must hash to the digest before the upload is closed', (mode) => {
  let registry: CarelessRegistry;
  let client: RegistryClient;

  beforeEach(async () => {
    registry = new CarelessRegistry();
    await registry.start();
    client = await RegistryClient.create(parseRegistryEndpoint(registry.host, { insecure: true }), {
      retries: 1,
      backoffMs: 1,
      upload: { monolithicMax: 64 * 1024, chunkSize: 256 * 1024, maxStalls: 2 },
    });
  });

  afterEach(async () => {
    await client.close();
    await registry.stop();
  });

  it('an honest source arrives byte for byte, monolithic and chunked', async () => {
    for (const size of [1000, 64 * 1024, 700 * 1024 + 3]) {
      const bytes = pattern(size, size);
      const blob = { digest: digestOf(bytes), size, mediaType: 'application/octet-stream' };
      const read = source(mode, bytes);
      await client.uploadBlob('app', blob, read.open, read.via);
      expect(registry.stored.get(blob.digest)).toBe(size);
      expect(registry.arrived.get(blob.digest)).toBe(blob.digest);
    }
  });

  it('request bodies of many pieces (the reader cycles its few buffers) arrive byte for byte', async () => {
    const wide = await RegistryClient.create(parseRegistryEndpoint(registry.host, { insecure: true }), {
      upload: { monolithicMax: 1024, chunkSize: 9 * 1024 * 1024 },
    });
    try {
      const size = 20 * 1024 * 1024 + 17;
      const bytes = pattern(size, 5);
      const blob = { digest: digestOf(bytes), size, mediaType: 'application/octet-stream' };
      const read = source(mode, bytes);
      await wide.uploadBlob('app', blob, read.open, read.via);
      expect(registry.arrived.get(blob.digest)).toBe(blob.digest);
    } finally {
      await wide.close();
    }
  });

  it.each([
    ['a small blob sent in one PUT', 40 * 1024, 0],
    ['a chunked blob changed before its first chunk', 700 * 1024 + 3, 0],
    ['a chunked blob changed before its last chunk (earlier chunks already sent)', 700 * 1024 + 3, 2],
  ])('%s: IMAGE_SOURCE_CORRUPT, nothing stored, not retried', async (_label, size, after) => {
    const bytes = pattern(size, 1);
    const other = Buffer.from(bytes);
    other.writeUInt8(other.readUInt8(size - 1) ^ 0x01, size - 1); // one bit of the last byte: only the whole blob's hash can tell
    const blob = { digest: digestOf(bytes), size, mediaType: 'application/octet-stream' };
    const read = source(mode, bytes, { bytes: other, after });
    await expect(client.uploadBlob('app', blob, read.open, read.via)).rejects.toMatchObject({ code: 'IMAGE_SOURCE_CORRUPT' });
    expect(registry.stored.size).toBe(0);
    // Never retried as if the network had failed: one session, and no closing PUT arrived whole.
    expect(registry.requests.filter((r) => r.startsWith('POST'))).toHaveLength(1);
    expect(registry.requests.filter((r) => r.startsWith('PUT') && !r.endsWith('(cut)'))).toHaveLength(0);
  });

  it('resumed where the registry holds every byte: the bytes are read and hashed again before the closing PUT', async () => {
    const size = 700 * 1024 + 3;
    const bytes = pattern(size, 2);
    const blob = { digest: digestOf(bytes), size, mediaType: 'application/octet-stream' };
    // A killed run left a session holding all the bytes; the source has changed since.
    registry.sessions.set('left', { bytes: [bytes] });
    const changed = Buffer.from(bytes);
    changed.writeUInt8(changed.readUInt8(10) ^ 0xff, 10);
    const read = source(mode, changed);
    await expect(
      client.uploadBlob('app', blob, read.open, { ...read.via, resumeUrl: `http://${registry.host}/v2/app/blobs/uploads/left` }),
    ).rejects.toMatchObject({
      code: 'IMAGE_SOURCE_CORRUPT',
    });
    expect(registry.stored.size).toBe(0);
    expect(read.opens).toEqual([0]);
    // The unchanged source closes the same session with nothing more sent.
    const honest = source(mode, bytes);
    await client.uploadBlob('app', blob, honest.open, { ...honest.via, resumeUrl: `http://${registry.host}/v2/app/blobs/uploads/left` });
    expect(registry.stored.get(blob.digest)).toBe(size);
  });

  it('resumed half-way: the first half is hashed again (not sent), the rest is sent, and the blob is stored', async () => {
    const size = 700 * 1024 + 3;
    const bytes = pattern(size, 3);
    const blob = { digest: digestOf(bytes), size, mediaType: 'application/octet-stream' };
    const half = 300 * 1024;
    registry.sessions.set('half', { bytes: [bytes.subarray(0, half)] });
    const read = source(mode, bytes);
    await client.uploadBlob('app', blob, read.open, { ...read.via, resumeUrl: `http://${registry.host}/v2/app/blobs/uploads/half` });
    expect(registry.stored.get(blob.digest)).toBe(size);
    expect(read.opens[0]).toBe(0);
    expect(read.opens.slice(1).every((at) => at >= half)).toBe(true);
  });
});
