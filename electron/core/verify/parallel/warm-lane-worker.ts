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
 * Only when the bundle's first payload file is one the lanes would claim: the tar headers up to it
 * are read (as the scout reads them: headers, never a payload file's data), so a bundle of small
 * files, where the lanes never start, does not pay for a worker it will not use. A bundle whose
 * large files come after small ones is not warmed: its lanes start their worker at the first
 * claim, as before.
 *
 * One worker at a time, for the next lanes that start (hash-lanes.ts takes it). Until taken it is
 * unref'd, so a process that never takes it (a bundle of small files, a split bundle) exits as
 * it would have; verify drops it when it knows it will not be used.
 */
import { closeSync, readSync } from 'node:fs';
import { openRegularSync } from '../../fs/open-regular.js';
import { TarHeaderWalk } from './header-walk.js';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../workers/worker-script.js';
import { CLAIM_MIN_BYTES, PARALLEL_MIN_BYTES } from './payload-scout.js';

/** The headers are read in pieces of this size, at most PEEK_READS of them (the tag files come first; the manifest's data is skipped). */
const PEEK_BYTES = 64 << 10;
const PEEK_READS = 8;

interface Warm {
  readonly thread: Worker;
  alive: boolean;
}

let warm: Warm | null = null;

/**
 * Start the lanes' worker now if `bundlePath` is a plain file of at least `minBytes` (the size from
 * which verify hashes on both cores) whose first payload file has at least `claimMinBytes` (the
 * lanes would claim it). Returns the warm thread (to watch: the lanes take it), or null. Never
 * throws: without a warm worker the lanes start their own, as before.
 */
export function warmLaneWorker(bundlePath: string, minBytes: number = PARALLEL_MIN_BYTES, claimMinBytes: number = CLAIM_MIN_BYTES): Worker | null {
  if (warm?.alive === true) return warm.thread;
  try {
    const first = firstPayloadFileSize(bundlePath, minBytes);
    if (first === null || first < claimMinBytes) return null;
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

/**
 * The size of the bundle's first regular file under `TOP/data/`, from its tar header, or null (a
 * file under `minBytes`, not a file, no such entry within the first headers, or a header the
 * guard refuses: the walk reports that). Reads headers only: the data of every entry before it is
 * skipped (header-walk.ts), as the scout does (payload-scout.ts).
 */
function firstPayloadFileSize(bundlePath: string, minBytes: number): number | null {
  // Never a blocking open: this runs on the main thread before the CLI's SIGINT handler can act, and a FIFO without a writer held it for good.
  const { fd, stats } = openRegularSync(bundlePath);
  try {
    if (stats.size < minBytes) return null;
    const walk = new TarHeaderWalk();
    const buffer = Buffer.allocUnsafe(PEEK_BYTES);
    for (let reads = 0; reads < PEEK_READS && !walk.ended; reads += 1) {
      const bytes = readSync(fd, buffer, 0, buffer.length, walk.offset);
      if (bytes === 0) return null;
      const entries = walk.read(buffer.subarray(0, bytes));
      if (walk.failed) return null;
      const first = entries.find((entry) => walk.isPayloadFile(entry));
      if (first) return first.size;
      walk.skipPendingData();
    }
    return null;
  } finally {
    closeSync(fd);
  }
}
