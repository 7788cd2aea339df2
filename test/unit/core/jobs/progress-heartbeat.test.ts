/**
 * reportingWhile (issue #18): a phase whose work is a wait is reported at once and again while the
 * work runs, so the progress line is never left still for long; nothing is reported after it ends.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pastCommitProgress, reportingWhile } from '../../../../electron/core/jobs/progress-heartbeat.js';
import type { Progress } from '../../../../shared/progress.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('reportingWhile', () => {
  it('reports at once, again every interval while the work runs, and not after it settles', async () => {
    const seen: Progress[] = [];
    let finish: (value: string) => void = () => undefined;
    const progress = pastCommitProgress('writing-receipts', 12);
    const done = reportingWhile(
      (p) => seen.push(p),
      progress,
      () => new Promise<string>((resolve) => (finish = resolve)),
      500,
    );
    expect(seen).toEqual([progress]);
    await vi.advanceTimersByTimeAsync(1600);
    expect(seen.length).toBe(4);
    finish('receipts');
    await expect(done).resolves.toBe('receipts');
    await vi.advanceTimersByTimeAsync(5000);
    expect(seen.length).toBe(4);
    expect(seen.every((p) => p.phase === 'writing-receipts' && p.filesDone === 12 && p.filesTotal === 12)).toBe(true);
  });

  it('stops reporting when the work fails, and passes the failure on', async () => {
    const seen: Progress[] = [];
    const done = reportingWhile(
      (p) => seen.push(p),
      pastCommitProgress('settling', 3),
      () => Promise.reject(new Error('disk full')),
      500,
    );
    await expect(done).rejects.toThrow('disk full');
    await vi.advanceTimersByTimeAsync(3000);
    expect(seen.length).toBe(1);
  });

  it('runs the work without a listener', async () => {
    await expect(reportingWhile(undefined, pastCommitProgress('settling', 1), () => Promise.resolve(7))).resolves.toBe(7);
  });
});
