import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChannelFinding } from '../../../shared/channels.js';
import type { WatchStatus } from '../../../shared/watch.js';
import { AirlockError, errnoOf } from '../errors.js';
import { writeFileDurably } from '../fs/durable.js';
import { sweepDeadTemps } from '../fs/owned-temp.js';
import { currentOwner, ownerState, type ProcessOwner } from '../recovery/process-owner.js';

/**
 * The watcher's status file and lock live in the station home (HOME/watch/), one pair per inbox,
 * keyed by the inbox's real path: `airlock watch --status` and the app read them without asking
 * the watcher anything, and a second watcher of this home on the same inbox is refused.
 */
export function watchFolder(homeRoot: string): string {
  return join(homeRoot, 'watch');
}

export function inboxKey(realInbox: string): string {
  return createHash('sha256').update(realInbox).digest('hex').slice(0, 16);
}

interface LockFile {
  inbox: string;
  owner: ProcessOwner;
}

/** The status file as written: the status plus the owner that tells `dead` from `running` later. */
interface StatusFile extends WatchStatus {
  owner?: ProcessOwner;
}

/**
 * Take this home's lock on the inbox: WATCH_ALREADY_RUNNING while a live process holds it. A lock
 * whose owner provably died (kill -9, power cut) is moved away and taken over.
 */
export async function acquireWatchLock(homeRoot: string, realInbox: string): Promise<() => Promise<void>> {
  const dir = watchFolder(homeRoot);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // A status file's temp copy a killed watcher left (writeStatusFile): its writer is provably gone.
  await sweepDeadTemps(dir, (final) => /^[0-9a-f]{16}\.json$/u.test(final));
  const path = join(dir, `${inboxKey(realInbox)}.lock`);
  const mine: LockFile = { inbox: realInbox, owner: currentOwner() };
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      await writeFile(path, `${JSON.stringify(mine)}\n`, { flag: 'wx', mode: 0o600 });
      return async () => {
        const held = await readLock(path);
        if (held !== null && samePid(held.owner, mine.owner)) await unlink(path).catch(() => undefined);
      };
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST') throw error;
    }
    const held = await readLock(path);
    if (held !== null && ownerState(held.owner) !== 'dead')
      throw new AirlockError('WATCH_ALREADY_RUNNING', `Process ${held.owner.pid} watches ${realInbox} for this station.`, {
        data: { pid: held.owner.pid, inbox: realInbox },
      });
    // Dead owner (or a lock torn by a crash while written): move it away, then try again.
    const stale = `${path}.stale-${randomBytes(4).toString('hex')}`;
    await rename(path, stale).then(
      () => unlink(stale).catch(() => undefined),
      () => undefined,
    );
  }
  throw new AirlockError('WATCH_ALREADY_RUNNING', `Another process keeps taking the lock on ${realInbox} for this station.`);
}

function samePid(a: ProcessOwner, b: ProcessOwner): boolean {
  return a.pid === b.pid && a.start === b.start && a.host === b.host;
}

async function readLock(path: string): Promise<LockFile | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as LockFile;
    return typeof parsed.owner?.pid === 'number' ? parsed : null;
  } catch {
    return null;
  }
}

export function statusPath(homeRoot: string, realInbox: string): string {
  return join(watchFolder(homeRoot), `${inboxKey(realInbox)}.json`);
}

/**
 * Readers see the old status or the new one, never a mix, and a power cut leaves one of them:
 * temp file, fsync, rename, folder fsync (fs/durable.ts). Without the fsyncs the first write (no
 * file to replace, so ext4's flush on rename-over does not apply) was left 0 bytes by a cut right
 * after the watcher started (fault harness, power-cut-watch seed 2 #4), and with it the channel
 * findings a restart carries over (previousFindings). Every 2 s: two small fsyncs.
 */
export async function writeStatusFile(path: string, status: WatchStatus): Promise<void> {
  const file: StatusFile = { ...status, owner: currentOwner() };
  await writeFileDurably(path, `${JSON.stringify(file, null, 2)}\n`, 0o644);
}

export interface PreviousFindings {
  findings: ChannelFinding[];
  /** Set when a status file is there but empty or unreadable: its findings are lost, and the operator is told. */
  damaged: string | null;
}

/** The channel findings the last watcher of this inbox reported (newest first): a restart must not make an open gap vanish from the status. */
export async function previousFindings(path: string): Promise<PreviousFindings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return { findings: [], damaged: null };
    return { findings: [], damaged: `cannot be read (${errnoOf(error) ?? String(error)})` };
  }
  let gaps: unknown;
  try {
    ({ gaps } = JSON.parse(text) as Partial<WatchStatus>);
  } catch {
    return { findings: [], damaged: text.length === 0 ? 'is empty' : `does not parse (${text.length} bytes)` };
  }
  if (!Array.isArray(gaps)) return { findings: [], damaged: 'has no list of channel findings' };
  return {
    findings: gaps.filter((g): g is ChannelFinding => typeof g === 'object' && g !== null && typeof (g as ChannelFinding).code === 'string'),
    damaged: null,
  };
}

/** Every watcher status in this home, newest first; `running` whose process is gone reads `dead`. */
export function readWatchStatuses(homeRoot: string): WatchStatus[] {
  let names: string[];
  try {
    names = readdirSync(watchFolder(homeRoot));
  } catch {
    return [];
  }
  const statuses: WatchStatus[] = [];
  for (const name of names) {
    if (!/^[0-9a-f]{16}\.json$/u.test(name)) continue;
    try {
      const { owner, ...status } = JSON.parse(readFileSync(join(watchFolder(homeRoot), name), 'utf8')) as StatusFile;
      if (typeof status.inbox !== 'string' || typeof status.state !== 'string') continue;
      if (status.state === 'running' && (owner === undefined || ownerState(owner) === 'dead')) status.state = 'dead';
      statuses.push(status);
    } catch {
      continue;
    }
  }
  return statuses.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
}
