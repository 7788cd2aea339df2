import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { pidGone } from '../fs/process-owner.js';
import type { HeartbeatAlarm } from '../../../shared/channels.js';
import type { WatchBundleRecord, WatchStatus } from '../../../shared/watch.js';
import { errnoOf, toAirlockError } from '../errors.js';
import { fsyncDirectory } from '../fs/durable.js';
import { ownerState } from '../recovery/process-owner.js';
import { claimReady, dropClaim, finish, readClaims, takeOthers, type Claim } from './claim-folder.js';
import { inboxLayout, type InboxLayout } from './inbox-layout.js';
import { planInbox } from './inbox-plan.js';
import { scanInbox, SettleTracker } from './inbox-scan.js';
import { processClaim, type WatchPort } from './process-claim.js';
import { refuseEntry } from './refuse-entry.js';
import { StatusKeeper } from './status-keeper.js';
import { previousFindings, writeStatusFile } from './status-file.js';

export interface WatcherOptions {
  /** Real paths. */
  inbox: string;
  dest: string;
  statusFile: string;
  /** A file is complete once unchanged this long (or given a newer `.done` marker). */
  settleMs: number;
  /** Look at the inbox at least this often (fs.watch wakes the watcher sooner). */
  rescanMs: number;
  statusEveryMs: number;
  alarmEveryMs: number;
  /** Aborted by SIGTERM/SIGINT: no new bundle is taken, the current import is cancelled (its claim stays for the next start). */
  signal: AbortSignal;
  /** Each outcome as it is decided (the CLI prints a line). */
  onOutcome?: ((record: WatchBundleRecord) => void) | undefined;
  /** Something went wrong that the watcher survives (a failed scan, a claim to retry). */
  onTrouble?: ((message: string) => void) | undefined;
}

export interface WatcherPort extends WatchPort {
  /** Heartbeat alarms standing now (channels); checked every alarmEveryMs. */
  checkAlarms(): Promise<HeartbeatAlarm[]>;
}

const MAX_BACKOFF_MS = 5 * 60_000;

interface Retry {
  claim: Claim;
  attempts: number;
  nextAt: number;
  /** Set while the claim waits for another process's import of its bundle. */
  waitingSince?: string | undefined;
}

/**
 * The watcher's loop (docs/watch.md): finish what a dead watcher of this home left in the
 * working folder, then repeatedly: one scan of the inbox, move aside what is not a bundle, and
 * take the complete bundles oldest first, one claim at a time, each through the station's import.
 * Thousands queued are taken from that one scan; the folder is looked at again when the queue is
 * done (fs.watch, or every rescanMs). A bundle that fails for an I/O reason stays claimed and is
 * tried again with backoff; nothing is dropped.
 */
export async function runWatcher(port: WatcherPort, options: WatcherOptions): Promise<WatchStatus> {
  const layout = inboxLayout(options.inbox);
  for (const dir of [layout.work, layout.accepted, layout.quarantine, layout.refused]) await mkdir(dir, { recursive: true, mode: 0o755 });
  // Their entries in the inbox, durable before the first claim moves a bundle into one of them (once per start).
  await fsyncDirectory(layout.inbox);
  const keeper = new StatusKeeper(options.inbox, options.dest, new Date().toISOString());
  // Findings are history, not counts: those the last watcher of this inbox reported stay in view after a restart.
  const previous = await previousFindings(options.statusFile);
  keeper.findings([...previous.findings].reverse());
  const tracker = new SettleTracker(options.settleMs);
  const retries = new Map<string, Retry>();
  const trouble = (message: string): void => options.onTrouble?.(message);
  // Said, not skipped silently: open channel gaps the last watcher reported may be missing from this status (the next write replaces the file).
  if (previous.damaged !== null)
    trouble(
      `status file ${options.statusFile} ${previous.damaged} (a crash or power cut while it was written?): channel findings reported before this start are not carried over; \`airlock audit list\` has them`,
    );
  let pauseUntil = 0;
  let lastAlarmCheck = 0;

  let writing: Promise<void> = Promise.resolve();
  const writeStatus = (): Promise<void> => {
    writing = writing.then(() => writeStatusFile(options.statusFile, keeper.snapshot()).catch((e: unknown) => trouble(`status file: ${String(e)}`)));
    return writing;
  };
  const timer = setInterval(() => void writeStatus(), options.statusEveryMs);
  timer.unref();

  let wake: (() => void) | null = null;
  let woken: boolean | undefined;
  const nudge = (): void => {
    woken = true;
    wake?.();
  };
  const watcher = watchFolder(options.inbox, nudge);
  options.signal.addEventListener('abort', nudge, { once: true });

  const settle = (claim: Claim, result: Awaited<ReturnType<typeof processClaim>>, previous: Retry | undefined): void => {
    if (result.kind !== 'busy') keeper.waitingForImport(claim.record.id, null);
    switch (result.kind) {
      case 'done':
        retries.delete(claim.record.id);
        keeper.record(result.record);
        keeper.findings(result.findings);
        options.onOutcome?.(result.record);
        return;
      case 'cancelled':
        return;
      case 'busy': {
        // Not a failure of this station: no FAILED line, no pause of other claims; tried again soon.
        const attempts = (previous?.attempts ?? 0) + 1;
        const nextAt = Date.now() + Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempts - 1, 6));
        const waitingSince = previous?.waitingSince ?? new Date().toISOString();
        retries.set(claim.record.id, { claim, attempts, nextAt, waitingSince });
        keeper.waitingForImport(claim.record.id, {
          name: claim.record.name,
          other: result.other,
          since: waitingSince,
          tries: attempts,
          nextTryAt: new Date(nextAt).toISOString(),
        });
        if (attempts === 1) trouble(`${claim.record.name}: another process is importing this bundle right now; tried again when it has finished`);
        return;
      }
      case 'failed': {
        const attempts = (previous?.attempts ?? 0) + 1;
        const nextAt = Date.now() + Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempts, 20));
        retries.set(claim.record.id, { claim, attempts, nextAt });
        if (result.storage) pauseUntil = nextAt;
        if (attempts === 1) {
          const record: WatchBundleRecord = {
            name: claim.record.name,
            outcome: 'failed',
            arrivedAt: claim.record.arrivedAt,
            finishedAt: new Date().toISOString(),
            bundleUuid: null,
            codes: [result.error.code],
            movedTo: null,
            auditSeq: null,
          };
          keeper.record(record);
          options.onOutcome?.(record);
        }
        trouble(`${claim.record.name}: ${result.error.code} ${result.error.message} (try ${attempts}; again in ${Math.round((nextAt - Date.now()) / 1000)} s)`);
        return;
      }
    }
  };

  const run = async (claim: Claim, recovered: boolean): Promise<void> => {
    const previous = retries.get(claim.record.id);
    keeper.working(claim.record.name);
    try {
      const result = await processClaim(layout, claim, port, options.signal, recovered || previous !== undefined);
      settle(claim, result, previous);
    } catch (thrown) {
      // The report or the final move failed (a full inbox disk): the claim stays; the retry finds the import in the ledger.
      settle(claim, { kind: 'failed', error: toAirlockError(thrown), storage: true }, previous);
    } finally {
      keeper.working(null);
    }
    await writeStatus();
  };

  try {
    await writeStatus();
    await recoverClaims(layout, port, run, trouble, (record) => {
      keeper.record(record);
      options.onOutcome?.(record);
    });
    while (!options.signal.aborted) {
      woken = false;
      const worked = await oneRound();
      if (!worked && !woken && !options.signal.aborted)
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, options.rescanMs);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
      wake = null;
    }
  } finally {
    clearInterval(timer);
    watcher?.close();
    keeper.stopped();
    await writeStatus();
  }
  return keeper.snapshot();

  async function oneRound(): Promise<boolean> {
    let worked = false;
    const now = Date.now();
    if (now - lastAlarmCheck >= options.alarmEveryMs) {
      lastAlarmCheck = now;
      try {
        keeper.standingAlarms(await port.checkAlarms());
      } catch (e) {
        trouble(`heartbeat alarms: ${String(e)}`);
      }
    }
    for (const retry of [...retries.values()]) {
      if (options.signal.aborted) return worked;
      if (retry.nextAt > Date.now()) continue;
      await run(retry.claim, true);
      worked = true;
    }
    let entries;
    try {
      entries = await scanInbox(options.inbox);
    } catch (error) {
      trouble(`inbox unreadable: ${errnoOf(error) ?? String(error)}`);
      return worked;
    }
    tracker.observe(entries, Date.now());
    const plan = await planInbox(options.inbox, entries, tracker, Date.now());
    for (const entry of plan.refuse) {
      if (options.signal.aborted) return worked;
      try {
        const record = await refuseEntry(layout, entry, new Date());
        if (record) {
          keeper.record(record);
          options.onOutcome?.(record);
        }
      } catch (error) {
        trouble(`could not move aside ${JSON.stringify(entry.name)}: ${errnoOf(error) ?? String(error)}`);
      }
    }
    keeper.inboxNow(plan.ready.length, plan.arriving, plan.waiting);
    for (const [i, ready] of plan.ready.entries()) {
      if (options.signal.aborted || Date.now() < pauseUntil) break;
      keeper.inboxNow(plan.ready.length - i - 1, plan.arriving);
      let claim: Claim | null;
      try {
        claim = await claimReady(layout, ready, port.home, new Date().toISOString());
      } catch (error) {
        trouble(`could not claim ${ready.primary}: ${errnoOf(error) ?? String(error)}`);
        pauseUntil = Date.now() + options.rescanMs;
        break;
      }
      if (claim === null) continue; // another watcher took it
      worked = true;
      await run(claim, false);
    }
    return worked;
  }
}

/** fs.watch on the inbox wakes the loop early; where it is unavailable the periodic rescan is enough. */
function watchFolder(dir: string, onChange: () => void): FSWatcher | null {
  try {
    const watcher = watch(dir, { persistent: false }, onChange);
    watcher.on('error', () => undefined);
    return watcher;
  } catch {
    return null;
  }
}

/**
 * Claims a dead watcher of this home left: dropped before the bundle was taken, finished after
 * (and counted in this watcher's status, like the bundles it takes itself). Claims of another
 * home, or of a live process, are left alone.
 */
async function recoverClaims(
  layout: InboxLayout,
  port: WatchPort,
  run: (claim: Claim, recovered: boolean) => Promise<void>,
  trouble: (message: string) => void,
  finished: (record: WatchBundleRecord) => void,
): Promise<void> {
  for (const state of await readClaims(layout)) {
    try {
      if (state.kind === 'empty') {
        // No claim.json yet: the folder's name carries its maker's pid. Only a gone maker's is dropped:
        // a live watcher (of any home) may be about to write claim.json and move a bundle in.
        const pid = Number(/^c-[0-9a-z]+-(\d+)-/u.exec(basename(state.dir))?.[1]);
        const left = await readdir(state.dir).catch(() => [] as string[]);
        const age = Date.now() - ((await stat(state.dir).catch(() => null))?.mtimeMs ?? Date.now());
        const gone = (Number.isInteger(pid) && pid !== process.pid && pidGone(pid)) || age > 60_000;
        if (gone && left.every((name) => name.startsWith('.'))) await dropClaim(state.dir);
        continue;
      }
      const { claim } = state;
      if (claim.record.home !== port.home || ownerState(claim.record.owner) !== 'dead') continue;
      if (state.kind === 'made') await dropClaim(claim.dir);
      else if (state.kind === 'decided') {
        // Decided by a watcher killed before the move: this one moves it, and counts it (the dead one never did).
        await finish(layout, claim, state.outcome);
        finished(state.outcome);
      } else {
        await takeOthers(layout, claim);
        await run(claim, true);
      }
    } catch (error) {
      trouble(`could not finish an earlier claim in ${state.kind === 'empty' ? state.dir : state.claim.dir}: ${errnoOf(error) ?? String(error)}`);
    }
  }
}
