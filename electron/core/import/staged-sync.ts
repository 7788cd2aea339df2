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
