import type { Progress, ProgressListener, ProgressPhase } from '../../../shared/progress.js';

const DEFAULT_INTERVAL_MS = 250;
/** Rate is measured over roughly this window so it follows speed changes without jitter. */
const RATE_WINDOW_MS = 3000;

/**
 * Accumulates progress of one phase at a time and reports it at most every `intervalMs`
 * (about four times a second), always reporting a phase's start and end.
 */
export class ProgressTracker {
  private phase: ProgressPhase = 'scanning';
  private bytesDone = 0;
  private filesDone = 0;
  private bytesTotal: number | null = null;
  private filesTotal: number | null = null;
  /** The phase counts files, not bytes: its ETA follows the files' rate (a phase that reads no bytes). */
  private etaFromFiles = false;
  private fileSamples: Array<{ t: number; files: number }> = [];
  private lastEmit = 0;
  private samples: Array<{ t: number; bytes: number }> = [];

  constructor(
    private readonly listener: ProgressListener | undefined,
    private readonly intervalMs = DEFAULT_INTERVAL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  startPhase(phase: ProgressPhase, totals: { bytes?: number | null; files?: number | null; etaFromFiles?: boolean } = {}): void {
    this.phase = phase;
    this.bytesDone = 0;
    this.filesDone = 0;
    this.bytesTotal = totals.bytes ?? null;
    this.filesTotal = totals.files ?? null;
    this.etaFromFiles = totals.etaFromFiles === true;
    this.samples = [{ t: this.now(), bytes: 0 }];
    this.fileSamples = [{ t: this.now(), files: 0 }];
    this.emit(true);
  }

  addBytes(bytes: number): void {
    this.bytesDone += bytes;
    this.emit(false);
  }

  addFiles(files = 1): void {
    this.filesDone += files;
    this.emit(false);
  }

  /** Report the current state regardless of throttling (end of a phase). */
  flush(): void {
    this.emit(true);
  }

  snapshot(): Progress {
    const t = this.now();
    const rate = this.rate(t);
    const itemRate = this.etaFromFiles ? this.filesRate(t) : null;
    const eta = this.etaFromFiles
      ? itemRate !== null && itemRate > 0 && this.filesTotal !== null
        ? Math.max(0, (this.filesTotal - this.filesDone) / itemRate)
        : null
      : rate !== null && rate > 0 && this.bytesTotal !== null
        ? Math.max(0, (this.bytesTotal - this.bytesDone) / rate)
        : null;
    return {
      phase: this.phase,
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      filesDone: this.filesDone,
      filesTotal: this.filesTotal,
      // A phase counted in files reads no bytes: no byte rate to show (not "0 B/s"), its count's rate instead.
      rateBytesPerSecond: this.etaFromFiles ? null : rate,
      etaSeconds: eta,
      ...(this.etaFromFiles ? { itemsPerSecond: itemRate } : {}),
    };
  }

  private rate(t: number): number | null {
    const first = this.samples[0];
    if (!first) return null;
    const elapsed = t - first.t;
    if (elapsed < 200) return null;
    return ((this.bytesDone - first.bytes) / elapsed) * 1000;
  }

  /** Counted items (files, events) per second over the window; null until measurable. */
  private filesRate(t: number): number | null {
    const first = this.fileSamples[0];
    if (!first || t - first.t < 200) return null;
    return ((this.filesDone - first.files) / (t - first.t)) * 1000;
  }

  private emit(force: boolean): void {
    if (!this.listener) return;
    const t = this.now();
    if (!force && t - this.lastEmit < this.intervalMs) return;
    this.lastEmit = t;
    this.samples.push({ t, bytes: this.bytesDone });
    while (this.samples.length > 2 && t - (this.samples[1]?.t ?? t) > RATE_WINDOW_MS) this.samples.shift();
    this.fileSamples.push({ t, files: this.filesDone });
    while (this.fileSamples.length > 2 && t - (this.fileSamples[1]?.t ?? t) > RATE_WINDOW_MS) this.fileSamples.shift();
    this.listener(this.snapshot());
  }
}
