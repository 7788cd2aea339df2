/**
 * What every test-started daemon (docker-registry, clamd) needs: a port free on 127.0.0.1, and a
 * promise that it dies with the test process even when afterAll never ran (a crashed worker).
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** A port free at this instant on 127.0.0.1 (another process may take it: callers retry the bind). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
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
