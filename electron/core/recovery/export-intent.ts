import { lstatSync } from 'node:fs';
import type { StationDb } from '../db/station-db.js';
import { AirlockError } from '../errors.js';
import { currentOwner, ownerColumns, type ProcessOwner } from './process-owner.js';
import { settlePendingIntent } from './settle-intent.js';

/**
 * The export intent: a row written (durably: synchronous=FULL) before an export may publish
 * anything, naming the path it will publish, the bundle's station and sequence number (which the
 * published bundle's bag-info carries, so a file found there after a crash is provably this
 * export's) and the owner process. It is settled in the same transaction as the export's audit
 * event; one left pending by a dead process is settled by recovery/reconcile.ts.
 */
export interface ExportIntentRequest {
  kind: 'folder' | 'media';
  name: string;
  sequence: number;
  station: string;
  /** The bundle's final path (on media: on the first volume). */
  path: string;
  operator: string;
  details: Record<string, unknown>;
  settleInterrupted?: () => void;
  /**
   * Runs inside the intent's transaction, after dead intents are settled and before the row is
   * written; what it returns is added to the details (a channel's sequence number is taken here,
   * channels/channel-send.ts). A throw writes no intent.
   */
  inTransaction?: (() => Record<string, unknown>) | undefined;
}

export function recordExportIntent(db: StationDb, request: ExportIntentRequest, owner: ProcessOwner = currentOwner()): number {
  const record = db.transaction((): number => {
    request.settleInterrupted?.();
    const other = db.prepare("SELECT id, owner_pid FROM export_intents WHERE status = 'pending' AND path = ?").get(request.path) as
      { id: number; owner_pid: number } | undefined;
    if (other)
      throw new AirlockError('OUTPUT_EXISTS', `${request.path} is being written by another export now (process ${other.owner_pid}).`, { path: request.path });
    let exists = true;
    try {
      lstatSync(request.path);
    } catch {
      exists = false;
    }
    if (exists) throw new AirlockError('OUTPUT_EXISTS', request.path, { path: request.path });
    const details = { ...request.details, ...request.inTransaction?.() };
    const info = db
      .prepare(
        `INSERT INTO export_intents (kind, bundle_name, sequence, station, path, status, operator, details, owner_pid, owner_host, owner_boot, owner_start, started_at)
         VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        request.kind,
        request.name,
        request.sequence,
        request.station,
        request.path,
        request.operator,
        JSON.stringify(details),
        ...ownerColumns(owner),
        new Date().toISOString(),
      );
    return Number(info.lastInsertRowid);
  });
  return record.immediate();
}

export function settleExportIntent(db: StationDb, id: number, status: 'exported' | 'failed', recovered = false): void {
  settlePendingIntent(db, 'export_intents', id, status, recovered);
}
