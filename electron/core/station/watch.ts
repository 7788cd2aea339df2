import { mkdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { WatchBundleRecord, WatchStatus } from '../../../shared/watch.js';
import { AirlockError, errnoOf } from '../errors.js';
import { acquireWatchLock, readWatchStatuses, statusPath } from '../watch/status-file.js';
import type { PriorImport } from '../watch/process-claim.js';
import { runWatcher } from '../watch/watcher.js';
import { runAudited } from './audited-operation.js';
import type { StationContext } from './context.js';
import { importInto } from './import.js';
import { cleanLeftoverStaging } from '../import/staging.js';
import { checkHeartbeatAlarms } from '../channels/heartbeat-alarms.js';
import { forwardStatus, runForwarder } from './station-forward.js';
import { defaultRenderMode } from '../receipts/pdf-render-host.js';
import { WarmPdfRenderer } from '../receipts/pdf-render-warm.js';

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
    // A watcher killed after an import committed (or was refused) finishes that claim at the next
    // start from the ledger, without an import into DEST, so without the sweep every import does
    // first: the dead import's staging folder would stay. The same sweep, once, here (only folders
    // whose owner is provably dead go; fault harness, kill-watch).
    for (const dir of (await cleanLeftoverStaging(dest)).removed) request.onTrouble?.(`removed ${dir}, left by an interrupted import`);
    let final: WatchStatus | null = null;
    let reason = 'signal';
    // config.json's `forward` section: the audit log goes to the SIEM from this process too (resolves at once without one).
    const forwarding = new AbortController();
    const forwarder = runForwarder(context, {
      signal: forwarding.signal,
      onChange: (kind, target, change) => {
        if (change.kind === 'failed' && change.failures === 1)
          request.onTrouble?.(`audit forwarding to ${kind} ${target} failed: ${change.error} (kept in the outbox, retried)`);
        if (change.kind === 'recovered') request.onTrouble?.(`audit forwarding to ${kind} ${target} works again`);
      },
    }).catch((error: unknown) => request.onTrouble?.(`audit forwarding stopped: ${error instanceof Error ? error.message : String(error)}`));
    // One receipt renderer for the whole watch (pdf-render-warm.ts): starting a fresh one per bundle was most of a small bundle's time.
    // Only where the renderer is a child process: inside Electron each import starts its own thread early (pdf-render-early.ts).
    const pdfRenderer = defaultRenderMode() === 'process' ? new WarmPdfRenderer() : undefined;
    try {
      final = await runWatcher(
        {
          home,
          // The claim folder is the whole set: a split bundle's parts never come from inserted media.
          importBundle: (bundlePath, signal) =>
            importInto(context, {
              bundlePath,
              destDir: dest,
              signal,
              passphrase: request.passphrase,
              onlyBesideBundle: true,
              pdfRenderer,
              // A try while another process imports the bundle waits (process-claim.ts): no rejection recorded for it.
              deferWhileImported: true,
            }),
          priorImport: (bundlePath) => priorImport(context, bundlePath),
          importedOnStation: (tagmanifestSha256, bundleUuid) => importedOnStation(context, tagmanifestSha256, bundleUuid),
          checkAlarms: () => checkHeartbeatAlarms(context),
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
      pdfRenderer?.close();
      const stopped = { inbox, dest, pid: process.pid, reason, counts: final?.counts ?? null };
      await runAudited(context, {
        type: 'watch-stop',
        failureDetails: 'not recorded',
        run: async () => stopped,
        succeeded: () => ({ outcome: 'ok', details: stopped }),
      }).catch(() => undefined);
      await drainForwarding(context);
      forwarding.abort();
      await forwarder;
    }
  } finally {
    await release();
  }
}

/**
 * Give the forwarder a moment (at most 3 s) to deliver the last events, watch-stop included, before
 * it is stopped: what it cannot deliver now stays in the outbox for the next forwarder.
 */
async function drainForwarding(context: StationContext): Promise<void> {
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    const status = await forwardStatus(context).catch(() => null);
    if (status === null || !status.configured || status.sinks.every((sink) => sink.backlog === 0 || sink.lastError !== null)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
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
  // Checked before anything is made: a destination that would lie inside the inbox is never created.
  const dest = await realPathOf(request.destDir);
  const home = await realpath(context.paths.root);
  for (const [a, b, what] of [
    [inbox, dest, 'the destination'],
    [inbox, home, 'the station home'],
  ] as const) {
    if (inside(a, b) || inside(b, a)) throw invalid(`The inbox and ${what} overlap (${b}).`);
  }
  await mkdir(dest, { recursive: true });
  return { inbox, dest, home };
}

/** The real path of `path`, which need not exist yet: its nearest existing ancestor resolved, the rest appended. */
async function realPathOf(path: string): Promise<string> {
  const absolute = resolve(path);
  try {
    return await realpath(absolute);
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT' || dirname(absolute) === absolute) throw error;
    return join(await realPathOf(dirname(absolute)), basename(absolute));
  }
}

interface ImportRow {
  destination: string;
  bundle_uuid: string | null;
  tagmanifest_sha256: string;
}

interface EventRow {
  seq: number;
  type: string;
  outcome: string;
  problem_codes: string;
  bundle_uuid: string | null;
  tagmanifest_sha256: string | null;
  quarantined: number | null;
}

/** An import of this bundle (same signed tag manifest, or same UUID) that stands on this station. */
function importedOnStation(context: StationContext, tagmanifestSha256: string | null, bundleUuid: string | null): boolean {
  return (
    context
      .database()
      .prepare("SELECT 1 FROM imports WHERE status = 'imported' AND (tagmanifest_sha256 = ? OR bundle_uuid = ?) LIMIT 1")
      .get(tagmanifestSha256, bundleUuid) !== undefined
  );
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
      `SELECT seq, type, outcome, problem_codes, bundle_uuid, tagmanifest_sha256, json_extract(details, '$.quarantine.kept') AS quarantined FROM audit_events
        WHERE type IN ('import', 'heartbeat') AND outcome IN ('ok', 'rejected') AND json_extract(details, '$.bundlePath') = ? ORDER BY seq DESC LIMIT 1`,
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
  if (event?.type === 'heartbeat' && event.outcome === 'ok') return { kind: 'heartbeat', auditSeq: event.seq, bundleUuid: event.bundle_uuid };
  const codes = event ? (JSON.parse(event.problem_codes) as string[]) : [];
  // A refusal as a replay of an import that does not stand (another process's import in progress, since died): not an outcome.
  if (
    event?.outcome === 'rejected' &&
    codes.length > 0 &&
    codes.every((c) => c === 'REPLAY') &&
    !importedOnStation(context, event.tagmanifest_sha256, event.bundle_uuid)
  )
    return null;
  if (event?.outcome === 'rejected')
    return {
      kind: 'refused',
      auditSeq: event.seq,
      quarantined: event.quarantined === 1,
      codes,
      bundleUuid: event.bundle_uuid,
    };
  return null;
}
