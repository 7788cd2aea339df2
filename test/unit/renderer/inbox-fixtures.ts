/** Inbox overviews as main sends them (issue #17.4), for component and IPC tests: made-up stations, real shapes. */
import type { ChannelState, HeartbeatAlarm } from '../../../shared/channels.js';
import type { ForwardStatus } from '../../../shared/forward.js';
import type { InboxOverview } from '../../../shared/ipc.js';
import { PROBLEM_TEXT } from '../../../shared/problems.js';
import type { WatchBundleRecord, WatchStatus } from '../../../shared/watch.js';
import { FPR } from './fixtures.js';

export const CHECKED_AT = '2026-12-03T10:00:00.000Z';
/** A name a hostile sender chose: a bidi override that would turn "rat.exe" into "exe.tar", and an escape sequence. */
export const HOSTILE_NAME = 'invoice\u202Erat.exe\u001b[2J.airlock.tar';

export const accepted: WatchBundleRecord = {
  name: 'daily-0042.airlock.tar',
  outcome: 'accepted',
  arrivedAt: '2026-12-03T09:58:00.000Z',
  finishedAt: '2026-12-03T09:58:04.000Z',
  bundleUuid: '6f1c2d4e-0000-4000-8000-000000000042',
  codes: [],
  movedTo: '/srv/inbox/accepted/daily-0042.airlock.tar',
  auditSeq: 120,
};
export const quarantined: WatchBundleRecord = {
  ...accepted,
  name: HOSTILE_NAME,
  outcome: 'quarantined',
  finishedAt: '2026-12-03T09:59:00.000Z',
  bundleUuid: null,
  codes: ['CHECKSUM_MISMATCH'],
  movedTo: '/srv/inbox/quarantine/tampered.airlock.tar',
  auditSeq: 121,
};
export const failed: WatchBundleRecord = {
  ...accepted,
  name: 'big.airlock.tar',
  outcome: 'failed',
  finishedAt: '2026-12-03T09:59:30.000Z',
  codes: ['NO_SPACE', 'INBOX_ENTRY_REFUSED', 'SOMETHING_NEW'],
  movedTo: null,
  auditSeq: null,
};
export const heartbeat: WatchBundleRecord = { ...accepted, name: 'hb-0043.airlock.tar', outcome: 'heartbeat', finishedAt: '2026-12-03T09:59:40.000Z' };

export const alarm: HeartbeatAlarm = {
  signer: FPR,
  channel: 'diode-a',
  lastReceivedAt: '2026-12-03T08:00:00.000Z',
  intervalSeconds: 3600,
  overdueSeconds: 3600,
  checkedAt: CHECKED_AT,
};

export const running: WatchStatus = {
  state: 'running',
  pid: 4242,
  inbox: '/srv/inbox',
  dest: '/srv/imported',
  startedAt: '2026-12-03T08:00:00.000Z',
  updatedAt: '2026-12-03T09:59:58.000Z',
  current: { name: 'daily-0044.airlock.tar', phase: 'verifying', since: '2026-12-03T09:59:57.000Z' },
  lastBundle: heartbeat,
  counts: { accepted: 41, quarantined: 1, rejected: 0, heartbeats: 12, failed: 1, queued: 3, arriving: 1 },
  recent: [heartbeat, failed, quarantined, accepted],
  gaps: [
    {
      code: 'CHANNEL_GAP',
      signer: FPR,
      channel: 'diode-a',
      expected: 40,
      received: 42,
      decision: 'warn',
      message: `${PROBLEM_TEXT.CHANNEL_GAP.message} Sequence 40 to 41 did not arrive.`,
    },
  ],
  alarms: [],
};

export const dead: WatchStatus = { ...running, state: 'dead', inbox: '/srv/inbox-b', pid: 777, current: null, recent: [], gaps: [], lastBundle: null };
export const stale: WatchStatus = { ...running, updatedAt: '2026-12-03T09:40:00.000Z' };

export const channelOk: ChannelState = {
  signer: FPR,
  channel: 'feeds.daily',
  lastSequence: 17,
  lastTagManifestSha256: 'a'.repeat(64),
  lastReceivedAt: '2026-12-03T09:30:00.000Z',
  lastHeartbeatAt: '2026-12-03T09:30:00.000Z',
  missing: [],
  heartbeatIntervalSeconds: 3600,
  alarm: null,
};
export const channelGaps: ChannelState = {
  ...channelOk,
  channel: 'diode-a',
  lastSequence: 44,
  lastReceivedAt: '2026-12-03T08:00:00.000Z',
  lastHeartbeatAt: null,
  missing: [4, 7, 8, 9, 40, 41],
  alarm,
};

export const forwardBehind: ForwardStatus = {
  configured: true,
  sinks: [
    {
      kind: 'syslog',
      target: 'tls://siem.example:6514',
      deliveredSeq: 100,
      headSeq: 121,
      backlog: 21,
      lastDeliveredAt: '2026-12-03T09:50:00.000Z',
      lastAttemptAt: '2026-12-03T09:59:50.000Z',
      lastError: 'connect ECONNREFUSED 10.0.0.5:6514',
    },
    {
      kind: 'jsonLines',
      target: '/var/log/airlock/audit.ecs.jsonl',
      deliveredSeq: 121,
      headSeq: 121,
      backlog: 0,
      lastDeliveredAt: '2026-12-03T09:59:41.000Z',
      lastAttemptAt: '2026-12-03T09:59:41.000Z',
      lastError: null,
    },
  ],
};

export function overview(parts: Partial<Omit<InboxOverview, 'checkedAt'>> = {}): InboxOverview {
  return {
    checkedAt: CHECKED_AT,
    watchers: { state: 'available', value: [running] },
    channels: { state: 'available', value: [channelOk, channelGaps] },
    forward: { state: 'available', value: forwardBehind },
    ...parts,
  };
}
