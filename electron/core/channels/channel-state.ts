/**
 * What the receiving side knows of its channels (docs/channels.md): per signer and channel the
 * highest sequence, when anything last arrived, the numbers still missing, and whether the
 * channel has been silent for longer than its heartbeat interval. Read only.
 */
import type { ChannelState, HeartbeatAlarm } from '../../../shared/channels.js';
import type { StationDb } from '../db/station-db.js';
import { heartbeatIntervalFor, type ChannelPolicy } from '../policy/channel-policy.js';
import { MISSING_LIST_CAP } from './channel-receive.js';

export interface ReceiveRow {
  signer: string;
  channel: string;
  last_sequence: number;
  last_tagmanifest_sha256: string;
  last_received_at: string;
  last_heartbeat_at: string | null;
  alarm_raised_at: string | null;
}

export function receiveRows(db: StationDb): ReceiveRow[] {
  return db.prepare('SELECT * FROM channel_receive ORDER BY channel, signer').all() as ReceiveRow[];
}

/** Sequence numbers below the highest that never arrived (the first MISSING_LIST_CAP, ascending). */
export function missingNumbers(db: StationDb, signer: string, channel: string, cap = MISSING_LIST_CAP): number[] {
  // Each row is a gap: the numbers between the sequence before it (0 at the start) and it.
  const gaps = db
    .prepare(
      `SELECT sequence, before FROM (
         SELECT sequence, LAG(sequence, 1, 0) OVER (ORDER BY sequence) AS before FROM channel_seen WHERE signer = ? AND channel = ?
       ) WHERE sequence - before > 1 ORDER BY sequence LIMIT ?`,
    )
    .all(signer, channel, cap) as Array<{ sequence: number; before: number }>;
  const missing: number[] = [];
  for (const gap of gaps) {
    for (let n = gap.before + 1; n < gap.sequence && missing.length < cap; n += 1) missing.push(n);
    if (missing.length >= cap) break;
  }
  return missing;
}

/** The alarm a row is in at `now`: silent for longer than its interval. null when not overdue or without an interval. */
export function alarmFor(row: ReceiveRow, intervalSeconds: number | null, now: Date): HeartbeatAlarm | null {
  if (intervalSeconds === null) return null;
  const silentSeconds = (now.getTime() - Date.parse(row.last_received_at)) / 1000;
  if (!(silentSeconds > intervalSeconds)) return null;
  return {
    signer: row.signer,
    channel: row.channel,
    lastReceivedAt: row.last_received_at,
    intervalSeconds,
    overdueSeconds: Math.floor(silentSeconds - intervalSeconds),
    checkedAt: now.toISOString(),
  };
}

export function channelStates(db: StationDb, policy: ChannelPolicy, now: Date = new Date()): ChannelState[] {
  return receiveRows(db).map((row) => {
    const interval = heartbeatIntervalFor(policy, row.channel);
    return {
      signer: row.signer,
      channel: row.channel,
      lastSequence: row.last_sequence,
      lastTagManifestSha256: row.last_tagmanifest_sha256,
      lastReceivedAt: row.last_received_at,
      lastHeartbeatAt: row.last_heartbeat_at,
      missing: missingNumbers(db, row.signer, row.channel),
      heartbeatIntervalSeconds: interval,
      alarm: alarmFor(row, interval, now),
    };
  });
}
