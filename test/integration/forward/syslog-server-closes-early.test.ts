/**
 * The syslog sink's confirmation against a server that closes or resets connections on its own
 * (a relay dropping sessions at accept, rsyslog's "too many tcp sessions", a crash mid-read): the
 * cursor must never pass a seq the server did not read. A fake TCP server in this process records
 * every complete octet-counted frame it read; at each cursor move the test checks that every seq
 * up to the cursor is among them. Variants: close at accept without reading, close after reading
 * part of the stream (FIN while our bytes are unread: the kernel answers them with a reset), reset
 * mid-stream, and close just after the data but before our end, each on some connections only so
 * that the well-behaved ones after them can confirm (a server that fails every connection proves
 * nothing). Seeded (AIRLOCK_FAULT_SEED) so a failure can be replayed. The server runs in this
 * process, so a close it makes needs a turn of our event loop to happen at all: the half-close
 * variants check that the sink reads what already arrived before it ends its side; a close still
 * in flight when we end is the race plain syslog cannot close (docs/siem.md).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runSinkLoop } from '../../../electron/core/forward/forward-loop.js';
import { parseOctetCounted } from '../../../electron/core/forward/octet-framing.js';
import { SyslogSink } from '../../../electron/core/forward/syslog-sink.js';
import { makeForwardHome } from '../../helpers/forward-home.js';
import { seededRandom } from '../../helpers/seeded-random.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs();

type Misbehaviour = 'close-at-accept' | 'half-close-at-accept' | 'close-after-part' | 'reset-after-part' | 'close-before-our-end' | 'half-close-before-our-end';

interface FakeServer {
  url: string;
  /** Every seq the server read in a complete frame. */
  received: Set<number>;
  connections: number;
  close(): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.close();
    await once(server, 'close').catch(() => undefined);
  }
});

/** A server that misbehaves on the connections `misbehaves(n)` picks (n counts from 1) and reads to our end on the others. */
async function fakeServer(kind: Misbehaviour, misbehaves: (n: number) => boolean): Promise<FakeServer> {
  const received = new Set<number>();
  const sockets = new Set<Socket>();
  const state = { connections: 0 };
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    const take = (chunk: Buffer): void => {
      const { messages, rest } = parseOctetCounted(Buffer.concat([pending, chunk]));
      pending = Buffer.from(rest);
      for (const message of messages) {
        const seq = /seq="(\d+)"/u.exec(message.toString('utf8'))?.[1];
        if (seq !== undefined) received.add(Number(seq));
      }
    };
    if (!misbehaves(state.connections)) {
      socket.on('data', take);
      socket.on('end', () => socket.end());
      return;
    }
    switch (kind) {
      case 'close-at-accept':
        socket.destroy();
        return;
      case 'half-close-at-accept':
        // Ends its side and never reads (a relay that gave up on the session).
        socket.end();
        return;
      case 'close-after-part':
      case 'reset-after-part': {
        let bytes = 0;
        socket.on('data', (chunk: Buffer) => {
          // Read a first part only (what a crash mid-read leaves), then go.
          if (bytes > 0) return;
          bytes += chunk.length;
          take(chunk.subarray(0, Math.min(chunk.length, 2_000)));
          socket.pause();
          if (kind === 'reset-after-part') socket.resetAndDestroy();
          else socket.destroy();
        });
        return;
      }
      case 'close-before-our-end':
      case 'half-close-before-our-end':
        // Reads what came in the first chunk and closes (or ends its side) at once, without waiting for our end.
        socket.once('data', (chunk: Buffer) => {
          take(chunk);
          socket.pause();
          if (kind === 'close-before-our-end') socket.destroy();
          else socket.end();
        });
        return;
    }
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `tcp://127.0.0.1:${port}`,
    received,
    get connections() {
      return state.connections;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
}

const KINDS: Misbehaviour[] = [
  'close-at-accept',
  'half-close-at-accept',
  'close-after-part',
  'reset-after-part',
  'close-before-our-end',
  'half-close-before-our-end',
];

describe('a syslog server that closes or resets on its own never moves the cursor past what it did not read', () => {
  for (const kind of KINDS) {
    it(kind, { timeout: 120_000 }, async () => {
      const seed = Number(process.env.AIRLOCK_FAULT_SEED ?? Date.now() % 1_000_000);
      const random = seededRandom(seed);
      // About every other connection misbehaves, never the same pattern twice across seeds.
      const pattern = Array.from({ length: 200 }, () => random() < 0.5);
      const server = await fakeServer(kind, (n) => n <= 2 || (pattern[n % pattern.length] ?? false));
      const station = await makeForwardHome(join(await tempDir('airlock-fwd-early-'), 'home'), { syslog: { url: server.url } });
      try {
        station.appendMany(1_200);
        const head = 1_200;
        const violations: string[] = [];
        const sink = new SyslogSink({ url: server.url }, { settleMs: 30, roundTripEvery: 300 });
        const result = await runSinkLoop({
          db: station.context.database(),
          sink,
          key: `syslog ${server.url}`,
          signal: AbortSignal.timeout(100_000),
          pageSize: 100,
          pollMs: 10,
          backoffMs: 5,
          until: head,
          maxFailures: 1_000,
          onChange: (change) => {
            if (change.kind !== 'delivered') return;
            for (let seq = 1; seq <= change.seq; seq += 1) {
              if (!server.received.has(seq)) {
                violations.push(`seed ${seed}: the cursor moved to #${change.seq} but the server never read #${seq}`);
                break;
              }
            }
          },
        });
        expect(violations).toEqual([]);
        expect(result.deliveredSeq, `seed ${seed}`).toBe(head);
        // Nothing confirmed unread is ever sent again: a seq the server never read is lost for good.
        const unread = Array.from({ length: head }, (_, i) => i + 1).filter((seq) => !server.received.has(seq));
        expect(unread.slice(0, 20), `seed ${seed}: seqs the server never read`).toEqual([]);
        expect(server.connections, `seed ${seed}: the server misbehaved at least once`).toBeGreaterThan(2);
      } finally {
        station.close();
        await server.close();
      }
    });
  }
});
