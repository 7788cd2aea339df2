/**
 * The suite's build of the worker threads it starts from source (test/helpers/built-workers.global.ts)
 * reaches the test files and the threads they start: without it every lane, receipt and job worker
 * silently goes back to tsx, and the suite to its old wall time.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKER_ENTRIES } from '../../../electron/core/workers/worker-script.js';
import { BUILT_WORKERS_ENV } from '../../helpers/built-workers.global.js';

describe("the suite's built workers", () => {
  it('are named in the environment, the job worker and every core entry', () => {
    const dir = process.env[BUILT_WORKERS_ENV];
    expect(dir, `${BUILT_WORKERS_ENV} is not set in the test worker`).toBeTruthy();
    const missing = ['job-worker', ...WORKER_ENTRIES].filter((entry) => !existsSync(join(dir as string, `${entry}.cjs`)));
    expect(missing).toEqual([]);
  });
});
