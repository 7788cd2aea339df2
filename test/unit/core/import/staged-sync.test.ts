/**
 * The progress line while staged files are flushed (staged-sync.ts): the 'syncing' phase is
 * reported when the flush starts, drawn again every second while it runs (it has no byte counts
 * of its own), and once more when it ends; a failed flush stops the redraws and throws.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Progress } from '../../../../shared/progress.js';
import { flushStaged, flushStagedWhile } from '../../../../electron/core/import/staged-sync.js';
import type { StagingDirectory } from '../../../../electron/core/import/staging.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A staging folder whose flush ends when the test says so (and says whether it has started and ended). */
function slowStaging(): { staging: StagingDirectory; finish: (error?: Error) => void; state: { started: boolean; ended: boolean } } {
  let finish: (error?: Error) => void = () => undefined;
  const state = { started: false, ended: false };
  const flushed = new Promise<void>((resolve, reject) => {
    finish = (error) => {
      state.ended = true;
      if (error) reject(error);
      else resolve();
    };
  });
  const makeDurable = () => {
    state.started = true;
    return flushed;
  };
  return { staging: { makeDurable } as unknown as StagingDirectory, finish, state };
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

describe('flushStagedWhile (smallimp: the audit rows staged while the flush runs)', () => {
  it("runs the work while the flush runs, then reports 'syncing' until the flush ends, and returns the work's result", async () => {
    vi.useFakeTimers();
    const seen: string[] = [];
    const { staging, finish, state } = slowStaging();
    const during: boolean[] = [];
    const done = flushStagedWhile(
      staging,
      (p) => seen.push(p.phase),
      async () => {
        during.push(state.started && !state.ended);
        await Promise.resolve();
        return 'rows';
      },
      () => {
        throw new Error('not dropped when the flush succeeds');
      },
    );
    await vi.advanceTimersByTimeAsync(2500);
    // The work ended while the flush still runs: 'syncing' is drawn (at once and every second), nothing is returned yet.
    expect(during).toEqual([true]);
    expect(seen).toEqual(['syncing', 'syncing', 'syncing']);
    let result: string | null = null;
    void done.then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(0);
    expect(result).toBeNull();
    finish();
    expect(await done).toBe('rows');
    const count = seen.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(seen.length).toBe(count);
  });

  it('a failed work waits for the flush before its error goes on, and reports no syncing', async () => {
    const seen: string[] = [];
    const { staging, finish, state } = slowStaging();
    const done = flushStagedWhile(
      staging,
      (p) => seen.push(p.phase),
      () => Promise.reject(Object.assign(new Error('cancelled'), { code: 'CANCELLED' })),
      () => undefined,
    );
    let settled = false;
    const failure = done.catch((error: unknown) => error).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    finish();
    expect(await failure).toMatchObject({ code: 'CANCELLED' });
    expect(state.ended).toBe(true);
    expect(seen).toEqual([]);
  });

  it("a failed flush hands the work's result to drop and throws the flush's error, with no unhandled rejection meanwhile", async () => {
    const { staging, finish } = slowStaging();
    const dropped: string[] = [];
    let release: () => void = () => undefined;
    const workGate = new Promise<void>((resolve) => (release = resolve));
    const done = flushStagedWhile(
      staging,
      undefined,
      async () => {
        await workGate;
        return 'rows';
      },
      (rows) => dropped.push(rows),
    );
    // The flush fails while the work still runs.
    finish(Object.assign(new Error('EIO'), { code: 'EIO' }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(dropped).toEqual([]);
    release();
    expect(await done.catch((error: unknown) => error)).toMatchObject({ code: 'EIO' });
    expect(dropped).toEqual(['rows']);
  });
});
