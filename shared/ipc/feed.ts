/**
 * Feed import, heartbeats and the sending side of channels in the IPC contract (the CLI's
 * `feed import`, `heartbeat`, and what `export --channel` takes next): the app runs the same
 * station functions the CLI runs, as jobs. Strings are bounded: a report's messages and names
 * come from a bundle and are hostile.
 */
import { z } from 'zod';
import type { ChannelStamp } from '../channels.js';
import { JobStarted, PathString, inSync, type ChannelBlock, type Same } from './common.js';
import { ExportDestinationSchema } from './media.js';
import { VerifyResultSchema } from './results.js';

const Short = z.string().max(256);
const Text = z.string().max(4096);

/**
 * A channel name as typed: bounded here, checked against the name rules by main (CHANNEL_NAME_INVALID,
 * with the CLI's message and next step) rather than by the schema (which could only say USAGE).
 */
export const ChannelNameInput = z.string().min(1).max(256);

/** The database as the scanner (or the containers' headers) stated it, before or after (core's DatabaseState). */
export const DatabaseStateSchema = z.object({
  version: z.number().nullable(),
  date: Short.nullable(),
  ageDays: z.number().nullable(),
  source: z.enum(['version-command', 'database-header']).nullable(),
});
export type DatabaseStateView = z.infer<typeof DatabaseStateSchema>;

/** What `airlock feed import --json` prints (core's FeedImportOutcome). */
export const FeedImportResultSchema = VerifyResultSchema.extend({
  installed: z.array(z.object({ name: Short, version: z.number(), signatures: z.number(), builtAt: Short })).max(1000),
  superseded: z.array(Short).max(1000),
  databaseDir: Text,
  before: DatabaseStateSchema.nullable(),
  after: DatabaseStateSchema.nullable(),
  /** clamd was told RELOAD and answered (true), could not be told (false: a warning says so), or a command scanner has nothing to reload (null). */
  reloaded: z.boolean().nullable(),
  warnings: z.array(Text).max(1000),
  auditEvent: z.number().nullable(),
});
export type FeedImportReport = z.infer<typeof FeedImportResultSchema>;

export const ChannelStampSchema = z.object({
  channel: Short,
  sequence: z.number(),
  previousTagManifestSha256: Short.nullable(),
  heartbeat: z.boolean(),
});

/** The feed and channel block of the channel table. */
export const FEED_CHANNELS = {
  /** `airlock feed import BUNDLE [--allow-downgrade]` as a job; the bundle comes from main's own dialog. */
  startFeedImport: {
    channel: 'airlock:job-feed-import',
    request: z.strictObject({
      bundlePath: PathString,
      /** The CLI's --allow-downgrade: the view asks the operator to confirm it before it sends true. */
      allowDowngrade: z.boolean().optional(),
    }),
    response: JobStarted,
  },
  /** `airlock heartbeat --channel C --out DIR [--name N]` as a job; a medium's mount point is the folder. */
  startHeartbeat: {
    channel: 'airlock:job-heartbeat',
    request: z.strictObject({
      channel: ChannelNameInput,
      destination: ExportDestinationSchema,
      name: z.string().min(1).max(100).optional(),
      passphrase: z.string().min(1).max(1024),
    }),
    response: JobStarted,
  },
  /** The stamp the next bundle on a channel would carry now (read only; an export takes the number when it starts). */
  nextChannelStamp: {
    channel: 'airlock:channel-next',
    request: z.strictObject({ channel: ChannelNameInput }),
    response: ChannelStampSchema,
  },
} as const satisfies ChannelBlock;

inSync<Same<z.infer<typeof ChannelStampSchema>, ChannelStamp>>();
