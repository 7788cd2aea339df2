import { describe, expect, it } from 'vitest';
import type { Progress } from '../../../../shared/progress.js';
import { ProgressTracker } from '../../../../electron/core/jobs/progress-tracker.js';

describe('ProgressTracker', () => {
  it('throttles to the interval, always reports phase starts and flushes, and computes rate and ETA', () => {
    let now = 0;
    const seen: Progress[] = [];
    const tracker = new ProgressTracker(
      (p) => seen.push(p),
      250,
      () => now,
    );
    tracker.startPhase('hashing', { bytes: 1000, files: 2 });
    expect(seen).toHaveLength(1);
    now = 100;
    tracker.addBytes(100);
    expect(seen).toHaveLength(1);
    now = 300;
    tracker.addBytes(100);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toMatchObject({ phase: 'hashing', bytesDone: 200, bytesTotal: 1000 });
    expect(seen[1]?.rateBytesPerSecond).toBeCloseTo(200 / 0.3, 5);
    expect(seen[1]?.etaSeconds).toBeCloseTo(800 / (200 / 0.3), 5);
    tracker.addFiles(1);
    tracker.flush();
    expect(seen.at(-1)).toMatchObject({ filesDone: 1, filesTotal: 2 });
  });
  it('gives a phase counted in files (no bytes read) its ETA from the files rate, and no byte rate', () => {
    let now = 0;
    const seen: Progress[] = [];
    const tracker = new ProgressTracker(
      (p) => seen.push(p),
      250,
      () => now,
    );
    tracker.startPhase('recording-files', { files: 10_000, etaFromFiles: true });
    now = 500;
    tracker.addFiles(2000);
    expect(seen.at(-1)).toMatchObject({ phase: 'recording-files', filesDone: 2000, filesTotal: 10_000, rateBytesPerSecond: null });
    // 2000 files in 0.5 s: 8000 left at 4000 a second.
    expect(seen.at(-1)?.etaSeconds).toBeCloseTo(2, 5);
    expect(seen.at(-1)?.itemsPerSecond).toBeCloseTo(4000, 5);
  });
  it('gives a phase counted in items its items rate, and a phase counted in bytes none', () => {
    let now = 0;
    const seen: Progress[] = [];
    const tracker = new ProgressTracker(
      (p) => seen.push(p),
      250,
      () => now,
    );
    tracker.startPhase('verifying-audit-chain', { files: 1_000_000, etaFromFiles: true });
    // Not measurable yet: null, not 0 events/s.
    expect(seen.at(-1)).toMatchObject({ filesDone: 0, itemsPerSecond: null, etaSeconds: null });
    now = 1000;
    tracker.addFiles(250_000);
    expect(seen.at(-1)?.itemsPerSecond).toBeCloseTo(250_000, 5);
    expect(seen.at(-1)?.etaSeconds).toBeCloseTo(3, 5);
    tracker.startPhase('hashing', { bytes: 100, files: 1 });
    now = 2000;
    tracker.addBytes(50);
    expect(seen.at(-1)).not.toHaveProperty('itemsPerSecond');
  });
  it('has no rate or ETA until enough time has passed, nor ETA without a total', () => {
    let now = 0;
    const seen: Progress[] = [];
    const tracker = new ProgressTracker(
      (p) => seen.push(p),
      0,
      () => now,
    );
    tracker.startPhase('writing');
    now = 50;
    tracker.addBytes(10);
    expect(seen.at(-1)).toMatchObject({ rateBytesPerSecond: null, etaSeconds: null });
    now = 1000;
    tracker.addBytes(10);
    expect(seen.at(-1)?.rateBytesPerSecond).not.toBeNull();
    expect(seen.at(-1)?.etaSeconds).toBeNull();
  });
});
