/**
 * The INSTREAM client against a scripted clamd (a socket server in this process) that does what a
 * broken or hostile clamd might: answer early, answer garbage, cut its reply, never answer, stop
 * reading. Only a complete `stream: OK` after the end marker may ever come out clean.
 */
import { once } from 'node:events';
import { type Server, type Socket, createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ClamdScanner } from '../../../../../electron/core/inspect/clamd/clamd-scanner.js';
import { INSTREAM_CHUNK_BYTES } from '../../../../../electron/core/inspect/clamd/instream.js';
import { MAX_REPLY_TEXT } from '../../../../../electron/core/inspect/clamd/reply.js';
import type { ScanVerdict } from '../../../../../electron/core/inspect/contract.js';
import { useTempDirs } from '../../../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.close();
  }
});

interface Received {
  command: string;
  chunks: Buffer[];
  ended: boolean;
}

/** Parses the client's zINSTREAM framing as clamd does, handing each event to the script. */
async function fakeClamd(
  script: (socket: Socket, event: 'command' | 'chunk' | 'end', received: Received) => void,
  over: 'unix' | 'tcp' = 'unix',
): Promise<string> {
  const path = join(await tempDir(), 'fake.sock');
  const server = createServer((socket) => {
    const received: Received = { command: '', chunks: [], ended: false };
    let buffer = Buffer.alloc(0);
    let commandDone = false;
    socket.on('error', () => undefined);
    socket.on('data', (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      if (!commandDone) {
        const nul = buffer.indexOf(0);
        if (nul < 0) return;
        received.command = buffer.subarray(0, nul).toString();
        buffer = buffer.subarray(nul + 1);
        commandDone = true;
        script(socket, 'command', received);
      }
      while (buffer.length >= 4 && !received.ended) {
        const length = buffer.readUInt32BE(0);
        if (length === 0) {
          received.ended = true;
          buffer = buffer.subarray(4);
          script(socket, 'end', received);
          break;
        }
        if (buffer.length < 4 + length) break;
        received.chunks.push(buffer.subarray(4, 4 + length));
        buffer = buffer.subarray(4 + length);
        script(socket, 'chunk', received);
      }
    });
  });
  servers.push(server);
  // TCP where a test needs a reset (RST): a unix socket has none.
  if (over === 'tcp') server.listen(0, '127.0.0.1');
  else server.listen(path);
  await once(server, 'listening');
  const address = server.address();
  return over === 'tcp' && address !== null && typeof address === 'object' ? `tcp:127.0.0.1:${address.port}` : `unix:${path}`;
}

async function scan(address: string, bytes: Buffer, options: { timeoutMs?: number; chunk?: number; signal?: AbortSignal } = {}): Promise<ScanVerdict> {
  const scanner = new ClamdScanner(address, { timeoutMs: options.timeoutMs ?? 10_000, databaseDir: null });
  const fileScan = await scanner.begin(options.signal);
  const step = options.chunk ?? 64 * 1024;
  for (let offset = 0; offset < bytes.length; offset += step) await fileScan.write(bytes.subarray(offset, offset + step));
  return fileScan.finish();
}

describe('INSTREAM against a scripted clamd', () => {
  it('frames the stream as clamd reads it (4-byte big-endian lengths, bounded chunks, zero at the end), and a complete OK is clean', async () => {
    let got: Received | null = null;
    const address = await fakeClamd((socket, event, received) => {
      if (event === 'end') {
        got = received;
        socket.end('stream: OK\0');
      }
    });
    const bytes = Buffer.alloc(3 * INSTREAM_CHUNK_BYTES + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) % 251;
    expect(await scan(address, bytes, { chunk: 1024 * 1024 })).toEqual({ outcome: 'clean', detail: null });
    const received = got as Received | null;
    expect(received?.command).toBe('zINSTREAM');
    expect(received?.chunks.every((chunk) => chunk.length <= INSTREAM_CHUNK_BYTES)).toBe(true);
    expect(Buffer.concat(received?.chunks ?? []).equals(bytes)).toBe(true);
  });

  it('an OK that comes before the end marker is not clean', async () => {
    const address = await fakeClamd((socket, event) => {
      if (event === 'command') socket.end('stream: OK\0');
    });
    const verdict = await scan(address, Buffer.alloc(512 * 1024, 1));
    expect(verdict.outcome).toBe('error');
    expect(verdict.detail).toContain('stream: OK');
  });

  it('an unknown reply is an error carrying its text', async () => {
    const address = await fakeClamd((socket, event) => {
      if (event === 'end') socket.end('stream: fine, trust me\0');
    });
    expect(await scan(address, Buffer.from('x'))).toEqual({ outcome: 'error', detail: 'stream: fine, trust me' });
  });

  it('a reply cut off before its NUL is not clean, even when it reads OK', async () => {
    const address = await fakeClamd((socket, event) => {
      if (event === 'end') socket.end('stream: OK');
    });
    const verdict = await scan(address, Buffer.from('x'));
    expect(verdict.outcome).toBe('error');
    expect(verdict.detail).toMatch(/cut off/u);
  });

  it('a connection dropped without a reply is an error', async () => {
    const address = await fakeClamd((socket, event) => {
      if (event === 'end') socket.destroy();
    });
    expect((await scan(address, Buffer.from('x'))).outcome).toBe('error');
  });

  it('a connection dropped mid-stream is an error', async () => {
    const address = await fakeClamd((socket, event, received) => {
      if (event === 'chunk' && received.chunks.length === 2) socket.destroy();
    });
    expect((await scan(address, Buffer.alloc(4 * 1024 * 1024, 2))).outcome).toBe('error');
  });

  it('no reply within the timeout is an error', async () => {
    const address = await fakeClamd(() => undefined);
    const verdict = await scan(address, Buffer.from('x'), { timeoutMs: 300 });
    expect(verdict.outcome).toBe('error');
    expect(verdict.detail).toMatch(/no reply/u);
  });

  it('backpressure: a clamd that stops reading stalls the writer (memory stays bounded), then the scan fails', async () => {
    const address = await fakeClamd((socket, event) => {
      if (event === 'command') socket.pause();
    });
    const verdict = await scan(address, Buffer.alloc(64 * 1024 * 1024, 3), { timeoutMs: 500, chunk: 1024 * 1024 });
    expect(verdict.outcome).toBe('error');
    expect(verdict.detail).toMatch(/stopped reading/u);
  });

  it('a cancelled scan is an error, never clean', async () => {
    const address = await fakeClamd((socket, event) => {
      if (event === 'end') setTimeout(() => socket.end('stream: OK\0'), 200);
    });
    const controller = new AbortController();
    const scanner = new ClamdScanner(address, { timeoutMs: 10_000, databaseDir: null });
    const fileScan = await scanner.begin(controller.signal);
    await fileScan.write(Buffer.from('x'));
    const verdict = fileScan.finish();
    controller.abort();
    expect((await verdict).outcome).toBe('error');
  });

  it('a status whose clamd answers PING wrongly is not reachable', async () => {
    const address = await fakeClamd((socket, event) => {
      if (event === 'command') socket.end('PANG\0');
    });
    const status = await new ClamdScanner(address, { timeoutMs: 5_000, databaseDir: null }).status(new Date());
    expect(status.reachable).toBe(false);
    expect(status.error).toContain('PANG');
  });

  it('an endless reply (bytes, never a NUL) is cut off at a bound: not clean, its text bounded, the scan over', async () => {
    let sent = 0;
    const address = await fakeClamd((socket, event) => {
      if (event !== 'end') return;
      const more = (): void => {
        if (socket.destroyed) return;
        sent += 64 * 1024;
        socket.write(Buffer.alloc(64 * 1024, 'O'), () => setImmediate(more));
      };
      more();
    });
    const verdict = await scan(address, Buffer.from('x'));
    expect(verdict.outcome).toBe('error');
    expect(verdict.detail).toMatch(/cut off/u);
    expect(verdict.detail?.length).toBeLessThan(MAX_REPLY_TEXT + 64);
    // The client hung up: the peer's writes stop instead of running on.
    const settled = sent;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent - settled).toBeLessThanOrEqual(64 * 1024);
  });

  it('a slow-loris reply (a byte now and then, never the NUL) ends at the deadline: not clean', async () => {
    const address = await fakeClamd((socket, event) => {
      if (event !== 'end') return;
      const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write('s')), 40);
    });
    const verdict = await scan(address, Buffer.from('x'), { timeoutMs: 300 });
    expect(verdict).toMatchObject({ outcome: 'error', detail: expect.stringMatching(/no reply within/u) as unknown });
  });

  it('"stream: OK" dripped a byte at a time, each byte in time but the whole reply after the deadline: not clean (the deadline is for the reply, not per byte)', async () => {
    const address = await fakeClamd((socket, event) => {
      if (event !== 'end') return;
      const reply = Buffer.from('stream: OK\0');
      let at = 0;
      const timer = setInterval(() => {
        if (socket.destroyed || at >= reply.length) clearInterval(timer);
        else socket.write(reply.subarray(at, (at += 1)));
      }, 60);
    });
    const verdict = await scan(address, Buffer.from('x'), { timeoutMs: 300 });
    expect(verdict.outcome).toBe('error');
  });

  it('"stream: OK" then a reset before the NUL: not clean', async () => {
    const address = await fakeClamd((socket, event) => {
      if (event === 'end') socket.write('stream: OK', () => socket.resetAndDestroy());
    }, 'tcp');
    const verdict = await scan(address, Buffer.from('x'));
    expect(verdict.outcome).toBe('error');
  });

  it('a reset while the stream is still being sent, after an early "stream: OK": not clean', async () => {
    const address = await fakeClamd((socket, event, received) => {
      if (event === 'chunk' && received.chunks.length === 1) socket.write('stream: OK\0', () => socket.resetAndDestroy());
    }, 'tcp');
    const verdict = await scan(address, Buffer.alloc(8 * 1024 * 1024, 4), { chunk: 1024 * 1024 });
    expect(verdict.outcome).toBe('error');
  });
});
