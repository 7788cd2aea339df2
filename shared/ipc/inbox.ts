/**
 * The Inbox view in the IPC contract (issue #17.4): one read-only channel that answers, for a
 * watched station, what its watchers do (shared/watch.ts), what the receiver knows of each
 * channel (shared/channels.ts) and how far audit forwarding to the SIEM lags (shared/forward.ts).
 * Each of the three parts answers on its own: `available` with its data, `unavailable` when this
 * build or station cannot tell (never made-up data), or `error` with the code that stopped it,
 * so one broken part never blanks the others. Every string and array is bounded: bundle names
 * and problem messages come from the inbox and are hostile.
 */
import { z } from 'zod';
import type { ChannelFinding, ChannelState, HeartbeatAlarm } from '../channels.js';
import type { ForwardSinkStatus, ForwardStatus } from '../forward.js';
import { PROBLEM_CODES } from '../problems.js';
import type { WatchBundleRecord, WatchCounts, WatchStatus } from '../watch.js';
import { ErrorInfoSchema, inSync, NoRequest, type ChannelBlock, type Same } from './common.js';

/** What one overview may carry; main clips to these (the status file and the database are read as they are). */
export const INBOX_IPC_LIMITS = {
  /** Watchers of one station (one per inbox). */
  watchers: 64,
  /** Recent outcomes per watcher (the status file keeps 50). */
  recent: 50,
  /** Channel findings per watcher (the status file keeps 100). */
  gaps: 100,
  /** Alarms standing at once. */
  alarms: 1000,
  /** (signer, channel) pairs the station knows. */
  channels: 1000,
  /** Missing sequence numbers listed per channel (core keeps 100). */
  missing: 100,
  /** Codes behind one outcome. */
  codes: 64,
  /** Configured forwarding sinks. */
  sinks: 16,
  /** A path, a bundle name or a message. */
  text: 4096,
  /** A code, a phase, a timestamp, a fingerprint. */
  short: 256,
} as const;
const L = INBOX_IPC_LIMITS;

const Short = z.string().max(L.short);
const Text = z.string().max(L.text);

export const WatchBundleRecordSchema = z.object({
  name: Text,
  outcome: z.enum(['accepted', 'quarantined', 'rejected', 'heartbeat', 'failed']),
  arrivedAt: Short,
  finishedAt: Short,
  bundleUuid: Short.nullable(),
  codes: z.array(Short).max(L.codes),
  movedTo: Text.nullable(),
  auditSeq: z.number().nullable(),
});

export const WatchCountsSchema = z.object({
  accepted: z.number(),
  quarantined: z.number(),
  rejected: z.number(),
  heartbeats: z.number(),
  failed: z.number(),
  queued: z.number(),
  arriving: z.number(),
});

export const ChannelFindingSchema = z.object({
  code: z.enum(PROBLEM_CODES),
  signer: Short,
  channel: Short,
  expected: z.number(),
  received: z.number(),
  decision: z.enum(['refuse', 'warn']),
  message: Text,
});

export const HeartbeatAlarmSchema = z.object({
  signer: Short,
  channel: Short,
  lastReceivedAt: Short,
  intervalSeconds: z.number(),
  overdueSeconds: z.number(),
  checkedAt: Short,
});

export const WatchStatusSchema = z.object({
  state: z.enum(['running', 'stopped', 'dead']),
  pid: z.number(),
  inbox: Text,
  dest: Text,
  startedAt: Short,
  updatedAt: Short,
  current: z.object({ name: Text, phase: Short, since: Short }).nullable(),
  lastBundle: WatchBundleRecordSchema.nullable(),
  counts: WatchCountsSchema,
  recent: z.array(WatchBundleRecordSchema).max(L.recent),
  gaps: z.array(ChannelFindingSchema).max(L.gaps),
  alarms: z.array(HeartbeatAlarmSchema).max(L.alarms),
});

export const ChannelStateSchema = z.object({
  signer: Short,
  channel: Short,
  lastSequence: z.number(),
  lastTagManifestSha256: Short,
  lastReceivedAt: Short,
  lastHeartbeatAt: Short.nullable(),
  missing: z.array(z.number()).max(L.missing),
  heartbeatIntervalSeconds: z.number().nullable(),
  alarm: HeartbeatAlarmSchema.nullable(),
});

export const ForwardSinkStatusSchema = z.object({
  kind: z.enum(['syslog', 'jsonLines']),
  target: Text,
  deliveredSeq: z.number(),
  headSeq: z.number(),
  backlog: z.number(),
  lastDeliveredAt: Short.nullable(),
  lastAttemptAt: Short.nullable(),
  lastError: Text.nullable(),
});

export const ForwardStatusSchema = z.object({
  configured: z.boolean(),
  sinks: z.array(ForwardSinkStatusSchema).max(L.sinks),
});

/**
 * One part of the overview. `unavailable` says why in words (this build has no watcher support,
 * say); `error` carries the operational error that stopped the reading, with its code.
 */
function part<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('state', [
    z.object({ state: z.literal('available'), value }),
    z.object({ state: z.literal('unavailable'), reason: Text }),
    z.object({ state: z.literal('error'), error: ErrorInfoSchema }),
  ]);
}

export const InboxOverviewSchema = z.object({
  /** When main read the three parts (ISO 8601): the view measures staleness against it. */
  checkedAt: Short,
  watchers: part(z.array(WatchStatusSchema).max(L.watchers)),
  channels: part(z.array(ChannelStateSchema).max(L.channels)),
  forward: part(ForwardStatusSchema),
});
export type InboxOverview = z.infer<typeof InboxOverviewSchema>;
export type InboxPart<T> =
  { state: 'available'; value: T } | { state: 'unavailable'; reason: string } | { state: 'error'; error: z.infer<typeof ErrorInfoSchema> };

/** The inbox block of the channel table. */
export const INBOX_CHANNELS = {
  /** The watchers, channel states and forwarding backlog of the operator's station, read now. */
  inboxOverview: {
    channel: 'airlock:inbox-overview',
    request: NoRequest,
    response: InboxOverviewSchema,
  },
} as const satisfies ChannelBlock;

inSync<Same<z.infer<typeof WatchBundleRecordSchema>, WatchBundleRecord>>();
inSync<Same<z.infer<typeof WatchCountsSchema>, WatchCounts>>();
inSync<Same<z.infer<typeof WatchStatusSchema>, WatchStatus>>();
inSync<Same<z.infer<typeof ChannelFindingSchema>, ChannelFinding>>();
inSync<Same<z.infer<typeof HeartbeatAlarmSchema>, HeartbeatAlarm>>();
inSync<Same<z.infer<typeof ChannelStateSchema>, ChannelState>>();
inSync<Same<z.infer<typeof ForwardSinkStatusSchema>, ForwardSinkStatus>>();
inSync<Same<z.infer<typeof ForwardStatusSchema>, ForwardStatus>>();
inSync<Same<z.infer<typeof InboxOverviewSchema>['watchers'], InboxPart<WatchStatus[]>>>();
