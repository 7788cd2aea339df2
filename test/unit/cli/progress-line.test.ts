import { describe, expect, it } from 'vitest';
import { renderProgress } from '../../../electron/cli/progress-line.js';
import { JOB_PLANS, withJobEta } from '../../../electron/core/jobs/job-eta.js';
import { ProgressTracker } from '../../../electron/core/jobs/progress-tracker.js';
import type { Progress } from '../../../shared/progress.js';

/** A bundle piped on stdin (`airlock verify -`): its size is unknown, as checkBundle passes it (bytes: null). */
function streamedVerify(totalBytes: number | null): Progress[] {
  const seen: Progress[] = [];
  let clock = 0;
  const tracker = new ProgressTracker(
    withJobEta(JOB_PLANS.verify, (p) => seen.push(p)),
    0,
    () => clock,
  );
  tracker.startPhase('verifying-signature', { bytes: totalBytes });
  for (let i = 0; i < 10; i += 1) {
    clock += 500;
    tracker.addBytes(1 << 20);
  }
  return seen;
}

describe('progress of a bundle whose size is unknown (stdin)', () => {
  it('shows the bytes read and the rate, without a total, a percentage or an ETA', () => {
    const last = streamedVerify(null).at(-1) as Progress;
    expect(last.bytesTotal).toBeNull();
    expect(last.etaSeconds).toBeNull();
    expect(last.jobEtaSeconds ?? null).toBeNull();
    const line = renderProgress(last);
    expect(line).toContain('10.0 MiB');
    expect(line).toMatch(/\/s/u);
    expect(line).not.toMatch(/%|ETA| \/ /u);
  });

  it('with a known size (a file), the same run shows the total and an ETA (the check above is meaningful)', () => {
    const line = renderProgress(streamedVerify(20 << 20).at(-1) as Progress);
    expect(line).toMatch(/10\.0 MiB \/ 20\.0 MiB \(50%\)/u);
    expect(line).toContain('ETA');
  });
});

describe('progress of an image push', () => {
  it('names the image being pushed, with control characters from the bundle made harmless', () => {
    const line = renderProgress({
      phase: 'pushing-images',
      bytesDone: 1 << 20,
      bytesTotal: 4 << 20,
      filesDone: 0,
      filesTotal: 2,
      rateBytesPerSecond: 1 << 20,
      etaSeconds: 3,
      item: 'site/app:1.0\u001b[2J',
    });
    expect(line).toContain('site/app:1.0');
    expect(line).not.toContain('\u001b');
    expect(line).toContain('25%');
  });
});

describe('progress of a phase over no files', () => {
  it('writing the tag files shows bytes, not "0/0 files"; a phase over files still counts them', () => {
    const phase = { bytesDone: 0, bytesTotal: 6062, filesDone: 0, rateBytesPerSecond: null, etaSeconds: null } as const;
    const tagFiles = renderProgress({ ...phase, phase: 'writing-tag-files', filesTotal: 0 });
    expect(tagFiles).toBe('Writing the manifest  0 B / 5.92 KiB (0%)');
    expect(renderProgress({ ...phase, phase: 'hashing', filesTotal: 2 })).toContain('0/2 files');
  });
});
