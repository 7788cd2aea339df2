/**
 * The unattended inbox (`airlock watch INBOX --dest DIR`, issue #17; docs/watch.md): what its
 * status file holds, what `airlock watch --status` prints and the app's Inbox view shows.
 */
import type { ChannelFinding, HeartbeatAlarm } from './channels.js';
import type { ProblemCode } from './problems.js';

/** Where a bundle taken from the inbox ended. */
export type WatchOutcome = 'accepted' | 'quarantined' | 'rejected' | 'heartbeat' | 'failed';

export interface WatchBundleRecord {
  /** The bundle's file name as it arrived in the inbox (hostile text: shown escaped). */
  name: string;
  outcome: WatchOutcome;
  /** When it was seen complete in the inbox, and when its outcome was committed (ISO 8601). */
  arrivedAt: string;
  finishedAt: string;
  bundleUuid: string | null;
  /** The problem codes behind a quarantine or rejection, or the error code of a failure. */
  codes: string[];
  /** Where the bundle (and its report) now lies: under accepted/, quarantine/ or rejected/. */
  movedTo: string | null;
  /** The audit event recording it, when there is one. */
  auditSeq: number | null;
}

export interface WatchCounts {
  accepted: number;
  quarantined: number;
  rejected: number;
  heartbeats: number;
  failed: number;
  /** Bundles complete in the inbox and not yet taken. */
  queued: number;
  /** Files in the inbox still arriving (not yet complete). */
  arriving: number;
}

/** A split bundle in the inbox that is not complete: it waits (never imported partly) for these files. */
export interface WatchWaitingSet {
  /** The bundle's name (hostile text: shown escaped). */
  name: string;
  /** Files the set needs that are not in the inbox: the index, its signature, parts the index names. */
  missing: string[];
  /** Files of the set that are there but not complete yet (still being written, or not yet settled). */
  incomplete: string[];
}

/** A claimed bundle that waits because another process (a manual import) is importing the same bundle now. */
export interface WatchImportWait {
  /** The bundle's name (hostile text: shown escaped). */
  name: string;
  /** The other import as the station's ledger names it, when the refusal named it. */
  other: { id: number; destination: string; pid: number | null; startedAt: string } | null;
  /** When this watcher first found it waiting, how often it has tried, and when it tries next. */
  since: string;
  tries: number;
  nextTryAt: string;
}

export interface WatchStatus {
  /** `running` while the watcher holds its lock; `stopped` after a clean stop; `dead` when the lock's owner is gone. */
  state: 'running' | 'stopped' | 'dead';
  pid: number;
  inbox: string;
  dest: string;
  startedAt: string;
  /** Written at least every few seconds while running (a heartbeat of the watcher itself). */
  updatedAt: string;
  /** The bundle being worked on now, if any. */
  current: { name: string; phase: string; since: string } | null;
  lastBundle: WatchBundleRecord | null;
  /** Counts since the watcher started; `queued` and `arriving` are as of updatedAt. */
  counts: WatchCounts;
  /** The most recent outcomes, newest first (at most 50). */
  recent: WatchBundleRecord[];
  /** Channel findings reported on this inbox, those of earlier runs of its watcher included (at most 100, newest first). */
  gaps: ChannelFinding[];
  /** Heartbeat alarms standing now. */
  alarms: HeartbeatAlarm[];
  /** Split bundles waiting for files, as of updatedAt (at most 100; absent in status files of older versions). */
  waiting?: WatchWaitingSet[];
  /** Claimed bundles waiting for another process's import of the same bundle (absent in status files of older versions). */
  importWaits?: WatchImportWait[];
}

/** Codes a watcher may record for a bundle it could not take (besides problem codes). */
export type WatchFailureCode = ProblemCode | string;
