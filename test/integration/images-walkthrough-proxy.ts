/**
 * A TCP pass-through to a registry that stops forwarding (and stops reading) once a given number
 * of request bytes has gone through: the push is then certainly half-way, however fast or slow
 * the machine is, and the test kills it there. After release() it forwards everything again, so
 * the same `--push-to` address serves the resumed push.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface StallingProxy {
  /** `127.0.0.1:PORT`. */
  host: string;
  /** Resolves once `stallAfter` request bytes have been forwarded and the proxy holds the rest. */
  stalled: Promise<void>;
  /** Request bytes forwarded so far. */
  forwarded(): number;
  /** Forward everything from now on (connections that were stalled are closed). */
  release(): void;
  close(): Promise<void>;
}

export async function startStallingProxy(upstreamPort: number, stallAfter: number): Promise<StallingProxy> {
  let forwarded = 0;
  let stalling = false;
  let released = false;
  let onStall: () => void = () => undefined;
  const stalled = new Promise<void>((resolve) => (onStall = resolve));
  const held = new Set<Socket>();
  const sockets = new Set<Socket>();

  const server: Server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
      held.delete(client);
    };
    client.on('error', closeBoth).on('close', closeBoth);
    upstream.on('error', closeBoth).on('close', closeBoth);
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('data', (chunk: Buffer) => {
      if (stalling && !released) {
        client.pause(); // the bytes are dropped with the connection: the pusher sees a dead peer
        held.add(client);
        return;
      }
      forwarded += chunk.length;
      upstream.write(chunk);
      if (!released && !stalling && forwarded >= stallAfter) {
        stalling = true;
        onStall();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    host: `127.0.0.1:${String(address.port)}`,
    stalled,
    forwarded: () => forwarded,
    release() {
      released = true;
      for (const socket of held) socket.destroy();
      held.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
