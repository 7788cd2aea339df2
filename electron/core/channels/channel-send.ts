/**
 * The sending side of a channel (docs/channels.md): the `channel_send` row holds the last sequence
 * number published on each channel and that bundle's tag manifest hash (the next one's back-link).
 *
 * Numbers are taken when an export records its intent (export-intent.ts), in the same IMMEDIATE
 * transaction, and the row advances only when the bundle is published, in the transaction of the
 * export's audit event (or, after a crash between publish and that commit, when recovery finds
 * the published bundle: reconcile.ts). So a cancelled or failed export burns no number, and a
 * published one always advances the row. Two exports on one channel never hold the same number:
 * while one has a pending intent on the channel, another waits (or, for a prepared two-person
 * export whose number was fixed at prepare, finds its stamp stale and is refused).
 */
import { isAbsolute } from 'node:path';
import type { ChannelStamp } from '../../../shared/channels.js';
import type { StationDb } from '../db/station-db.js';
import { AirlockError, throwIfAborted } from '../errors.js';
import { assertChannelName } from './channel-name.js';

interface SendRow {
  channel: string;
  sequence: number;
  tagmanifest_sha256: string;
}

/** The export intent's details carry the stamp under this key (recovery reads it back). */
export const INTENT_CHANNEL_KEY = 'channel';

/** The stamp the next bundle on `channel` gets, from what was published so far. Read only. */
export function nextChannelStamp(db: StationDb, channel: string, heartbeat: boolean): ChannelStamp {
  assertChannelName(channel);
  const row = db.prepare('SELECT channel, sequence, tagmanifest_sha256 FROM channel_send WHERE channel = ?').get(channel) as SendRow | undefined;
  return { channel, sequence: row ? row.sequence + 1 : 1, previousTagManifestSha256: row ? row.tagmanifest_sha256 : null, heartbeat };
}

/** A pending export intent on `channel` (by a live process: dead ones were settled first in the same transaction). */
function pendingOnChannel(db: StationDb, channel: string): { id: number; owner_pid: number } | undefined {
  return db
    .prepare(`SELECT id, owner_pid FROM export_intents WHERE status = 'pending' AND json_extract(details, '$.${INTENT_CHANNEL_KEY}.channel') = ? LIMIT 1`)
    .get(channel) as { id: number; owner_pid: number } | undefined;
}

/** Thrown inside the intent's transaction while another export holds the channel; startExportIntent waits and tries again. */
export class ChannelBusy extends AirlockError {
  constructor(channel: string, pid: number) {
    super('CHANNEL_BUSY', `Channel "${channel}" is being written by process ${pid}.`);
  }
}

/**
 * Inside the intent's transaction: the stamp for a new export on `channel`, provided no other
 * export holds the channel now (ChannelBusy otherwise).
 */
export function reserveChannelStamp(db: StationDb, channel: string, heartbeat: boolean): ChannelStamp {
  assertChannelName(channel);
  const other = pendingOnChannel(db, channel);
  if (other) throw new ChannelBusy(channel, other.owner_pid);
  return nextChannelStamp(db, channel, heartbeat);
}

/**
 * Inside the intent's transaction: a stamp fixed earlier (a two-person export signed at prepare)
 * is still the next on its channel. If another bundle was published on the channel since, this
 * one would be a duplicate at the receiver: CHANNEL_STAMP_STALE, prepare again.
 */
export function confirmChannelStamp(db: StationDb, stamp: ChannelStamp): void {
  const other = pendingOnChannel(db, stamp.channel);
  if (other) throw new ChannelBusy(stamp.channel, other.owner_pid);
  const next = nextChannelStamp(db, stamp.channel, stamp.heartbeat);
  if (next.sequence !== stamp.sequence || next.previousTagManifestSha256 !== stamp.previousTagManifestSha256) {
    throw new AirlockError(
      'CHANNEL_STAMP_STALE',
      `It carries sequence ${stamp.sequence} on channel "${stamp.channel}"; the next number there is now ${next.sequence}.`,
    );
  }
}

/**
 * The bundle carrying `stamp` is published: the channel's row moves to it. Never backwards: a
 * recovery that finds an older bundle after a newer one was recorded changes nothing.
 */
export function advanceChannel(db: StationDb, stamp: ChannelStamp, published: { tagmanifestSha256: string; uuid: string }, at = new Date()): void {
  db.prepare(
    `INSERT INTO channel_send (channel, sequence, tagmanifest_sha256, bundle_uuid, at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(channel) DO UPDATE SET sequence = excluded.sequence, tagmanifest_sha256 = excluded.tagmanifest_sha256,
       bundle_uuid = excluded.bundle_uuid, at = excluded.at
     WHERE excluded.sequence > channel_send.sequence`,
  ).run(stamp.channel, stamp.sequence, published.tagmanifestSha256, published.uuid, at.toISOString());
}

/** The stamp an export intent's details recorded (recovery), or null: none, or not readable as one. */
export function stampFromIntentDetails(details: Record<string, unknown>): ChannelStamp | null {
  const value = details[INTENT_CHANNEL_KEY] as Partial<ChannelStamp> | null | undefined;
  if (value === null || typeof value !== 'object') return null;
  const { channel, sequence, previousTagManifestSha256, heartbeat } = value;
  if (typeof channel !== 'string' || typeof sequence !== 'number' || !Number.isSafeInteger(sequence)) return null;
  return {
    channel,
    sequence,
    previousTagManifestSha256: typeof previousTagManifestSha256 === 'string' ? previousTagManifestSha256 : null,
    heartbeat: heartbeat === true,
  };
}

/**
 * Run `attempt` (which records the intent, reserving the channel) until no other export holds
 * the channel: exports on one channel are serialised; the waiting one can be cancelled.
 */
export async function whileChannelBusy<T>(attempt: () => T, signal: AbortSignal | undefined, pollMs = 200): Promise<T> {
  for (;;) {
    throwIfAborted(signal);
    try {
      return attempt();
    } catch (error) {
      if (!(error instanceof ChannelBusy)) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Where the intent notes the tag manifest of a bundle about to be published. */
const PUBLISHING_KEY = 'publishingTagmanifestSha256';
/** Where the file whose rename completes the bundle goes (a split bundle's last index signature may be on another medium). */
const PUBLISHING_PATH_KEY = 'publishingPath';

/**
 * Right before the rename that makes a channel bundle readable by a receiver (a file's publish;
 * for a split bundle, its last volume's index signature: media-output.ts beforeComplete): its tag
 * manifest hash, and that file's path, go into the intent (durably). If the process dies after
 * the rename and the bundle is gone before recovery looks (a diode's outbox is emptied as soon as
 * a file lands, a medium leaves the station), recovery cannot prove the bundle was published, nor
 * that it was not: it then counts the number as used (the channel moves on to this hash), so the
 * receiver sees at worst a gap, never a false duplicate. Killed before it, nothing readable was
 * published (parts without their complete signed index are refused by every reader): the number is free.
 */
export function notePublishing(db: StationDb, intent: number, tagmanifestSha256: string, completingPath: string | null = null): void {
  db.prepare(
    `UPDATE export_intents SET details = json_set(details, '$.${INTENT_CHANNEL_KEY}.${PUBLISHING_KEY}', ?, '$.${INTENT_CHANNEL_KEY}.${PUBLISHING_PATH_KEY}', ?)
     WHERE id = ? AND status = 'pending'`,
  ).run(tagmanifestSha256, completingPath, intent);
}

function noted(details: Record<string, unknown>, key: string): unknown {
  const value = details[INTENT_CHANNEL_KEY] as Record<string, unknown> | null | undefined;
  return value !== null && typeof value === 'object' ? value[key] : undefined;
}

/** The hash notePublishing recorded in an intent's details, or null. */
export function publishingFromIntentDetails(details: Record<string, unknown>): string | null {
  const hash = noted(details, PUBLISHING_KEY);
  return typeof hash === 'string' && /^[0-9a-f]{64}$/u.test(hash) ? hash : null;
}

/** The completing file's path notePublishing recorded, or null (a bundle in a folder: the intent's own path). */
export function publishingPathFromIntentDetails(details: Record<string, unknown>): string | null {
  const path = noted(details, PUBLISHING_PATH_KEY);
  return typeof path === 'string' && isAbsolute(path) ? path : null;
}
