/**
 * The read-back of an export to removable media: every file just written to a volume read again
 * past the page cache (uncached-read.ts) and compared with the SHA-256 and size written. Reported
 * as the `reading-back` progress phase, here where it happens. A medium that went away fails the
 * export (MEDIA_REMOVED); a file that reads back differently is a CHECKSUM_MISMATCH problem in
 * the report, and the caller fails the export with MEDIA_READBACK_FAILED.
 */
import type { BackgroundSha256 } from '../../crypto/background-sha256.js';
import type { MediaWrittenFile, ReadBackFile, ReadBackReport } from '../../../../shared/media.js';
import { problem, type Problem } from '../../../../shared/problems.js';
import { AirlockError, errnoOf, throwIfAborted } from '../../errors.js';
import type { ProgressTracker } from '../../jobs/progress-tracker.js';
import { MEDIA_GONE, mediaError } from '../output/media-errors.js';
import { volumePresent, type VolumeState } from '../output/volume-state.js';
import { ChunkSums, firstDifference, type FirstDifference } from './chunk-sums.js';
import { hashUncached, planUncachedRead } from './uncached-read.js';
import { RegionCheck } from './region-check.js';

/**
 * Every file of the volume read back past the cache and compared with what was written. With
 * `hasher` (the export's), the SHA-256 runs on the other core and this thread reads and keeps
 * the CRC-32 per chunk: the two halves of the work cost about the same.
 */
export async function readBackVolume(
  volume: VolumeState,
  tracker: ProgressTracker | null,
  signal: AbortSignal | undefined,
  hasher: BackgroundSha256 | null = null,
): Promise<ReadBackReport> {
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
    const sums = new ChunkSums();
    // A bundle written in one pass: every region checked on this thread, the file's SHA-256 on the other core.
    const expected = volume.regions?.get(file.path);
    const regions = expected ? new RegionCheck(expected()) : null;
    const onData = regions ? (chunk: Buffer) => regions.update(chunk) : (chunk: Buffer) => sums.update(chunk);
    try {
      actual = await hashUncached(file.path, plan, { signal, hasher, onBytes: (n) => tracker?.addBytes(n), onData });
    } catch (e) {
      // The hashing worker failed: not a fact about the medium.
      if (e instanceof AirlockError && e.code === 'INTERNAL') throw e;
      if (errnoOf(e) && MEDIA_GONE.has(errnoOf(e) as string)) throw mediaError(e, file.path);
      if (!(await volumePresent(volume)))
        throw new AirlockError('MEDIA_REMOVED', `${volume.dir} is no longer mounted (reading back ${file.path}).`, { path: file.path, cause: e });
      error = e instanceof Error ? e.message : String(e);
    }
    tracker?.addFiles(1);
    const mismatch = regions && actual !== null ? regions.finish() : null;
    const ok = actual !== null && (regions ? mismatch === null : actual.sha256 === file.sha256) && actual.size === file.size;
    // Every byte proven region by region: the SHA-256 read back is the bundle's (the receipt and audit rows name it).
    if (ok && regions && actual) file.sha256 = actual.sha256;
    bytes += actual?.size ?? 0;
    const expectedSums = volume.chunkSums.get(file.path);
    const differs =
      ok || actual === null
        ? null
        : mismatch
          ? { offset: mismatch.offset, length: mismatch.length }
          : expectedSums
            ? firstDifference(expectedSums, sums.finish(), file.size, actual.size)
            : null;
    files.push({
      file: file.path,
      size: file.size,
      expectedSha256: file.sha256,
      actualSha256: actual?.sha256 ?? null,
      actualSize: actual?.size ?? null,
      firstDifference: differs,
      differsIn: mismatch?.what ?? null,
      differsInRegion: mismatch?.region ?? null,
      ok,
    });
    if (!ok) {
      const detail =
        actual === null
          ? `${file.path} could not be read back: ${error ?? 'unknown error'}.`
          : mismatch
            ? `${file.path} read back as ${actual.size} bytes with SHA-256 ${actual.sha256}; ${mismatch.what} (bytes ${mismatch.offset}-${mismatch.offset + mismatch.length - 1}) is not what was written and signed.`
            : `${file.path} read back as ${actual.size} bytes with SHA-256 ${actual.sha256}; ${file.size} bytes with SHA-256 ${file.sha256} were written.${where(differs)}`;
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
    checkedBy: volume.regions && volume.regions.size > 0 ? 'records' : 'sha256',
  };
}

function where(differs: FirstDifference | null): string {
  if (!differs) return '';
  return ` The first difference is in bytes ${differs.offset}-${differs.offset + differs.length - 1}.`;
}

/**
 * The export's failure after a read-back that found other bytes: the first bad file, where it
 * first differs, and both SHA-256 in the message and in the error's data (for the CLI's --json,
 * the app and the audit log); the files are left on the medium as evidence.
 */
export function readBackFailure(volume: VolumeState, report: ReadBackReport): AirlockError {
  const bad = report.files.find((f) => !f.ok);
  const name = volume.medium.label ?? volume.dir;
  if (!bad)
    return new AirlockError('MEDIA_READBACK_FAILED', `Volume ${volume.number} (${name}): read-back failed. Method: ${report.method}.`, { path: volume.dir });
  const others = report.files.filter((f) => !f.ok).length - 1;
  const differs = bad.firstDifference ?? null;
  const found = bad.actualSha256 === null ? 'it could not be read back' : `found SHA-256 ${bad.actualSha256} (${bad.actualSize ?? '?'} bytes)`;
  const more = others > 0 ? ` ${others} more file${others === 1 ? '' : 's'} differ${others === 1 ? 's' : ''} too.` : '';
  // A one-pass bundle has no whole-file SHA-256 to expect: the region that differs is the finding.
  const what = bad.differsIn
    ? ` differs within bytes ${differs?.offset ?? 0}-${(differs?.offset ?? 0) + (differs?.length ?? 1) - 1} (${bad.differsIn}): not what was written and signed (${bad.size} bytes written),`
    : `${differs ? ` first differs at byte ${differs.offset} (within bytes ${differs.offset}-${differs.offset + differs.length - 1});` : ''} expected SHA-256 ${bad.expectedSha256} (${bad.size} bytes),`;
  return new AirlockError('MEDIA_READBACK_FAILED', `Volume ${volume.number} (${name}): ${bad.file}${what} ${found}.${more} Method: ${report.method}.`, {
    path: bad.file,
    data: {
      volume: volume.number,
      file: bad.file,
      offset: differs?.offset ?? null,
      length: differs?.length ?? null,
      expectedSha256: bad.expectedSha256 || null,
      differsIn: bad.differsIn ?? null,
      // The region as data (the app words it in the operator's language); flat, as error data is.
      differsInPart: bad.differsInRegion?.part ?? null,
      differsInPath: bad.differsInRegion?.path ?? null,
      differsInEndsEarly: bad.differsInRegion?.endsEarly === true,
      foundSha256: bad.actualSha256,
      expectedSize: bad.size,
      foundSize: bad.actualSize ?? null,
      method: report.method,
      files: others + 1,
    },
  });
}
