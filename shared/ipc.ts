/**
 * The IPC contract between the renderer and the main process (docs/design.md §4): every channel,
 * its request schema and its response schema. Main parses every request with these schemas
 * before a handler runs; the preload builds `window.airlock` from this table and nothing else.
 * Requests are strict objects: an unknown key is a malformed request, not something to ignore.
 *
 * Each domain keeps its schemas and its block of channels in shared/ipc/ (keys, transfer, media,
 * jobs, audit, settings, inspection, quarantine, inbox; common building blocks and verify results beside them); this file
 * composes the blocks into the one table and is what every layer imports.
 */
import type { z } from 'zod';
import { AUDIT_CHANNELS } from './ipc/audit.js';
import type { ChannelBlock, IpcError } from './ipc/common.js';
import { FEED_CHANNELS } from './ipc/feed.js';
import { INBOX_CHANNELS } from './ipc/inbox.js';
import { INSPECTION_CHANNELS } from './ipc/inspection.js';
import { JOB_CHANNELS } from './ipc/jobs.js';
import { KEY_CHANNELS } from './ipc/keys.js';
import { MEDIA_CHANNELS } from './ipc/media.js';
import { QUARANTINE_CHANNELS } from './ipc/quarantine.js';
import { SETTINGS_CHANNELS } from './ipc/settings.js';
import { TRANSFER_CHANNELS } from './ipc/transfer.js';
import { TWO_PERSON_CHANNELS } from './ipc/two-person.js';

export { ErrorCodeSchema, ErrorInfoSchema, ProblemSchema, ProgressSchema, type IpcError } from './ipc/common.js';
export * from './ipc/results.js';
export * from './ipc/images.js';
export * from './ipc/keys.js';
export * from './ipc/transfer.js';
export * from './ipc/media.js';
export * from './ipc/jobs.js';
export * from './ipc/audit.js';
export * from './ipc/settings.js';
export * from './ipc/inspection.js';
export * from './ipc/quarantine.js';
export * from './ipc/inbox.js';
export * from './ipc/feed.js';
export * from './ipc/two-person.js';

/** The domain blocks, by name: each method belongs to exactly one (test/unit/shared/ipc-table.test.ts). */
export const IPC_BLOCKS = {
  media: MEDIA_CHANNELS,
  keys: KEY_CHANNELS,
  transfer: TRANSFER_CHANNELS,
  jobs: JOB_CHANNELS,
  audit: AUDIT_CHANNELS,
  settings: SETTINGS_CHANNELS,
  inspection: INSPECTION_CHANNELS,
  quarantine: QUARANTINE_CHANNELS,
  inbox: INBOX_CHANNELS,
  feed: FEED_CHANNELS,
  twoPerson: TWO_PERSON_CHANNELS,
} as const satisfies Record<string, ChannelBlock>;

/**
 * One entry per channel: the method name on `window.airlock` is the key, `channel` the
 * ipcMain/ipcRenderer channel name. Add a channel to its domain's block and TypeScript asks for
 * its handler (electron/main/ipc/handlers.ts) and exposes it in the preload.
 */
export const IPC_CHANNELS = {
  ...MEDIA_CHANNELS,
  ...KEY_CHANNELS,
  ...TRANSFER_CHANNELS,
  ...JOB_CHANNELS,
  ...AUDIT_CHANNELS,
  ...SETTINGS_CHANNELS,
  ...INSPECTION_CHANNELS,
  ...QUARANTINE_CHANNELS,
  ...INBOX_CHANNELS,
  ...FEED_CHANNELS,
  ...TWO_PERSON_CHANNELS,
} as const satisfies ChannelBlock;

export type IpcMethod = keyof typeof IPC_CHANNELS;
export type IpcRequest<M extends IpcMethod> = z.input<(typeof IPC_CHANNELS)[M]['request']>;
/** What a handler receives: the request after parsing (trimmed, defaults applied). */
export type IpcParsedRequest<M extends IpcMethod> = z.output<(typeof IPC_CHANNELS)[M]['request']>;
export type IpcResponse<M extends IpcMethod> = z.output<(typeof IPC_CHANNELS)[M]['response']>;

/** Every answer crosses as data: errors keep their code (an Error object would lose it at the bridge). */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const IPC_METHODS = Object.keys(IPC_CHANNELS) as IpcMethod[];
