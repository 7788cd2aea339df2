import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { appendAuditEvent } from '../audit/audit-store.js';
import type { StationDb } from '../db/station-db.js';
import type { StationIdentity } from '../home/station-config.js';
import { currentOwner, ownerColumns, type ProcessOwner } from './process-owner.js';
import { settlePendingIntent } from './settle-intent.js';

/**
 * The feed intent (issue #16.6): a row written before a feed import renames its first database
 * file into the scanner's folder, naming each file it will install with the staged copy's device
 * and inode (a rename keeps them, so a file found there after a crash is provably this feed's),
 * the database before, and the owner process. It is settled in the same transaction as the
 * `feed-import` audit event; one a dead process left pending is settled by recovery
 * (recovery/reconcile.ts, settleFeed below) from what the database folder shows:
 *
 * - every file in place -> `feed-import ok` (details.recovered; clamd was not told to reload);
 * - some -> `feed-import failed` INTERRUPTED, naming which are in place (each file is whole);
 * - none -> `feed-import failed` INTERRUPTED, the database as it was.
 */
export interface FeedIntentFile {
  name: string;
  /** The base name (`daily`): older containers of it (daily.cld for daily.cvd) are superseded. */
  base: string;
  version: number;
  signatures: number;
  builtAt: string;
  dev: string;
  ino: string;
}

export interface FeedIntentRequest {
  bundlePath: string;
  bundleName: string | null;
  bundleUuid: string | null;
  tagmanifestSha256: string | null;
  signers: string[];
  databaseDir: string;
  files: FeedIntentFile[];
  operator: string;
  /** What the event will carry besides (the database before, allowDowngrade). */
  details: Record<string, unknown>;
  settleInterrupted?: (() => void) | undefined;
}

export function recordFeedIntent(db: StationDb, request: FeedIntentRequest, owner: ProcessOwner = currentOwner()): number {
  const record = db.transaction((): number => {
    request.settleInterrupted?.();
    const info = db
      .prepare(
        `INSERT INTO feed_intents (bundle_path, bundle_name, bundle_uuid, tagmanifest_sha256, signers, database_dir, files, details, status, operator,
                                   owner_pid, owner_host, owner_boot, owner_start, started_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        request.bundlePath,
        request.bundleName,
        request.bundleUuid,
        request.tagmanifestSha256,
        JSON.stringify(request.signers),
        request.databaseDir,
        JSON.stringify(request.files),
        JSON.stringify(request.details),
        request.operator,
        ...ownerColumns(owner),
        new Date().toISOString(),
      );
    return Number(info.lastInsertRowid);
  });
  return record.immediate();
}

export function settleFeedIntent(db: StationDb, id: number, status: 'installed' | 'failed', recovered = false): void {
  settlePendingIntent(db, 'feed_intents', id, status, recovered);
}

export interface FeedIntentRow {
  id: number;
  bundle_path: string;
  bundle_name: string | null;
  bundle_uuid: string | null;
  tagmanifest_sha256: string | null;
  signers: string;
  database_dir: string;
  files: string;
  details: string;
  operator: string;
  owner_pid: number;
  owner_host: string;
  owner_boot: string | null;
  owner_start: string | null;
  started_at: string;
}

export function pendingFeedIntents(db: StationDb): FeedIntentRow[] {
  return db.prepare("SELECT * FROM feed_intents WHERE status = 'pending' ORDER BY id").all() as FeedIntentRow[];
}

function parseOr<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Whether `name` in the folder is the staged file this feed renamed there (same device and inode). */
function inPlace(dir: string, file: FeedIntentFile): boolean {
  try {
    const stats = lstatSync(join(dir, file.name), { bigint: true });
    return stats.isFile() && String(stats.dev) === file.dev && String(stats.ino) === file.ino;
  } catch {
    return false;
  }
}

/** The older containers of the installed bases (daily.cld once daily.cvd is in place), removed as the import would have. */
function removeSuperseded(dir: string, installed: readonly FeedIntentFile[]): string[] {
  const names = new Set(installed.map((f) => f.name));
  const bases = new Set(installed.map((f) => f.base));
  const removed: string[] = [];
  let all: string[];
  try {
    all = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of all) {
    const match = /^([A-Za-z0-9][A-Za-z0-9_-]{0,63})\.(cvd|cld|cud)$/u.exec(name);
    if (match?.[1] !== undefined && bases.has(match[1]) && !names.has(name)) {
      try {
        rmSync(join(dir, name), { force: true });
        removed.push(name);
      } catch {
        // Left for the next feed import: clamd loads the newest of both meanwhile.
      }
    }
  }
  return removed;
}

/** Settle a dead process's feed intent from the database folder, with its audit event (the caller's transaction). */
export function settleFeed(db: StationDb, identity: StationIdentity, row: FeedIntentRow, note: string): { recovered: boolean; seq: number } {
  const files = parseOr<FeedIntentFile[]>(row.files, []);
  const placed = files.filter((f) => inPlace(row.database_dir, f));
  const missing = files.filter((f) => !placed.includes(f));
  const complete = files.length > 0 && missing.length === 0;
  const details = {
    ...parseOr<Record<string, unknown>>(row.details, {}),
    recovered: true,
    note,
    intent: row.id,
    bundlePath: row.bundle_path,
    databaseDir: row.database_dir,
    startedAt: row.started_at,
    interruptedOperator: row.operator,
    interruptedProcess: row.owner_pid,
    installed: placed.map(({ name, version, signatures, builtAt }) => ({ name, version, signatures, builtAt })),
    notInstalled: missing.map((f) => f.name),
    reloaded: null,
    reloadNote: 'clamd was not told to reload: it loads the database in place at its next start or reload',
  };
  const common = {
    type: 'feed-import' as const,
    bundleUuid: row.bundle_uuid,
    bundleName: row.bundle_name,
    tagmanifestSha256: row.tagmanifest_sha256,
    signers: parseOr<string[]>(row.signers, []),
  };
  if (complete) {
    const superseded = removeSuperseded(row.database_dir, placed);
    settleFeedIntent(db, row.id, 'installed', true);
    const event = appendAuditEvent(db, identity, {
      ...common,
      outcome: 'ok',
      details: { ...details, superseded, databaseState: 'every file of the feed in place' },
    });
    return { recovered: true, seq: event.seq };
  }
  settleFeedIntent(db, row.id, 'failed', true);
  const state =
    placed.length === 0
      ? 'unchanged: the import stopped before moving a file into place'
      : `partly installed: ${placed.map((f) => f.name).join(', ')} in place (each whole), ${missing.map((f) => f.name).join(', ')} not`;
  const event = appendAuditEvent(db, identity, { ...common, outcome: 'failed', errorCode: 'INTERRUPTED', details: { ...details, databaseState: state } });
  return { recovered: false, seq: event.seq };
}
