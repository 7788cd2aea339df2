import { mkdir, realpath, stat } from 'node:fs/promises';
import { relative, isAbsolute } from 'node:path';
import type { WatchBundleRecord, WatchStatus } from '../../../shared/watch.js';
import { AirlockError, errnoOf } from '../errors.js';
import { acquireWatchLock, readWatchStatuses, statusPath } from '../watch/status-file.js';
import type { PriorImport } from '../watch/process-claim.js';
import { runWatcher } from '../watch/watcher.js';
import { runAudited } from './audited-operation.js';
import type { StationContext } from './context.js';
import { importInto } from './import.js';

export interface WatchRequest {
  inbox: string;
  destDir: string;
  /** Seconds a file must stay unchanged to count as complete (default 5). */
  settleSeconds?: number | undefined;
  /** Seconds between looks at the inbox when fs.watch says nothing (default 2). */
  rescanSeconds?: number | undefined;
  /** Seconds between heartbeat-alarm checks (default 60). */
  alarmSeconds?: number | undefined;
  /** Unlocks the station key to sign receipts and checkpoints; without it they stay unsigned. */
  passphrase?: string | undefined;
  /** SIGTERM/SIGINT: stop taking bundles, cancel the current import, write `stopped`. */
  signal: AbortSignal;
  onOutcome?: ((record: WatchBundleRecord) => void) | undefined;
  onTrouble?: ((message: string) => void) | undefined;
}

/**
 * `airlock watch INBOX --dest DIR` (issue #17.2, docs/watch.md): one station, opened once, imports
 * what arrives in the inbox until the signal stops it. Recorded as watch-start and watch-stop.
 */
export async function watchInbox(context: StationContext, request: WatchRequest): Promise<WatchStatus> {
  const { inbox, dest, home } = await checkedFolders(context, request);
  const release = await acquireWatchLock(context.paths.root, inbox);
  try {
    const started = { inbox, dest, pid: process.pid };
    await runAudited(context, {
      type: 'watch-start',
      failureDetails: 'not recorded',
      run: async () => started,
      succeeded: () => ({ outcome: 'ok', details: started }),
    });
    let final: WatchStatus | null = null;
    let reason = 'signal';
    try {
      final = await runWatcher(
        {
          home,
          importBundle: (bundlePath, signal) => importInto(context, { bundlePath, destDir: dest, signal, passphrase: request.passphrase }),
          priorImport: (bundlePath) => priorImport(context, bundlePath),
          checkAlarms: () => [],
        },
        {
          inbox,
          dest,
          statusFile: statusPath(context.paths.root, inbox),
          settleMs: (request.settleSeconds ?? 5) * 1000,
          rescanMs: (request.rescanSeconds ?? 2) * 1000,
          statusEveryMs: 2000,
          alarmEveryMs: (request.alarmSeconds ?? 60) * 1000,
          signal: request.signal,
          onOutcome: request.onOutcome,
          onTrouble: request.onTrouble,
        },
      );
      return final;
    } catch (error) {
      reason = `error: ${error instanceof Error ? error.message : String(error)}`;
      throw error;
    } finally {
      const stopped = { inbox, dest, pid: process.pid, reason, counts: final?.counts ?? null };
      await runAudited(context, {
        type: 'watch-stop',
        failureDetails: 'not recorded',
        run: async () => stopped,
        succeeded: () => ({ outcome: 'ok', details: stopped }),
      }).catch(() => undefined);
    }
  } finally {
    await release();
  }
}

/** What this home's watchers last wrote: running, stopped, or dead (its process is gone). */
export function watchStatuses(context: StationContext): WatchStatus[] {
  return readWatchStatuses(context.paths.root);
}

function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The inbox must be an existing folder; inbox, destination and home apart (neither inside another). */
async function checkedFolders(context: StationContext, request: WatchRequest): Promise<{ inbox: string; dest: string; home: string }> {
  const invalid = (detail: string): AirlockError => new AirlockError('WATCH_INBOX_INVALID', detail, { path: request.inbox });
  let inbox: string;
  try {
    inbox = await realpath(request.inbox);
    if (!(await stat(inbox)).isDirectory()) throw invalid(`${request.inbox} is not a folder.`);
  } catch (error) {
    if (error instanceof AirlockError) throw error;
    throw invalid(`${request.inbox}: ${errnoOf(error) === 'ENOENT' ? 'no such folder' : (errnoOf(error) ?? String(error))}.`);
  }
  await mkdir(request.destDir, { recursive: true });
  const dest = await realpath(request.destDir);
  const home = await realpath(context.paths.root);
  for (const [a, b, what] of [
    [inbox, dest, 'the destination'],
    [inbox, home, 'the station home'],
  ] as const) {
    if (inside(a, b) || inside(b, a)) throw invalid(`The inbox and ${what} overlap (${b}).`);
  }
  return { inbox, dest, home };
}

interface ImportRow {
  destination: string;
  bundle_uuid: string | null;
  tagmanifest_sha256: string;
}

interface EventRow {
  seq: number;
  outcome: string;
  problem_codes: string;
  bundle_uuid: string | null;
  quarantined: number | null;
}

/**
 * The import a claim's bundle path already has on record: committed (the ledger row settled
 * 'imported', by the import itself or by recovery at open), or refused (its audit event). A
 * failed or cancelled import is not an outcome: the claim is imported again.
 */
function priorImport(context: StationContext, bundlePath: string): PriorImport | null {
  const db = context.database();
  const imported = db
    .prepare("SELECT destination, bundle_uuid, tagmanifest_sha256 FROM imports WHERE bundle_path = ? AND status = 'imported' ORDER BY id DESC LIMIT 1")
    .get(bundlePath) as ImportRow | undefined;
  const event = db
    .prepare(
      `SELECT seq, outcome, problem_codes, bundle_uuid, json_extract(details, '$.quarantine.kept') AS quarantined FROM audit_events
        WHERE type = 'import' AND outcome IN ('ok', 'rejected') AND json_extract(details, '$.bundlePath') = ? ORDER BY seq DESC LIMIT 1`,
    )
    .get(bundlePath) as EventRow | undefined;
  if (imported)
    return {
      kind: 'imported',
      auditSeq: event?.outcome === 'ok' ? event.seq : null,
      destination: imported.destination,
      bundleUuid: imported.bundle_uuid,
      tagmanifestSha256: imported.tagmanifest_sha256,
    };
  if (event?.outcome === 'rejected')
    return {
      kind: 'refused',
      auditSeq: event.seq,
      quarantined: event.quarantined === 1,
      codes: JSON.parse(event.problem_codes) as string[],
      bundleUuid: event.bundle_uuid,
    };
  return null;
}
