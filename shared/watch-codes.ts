/**
 * Codes a watcher records for an inbox entry it moved aside without reading it (docs/watch.md):
 * not problem codes of a bundle (nothing of it was read), each with its one message and next step.
 */
export const WATCH_ENTRY_CODES = {
  INBOX_ENTRY_REFUSED: {
    message:
      'An inbox entry that is not a bundle file Airlock reads (a link, a folder, a special file, or a name Airlock never writes) was moved aside unread.',
    action: 'Send bundles as plain files named NAME.airlock.tar (or a split bundle’s parts with its volume index); look at the entry in the refused folder.',
  },
} as const;

export type WatchEntryCode = keyof typeof WATCH_ENTRY_CODES;
