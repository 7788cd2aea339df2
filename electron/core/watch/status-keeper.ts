import type { ChannelFinding, HeartbeatAlarm } from '../../../shared/channels.js';
import type { WatchBundleRecord, WatchCounts, WatchImportWait, WatchStatus, WatchWaitingSet } from '../../../shared/watch.js';

export const RECENT_LIMIT = 50;
export const GAPS_LIMIT = 100;

/**
 * What a running watcher knows of itself, in bounded memory: counts, the last 50 outcomes, the
 * last 100 channel findings, the alarms standing now. Nothing here grows with the days it runs.
 */
export class StatusKeeper {
  private readonly counts: WatchCounts = { accepted: 0, quarantined: 0, rejected: 0, heartbeats: 0, failed: 0, queued: 0, arriving: 0 };
  private recent: WatchBundleRecord[] = [];
  private gaps: ChannelFinding[] = [];
  private alarms: HeartbeatAlarm[] = [];
  private waiting: WatchWaitingSet[] = [];
  /** By claim id: at most one per claim, gone when the claim settles (bounded by the claims in the working folder). */
  private readonly importWaits = new Map<string, WatchImportWait>();
  private current: WatchStatus['current'] = null;
  private state: WatchStatus['state'] = 'running';

  constructor(
    private readonly inbox: string,
    private readonly dest: string,
    private readonly startedAt: string,
  ) {}

  record(outcome: WatchBundleRecord): void {
    switch (outcome.outcome) {
      case 'accepted':
        this.counts.accepted += 1;
        break;
      case 'quarantined':
        this.counts.quarantined += 1;
        break;
      case 'rejected':
        this.counts.rejected += 1;
        break;
      case 'heartbeat':
        this.counts.heartbeats += 1;
        break;
      case 'failed':
        this.counts.failed += 1;
        break;
    }
    this.recent = [outcome, ...this.recent].slice(0, RECENT_LIMIT);
  }

  findings(found: readonly ChannelFinding[]): void {
    if (found.length > 0) this.gaps = [...found].reverse().concat(this.gaps).slice(0, GAPS_LIMIT);
  }

  standingAlarms(alarms: readonly HeartbeatAlarm[]): void {
    this.alarms = alarms.slice(0, GAPS_LIMIT);
  }

  inboxNow(queued: number, arriving: number, waiting?: readonly WatchWaitingSet[]): void {
    this.counts.queued = queued;
    this.counts.arriving = arriving;
    if (waiting !== undefined) this.waiting = waiting.slice(0, GAPS_LIMIT);
  }

  /** A claim waits for another import of its bundle (`wait`), or no longer does (`null`). */
  waitingForImport(claimId: string, wait: WatchImportWait | null): void {
    if (wait === null) this.importWaits.delete(claimId);
    else this.importWaits.set(claimId, wait);
  }

  working(name: string | null, phase = 'import'): void {
    this.current = name === null ? null : { name, phase, since: new Date().toISOString() };
  }

  stopped(): void {
    this.state = 'stopped';
    this.current = null;
  }

  snapshot(): WatchStatus {
    return {
      state: this.state,
      pid: process.pid,
      inbox: this.inbox,
      dest: this.dest,
      startedAt: this.startedAt,
      updatedAt: new Date().toISOString(),
      current: this.current,
      lastBundle: this.recent[0] ?? null,
      counts: { ...this.counts },
      recent: [...this.recent],
      gaps: [...this.gaps],
      alarms: [...this.alarms],
      waiting: [...this.waiting],
      importWaits: [...this.importWaits.values()],
    };
  }
}
