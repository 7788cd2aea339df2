import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CliIo } from '../../../electron/cli/io.js';
import { elapsedLine, renderProgress } from '../../../electron/cli/progress-line.js';
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

describe('progress of the audit chain walk (audit verify)', () => {
  const walk = { phase: 'verifying-audit-chain', bytesDone: 0, bytesTotal: null, rateBytesPerSecond: null } as const;
  it('counts events, not files, with the events rate and the time left', () => {
    const line = renderProgress({ ...walk, filesDone: 16_384, filesTotal: 1_000_000, itemsPerSecond: 53_691.7, etaSeconds: 18.3 });
    expect(line).toBe('Checking the audit chain  16384/1000000 events  53692 events/s  ETA 0:18');
  });
  it('shows no rate or ETA before they are measurable, and a single event as one', () => {
    expect(renderProgress({ ...walk, filesDone: 0, filesTotal: 1, itemsPerSecond: null, etaSeconds: null })).toBe('Checking the audit chain  0/1 event');
  });
  it('a phase counted in files shows its files rate the same way', () => {
    const line = renderProgress({ ...walk, phase: 'recording-files', filesDone: 10, filesTotal: 40, itemsPerSecond: 20, etaSeconds: 1.5 });
    expect(line).toBe('Recording files  10/40 files  20 files/s  ETA 0:02');
  });
});

describe('the elapsed-time line of a step with no progress of its own (keys generate)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  function io(stderrIsTTY: boolean): { io: CliIo; written: string[] } {
    const written: string[] = [];
    const stderr = new PassThrough();
    stderr.on('data', (chunk: Buffer) => written.push(chunk.toString()));
    const fake: CliIo = { stdout: new PassThrough(), stderr, stdin: new PassThrough(), env: {}, stderrIsTTY, signal: new AbortController().signal };
    return { io: fake, written };
  }

  it('on a terminal: drawn at once, redrawn each second with the time so far, cleared when done and then silent', async () => {
    vi.useFakeTimers();
    let clock = 0;
    const { io: tty, written } = io(true);
    const line = elapsedLine(tty, 'Generating the station key (rsa4096)', () => clock);
    clock = 3200;
    vi.advanceTimersByTime(3000);
    line.done();
    clock = 9000;
    vi.advanceTimersByTime(5000);
    await vi.runAllTimersAsync();
    const text = written.join('');
    expect(text.startsWith('\r\u001b[2KGenerating the station key (rsa4096)  0:00 elapsed')).toBe(true);
    expect(text).toContain('Generating the station key (rsa4096)  0:03 elapsed');
    expect(text.endsWith('0:03 elapsed\r\u001b[2K')).toBe(true);
    expect(text).not.toContain('0:09');
  });

  it('not on a terminal: nothing at all', async () => {
    vi.useFakeTimers();
    const { io: piped, written } = io(false);
    const line = elapsedLine(piped, 'Generating the station key (rsa4096)');
    vi.advanceTimersByTime(3000);
    line.done();
    await vi.runAllTimersAsync();
    expect(written).toEqual([]);
  });
});
