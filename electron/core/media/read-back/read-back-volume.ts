/**
 * The read-back of an export to removable media: every file just written to a volume read again
 * past the page cache (uncached-read.ts) and compared with the SHA-256 and size written. Reported
 * as the `reading-back` progress phase, here where it happens. A medium that went away fails the
 * export (MEDIA_REMOVED); a file that reads back differently is a CHECKSUM_MISMATCH problem in
 * the report, and the caller fails the export with MEDIA_READBACK_FAILED.
 */
import type { MediaWrittenFile, ReadBackFile, ReadBackReport } from '../../../../shared/media.js';
import { problem, type Problem } from '../../../../shared/problems.js';
import { AirlockError, errnoOf, throwIfAborted } from '../../errors.js';
import type { ProgressTracker } from '../../jobs/progress-tracker.js';
import { MEDIA_GONE, mediaError } from '../output/media-errors.js';
import { volumePresent, type VolumeState } from '../output/volume-state.js';
import { hashUncached, planUncachedRead } from './uncached-read.js';

/** Every file of the volume read back past the cache and compared with what was written. */
export async function readBackVolume(volume: VolumeState, tracker: ProgressTracker | null, signal: AbortSignal | undefined): Promise<ReadBackReport> {
  const started = performance.now();
  const first = volume.files[0] as MediaWrittenFile;
  const plan = await planUncachedRead(first.path, process.platform, volume.medium);
  const total = volume.files.reduce((n, f) => n + f.size, 0);
  tracker?.startPhase('reading-back', { bytes: total, files: volume.files.length });
  const files: ReadBackFile[] = [];
  const problems: Problem[] = [];
  let bytes = 0;
  for (const file of volume.files) {
    throwIfAborted(signal);
    let actual: { sha256: string; size: number } | null = null;
    let error: string | null = null;
    try {
      actual = await hashUncached(file.path, plan, { signal, onBytes: (n) => tracker?.addBytes(n) });
    } catch (e) {
      if (errnoOf(e) && MEDIA_GONE.has(errnoOf(e) as string)) throw mediaError(e, file.path);
      if (!(await volumePresent(volume)))
        throw new AirlockError('MEDIA_REMOVED', `${volume.dir} is no longer mounted (reading back ${file.path}).`, { path: file.path, cause: e });
      error = e instanceof Error ? e.message : String(e);
    }
    tracker?.addFiles(1);
    const ok = actual !== null && actual.sha256 === file.sha256 && actual.size === file.size;
    bytes += actual?.size ?? 0;
    files.push({ file: file.path, size: file.size, expectedSha256: file.sha256, actualSha256: actual?.sha256 ?? null, ok });
    if (!ok) {
      const detail =
        actual === null
          ? `${file.path} could not be read back: ${error ?? 'unknown error'}.`
          : `${file.path} read back as ${actual.size} bytes with SHA-256 ${actual.sha256}; ${file.size} bytes with SHA-256 ${file.sha256} were written.`;
      problems.push(problem('CHECKSUM_MISMATCH', detail, file.path));
    }
  }
  // The phase's last figures (every file read back), not the last throttled report.
  tracker?.flush();
  return {
    ok: problems.length === 0,
    method: plan.method,
    bypassesCache: plan.bypassesCache,
    methodDetail: plan.detail,
    files,
    problems,
    bytes,
    seconds: (performance.now() - started) / 1000,
  };
}
