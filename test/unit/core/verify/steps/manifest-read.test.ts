import { describe, expect, it } from 'vitest';
import type { Progress } from '../../../../../shared/progress.js';
import { AirlockError } from '../../../../../electron/core/errors.js';
import { ProgressTracker } from '../../../../../electron/core/jobs/progress-tracker.js';
import { DEFAULT_LIMITS } from '../../../../../electron/core/policy/limits.js';
import { readManifestInSteps } from '../../../../../electron/core/verify/steps/manifest-read.js';
import { MANIFEST_LINES_PER_STEP, payloadManifestSteps, readPayloadManifest } from '../../../../../electron/core/verify/tag-checks.js';
import { createVerifyState, type VerifyState } from '../../../../../electron/core/verify/verify-state.js';

const H = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const manifest = (count: number): Buffer => Buffer.from(Array.from({ length: count }, (_, i) => `${H}  data/d${i % 9}/f${i}.txt\n`).join(''));

/** A verify state whose tracker reports every step (interval 0): the steps are counted, not timed. */
function stateFor(seen: Progress[], signal?: AbortSignal): VerifyState {
  const state = createVerifyState({ bundlePath: 'x.airlock.tar', trusted: [], signal }, null);
  return { ...state, tracker: new ProgressTracker((p) => seen.push(p), 0) };
}

describe('payloadManifestSteps (issue #18: a 200,000-line manifest parsed without a stall)', () => {
  it('announces the line total, then yields every MANIFEST_LINES_PER_STEP lines, and ends with what readPayloadManifest returns', () => {
    const bytes = manifest(MANIFEST_LINES_PER_STEP * 3 + 17);
    const steps = payloadManifestSteps(bytes, DEFAULT_LIMITS);
    const yielded: number[] = [];
    let next = steps.next();
    while (next.done !== true) {
      expect(next.value.linesTotal).toBe(MANIFEST_LINES_PER_STEP * 3 + 17);
      yielded.push(next.value.lines);
      next = steps.next();
    }
    expect(yielded).toEqual([0, MANIFEST_LINES_PER_STEP, MANIFEST_LINES_PER_STEP * 2, MANIFEST_LINES_PER_STEP * 3]);
    const whole = readPayloadManifest(bytes, DEFAULT_LIMITS);
    expect('entries' in next.value && 'entries' in whole && [...next.value.entries.paths()]).toEqual('entries' in whole && [...whole.entries.paths()]);
  });

  it('still refuses a bad line past the first steps, with its line number', () => {
    const bytes = Buffer.concat([manifest(MANIFEST_LINES_PER_STEP * 2 + 5), Buffer.from('not a line\n')]);
    const steps = payloadManifestSteps(bytes, DEFAULT_LIMITS);
    let next = steps.next();
    while (next.done !== true) next = steps.next();
    expect(next.value).toMatchObject({ problem: { code: 'MANIFEST_INVALID', message: expect.stringContaining(`line ${MANIFEST_LINES_PER_STEP * 2 + 6}`) } });
  });
});

describe('readManifestInSteps', () => {
  it("reports 'reading-manifest' with the line total; the count only grows, by at most one step between reports, to every line", async () => {
    const count = MANIFEST_LINES_PER_STEP * 5 + 3;
    const seen: Progress[] = [];
    const read = await readManifestInSteps(stateFor(seen), manifest(count));
    expect('entries' in read && read.entries.size).toBe(count);
    expect(seen.length).toBeGreaterThanOrEqual(6);
    expect(seen.every((p) => p.phase === 'reading-manifest' && p.filesTotal === count && p.bytesTotal === manifest(count).length)).toBe(true);
    const counts = seen.map((p) => p.filesDone);
    expect(counts[0]).toBe(0);
    expect(counts.at(-1)).toBe(count);
    expect(seen.at(-1)?.bytesDone).toBe(manifest(count).length);
    for (let i = 1; i < counts.length; i += 1) {
      const step = (counts[i] as number) - (counts[i - 1] as number);
      expect(step).toBeGreaterThanOrEqual(0);
      expect(step).toBeLessThanOrEqual(MANIFEST_LINES_PER_STEP);
    }
  });

  it('stops within one step when cancelled mid-parse: CANCELLED, no manifest kept', async () => {
    const controller = new AbortController();
    const seen: Progress[] = [];
    const state = stateFor(seen, controller.signal);
    const parsing = readManifestInSteps(state, manifest(MANIFEST_LINES_PER_STEP * 20));
    // The abort arrives from outside, between two steps (as a Cancel or SIGINT does), once the parse is under way.
    let atAbort = -1;
    const abortWhenUnderWay = setInterval(() => {
      const done = seen.at(-1)?.filesDone ?? 0;
      if (done >= MANIFEST_LINES_PER_STEP * 2 && atAbort < 0) {
        atAbort = done;
        controller.abort();
      }
    }, 0);
    const error = await parsing.catch((e: unknown) => e).finally(() => clearInterval(abortWhenUnderWay));
    expect(error).toBeInstanceOf(AirlockError);
    expect((error as AirlockError).code).toBe('CANCELLED');
    // At most the step under way when the abort landed was parsed after it.
    expect(atAbort).toBeGreaterThan(0);
    expect(seen.at(-1)?.filesDone ?? 0).toBeLessThanOrEqual(atAbort + MANIFEST_LINES_PER_STEP);
    expect(state.manifest).toBeNull();
  });
});
