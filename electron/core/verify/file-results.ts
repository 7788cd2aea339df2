/**
 * Per-file results of a verification, in bounded memory: a bundle may hold a million files, and
 * the result crosses IPC to the app. Failed files are listed up to `cap.failed`, intact ones up
 * to `cap.ok`; every file is counted by outcome whatever the caps.
 */
import type { ProblemCode } from '../../../shared/problems.js';
import { FILE_OUTCOMES, type FileOutcome, type FileResult, type FileResults } from '../../../shared/results.js';

/** Enough to show every failure of any bundle an operator reads through, and a page-able sample of intact files. */
export const FILE_RESULT_CAP: Readonly<FileResults['cap']> = { ok: 500, failed: 1000 };

export class FileTally {
  private readonly listed: FileResult[] = [];
  private readonly counts = Object.fromEntries(FILE_OUTCOMES.map((o) => [o, 0])) as Record<FileOutcome, number>;
  private listedOk = 0;
  private listedFailed = 0;
  private omittedOk = 0;
  private omittedFailed = 0;

  constructor(private readonly cap: Readonly<FileResults['cap']> = FILE_RESULT_CAP) {}

  record(path: string, size: number | null, outcome: FileOutcome, code: ProblemCode | null): void {
    this.counts[outcome] += 1;
    if (outcome === 'ok') {
      if (this.listedOk < this.cap.ok) {
        this.listed.push({ path, size, outcome, code: null });
        this.listedOk += 1;
      } else {
        this.omittedOk += 1;
      }
      return;
    }
    if (this.listedFailed < this.cap.failed) {
      this.listed.push({ path, size, outcome, code });
      this.listedFailed += 1;
    } else {
      this.omittedFailed += 1;
    }
  }

  /** Files counted with this outcome so far. */
  count(outcome: FileOutcome): number {
    return this.counts[outcome];
  }

  result(options: { notChecked: number; complete: boolean }): FileResults {
    return {
      listed: [...this.listed],
      counts: { ...this.counts },
      cap: { ...this.cap },
      omitted: { ok: this.omittedOk, failed: this.omittedFailed },
      notChecked: options.notChecked,
      complete: options.complete,
    };
  }
}

/** The results of a bundle that was never read (a split bundle rejected before reassembly). */
export function noFileResults(): FileResults {
  return new FileTally().result({ notChecked: 0, complete: false });
}
