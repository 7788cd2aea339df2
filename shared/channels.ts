/**
 * Channels (issue #17; docs/channels.md): a sender stamps each bundle with a channel name, a
 * per-channel sequence number and the SHA-256 of the previous bundle's signed tag manifest on that
 * channel, so the receiver can tell gaps, duplicates, reordering and a broken back-link; signed
 * heartbeat bundles let it tell "no traffic" from "lost traffic". Pure data shared by every front end.
 */
import type { ProblemCode } from './problems.js';

/** bag-info.txt labels (docs/bundle-format.md §17). Covered by the signature like every tag file. */
export const CHANNEL_BAG_INFO = {
  channel: 'Airlock-Channel',
  sequence: 'Airlock-Channel-Sequence',
  /** SHA-256 (hex) of the previous bundle's tagmanifest-sha256.txt on this channel; `none` for the first. */
  previous: 'Airlock-Channel-Previous',
  /** `heartbeat` on a heartbeat bundle (empty payload); absent on a transfer. */
  kind: 'Airlock-Bundle-Kind',
} as const;

/** A channel name: lower-case letters, digits, dot, dash, underscore; 1-64 characters. */
export const CHANNEL_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/u;

/**
 * The channel name rule as every front end applies it (core before a channel is used, main before
 * a job starts, so the CLI and the app refuse the same names the same way): null for a channel
 * name, else the detail of CHANNEL_NAME_INVALID (the name as given, cut at 80 characters).
 */
export function channelNameRefusal(channel: string): string | null {
  if (CHANNEL_NAME_PATTERN.test(channel)) return null;
  return `Got "${channel.length > 80 ? `${channel.slice(0, 80)}…` : channel}".`;
}

/** What a bundle's bag-info says of its channel (signed, but stated by the sender). */
export interface ChannelStamp {
  channel: string;
  /** 1 for the first bundle on the channel, then +1 per bundle (heartbeats included). */
  sequence: number;
  /** null on the first bundle of a channel. */
  previousTagManifestSha256: string | null;
  heartbeat: boolean;
}

/** The receiver's findings about a channel stamp; the policy (`channels` in policy.json) says whether each refuses or warns. */
export const CHANNEL_FINDING_CODES: ReadonlySet<ProblemCode> = new Set<ProblemCode>([
  'CHANNEL_GAP',
  'CHANNEL_DUPLICATE',
  'CHANNEL_REORDERED',
  'CHANNEL_BACKLINK_BROKEN',
  'CHANNEL_STAMP_INVALID',
  'CHANNEL_FIRST_CONTACT',
]);

/** What the receiver knows of one (signer, channel): the `channel_receive` table. */
export interface ChannelState {
  /** The trusted signer's full fingerprint (upper-case hex). */
  signer: string;
  channel: string;
  lastSequence: number;
  lastTagManifestSha256: string;
  /** When the last bundle (transfer or heartbeat) on this channel was received (ISO 8601). */
  lastReceivedAt: string;
  lastHeartbeatAt: string | null;
  /** Sequence numbers known missing (reported gaps not since filled), at most 100, ascending. */
  missing: number[];
  /** The heartbeat interval the policy sets for this channel, seconds; null when none. */
  heartbeatIntervalSeconds: number | null;
  /** Set when nothing arrived on the channel for longer than the interval allows. */
  alarm: HeartbeatAlarm | null;
}

export interface HeartbeatAlarm {
  signer: string;
  channel: string;
  /** The last time anything arrived on the channel (ISO 8601). */
  lastReceivedAt: string;
  intervalSeconds: number;
  /** How long past the interval, seconds, at `checkedAt`. */
  overdueSeconds: number;
  checkedAt: string;
}

/** One channel finding as the report, --json, the audit event and the app show it. */
export interface ChannelFinding {
  code: ProblemCode;
  signer: string;
  channel: string;
  /** The sequence the receiver expected next, and the one the bundle carries. */
  expected: number;
  received: number;
  /** `refuse` kept the bundle out; `warn` let it through with the finding on record. */
  decision: 'refuse' | 'warn';
  message: string;
}
