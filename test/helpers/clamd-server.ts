/**
 * A real clamd for a test file (issue #16.8): clamd-process.ts starts and stops it;
 * `useClamdServer()` starts it in beforeAll and stops it in afterAll, also when a test failed.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll } from 'vitest';
import { type ClamdServer, type ClamdServerOptions, READY_TIMEOUT_MS, startClamd } from './clamd-process.js';

export { type ClamdServer, type ClamdServerOptions, clamdSay, disposeClamd, startClamd } from './clamd-process.js';

/** A clamd for one test file: started in beforeAll, stopped (and its temp dir removed) in afterAll. */
export function useClamdServer(options: ClamdServerOptions = {}): () => ClamdServer {
  let server: ClamdServer | null = null;
  beforeAll(async () => {
    server = await startClamd(options);
  }, READY_TIMEOUT_MS * 2);
  afterAll(async () => {
    const current = server;
    server = null;
    if (current === null) return;
    await current.stop();
    await rm(current.dir, { recursive: true, force: true });
  });
  return () => {
    if (server === null) throw new Error('clamd is not running (beforeAll failed?)');
    return server;
  };
}
