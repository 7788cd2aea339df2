import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { AirlockError } from '../errors.js';

/**
 * Core's worker-thread entries: the files of this folder named *-worker.ts, each built as an entry
 * of its own (scripts/build-cli.mjs and electron.vite.config.ts find them by that name).
 */
export const WORKER_ENTRIES = [
  'record-lane-worker',
  'hash-lane-worker',
  'sha256-worker',
  'audit-chain-worker',
  'receipt-pdf-worker',
  'range-hash-worker',
  'small-file-worker',
] as const;
export type WorkerEntry = (typeof WORKER_ENTRIES)[number];

/**
 * Where an entry's script is. Every build puts the entries beside the code that starts them,
 * with that code's own extension, so one rule serves the three ways core runs:
 *   source (tsx, vitest)    this file is electron/core/workers/worker-script.ts; the entry is the
 *                           .ts beside it, run through tsx-worker.mjs (a worker thread does not
 *                           inherit the TypeScript loader of the thread that starts it)
 *   the CLI bundle          this code is in dist/cli/airlock.cjs; the entry is dist/cli/<entry>.cjs
 *                           (scripts/build-cli.mjs)
 *   the app                 this code is in a chunk of out/main/; the entry is out/main/<entry>.js
 *                           (electron.vite.config.ts), inside app.asar when packaged
 */
export function workerScript(entry: WorkerEntry, here: string = import.meta.url): { entry: URL; script: URL; argv: string[] } {
  const extension = extname(fileURLToPath(here));
  const entryUrl = new URL(`./${entry}${extension}`, here);
  if (extension !== '.ts') return { entry: entryUrl, script: entryUrl, argv: [] };
  return { entry: entryUrl, script: new URL('./tsx-worker.mjs', here), argv: [entryUrl.href] };
}

const checked = new Set<WorkerEntry>();

/** A worker thread running `entry`; fails at once, with a clear message, when the build left it out. */
export function startWorker(entry: WorkerEntry, options: Omit<WorkerOptions, 'argv' | 'eval'> = {}): Worker {
  const where = workerScript(entry);
  if (!checked.has(entry)) {
    if (!existsSync(where.entry)) throw new AirlockError('INTERNAL', `The worker script ${fileURLToPath(where.entry)} is missing from this installation.`);
    checked.add(entry);
  }
  return new Worker(where.script, { ...options, argv: where.argv });
}
