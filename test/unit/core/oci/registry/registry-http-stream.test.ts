import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRegistryEndpoint } from '../../../../../electron/core/oci/registry/registry-endpoint.js';
import { errorText, RegistryHttp } from '../../../../../electron/core/oci/registry/registry-http.js';

// Streamed upload bodies go through undici's request() (not fetch): the answer must still read as a fetch Response.
describe('registry http: streamed request bodies', () => {
  let server: Server;
  let host = '';
  let received: { method: string; url: string; body: Buffer }[] = [];
  let answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();

  beforeEach(async () => {
    received = [];
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks) });
        answer(req, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function* pieces(parts: Buffer[]): AsyncGenerator<Uint8Array> {
    for (const part of parts) yield part;
  }

  async function send(method: 'PATCH' | 'PUT', parts: Buffer[]) {
    const http = await RegistryHttp.create(parseRegistryEndpoint(host, { insecure: true }));
    try {
      const length = parts.reduce((sum, p) => sum + p.length, 0);
      const response = await http.send({
        method,
        url: '/v2/app/blobs/uploads/abc?state=x',
        headers: { 'content-length': String(length) },
        body: () => pieces(parts),
        scopes: [],
        retry: false,
        what: 'test upload',
      });
      return { response, text: await errorText(response) };
    } finally {
      await http.close();
    }
  }

  it('sends every piece in order and returns status, headers (repeated ones too) and body', async () => {
    answer = (_req, res) => {
      res.setHeader('range', '0-5');
      res.setHeader('location', '/v2/app/blobs/uploads/abc?state=y');
      res.setHeader('x-twice', ['a', 'b']);
      res.writeHead(202);
      res.end('{"ok":true}');
    };
    const parts = [Buffer.from('ab'), Buffer.from('cd'), Buffer.from('ef')];
    const { response, text } = await send('PATCH', parts);
    expect(received).toEqual([{ method: 'PATCH', url: '/v2/app/blobs/uploads/abc?state=x', body: Buffer.from('abcdef') }]);
    expect(response.status).toBe(202);
    expect(response.headers.get('range')).toBe('0-5');
    expect(response.headers.get('location')).toBe('/v2/app/blobs/uploads/abc?state=y');
    expect(response.headers.get('x-twice')).toBe('a, b');
    expect(text).toBe('{"ok":true}');
  });

  it('returns a bodiless answer (204) as a Response rather than failing', async () => {
    answer = (_req, res) => {
      res.writeHead(204, { 'docker-content-digest': 'sha256:' + '0'.repeat(64) });
      res.end();
    };
    const { response, text } = await send('PUT', [Buffer.from('x')]);
    expect(response.status).toBe(204);
    expect(response.headers.get('docker-content-digest')).toBe('sha256:' + '0'.repeat(64));
    expect(text).toBe('');
  });

  it('reads an error answer so its registry code reaches the caller', async () => {
    answer = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"DIGEST_INVALID","message":"no"}]}');
    };
    const { response, text } = await send('PUT', [Buffer.from('xy')]);
    expect(response.status).toBe(400);
    expect(text).toContain('DIGEST_INVALID');
  });
});
