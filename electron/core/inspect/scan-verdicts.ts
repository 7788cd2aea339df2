/**
 * Scan verdicts collected off the payload pass (issue #16.9; docs/design-notes.md "Inspection
 * speed"). clamd scans a stream only after its end marker, so awaiting each file's verdict at its
 * end stalled the pass for clamd's whole scan time, file after file. Instead each item's bytes are
 * streamed to its scan as they are hashed, its verdict is left to settle in the background, and
 * the pass reads on; the content inspector's finish() waits for every verdict before the bundle's
 * outcome is decided, so a file not proven clean is still never taken.
 *
 * Bounded both ways: at most `maxScans` verdicts are awaited at once (a few clamd connections,
 * within clamd's MaxThreads; each holds at most INSTREAM_QUEUE_BYTES queued), and items are
 * recorded in the order they were added (the report and the problem list do not depend on which
 * scan finished first), with at most `window` items between the oldest unrecorded one and the
 * newest, so a slow verdict holds back a bounded number of small records, never the whole bundle.
 */
import type { Problem } from '../../../shared/problems.js';
import type { FileScan, ScanVerdict } from './contract.js';

/** Verdicts awaited at once: clamd runs MaxThreads scans (the Debian default is 12, tests and bench run 4). */
export const MAX_PENDING_SCANS = 4;
/** Items added but not yet recorded (their verdict, or an earlier item's, still to come). */
export const MAX_UNRECORDED_ITEMS = 256;

/** What settling one item gives: its problems, and the effect of recording it (the report row), run in order. */
export interface SettledItem {
  problems: Problem[];
  record(): void;
}

export class PendingVerdicts {
  private readonly inFlight = new Map<number, { scan: FileScan; task: Promise<void> }>();
  private readonly settled = new Map<number, SettledItem>();
  private readonly problems: Problem[] = [];
  private added = 0;
  private recorded = 0;
  private failure: { error: unknown } | null = null;
  private waiting: Array<() => void> = [];
  /** Set by abort(): nothing more is waited for (a scan that ignores its abort cannot hold the operation). */
  private aborted = false;
  private readonly abortedNow: Promise<void>;
  private wakeAborted: () => void = () => undefined;

  constructor(
    private readonly maxScans = MAX_PENDING_SCANS,
    private readonly window = MAX_UNRECORDED_ITEMS,
  ) {
    this.abortedNow = new Promise((resolve) => (this.wakeAborted = resolve));
  }

  /** Verdicts still awaited (tests, diagnostics). */
  get pending(): number {
    return this.inFlight.size;
  }

  /**
   * One item whose bytes are all written to `scan` (null: nothing to scan, settled at once).
   * Resolves once it is queued, after waiting while the limits are reached; `settle` turns the
   * verdict into the item's problems and report row. A scan that throws is an error verdict.
   */
  async add(scan: FileScan | null, settle: (verdict: ScanVerdict | null) => SettledItem): Promise<void> {
    this.throwIfFailed();
    while (this.inFlight.size >= this.maxScans || this.added - this.recorded >= this.window) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      this.throwIfFailed();
    }
    const order = this.added++;
    if (scan === null) {
      this.complete(order, () => settle(null));
      return;
    }
    const task = verdictOf(scan).then((verdict) => {
      this.inFlight.delete(order);
      this.complete(order, () => settle(verdict));
    });
    this.inFlight.set(order, { scan, task });
  }

  /** Every verdict in, every item recorded: the problems of all of them, in the order they were added. */
  async drain(): Promise<Problem[]> {
    while (this.inFlight.size > 0 && !this.aborted) await Promise.race([Promise.all([...this.inFlight.values()].map((each) => each.task)), this.abortedNow]);
    this.throwIfFailed();
    return this.problems.splice(0);
  }

  /** Drop every scan still running (the operation was cancelled or failed); their items are never recorded. */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.failure ??= { error: new Error('the inspection was cancelled; scans still running were dropped') };
    for (const { scan } of this.inFlight.values()) scan.abort();
    this.wakeAborted();
    for (const wake of this.waiting.splice(0)) wake();
  }

  private complete(order: number, settle: () => SettledItem): void {
    try {
      this.settled.set(order, settle());
    } catch (error) {
      // Its row cannot be made: the operation fails (drain throws); the items after it still flow.
      this.failure ??= { error };
      this.settled.set(order, { problems: [], record: () => undefined });
    }
    this.flush();
  }

  /** Record, in order, every item whose predecessors are all recorded; wake the pass when a slot frees. */
  private flush(): void {
    for (let next = this.settled.get(this.recorded); next !== undefined; next = this.settled.get(this.recorded)) {
      this.settled.delete(this.recorded);
      this.recorded += 1;
      this.problems.push(...next.problems);
      try {
        next.record();
      } catch (error) {
        this.failure ??= { error };
      }
    }
    for (const wake of this.waiting.splice(0)) wake();
  }

  private throwIfFailed(): void {
    if (this.failure !== null) throw this.failure.error;
  }
}

/** The scan's verdict; a scan that throws instead of answering gave none: an error, never clean. */
async function verdictOf(scan: FileScan): Promise<ScanVerdict> {
  try {
    return await scan.finish();
  } catch (error) {
    return { outcome: 'error', detail: `the scan failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
