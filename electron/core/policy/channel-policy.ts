/**
 * The `channels` section of policy.json (issue #17.1; docs/channels.md): what the receiving side
 * does with each channel finding, whether every bundle must carry a channel stamp, and how long
 * a channel may stay silent before a heartbeat alarm. Validated like the rest of the policy:
 * unknown fields are refused (CONFIG_INVALID naming the field). Absent section: the defaults.
 */
import { z } from 'zod';
import { onFirstUse } from '../on-first-use.js';
import { CHANNEL_NAME_PATTERN } from '../../../shared/channels.js';
import type { ProblemCode } from '../../../shared/problems.js';

/** `refuse`: the bundle is rejected, nothing imported; `warn`: imported, the finding recorded. */
export type ChannelDecision = 'refuse' | 'warn';

/**
 * The first bundle from a signer on a channel whose number is above 1 (a station joining a channel
 * that started before it): `accept` takes it as the baseline silently, `warn` takes it with a
 * CHANNEL_FIRST_CONTACT finding on record, `refuse` rejects it (the channel must start at 1 here).
 */
export type FirstContactRule = 'accept' | 'warn' | 'refuse';

/**
 * policy.json's `channels` schema, built on first use: recovery at open and the receiving side import
 * this module for every command (channelDecision), the schema is needed only to read policy.json.
 */
export const channelPolicySchema = onFirstUse(() => {
  const decision = z.enum(['refuse', 'warn']) satisfies z.ZodType<ChannelDecision>;
  const firstContact = z.enum(['accept', 'warn', 'refuse']) satisfies z.ZodType<FirstContactRule>;
  /** Seconds of silence allowed on a channel: at least a minute, at most a year. */
  const interval = z
    .number()
    .int()
    .min(60)
    .max(366 * 86_400);

  return z
    .object({
      /** Refuse bundles that carry no channel stamp (default false: unstamped bundles import as before). */
      require: z.boolean(),
      /** The sequence skips ahead (bundles missing). Default warn. */
      gap: decision,
      /** Lower than the highest received: fills a gap, or an old bundle. Default warn. */
      reordered: decision,
      /** A different bundle with a sequence number already received. Default refuse. */
      duplicate: decision,
      /** Names a previous bundle other than the one received with the number before. Default refuse. */
      backlinkBroken: decision,
      /** The first bundle seen from a signer on a channel carries a number above 1. Default warn (never a gap). */
      firstContact,
      /** Heartbeat alarm for every channel: seconds of silence allowed. Absent: no alarm. */
      heartbeatIntervalSeconds: interval,
      /** Per channel name: its own interval, or null for no alarm on that channel. */
      channels: z.record(z.string().regex(CHANNEL_NAME_PATTERN, 'a channel name'), z.object({ heartbeatIntervalSeconds: interval.nullable() }).strict()),
    })
    .partial()
    .strict();
});

export type ChannelPolicyFile = z.infer<ReturnType<typeof channelPolicySchema>>;

export interface ChannelPolicy {
  require: boolean;
  /** Per finding code, refuse or warn. CHANNEL_STAMP_INVALID always refuses. */
  decisions: Record<'CHANNEL_GAP' | 'CHANNEL_REORDERED' | 'CHANNEL_DUPLICATE' | 'CHANNEL_BACKLINK_BROKEN', ChannelDecision>;
  firstContact: FirstContactRule;
  defaultHeartbeatSeconds: number | null;
  perChannelHeartbeatSeconds: ReadonlyMap<string, number | null>;
}

export const DEFAULT_CHANNEL_POLICY: ChannelPolicy = {
  require: false,
  decisions: { CHANNEL_GAP: 'warn', CHANNEL_REORDERED: 'warn', CHANNEL_DUPLICATE: 'refuse', CHANNEL_BACKLINK_BROKEN: 'refuse' },
  firstContact: 'warn',
  defaultHeartbeatSeconds: null,
  perChannelHeartbeatSeconds: new Map(),
};

export function resolveChannelPolicy(file: ChannelPolicyFile | undefined): ChannelPolicy {
  if (file === undefined) return DEFAULT_CHANNEL_POLICY;
  const d = DEFAULT_CHANNEL_POLICY.decisions;
  return {
    require: file.require ?? false,
    decisions: {
      CHANNEL_GAP: file.gap ?? d.CHANNEL_GAP,
      CHANNEL_REORDERED: file.reordered ?? d.CHANNEL_REORDERED,
      CHANNEL_DUPLICATE: file.duplicate ?? d.CHANNEL_DUPLICATE,
      CHANNEL_BACKLINK_BROKEN: file.backlinkBroken ?? d.CHANNEL_BACKLINK_BROKEN,
    },
    firstContact: file.firstContact ?? DEFAULT_CHANNEL_POLICY.firstContact,
    defaultHeartbeatSeconds: file.heartbeatIntervalSeconds ?? null,
    perChannelHeartbeatSeconds: new Map(Object.entries(file.channels ?? {}).map(([name, rule]) => [name, rule.heartbeatIntervalSeconds])),
  };
}

/** What the policy does with a finding: a malformed stamp (or any code it does not name) always refuses. */
export function channelDecision(policy: ChannelPolicy, code: ProblemCode): ChannelDecision {
  if (code === 'CHANNEL_FIRST_CONTACT') return policy.firstContact === 'refuse' ? 'refuse' : 'warn';
  return code in policy.decisions ? policy.decisions[code as keyof ChannelPolicy['decisions']] : 'refuse';
}

/** The heartbeat interval for a channel, seconds; null when the channel has no alarm. */
export function heartbeatIntervalFor(policy: ChannelPolicy, channel: string): number | null {
  const own = policy.perChannelHeartbeatSeconds.get(channel);
  return own !== undefined ? own : policy.defaultHeartbeatSeconds;
}
