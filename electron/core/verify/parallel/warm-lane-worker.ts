/**
 * The lanes' worker thread started early (docs/design-notes.md, "Verify on both cores, round 2").
 * Booting a worker thread (an isolate, node's bootstrap, workers/range-hash-worker.ts) takes
 * 40-170 ms depending on the load. Started at the scout's first claim, it came up well after the
 * tag manifest was authenticated, so this thread's lane hashed alone for that long and the last
 * file ended late by as much. A command that will verify a large plain bundle file
 * (`airlock verify`) warms one at its start instead, while the station opens and openpgp.js
 * loads; the worker only loads its module and waits for jobs, so nothing of the payload is read
 * before the tag files are authenticated (claims are still handed out only after checkBag).
 *
 * One worker at a time, for the next lanes that start (hash-lanes.ts takes it). Until taken it is
 * unref'd, so a process that never takes it (a bundle of small files, a split bundle) exits as
 * it would have; verify drops it when it knows it will not be used.
 */
import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../workers/worker-script.js';
import { PARALLEL_MIN_BYTES } from './payload-scout.js';

interface Warm {
  readonly thread: Worker;
  alive: boolean;
}

let warm: Warm | null = null;

/**
 * Start the lanes' worker now if `bundlePath` is a plain file of at least `minBytes` (the size from
 * which verify hashes on both cores). Returns the warm thread (to watch: the lanes take it), or
 * null. Never throws: without a warm worker the lanes start their own, as before.
 */
export function warmLaneWorker(bundlePath: string, minBytes: number = PARALLEL_MIN_BYTES): Worker | null {
  if (warm?.alive === true) return warm.thread;
  try {
    const stats = statSync(bundlePath);
    if (!stats.isFile() || stats.size < minBytes) return null;
    const held: Warm = { thread: startWorker('range-hash-worker'), alive: true };
    // An idle worker that fails is simply not handed out (hash-lanes.ts then starts one of its own).
    held.thread.on('error', () => {
      held.alive = false;
    });
    held.thread.on('exit', () => {
      held.alive = false;
      if (warm === held) warm = null;
    });
    held.thread.unref();
    warm = held;
    return held.thread;
  } catch {
    return null;
  }
}

/** The warm worker, now the caller's (referenced again: it keeps the process alive while it works), or null. */
export function takeWarmLaneWorker(): Worker | null {
  const held = warm;
  warm = null;
  if (held === null || !held.alive) return null;
  held.thread.ref();
  return held.thread;
}

/** End a warm worker nobody took (the bundle turned out to have no large file, or is read another way). */
export function dropWarmLaneWorker(): void {
  const held = warm;
  warm = null;
  if (held?.alive === true) void held.thread.terminate();
}
