/**
 * A phase whose work is a wait (a child process rendering the PDF receipt, a signature, a file
 * flushed to disk) has nothing to count, but the operator must still see that the job is alive
 * (issue #18: the progress line never stalls more than 2 s). While `work` runs, `progress` is
 * reported at once and then again every `everyMs`, so the CLI redraws its line and the app's job
 * stays fresh. Only awaited work is covered: a synchronous stretch blocks the timer too, so such
 * work must be split into short steps by its caller.
 */
import type { Progress, ProgressListener } from '../../../shared/progress.js';

/** Below the 2 s a stall may last, with room for a loaded machine's late timers. */
export const HEARTBEAT_MS = 500;

export async function reportingWhile<T>(
  onProgress: ProgressListener | undefined,
  progress: Progress,
  work: () => Promise<T>,
  everyMs: number = HEARTBEAT_MS,
): Promise<T> {
  if (!onProgress) return work();
  onProgress(progress);
  const timer = setInterval(() => onProgress(progress), everyMs);
  // The heartbeat never keeps a process alive on its own.
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** A phase past the commit point (PHASES_PAST_COMMIT): nothing to count but the transfer's files, all done. */
export function pastCommitProgress(phase: 'settling' | 'writing-receipts', files: number): Progress {
  return { phase, bytesDone: 0, bytesTotal: null, filesDone: files, filesTotal: files, rateBytesPerSecond: null, etaSeconds: null, jobEtaSeconds: null };
}
