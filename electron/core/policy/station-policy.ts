import { z } from 'zod';
import { onFirstUse } from '../on-first-use.js';
import { parseSizeText } from '../../../shared/size.js';
import { readJsonConfig } from '../fs/read-json-config.js';
import { STRICT_PORTABILITY, type PortabilityRules } from '../bundle/path-rules.js';
import type { HomePaths } from '../home/station-home.js';
import { DEFAULT_LIMITS, type BundleLimits } from './limits.js';
import { inspectPolicySchema, resolveInspectPolicy, type InspectPolicy } from './inspect-policy.js';
import { channelPolicySchema, DEFAULT_CHANNEL_POLICY, resolveChannelPolicy, type ChannelPolicy } from './channel-policy.js';

/**
 * policy.json in the station home, built on first use (on-first-use.ts): every verify and import
 * loads this module, and a station without policy.json never needs the schema. Every field is
 * optional; what is absent keeps its safe default.
 */
export const stationPolicySchema = onFirstUse(() => {
  const count = z.number().int().positive();
  /** A byte limit: a number, or a size as operators write it ("2G", "700M": powers of 1024). */
  const byteCount = z.preprocess((value) => (typeof value === 'string' ? (parseSizeText(value) ?? value) : value), count);

  return z
    .object({
      limits: z
        .object({
          maxEntries: count,
          maxTotalBytes: byteCount,
          maxFileBytes: byteCount,
          maxPathDepth: count.max(1024),
          maxPathBytes: count.max(65_536),
          maxComponentBytes: count.max(1024),
        })
        .partial()
        .strict()
        .optional(),
      names: z
        .object({
          allowControlCharacters: z.boolean(),
          allowBidiCharacters: z.boolean(),
          allowWindowsIncompatibleNames: z.boolean(),
        })
        .partial()
        .strict()
        .optional(),
      /** Two-person rule: at least `count` distinct trusted signers, covering every listed role. */
      requiredSigners: z
        .object({
          count: z.number().int().min(1).max(16),
          roles: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/u)).optional(),
        })
        .strict()
        .optional(),
      /** How far in the future a signature's date may lie (clock drift between stations). */
      clockSkewSeconds: z.number().int().min(0).max(86_400).optional(),
      /** Content inspection on the receiving side (issue #16): absent, nothing is inspected. */
      inspect: inspectPolicySchema().optional(),
      /** Channel sequence findings and heartbeat alarms (issue #17.1, docs/channels.md): absent, the defaults. */
      channels: channelPolicySchema().optional(),
    })
    .strict();
});

export type StationPolicyFile = z.infer<ReturnType<typeof stationPolicySchema>>;

export interface StationPolicy {
  limits: BundleLimits;
  names: PortabilityRules;
  requiredSigners: { count: number; roles: string[] };
  clockSkewSeconds: number;
  /** Content inspection; null when policy.json has no `inspect` section. */
  inspect: InspectPolicy | null;
  /** Channel findings and heartbeat alarms (channel-policy.ts); the defaults when the section is absent. */
  channels: ChannelPolicy;
}

/** Five minutes: enough for unsynchronised offline clocks, short enough that a far-future date stands out. */
export const DEFAULT_CLOCK_SKEW_SECONDS = 300;

export const DEFAULT_POLICY: StationPolicy = {
  limits: DEFAULT_LIMITS,
  names: STRICT_PORTABILITY,
  requiredSigners: { count: 1, roles: [] },
  clockSkewSeconds: DEFAULT_CLOCK_SKEW_SECONDS,
  inspect: null,
  channels: DEFAULT_CHANNEL_POLICY,
};

export function resolvePolicy(file: StationPolicyFile): StationPolicy {
  const l = file.limits ?? {};
  return {
    limits: {
      ...DEFAULT_LIMITS,
      maxEntries: l.maxEntries ?? DEFAULT_LIMITS.maxEntries,
      maxTotalBytes: l.maxTotalBytes ?? DEFAULT_LIMITS.maxTotalBytes,
      maxFileBytes: l.maxFileBytes ?? DEFAULT_LIMITS.maxFileBytes,
      maxDepth: l.maxPathDepth ?? DEFAULT_LIMITS.maxDepth,
      maxPathBytes: l.maxPathBytes ?? DEFAULT_LIMITS.maxPathBytes,
      maxComponentBytes: l.maxComponentBytes ?? DEFAULT_LIMITS.maxComponentBytes,
    },
    // Field by field: a name rule the file leaves out (or sets to undefined) keeps the strict default.
    names: {
      allowControlCharacters: file.names?.allowControlCharacters ?? STRICT_PORTABILITY.allowControlCharacters,
      allowBidiCharacters: file.names?.allowBidiCharacters ?? STRICT_PORTABILITY.allowBidiCharacters,
      allowWindowsIncompatibleNames: file.names?.allowWindowsIncompatibleNames ?? STRICT_PORTABILITY.allowWindowsIncompatibleNames,
    },
    requiredSigners: { count: file.requiredSigners?.count ?? 1, roles: file.requiredSigners?.roles ?? [] },
    clockSkewSeconds: file.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS,
    inspect: resolveInspectPolicy(file.inspect),
    channels: resolveChannelPolicy(file.channels),
  };
}

/** The station's policy; a missing file means the defaults, a malformed one is an error that names the field. */
export async function readStationPolicy(paths: HomePaths): Promise<StationPolicy> {
  return resolvePolicy(await readJsonConfig(paths.policy, stationPolicySchema, {}));
}

/** Why the proven signers do not satisfy the station's two-person rule, or null when they do. */
export function requiredSignersShortfall(
  policy: StationPolicy['requiredSigners'],
  signers: ReadonlyArray<{ fingerprint: string; role: string | null }>,
): string | null {
  const distinct = new Set(signers.map((s) => s.fingerprint));
  if (distinct.size < policy.count) {
    return `The station requires ${policy.count} distinct trusted signers; ${distinct.size} signed.`;
  }
  const missing = policy.roles.filter((role) => !signers.some((s) => s.role === role));
  if (missing.length > 0) return `The station requires a signer with each role ${policy.roles.join(', ')}; none has ${missing.join(', ')}.`;
  return null;
}
