/**
 * Who reads which bytes of a bundle when verify hashes its payload on both cores
 * (docs/design-notes.md, "Verify on both cores"). Three readers share one descriptor:
 *
 *   the scout (payload-scout.ts)   walks the tar headers ahead and claims the data of large
 *                                  payload files: their bytes will be hashed by the lanes;
 *   the source (filled-source.ts)  the byte stream the ordinary verify walk reads: the archive
 *                                  itself, except that a claimed range reads as zeros;
 *   the lanes (hash-lanes.ts)      hash claimed ranges with positional reads, on this thread and
 *                                  a worker thread, once the tag manifest is authenticated.
 *
 * The book keeps the claims in archive order and the promises between the three. A claim is taken
 * only for bytes the source has not reached; the walk must then meet an entry whose data is
 * exactly that range, or verification fails (pass()).
 */
import { ArchiveError } from '../../bundle/archive-error.js';
import type { RangeDigest } from '../../crypto/range-hash.js';

/** Claims the scout may hold ahead of the walk: enough to keep both lanes busy, few enough to stay small. */
export const CLAIMS_AHEAD = 8;

export interface Claim {
  /** The entry's name as its header gives it (`top/data/...`). */
  readonly path: string;
  /** Archive offset of the first data byte. */
  readonly start: number;
  readonly size: number;
  /** Where the entry's data ends with its padding to a whole tar block. */
  readonly end: number;
  /** The source reached it (so zeros went to the walk in its place); a claim is filled whenever the source gets there. */
  filled: boolean;
  /** The walk met its entry. */
  passed: boolean;
  /** A lane took it (or it was given up). */
  taken: boolean;
  /** The walk asked for its digest. */
  demanded: boolean;
  /** Bytes of it counted in the progress so far. */
  counted: number;
  readonly result: Promise<RangeDigest>;
  settle(outcome: RangeDigest | Error): void;
}

function newClaim(path: string, start: number, size: number, end: number): Claim {
  let settle!: (outcome: RangeDigest | Error) => void;
  const result = new Promise<RangeDigest>((resolve, reject) => {
    settle = (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome));
  });
  // Read by the walk when it needs it; a claim it never asks about must not become an unhandled rejection.
  result.catch(() => undefined);
  return { path, start, size, end, filled: false, passed: false, taken: false, demanded: false, counted: 0, result, settle };
}

export class ClaimBook {
  /** Claims the walk has not passed, in archive order. */
  private readonly ahead: Claim[] = [];
  /** Claims the source has not read past (the walk passes an entry at its header, before the source reaches its data). */
  private unread: Claim[] = [];
  /** Where the last claim ends: claims never overlap. */
  private lastEnd = 0;
  /** Claims no lane has taken, in archive order (a passed one stays while the walk may still ask for it). */
  private queue: Claim[] = [];
  /** Every byte before this is known to the scout: a header, data, or claimed. */
  private scannedTo = 0;
  private scoutStopped = false;
  /** The source has read or filled (or asked for) every byte before this. */
  private readTo = 0;
  private wanted: ((claim: Claim) => boolean) | null = null;
  private closed = false;
  private sourceWaiters: Array<() => void> = [];
  private scoutWaiters: Array<() => void> = [];
  private laneWaiters: Array<() => void> = [];
  private firstClaim: (() => void) | null = null;

  /** Called once, at the first claim taken (the lanes start their worker thread then). */
  onFirstClaim(listener: () => void): void {
    this.firstClaim = listener;
  }

  // The scout's side.

  /** Claim a range; refused when the source has already read into it. */
  offer(path: string, start: number, size: number, end: number): boolean {
    if (this.closed || start < this.readTo || start < this.lastEnd) return false;
    this.lastEnd = end;
    const claim = newClaim(path, start, size, end);
    this.ahead.push(claim);
    this.unread.push(claim);
    this.queue.push(claim);
    const first = this.firstClaim;
    this.firstClaim = null;
    first?.();
    this.wakeLanes();
    return true;
  }

  /** The scout knows every byte before `offset`. */
  scanned(offset: number): void {
    if (offset > this.scannedTo) this.scannedTo = offset;
    this.wake('source');
  }

  /** The scout reads no further (the end, a refusal, or not worth it): the source reads freely from here. */
  stopScout(): void {
    this.scoutStopped = true;
    this.wake('source');
    this.wakeLanes();
  }

  /** Resolves once the scout may claim more (the walk caught up), or never needs to. */
  async roomAhead(): Promise<void> {
    while (!this.closed && this.ahead.length >= CLAIMS_AHEAD) {
      await new Promise<void>((resolve) => this.scoutWaiters.push(resolve));
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  // The source's side.

  /** Resolves once the scout has decided about the byte at `offset`. */
  async decided(offset: number): Promise<void> {
    while (!this.closed && !this.scoutStopped && this.scannedTo <= offset) {
      await new Promise<void>((resolve) => this.sourceWaiters.push(resolve));
    }
  }

  /** The claim holding `offset`, if any. */
  claimAt(offset: number): Claim | undefined {
    return this.unread.find((claim) => claim.start <= offset && offset < claim.end);
  }

  /** How far from `offset` the source may read real bytes: up to the next claim and what the scout has decided. */
  realUntil(offset: number): number {
    const next = this.unread.find((claim) => claim.start > offset)?.start ?? Infinity;
    return Math.min(next, this.scoutStopped ? Infinity : this.scannedTo);
  }

  /** The source reads (or fills) up to `offset`: nothing before it can be claimed any more. */
  reserve(offset: number): void {
    if (offset > this.readTo) this.readTo = offset;
    if (this.unread.length > 0 && (this.unread[0] as Claim).end <= this.readTo) this.unread = this.unread.filter((claim) => claim.end > this.readTo);
  }

  // The walk's side.

  /**
   * The walk met a regular-file entry with data at `start`: its claim, if there is one (node-tar
   * announces an entry at its header, usually before the source has reached its data).
   * A filled claim the walk went past, or one whose range is not exactly this entry's data, means
   * the archive read differently the second time: it changed while it was read.
   */
  pass(start: number, size: number, end: number): Claim | null {
    // A claim passed earlier that the walk did not ask for is nobody's work any more.
    this.queue = this.queue.filter((claim) => !claim.passed || claim.demanded);
    let found: Claim | null = null;
    while (this.ahead.length > 0 && (this.ahead[0] as Claim).start <= start) {
      const claim = this.ahead.shift() as Claim;
      if (claim.start === start && claim.size === size && claim.end === end) {
        found = claim;
        break;
      }
      if (claim.filled) throw changed(claim);
    }
    if (found) found.passed = true;
    this.wake('scout');
    // Filled or not yet: the source never reads a claimed byte, so the walk will read zeros there either way.
    return found;
  }

  /** Whatever the walk did not meet (the archive ended before it): a filled one is the same change. */
  assertAllPassed(): void {
    for (const claim of this.ahead) if (claim.filled) throw changed(claim);
  }

  // The lanes' side.

  /** Start handing claims to the lanes: only now, after authentication, is a payload byte hashed. */
  open(wanted: (claim: Claim) => boolean): void {
    this.wanted = wanted;
    this.wakeLanes();
  }

  /** The walk needs this claim's digest: a lane takes it even if it was not wanted. */
  demand(claim: Claim): void {
    claim.demanded = true;
    this.wakeLanes();
  }

  /** The next claim for a lane, in archive order; null once there will be none. */
  async nextJob(): Promise<Claim | null> {
    for (;;) {
      if (this.closed) return null;
      if (this.wanted !== null) {
        const wanted = this.wanted;
        // A passed claim still queued and not demanded is the walk's current entry (pass() drops older
        // ones): the walk asks for it next, so it goes first. Left for last, as when the lanes start at
        // the first payload entry, it kept the walk waiting at that entry to the end, and then the
        // walk read every later claimed file's zeros after the hashing instead of during it.
        const at = this.queue.findIndex((claim) => claim.demanded || wanted(claim));
        if (at >= 0) {
          const [job] = this.queue.splice(at, 1) as [Claim];
          job.taken = true;
          return job;
        }
      }
      await new Promise<void>((resolve) => this.laneWaiters.push(resolve));
    }
  }

  /** Stop: lanes get no more work, waiters are released, unsettled claims fail with `reason`. */
  close(reason: Error): void {
    if (this.closed) return;
    this.closed = true;
    for (const claim of this.queue) claim.settle(reason);
    this.queue = [];
    this.wake('source');
    this.wake('scout');
    this.wakeLanes();
  }

  private wake(who: 'source' | 'scout'): void {
    const waiters = who === 'source' ? this.sourceWaiters.splice(0) : this.scoutWaiters.splice(0);
    for (const wake of waiters) wake();
  }

  private wakeLanes(): void {
    for (const wake of this.laneWaiters.splice(0)) wake();
  }
}

function changed(claim: Claim): ArchiveError {
  return new ArchiveError(`the bundle changed while it was read: the data of "${claim.path}" at byte ${claim.start} is no longer where its header put it`);
}
