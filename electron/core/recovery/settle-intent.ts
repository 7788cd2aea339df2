import type { StationDb } from '../db/station-db.js';

/** The tables whose rows an operation writes before it acts and settles with its audit event (export-intent.ts, feed-intent.ts). */
export type IntentTable = 'export_intents' | 'feed_intents';

/**
 * Settle a pending intent: its final status, when, and whether recovery (not the operation itself)
 * settled it. A row already settled is left as it is, so a late second settle changes nothing.
 */
export function settlePendingIntent(db: StationDb, table: IntentTable, id: number, status: string, recovered: boolean): void {
  db.prepare(`UPDATE ${table} SET status = ?, resolved_at = ?, recovered = ? WHERE id = ? AND status = 'pending'`).run(
    status,
    new Date().toISOString(),
    recovered ? 1 : 0,
    id,
  );
}
