import { randomBytes } from 'node:crypto';
import { jsonText } from '../../../shared/display-text.js';
import { lstat, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { WatchBundleRecord } from '../../../shared/watch.js';
import { errnoOf } from '../errors.js';
import { fsyncDirectory, writeFileDurably } from '../fs/durable.js';
import { currentOwner, type ProcessOwner } from '../recovery/process-owner.js';
import type { InboxLayout } from './inbox-layout.js';
import type { ReadyBundle } from './inbox-plan.js';

/**
 * The watcher's journal is its working folder: one folder per claim under INBOX/.airlock-watch/,
 * and which files it holds says how far the claim got (docs/watch.md "Restart"). No database
 * table: the state must move with the bundle by rename, and a rename cannot be in one
 * transaction with a row. Steps, each durable before the next:
 *
 *   1. claim.json (who claims what: the home, the owner process, the files)   -> claim made
 *   2. the primary file renamed in from the inbox (the rename decides between watchers),
 *      then the other files of the bundle                                       -> claim taken
 *   3. the import (its own ledger row and audit event commit together)
 *   4. report.json (the import's report), then outcome.json                     -> decided
 *   5. the whole folder renamed into accepted/ or quarantine/                   -> done
 *
 * A claim whose owner died is finished by the next watcher of the same home: before step 2 it is
 * dropped (the bundle is still in the inbox), between 2 and 4 the station's ledger tells whether
 * step 3 committed (then it is not imported again), after 4 only the rename is left.
 */
export const CLAIM_FILE = 'claim.json';
export const REPORT_FILE = 'report.json';
export const OUTCOME_FILE = 'outcome.json';

export interface ClaimRecord {
  version: 1;
  id: string;
  /** The station home (real path) whose watcher made the claim: only that home's watchers finish it. */
  home: string;
  owner: ProcessOwner;
  kind: ReadyBundle['kind'];
  name: string;
  /** The file imported; moved first. */
  primary: string;
  others: string[];
  /** When the bundle was seen complete in the inbox (ISO 8601). */
  arrivedAt: string;
}

export interface Claim {
  dir: string;
  record: ClaimRecord;
}

export function newClaimId(): string {
  return `c-${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * Claim a ready bundle: null when another watcher (or the sender) took the primary file first.
 * The primary's rename is the decision; after it, the bundle's other files follow (one already
 * gone is skipped: the import reports what is missing).
 */
export async function claimReady(layout: InboxLayout, ready: ReadyBundle, home: string, arrivedAt: string): Promise<Claim | null> {
  const id = newClaimId();
  const dir = join(layout.work, id);
  await mkdir(dir, { mode: 0o700 });
  const record: ClaimRecord = {
    version: 1,
    id,
    home,
    owner: currentOwner(),
    kind: ready.kind,
    name: ready.name,
    primary: ready.primary,
    others: ready.others,
    arrivedAt,
  };
  try {
    await writeFileDurably(join(dir, CLAIM_FILE), `${JSON.stringify(record)}\n`, 0o600);
    // The claim folder's own entry in the working folder, durable before the bundle leaves the inbox:
    // on a file system that does not order metadata as ext4's journal does, a cut could otherwise keep
    // the inbox without the bundle and lose the folder it went to.
    await fsyncDirectory(layout.work);
    await rename(join(layout.inbox, ready.primary), join(dir, ready.primary));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    if (errnoOf(error) === 'ENOENT') return null;
    throw error;
  }
  await takeOthers(layout, { dir, record });
  return { dir, record };
}

/** Move the bundle's other files into the claim (again after a restart: those already moved are skipped). */
export async function takeOthers(layout: InboxLayout, claim: Claim): Promise<void> {
  for (const file of claim.record.others) {
    await rename(join(layout.inbox, file), join(claim.dir, file)).catch((error: unknown) => {
      if (errnoOf(error) !== 'ENOENT') throw error;
    });
  }
  await fsyncDirectory(claim.dir);
  await fsyncDirectory(layout.inbox);
}

/** Whether the claimed primary is still a plain file (never a link or folder swapped in between the scan and the rename). */
export async function primaryIsFile(claim: Claim): Promise<boolean> {
  const stats = await lstat(join(claim.dir, claim.record.primary)).catch(() => null);
  return stats?.isFile() === true;
}

export type ClaimState =
  /** Folder without a readable claim.json: made, never taken (killed between mkdir and step 1). */
  | { kind: 'empty'; dir: string }
  | { kind: 'made'; claim: Claim }
  | { kind: 'taken'; claim: Claim }
  | { kind: 'decided'; claim: Claim; outcome: WatchBundleRecord };

/** Every claim in the working folder and how far it got. */
export async function readClaims(layout: InboxLayout): Promise<ClaimState[]> {
  const names = await readdir(layout.work).catch((error: unknown) => {
    if (errnoOf(error) === 'ENOENT') return [] as string[];
    throw error;
  });
  const states: ClaimState[] = [];
  for (const name of names.sort()) {
    if (!/^c-[0-9a-z]+-\d+-[0-9a-f]{8}$/u.test(name)) continue;
    states.push(await claimState(join(layout.work, name)));
  }
  return states;
}

async function claimState(dir: string): Promise<ClaimState> {
  const record = await readJson<ClaimRecord>(join(dir, CLAIM_FILE));
  if (record?.version !== 1 || typeof record.primary !== 'string' || !Array.isArray(record.others)) return { kind: 'empty', dir };
  const claim = { dir, record };
  const outcome = await readJson<WatchBundleRecord>(join(dir, OUTCOME_FILE));
  if (outcome !== null && typeof outcome.outcome === 'string') return { kind: 'decided', claim, outcome };
  const primary = await lstat(join(dir, record.primary)).catch(() => null);
  return primary === null ? { kind: 'made', claim } : { kind: 'taken', claim };
}

async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Step 4: the report, then the outcome that decides where the folder goes. */
export async function decide(claim: Claim, report: unknown, outcome: WatchBundleRecord): Promise<void> {
  await writeFileDurably(join(claim.dir, REPORT_FILE), `${jsonText(report, 2)}\n`, 0o644);
  await writeFileDurably(join(claim.dir, OUTCOME_FILE), `${jsonText(outcome, 2)}\n`, 0o644);
}

/** The folder a decided claim ends in: unique per claim, named after the bundle so an operator finds it. */
export function finalFolder(layout: InboxLayout, claim: Claim, outcome: WatchBundleRecord['outcome']): string {
  const parent = outcome === 'accepted' || outcome === 'heartbeat' ? layout.accepted : layout.quarantine;
  return join(parent, `${claim.record.name}.${claim.record.id}`);
}

/** Step 5: one rename moves the bundle, its report and the journal together. */
export async function finish(layout: InboxLayout, claim: Claim, outcome: WatchBundleRecord): Promise<void> {
  const target = outcome.movedTo ?? finalFolder(layout, claim, outcome.outcome);
  await rename(claim.dir, target);
  await fsyncDirectory(layout.work);
  await fsyncDirectory(join(target, '..'));
}

/** Drop a claim that never took its bundle (the bundle is still in the inbox, or another watcher has it). */
export async function dropClaim(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
