import { join } from 'node:path';

/**
 * The folders a watcher keeps inside its inbox (docs/watch.md): all on the inbox's file system,
 * so every move (claim, accept, quarantine, refuse) is one rename. The senders' files arrive in
 * the inbox itself; these names are never taken as bundles.
 */
export interface InboxLayout {
  inbox: string;
  /** Claims in progress, one folder each (the journal: claim-folder.ts). Hidden, so senders' tools skip it. */
  work: string;
  accepted: string;
  /** Rejected (tampered, unverifiable, replayed) and quarantined bundles, each with its report. */
  quarantine: string;
  /** Entries moved aside unread: links, folders, special files, names Airlock never writes. */
  refused: string;
}

export const WORK_FOLDER = '.airlock-watch';
export const OUTPUT_FOLDERS = ['accepted', 'quarantine', 'refused'] as const;

export function inboxLayout(inbox: string): InboxLayout {
  return {
    inbox,
    work: join(inbox, WORK_FOLDER),
    accepted: join(inbox, 'accepted'),
    quarantine: join(inbox, 'quarantine'),
    refused: join(inbox, 'refused'),
  };
}

/** Names in the inbox that are the watcher's own folders, never a sender's file. */
export function isLayoutName(name: string): boolean {
  return name === WORK_FOLDER || (OUTPUT_FOLDERS as readonly string[]).includes(name);
}
