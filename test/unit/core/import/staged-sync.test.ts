/**
 * The progress line while staged files are flushed (staged-sync.ts): the 'syncing' phase is
 * reported when the flush starts, drawn again every second while it runs (it has no byte counts
 * of its own), and once more when it ends; a failed flush stops the redraws and throws.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Progress } from '../../../../shared/progress.js';
import { flushStaged } from '../../../../electron/core/import/staged-sync.js';
import type { StagingDirectory } from '../../../../electron/core/import/staging.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A staging folder whose flush ends when the test says so. */
function slowStaging(): { staging: StagingDirectory; finish: (error?: Error) => void } {
  let finish: (error?: Error) => void = () => undefined;
  const flushed = new Promise<void>((resolve, reject) => {
    finish = (error) => (error ? reject(error) : resolve());
  });
  return { staging: { makeDurable: () => flushed } as unknown as StagingDirectory, finish };
}

describe('flushStaged', () => {
  it("reports 'syncing' at the start, every second during the flush, and at the end", async () => {
    vi.useFakeTimers();
    const seen: Progress[] = [];
    const { staging, finish } = slowStaging();
    const done = flushStaged(staging, (p) => seen.push(p));
    expect(seen.map((p) => p.phase)).toEqual(['syncing']);
    await vi.advanceTimersByTimeAsync(3500);
    expect(seen.length).toBe(4);
    finish();
    await done;
    expect(seen.length).toBe(5);
    expect(new Set(seen.map((p) => p.phase))).toEqual(new Set(['syncing']));
    // Nothing more once it is over.
    await vi.advanceTimersByTimeAsync(5000);
    expect(seen.length).toBe(5);
  });

  it('a failed flush throws and stops the redraws', async () => {
    vi.useFakeTimers();
    const seen: Progress[] = [];
    const { staging, finish } = slowStaging();
    const done = flushStaged(staging, (p) => seen.push(p));
    const failure = done.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1500);
    finish(Object.assign(new Error('EIO'), { code: 'EIO' }));
    expect(await failure).toMatchObject({ code: 'EIO' });
    const count = seen.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(seen.length).toBe(count);
  });

  it('without a listener it only flushes', async () => {
    const { staging, finish } = slowStaging();
    const done = flushStaged(staging, undefined);
    finish();
    await done;
  });
});
