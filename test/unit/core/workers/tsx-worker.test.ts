/**
 * The source runs' worker shim (electron/core/workers/tsx-worker.mjs) runs an entry's built twin
 * only from the folder AIRLOCK_TEST_BUILT_WORKERS names (the test suite's build of the entries,
 * test/helpers/built-workers.global.ts), and the TypeScript through tsx otherwise: without the
 * variable, or when the folder lacks that entry. Checked with one entry of its own whose source and
 * built twin say which one ran.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_WORKERS_ENV } from '../../../helpers/built-workers.global.js';
import { REPO_ROOT } from '../../../helpers/cli-runner.js';

let root = '';
let source = '';
let builtDir = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-tsx-worker-'));
  builtDir = join(root, 'built');
  mkdirSync(builtDir);
  // Type syntax, so only tsx runs it; an ES module, as in the checkout.
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  source = join(root, 'probe-worker.ts');
  writeFileSync(source, "import { parentPort } from 'node:worker_threads';\nconst ran: string = 'source';\nparentPort?.postMessage(ran);\n");
  writeFileSync(join(builtDir, 'probe-worker.cjs'), "require('node:worker_threads').parentPort.postMessage('built');\n");
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** What the shim ran for `entry`, with `built` (or nothing) in the variable. */
async function ran(entry: string, built: string | undefined): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env[BUILT_WORKERS_ENV];
  if (built !== undefined) env[BUILT_WORKERS_ENV] = built;
  const worker = new Worker(join(REPO_ROOT, 'electron/core/workers/tsx-worker.mjs'), { argv: [pathToFileURL(entry).href], env });
  try {
    return await new Promise<string>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

describe('the worker shim of source runs', () => {
  it("runs the built twin from the suite's build folder", async () => {
    expect(await ran(source, builtDir)).toBe('built');
  });

  it('runs the source through tsx without a build folder, or when the folder lacks the entry', async () => {
    expect(await ran(source, undefined)).toBe('source');
    expect(await ran(source, join(root, 'nothing-here'))).toBe('source');
  });
});
