/** The watcher's status in bounded memory (electron/core/watch/status-keeper.ts): counts grow, lists do not. */
import { describe, expect, it } from 'vitest';
import type { ChannelFinding } from '../../../../shared/channels.js';
import type { WatchOutcome } from '../../../../shared/watch.js';
import { GAPS_LIMIT, RECENT_LIMIT, StatusKeeper } from '../../../../electron/core/watch/status-keeper.js';

const OUTCOMES: WatchOutcome[] = ['accepted', 'quarantined', 'rejected', 'heartbeat', 'failed'];

describe('StatusKeeper', () => {
  it('counts every outcome and keeps only the newest 50 records and 100 channel findings', () => {
    const keeper = new StatusKeeper('/in', '/dest', '2026-12-03T00:00:00.000Z');
    for (let i = 0; i < 1000; i += 1) {
      keeper.record({ name: `b${i}`, outcome: OUTCOMES[i % 5]!, arrivedAt: '', finishedAt: '', bundleUuid: null, codes: [], movedTo: null, auditSeq: i });
      const finding: ChannelFinding = { code: 'CHANNEL_GAP', signer: 'S', channel: 'c', expected: i, received: i + 2, decision: 'warn', message: '' };
      keeper.findings([finding]);
    }
    const status = keeper.snapshot();
    expect(status.counts).toMatchObject({ accepted: 200, quarantined: 200, rejected: 200, heartbeats: 200, failed: 200 });
    expect(status.recent).toHaveLength(RECENT_LIMIT);
    expect(status.recent[0]?.name).toBe('b999');
    expect(status.lastBundle?.name).toBe('b999');
    expect(status.gaps).toHaveLength(GAPS_LIMIT);
    expect(status.gaps[0]?.expected).toBe(999);
    keeper.stopped();
    expect(keeper.snapshot().state).toBe('stopped');
  });

  it('lists each claim waiting for another import once (the latest try), and drops it when the claim settles', () => {
    const keeper = new StatusKeeper('/in', '/dest', '2026-12-03T00:00:00.000Z');
    const other = { id: 7, destination: '/dest/b', pid: 42, startedAt: '2026-12-03T00:00:00.000Z' };
    const wait = (tries: number) => ({ name: 'b', other, since: '2026-12-03T00:00:01.000Z', tries, nextTryAt: `2026-12-03T00:00:0${tries}.000Z` });
    keeper.waitingForImport('claim-1', wait(1));
    keeper.waitingForImport('claim-1', wait(2));
    keeper.waitingForImport('claim-2', { ...wait(1), name: 'c', other: null });
    expect(keeper.snapshot().importWaits).toEqual([wait(2), { ...wait(1), name: 'c', other: null }]);
    keeper.waitingForImport('claim-1', null);
    expect(keeper.snapshot().importWaits?.map((w) => w.name)).toEqual(['c']);
  });
});
