import { describe, expect, it } from 'vitest';
import type { Progress, ProgressPhase } from '../../../../shared/progress.js';
import { JOB_PLANS, withJobEta, type JobPlan } from '../../../../electron/core/jobs/job-eta.js';

function p(phase: ProgressPhase, bytesDone: number, bytesTotal: number | null, rate: number | null, eta: number | null = null): Progress {
  return { phase, bytesDone, bytesTotal, filesDone: 0, filesTotal: null, rateBytesPerSecond: rate, etaSeconds: eta };
}

function run(plan: JobPlan, events: Progress[]): Array<number | null | undefined> {
  const seen: Progress[] = [];
  const listener = withJobEta(plan, (progress) => seen.push(progress));
  for (const event of events) listener(event);
  return seen.map((s) => s.jobEtaSeconds);
}

describe('whole-job ETA', () => {
  it('an export while hashing counts the writing pass still to come', () => {
    const etas = run(JOB_PLANS.export, [
      p('scanning', 0, null, null),
      p('hashing', 0, 1000, null),
      // 250 of 1000 hashed at 100 B/s: 7.5 s of hashing left, then ~10 s of writing.
      p('hashing', 250, 1000, 100, 7.5),
    ]);
    expect(etas[0]).toBeNull();
    expect(etas[1]).toBeNull();
    expect(etas[2]).toBeCloseTo(17.5, 5);
  });

  it('a one-pass export (to a folder, station key) counts no second pass', () => {
    const etas = run(JOB_PLANS['export-one-pass'], [
      p('hashing-and-writing', 250, 1000, 100, 7.5),
      p('signing', 0, null, null),
      p('writing-tag-files', 0, 4096, null, 0.01),
    ]);
    expect(etas[0]).toBeCloseTo(7.5, 5);
    expect(etas[1]).toBeCloseTo(0, 5);
    expect(etas[2]).toBeCloseTo(0.01, 5);
  });

  it('while signing (between passes) it is the passes still to come at the last rate', () => {
    const etas = run(JOB_PLANS.export, [p('hashing', 1000, 1000, 200), p('signing', 0, null, null)]);
    expect(etas[0]).toBeCloseTo(5, 5);
    expect(etas[1]).toBeCloseTo(5, 5);
  });

  it('in the last pass it equals the phase’s own time left', () => {
    const etas = run(JOB_PLANS.export, [p('hashing', 1000, 1000, 100), p('writing', 400, 1100, 50, 14)]);
    expect(etas[1]).toBeCloseTo(14, 5);
  });

  it('an export to a medium also counts the read-back', () => {
    const etas = run(JOB_PLANS['export-to-media'], [p('hashing', 500, 1000, 100)]);
    expect(etas[0]).toBeCloseTo(5 + 10 + 10, 5);
  });

  it('verify reads the bundle once: the signature phase does not count a second pass', () => {
    const etas = run(JOB_PLANS.verify, [p('verifying-signature', 10, 1000, 100), p('verifying-payload', 500, 1000, 100, 5)]);
    // 990 bytes left of the one read at 100 B/s; not 990 + another 1000.
    expect(etas[0]).toBeCloseTo(9.9, 5);
    expect(etas[1]).toBeCloseTo(5, 5);
  });

  it('passes no listener through when there is none', () => {
    expect(withJobEta(JOB_PLANS.verify, undefined)).toBeUndefined();
  });
});
