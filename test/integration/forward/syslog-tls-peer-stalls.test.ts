/**
 * A TLS syslog peer that stalls: it accepts the TCP connection and then never answers the
 * handshake, or drips bytes that never make one (a slow-loris). The delivery must fail within
 * the connect deadline (a total, not reset by each byte), move no cursor, keep every event in
 * the outbox with the reason on record, and send nothing readable. When a real TLS server then
 * answers on the same address, the next delivery gets every event there at least once and the
 * cursor reaches the head. The peers run in this process: the stalling ones are plain TCP
 * servers, the good one is node's TLS server with the throwaway CA openssl makes.
 */
import { once } from 'node:events';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { readFile } from 'node:fs/promises';
import { createServer as createTlsServer } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { deliverNow, forwardStatusOf } from '../../../electron/core/forward/index.js';
import { parseOctetCounted } from '../../../electron/core/forward/octet-framing.js';
import type { SyslogSinkConfig } from '../../../electron/core/home/forward-config.js';
import { makeForwardHome } from '../../helpers/forward-home.js';
import { makeTlsMaterial } from '../../helpers/rsyslog-process.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
const servers: Server[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  for (const server of servers.splice(0)) {
    server.close();
    await once(server, 'close').catch(() => undefined);
  }
});

type Stall = 'silent after accept' | 'drips bytes that never make a handshake';

/** A TCP server on `port` (0: any) that accepts and stalls; returns its port and the bytes it got. */
async function stallingPeer(kind: Stall, port = 0): Promise<{ port: number; received: () => Buffer; close: () => Promise<void> }> {
  const got: Buffer[] = [];
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => got.push(chunk));
    if (kind === 'drips bytes that never make a handshake') {
      // A TLS record header for a handshake, then one byte every 50 ms, never a whole record.
      const drip = Buffer.concat([Buffer.from([0x16, 0x03, 0x03, 0x40, 0x00]), Buffer.alloc(16_384, 0x02)]);
      let at = 0;
      const timer = setInterval(() => (socket.destroyed || at >= drip.length ? clearInterval(timer) : socket.write(drip.subarray(at, (at += 1)))), 50);
    }
  });
  servers.push(server);
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    received: () => Buffer.concat(got),
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
}

/** A TLS syslog server on `port` that reads frames to our end and then closes (the round trip); returns the seqs it read. */
async function goodTlsPeer(port: number, keyFile: string, certFile: string): Promise<Map<number, number>> {
  const seen = new Map<number, number>();
  const server = createTlsServer({ key: await readFile(keyFile), cert: await readFile(certFile), allowHalfOpen: true }, (socket) => {
    let pending = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      const { messages, rest } = parseOctetCounted(Buffer.concat([pending, chunk]));
      pending = Buffer.from(rest);
      for (const message of messages) {
        const seq = Number(/seq="(\d+)"/u.exec(message.toString('utf8'))?.[1]);
        if (Number.isInteger(seq)) seen.set(seq, (seen.get(seq) ?? 0) + 1);
      }
    });
    socket.on('end', () => socket.end());
  });
  servers.push(server);
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return seen;
}

describe('a TLS syslog peer that stalls: bounded, nothing lost, nothing sent in clear', () => {
  for (const kind of ['silent after accept', 'drips bytes that never make a handshake'] as const) {
    it(`${kind}: the delivery fails within the connect deadline, the backlog stays; a good server on that address then gets every event`, async () => {
      const dir = await tempDir('airlock-fwd-stall-');
      const tls = await makeTlsMaterial(dir);
      const peer = await stallingPeer(kind);
      const syslog: SyslogSinkConfig = { url: `tls://127.0.0.1:${peer.port}`, ca: tls.ca.certFile };
      const station = await makeForwardHome(`${dir}/home`, { syslog });
      try {
        station.appendMany(6);
        const stalled = await deliverNow(station.context, {
          signal: AbortSignal.timeout(20_000),
          syslog: { connectTimeoutMs: 600, settleMs: 50 },
          backoffMs: 50,
        });
        expect(stalled.sinks[0]).toMatchObject({ deliveredSeq: 0, error: expect.stringMatching(/no connection within/u) as unknown });
        expect(forwardStatusOf(station.context.database(), { syslog }).sinks[0]).toMatchObject({ deliveredSeq: 0, backlog: 6 });
        expect(forwardStatusOf(station.context.database(), { syslog }).sinks[0]?.lastError).toMatch(/no connection within/u);
        // Only a TLS hello reached the peer: no event in clear.
        expect(peer.received().toString('latin1')).not.toMatch(/seq=/u);

        // The peer recovers: a real TLS server on the same address, more events appended meanwhile.
        await peer.close();
        const seen = await goodTlsPeer(peer.port, tls.server.keyFile, tls.server.certFile);
        station.appendMany(2);
        const recovered = await deliverNow(station.context, {
          signal: AbortSignal.timeout(20_000),
          syslog: { connectTimeoutMs: 5_000, settleMs: 50 },
          backoffMs: 50,
        });
        expect(recovered.sinks[0]).toMatchObject({ deliveredSeq: 8, error: null });
        expect([...seen.keys()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        expect(forwardStatusOf(station.context.database(), { syslog }).sinks[0]).toMatchObject({ deliveredSeq: 8, backlog: 0, lastError: null });
      } finally {
        station.close();
      }
    }, 60_000);
  }
});
