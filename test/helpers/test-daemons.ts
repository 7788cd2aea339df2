/**
 * What every test-started daemon (docker-registry, clamd, rsyslogd) needs: a port on 127.0.0.1
 * that no other test process can be handed, a way to say who holds a port when something else
 * answered on it, and a promise that the daemon dies with the test process even when afterAll
 * never ran (a crashed worker).
 */
import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

/**
 * Ports are handed out from below the kernel's ephemeral range, so no `listen(0)` server and no
 * outgoing connection of any process can get one (the kernel picks those inside the range); each
 * vitest worker starts in its own slice (VITEST_POOL_ID), and every port handed out is reserved
 * for this process's lifetime by a listening Linux abstract socket `@airlock-test-port-N`: the
 * kernel lets one process at a time hold that name and drops it when the process dies, however
 * it dies, so two workers (or two test runs, or the bench) can never be handed the same port.
 */
const RANGE_LOW = 20_000;
const SLICE = 1_000;
const reservations = new Map<number, Server>();

/** The kernel's ephemeral range (Linux; elsewhere the usual default). */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/u).map(Number);
    if (low !== undefined && high !== undefined && Number.isInteger(low) && Number.isInteger(high)) return [low, high];
  } catch {
    // Not Linux: fall through.
  }
  return [32_768, 60_999];
}

/** The ports to try, this worker's slice first (from a random point in it), then the rest of the range. */
export function candidatePorts(poolId: number, ephemeral: [number, number], random = Math.random): number[] {
  // Below the ephemeral range or above it, where there is more room; if neither side has room for
  // a few slices (an ephemeral range set to nearly everything), anywhere: reservations still hold.
  const below: [number, number] = [RANGE_LOW, ephemeral[0] - 1];
  const above: [number, number] = [ephemeral[1] + 1, 65_535];
  const room = (r: [number, number]): number => r[1] - r[0] + 1;
  const best = room(below) >= room(above) ? below : above;
  const [low, high] = room(best) >= 4 * SLICE ? best : [1_024, 65_535];
  const size = high - low + 1;
  const slices = Math.max(1, Math.floor(size / SLICE));
  const sliceStart = low + (poolId % slices) * SLICE;
  const start = sliceStart + Math.floor(random() * Math.min(SLICE, size));
  const ports: number[] = [];
  for (let i = 0; i < size; i += 1) ports.push(low + ((start - low + i) % size));
  return ports;
}

function listen(server: Server, where: string | { port: number; host: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const onError = (): void => resolve(false);
    server.once('error', onError);
    const onListening = (): void => {
      server.off('error', onError);
      resolve(true);
    };
    if (typeof where === 'string') server.listen(where, onListening);
    else server.listen(where.port, where.host, onListening);
  });
}

/** Hold the name `@airlock-test-port-PORT` (Linux abstract socket: no file, gone with the process). */
async function reserve(port: number): Promise<boolean> {
  if (process.platform !== 'linux') return true;
  const server = createServer();
  if (!(await listen(server, `\0airlock-test-port-${port}`))) return false;
  // Held until this process exits, without keeping it alive.
  server.unref();
  reservations.set(port, server);
  return true;
}

function unreserve(port: number): void {
  reservations.get(port)?.close();
  reservations.delete(port);
}

/**
 * A port on 127.0.0.1 for a daemon a test starts: reserved for this process (no other caller of
 * freePort anywhere on the machine gets it while this process lives) and free at this instant.
 * Something that does not use freePort may still bind it (a system service): daemons prove the
 * port theirs after they bound it, and say who holds it otherwise (portHolders).
 */
export async function freePort(): Promise<number> {
  const poolId = Number(process.env['VITEST_POOL_ID'] ?? 0);
  for (const port of candidatePorts(Number.isInteger(poolId) ? poolId : 0, ephemeralRange())) {
    if (reservations.has(port) || !(await reserve(port))) continue;
    const probe = createServer();
    if (await listen(probe, { port, host: '127.0.0.1' })) {
      probe.close();
      await once(probe, 'close');
      return port;
    }
    unreserve(port);
  }
  throw new Error('no free port to reserve below or above the ephemeral range');
}

/** Who listens on `port` (`ss -ltnp`, with process names and pids), for failure messages. */
export function portHolders(port: number): string {
  const ss = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8', timeout: 5_000 });
  if (ss.error) return `(ss failed: ${ss.error.message})`;
  const lines = ss.stdout.trim();
  return lines === '' ? `nothing listens on port ${port}` : `listening on port ${port}:\n${lines}`;
}

/**
 * Whether process `pid` listens on 127.0.0.1:`port` (ss -ltnp): a daemon's proof that the port it
 * was told to bind is its own, not another process's that answers the same protocol. True where
 * ss cannot tell (not Linux, no ss): the daemon's own readiness check is then all there is.
 */
export function listensOn(port: number, pid: number): boolean {
  const ss = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8', timeout: 5_000 });
  if (ss.error || ss.status !== 0) return true;
  return ss.stdout.split('\n').some((line) => line.includes(`127.0.0.1:${port}`) && line.includes(`pid=${pid},`));
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kill `child` when this process exits; forgotten once the child exits on its own. */
export function killOnExit(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Synchronous: the only thing an exiting process can still do is send signals.
    process.on('exit', () => {
      for (const c of running) c.kill('SIGKILL');
    });
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
}
