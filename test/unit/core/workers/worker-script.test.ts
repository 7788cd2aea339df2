/**
 * Where core finds its worker-thread entries (worker-script.ts) in each way it runs: from source
 * through the tsx shim, from the CLI bundle (dist/cli/*.cjs) and from the app (out/main/*.js).
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startWorker, WORKER_ENTRIES, workerScript } from '../../../../electron/core/workers/worker-script.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const workersDir = join(repo, 'electron', 'core', 'workers');

describe('worker scripts', () => {
  it('lists exactly the *-worker.ts files, the names both builds make entries of', () => {
    const files = readdirSync(workersDir).filter((name) => name.endsWith('-worker.ts'));
    expect(files.map((name) => name.slice(0, -'.ts'.length)).sort()).toEqual([...WORKER_ENTRIES].sort());
  });

  it('runs an entry from source through the tsx shim, the entry passed as its last argument', () => {
    const here = pathToFileURL(join(workersDir, 'worker-script.ts')).href;
    const where = workerScript('hash-lane-worker', here);
    expect(fileURLToPath(where.script)).toBe(join(workersDir, 'tsx-worker.mjs'));
    expect(where.argv).toEqual([pathToFileURL(join(workersDir, 'hash-lane-worker.ts')).href]);
  });

  it.each([
    ['the CLI bundle', '/opt/airlock/dist/cli/airlock.cjs', '/opt/airlock/dist/cli/record-lane-worker.cjs'],
    ['the app', '/opt/Airlock/resources/app.asar/out/main/core-BsBQEvZN.js', '/opt/Airlock/resources/app.asar/out/main/record-lane-worker.js'],
  ])('runs the built entry beside the code that starts it in %s', (_setting, code, entry) => {
    const where = workerScript('record-lane-worker', pathToFileURL(code).href);
    expect(fileURLToPath(where.script)).toBe(entry);
    expect(where.argv).toEqual([]);
  });

  it('starts a real entry from source', async () => {
    const worker = startWorker('sha256-worker', { workerData: { slots: new SharedArrayBuffer(16), slotBytes: 16 } });
    worker.postMessage({ op: 'start', id: 1 });
    worker.postMessage({ op: 'digest', id: 1 });
    const reply = await new Promise<{ hex: string }>((resolve) => worker.once('message', resolve));
    await worker.terminate();
    expect(reply.hex).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
