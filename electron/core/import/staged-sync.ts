import type { ProgressListener } from '../../../shared/progress.js';
import { ProgressTracker } from '../jobs/progress-tracker.js';
import type { StagingDirectory } from './staging.js';

/** How often the line is drawn again while the flush runs. */
const REDRAW_MS = 1000;

/**
 * The flush before the commit, reported as its own phase ('syncing'): the last small files being
 * created and one syncfs (or the fsyncs) are opaque waits that can take seconds for a large tree
 * on a slow disk; without this the progress line sat on "200000/200000 files" meanwhile. The
 * flush reports no byte counts, so the phase is drawn again every second while it runs: the
 * operator sees what the import is waiting for, not a frozen line.
 */
export async function flushStaged(staging: StagingDirectory, onProgress: ProgressListener | undefined): Promise<void> {
  const tracker = new ProgressTracker(onProgress);
  tracker.startPhase('syncing');
  const redraw = onProgress ? setInterval(() => tracker.flush(), REDRAW_MS) : null;
  try {
    await staging.makeDurable();
  } finally {
    if (redraw) clearInterval(redraw);
  }
  tracker.flush();
}

/**
 * The flush with `work` done meanwhile on this thread: while the worker creates the last small
 * files and syncfs(2) waits for the disk (the `sync` child), this thread is idle, so the audit
 * log's file rows are staged then instead of after (issue #18, smallimp). `work` reports its own
 * phase; 'syncing' is reported once it is done, for as long as the flush still runs.
 *
 * Nothing is published before both end: if `work` fails (a cancel between its batches), the flush
 * is still awaited before the error goes on, so the caller discards the staging folder with
 * nothing running against it; if the flush fails, its error is thrown after `work` ends (the
 * result of `work` is handed to `drop` first, as nothing else holds it then).
 */
export async function flushStagedWhile<T>(
  staging: StagingDirectory,
  onProgress: ProgressListener | undefined,
  work: () => Promise<T>,
  drop: (done: T) => void,
): Promise<T> {
  // Settled to a value at once, so a flush that fails while `work` runs is never an unhandled rejection.
  const flushing = staging.makeDurable().then(
    () => ({ failed: false as const }),
    (error: unknown) => ({ failed: true as const, error }),
  );
  let done: T;
  try {
    done = await work();
  } catch (error) {
    await flushing;
    throw error;
  }
  const tracker = new ProgressTracker(onProgress);
  tracker.startPhase('syncing');
  const redraw = onProgress ? setInterval(() => tracker.flush(), REDRAW_MS) : null;
  let flushed: Awaited<typeof flushing>;
  try {
    flushed = await flushing;
  } finally {
    if (redraw) clearInterval(redraw);
  }
  tracker.flush();
  if (flushed.failed) {
    drop(done);
    throw flushed.error;
  }
  return done;
}
