/**
 * A throwaway registry for the images section: Debian's `docker-registry` (distribution 2.8) on
 * a free port of 127.0.0.1, storage in a folder of the bench's temp dir, plain HTTP, no auth.
 * Each side of a comparison gets a fresh one, so neither finds blobs the other pushed. Started
 * through proc.ts, so Ctrl-C or a failure stops it before the temp dir is removed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startService, type RunResult, type Service } from './proc.js';

export interface BenchRegistry {
  /** `127.0.0.1:PORT`, what `--push-to` and `docker://` take. */
  host: string;
  storage: string;
  stop(): Promise<void>;
}

/** How long a registry may take to answer /v2/ on a loaded machine. */
const READY_WITHIN_MS = 30_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port on 127.0.0.1'))));
    });
  });
}

function config(storage: string, host: string): string {
  // JSON is YAML; distribution reads either. Error-level logs only: every blob probe's 404 is one line.
  return JSON.stringify({
    version: 0.1,
    log: { level: 'error', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: storage }, delete: { enabled: true } },
    http: { addr: host },
  });
}

async function ready(host: string, service: Service): Promise<RunResult | null> {
  let exited: RunResult | null = null;
  void service.exited.then((result) => (exited = result));
  const deadline = Date.now() + READY_WITHIN_MS;
  while (Date.now() < deadline) {
    if (exited) return exited;
    try {
      const response = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return null;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`docker-registry on ${host} did not answer /v2/ within ${String(READY_WITHIN_MS / 1000)} s`);
}

/** Starts a fresh registry under `dir`; tries another port when the one picked was taken meanwhile. */
export async function startRegistry(dir: string): Promise<BenchRegistry> {
  const storage = join(dir, 'storage');
  await mkdir(storage, { recursive: true });
  let lastFailure = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const host = `127.0.0.1:${String(await freePort())}`;
    const file = join(dir, 'config.yml');
    await writeFile(file, config(storage, host));
    const service = startService({ argv: ['docker-registry', 'serve', file] });
    const exited = await ready(host, service).catch(async (error: unknown) => {
      await service.stop();
      throw error;
    });
    if (exited === null)
      return {
        host,
        storage,
        stop: async () => {
          await service.stop();
        },
      };
    lastFailure = exited.stderr.trim().slice(-2000);
  }
  throw new Error(`docker-registry would not start:\n${lastFailure}`);
}
