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
 * Only when the bundle has a payload file within its first headers (read as the scout reads them:
 * headers, never a payload file's data). If that first file is one the lanes would claim, the
 * lanes take the worker (hash-lanes.ts); if it is smaller, verify's stream lane does
 * (stream-lane.ts: a bundle of small files hashed on the worker; docs/design-notes.md,
 * "Small-file verify on both cores"). Either way it is warmed for work it will do.
 *
 * One worker at a time, for the next lanes that start. Until taken it is unref'd, so a process
 * that never takes it (a split bundle) exits as it would have; verify drops it when it knows it
 * will not be used.
 */
import { closeSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { openRegularSync } from '../../fs/open-regular.js';
import { TarHeaderWalk } from './header-walk.js';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../workers/worker-script.js';
import { CLAIM_MIN_BYTES, PARALLEL_MIN_BYTES } from './payload-scout.js';
import { coreFreeNow, stallMark, stillFree, type StallMark } from './cpu-headroom.js';

/** `on` or `off` forces the stream lane for every verify of the process (the bench's A/B, docs/cli.md); unset or anything else: decided per run. */
export const STREAM_LANE_ENV = 'AIRLOCK_STREAM_LANE';

/** The environment switch's answer: true or false when set to `on` or `off`, else null (decided per run). */
export function forcedStreamLane(env: NodeJS.ProcessEnv = process.env): boolean | null {
  const value = env[STREAM_LANE_ENV];
  return value === 'on' ? true : value === 'off' ? false : null;
}

/**
 * Whether verify's stream lane (stream-lane.ts) runs, decided per run: only while a core is free
 * for its worker (cpu-headroom.ts: fewer other tasks runnable now than cores - 1; a decision taken
 * at a command's start is confirmed when the lane starts: streamLaneDecided). With a free core it
 * made a small-file verify ~45 ms faster; on a machine whose cores are taken its own work (its
 * start, a second header parse, the hashing: +0.13-0.18 CPU-s) made it slower (docs/design-notes.md,
 * "Small-file verify on both cores" and "the second core when it is free"). Where the kernel does
 * not say (not Linux, no PSI): by core count, as before, on only with more than two.
 */
export function streamLaneByDefault(
  env: NodeJS.ProcessEnv = process.env,
  cores: number = availableParallelism(),
  freeNow: (cores: number) => boolean | null = coreFreeNow,
): boolean {
  return forcedStreamLane(env) ?? freeNow(cores) ?? cores > 2;
}

/** The headers are read in pieces of this size, at most PEEK_READS of them (the tag files come first; the manifest's data is skipped). */
const PEEK_BYTES = 64 << 10;
const PEEK_READS = 8;

interface Warm {
  readonly thread: Worker;
  alive: boolean;
  /** Its module is loaded (it said so): the stream lane may hand it the stream at once (stream-lane.ts). */
  ready: boolean;
}

let warm: Warm | null = null;

/**
 * The stream lane's decision taken at the command's start for a bundle of small files, kept for
 * the verification that follows (streamLaneDecided): one run, one decision, which the lane's start
 * may only turn down (`mark`: the CPU stall counter then, to confirm that no task waited for a CPU
 * in between). Without it the run queue read ~0.2 s later could say otherwise, and the lane would
 * start a cold worker after the warm-up had declined one.
 */
let decided: { readonly bundlePath: string; readonly on: boolean; readonly mark: StallMark | null } | null = null;

/**
 * Start the lanes' worker now if `bundlePath` is a plain file of at least `minBytes` (the size from
 * which verify hashes on both cores) with a payload file within its first headers: one the lanes
 * claim, or any when the stream lane runs (`forStreamLane`, by default streamLaneByDefault(), asked
 * only for a small first file; the answer is kept for the verification: streamLaneDecided; `mark`
 * for tests: the stall counter to confirm it against). Returns the
 * warm thread (to watch: the lanes or the stream lane take it), or null. Never throws: without a
 * warm worker the lanes start their own, as before.
 */
export function warmLaneWorker(bundlePath: string, minBytes: number = PARALLEL_MIN_BYTES, forStreamLane?: boolean, mark?: StallMark): Worker | null {
  if (warm?.alive === true) return warm.thread;
  decided = null;
  try {
    // A small first payload file: verify's stream lane takes the worker instead, where it runs (stream-lane.ts; `airlock verify` keeps no bytes).
    const first = firstPayloadFileSize(bundlePath, minBytes);
    if (first === null) return null;
    if (first < CLAIM_MIN_BYTES) {
      const on = forStreamLane ?? streamLaneByDefault();
      // Decided by the run queue's one instant (not given, not forced): confirmed over the start-up that follows.
      const confirm = on && forStreamLane === undefined && forcedStreamLane() === null ? stallMark() : null;
      decided = { bundlePath, on, mark: mark ?? confirm };
      if (!on) return null;
    }
    const held: Warm = { thread: startWorker('range-hash-worker'), alive: true, ready: false };
    held.thread.once('message', () => {
      held.ready = true;
    });
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

/** The warm worker for the stream lane, with whether it is up yet (referenced again), or null. */
export function takeWarmStreamWorker(): { thread: Worker; ready: boolean } | null {
  const ready = warm?.ready === true;
  const thread = takeWarmLaneWorker();
  return thread === null ? null : { thread, ready };
}

/**
 * Whether the stream lane runs for this verification of `bundlePath`: the decision taken when its
 * worker was warmed (warmLaneWorker), unless some task waited for a CPU for 60 % or more of
 * the time since (`confirm`, cpu-headroom.ts stillFree: then the warm worker is ended); else one
 * taken now (a caller that warmed nothing: the app).
 */
export function streamLaneDecided(bundlePath: string, confirm: (mark: StallMark) => boolean = stillFree): boolean {
  const kept = decided;
  decided = null;
  if (kept?.bundlePath !== bundlePath) return streamLaneByDefault();
  if (!kept.on) return false;
  if (kept.mark !== null && !confirm(kept.mark)) {
    dropWarmLaneWorker();
    return false;
  }
  return true;
}

/** End a warm worker nobody took (the bundle turned out to have no large file, or is read another way); forget its decision. */
export function dropWarmLaneWorker(): void {
  const held = warm;
  warm = null;
  decided = null;
  if (held?.alive === true) void held.thread.terminate();
}

/**
 * The size of the bundle's first regular file under `TOP/data/`, from its tar header, or null (a
 * file under `minBytes`, not a file, no such entry within the first headers, or a header the
 * guard refuses: the walk reports that). Reads headers only: the data of every entry before it is
 * skipped (header-walk.ts), as the scout does (payload-scout.ts).
 */
export function firstPayloadFileSize(bundlePath: string, minBytes: number): number | null {
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
