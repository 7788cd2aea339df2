/** Each configured sink's backlog (ForwardStatus, shared/forward.ts): `airlock audit forward --status`, the app's Inbox view. */
import type { ForwardSinkKind, ForwardStatus } from '../../../shared/forward.js';
import type { StationDb } from '../db/station-db.js';
import type { ForwardConfig } from '../home/forward-config.js';
import { headSeq, readCursor } from './forward-cursor.js';
import { sinkKey } from './forward-sink.js';

export function configuredSinks(config: ForwardConfig): Array<{ kind: ForwardSinkKind; target: string }> {
  const sinks: Array<{ kind: ForwardSinkKind; target: string }> = [];
  if (config.syslog !== undefined) sinks.push({ kind: 'syslog', target: config.syslog.url });
  if (config.jsonLines !== undefined) sinks.push({ kind: 'jsonLines', target: config.jsonLines.path });
  return sinks;
}

export function forwardStatusOf(db: StationDb, config: ForwardConfig | undefined): ForwardStatus {
  if (config === undefined) return { configured: false, sinks: [] };
  const head = headSeq(db);
  return {
    configured: true,
    sinks: configuredSinks(config).map(({ kind, target }) => {
      const cursor = readCursor(db, sinkKey(kind, target));
      return {
        kind,
        target,
        deliveredSeq: cursor.deliveredSeq,
        headSeq: head,
        backlog: Math.max(0, head - cursor.deliveredSeq),
        lastDeliveredAt: cursor.lastDeliveredAt,
        lastAttemptAt: cursor.lastAttemptAt,
        lastError: cursor.lastError,
      };
    }),
  };
}
