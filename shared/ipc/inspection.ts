/**
 * Content inspection in the IPC contract (issue #16.7): what a verify or import report says of
 * the inspection (shared/inspection.ts), and the scanner's status for Settings. Every string and
 * array is bounded: a bundle's names are hostile, and a runaway answer must not reach the page.
 * The bounds are exported so core can keep within them (INSPECTION_IPC_LIMITS).
 */
import { z } from 'zod';
import type { InspectedItem, InspectionSummary, ScannerStatus } from '../inspection.js';
import { PROBLEM_CODES } from '../problems.js';
import { inSync, NoRequest, type ChannelBlock, type Same } from './common.js';

/** What one report may carry of the inspection; core lists clean items up to a smaller cap. */
export const INSPECTION_IPC_LIMITS = {
  /** Listed items (every refused or warned one, and clean ones up to core's cap). */
  items: 50_000,
  /** A bag path or one archive member's name. */
  name: 8192,
  /** Archive nesting: the policy allows up to 32, plus the member found beyond it. */
  members: 64,
  /** The scanner's words for one item; a type or extension. */
  detail: 4096,
  type: 256,
} as const;
const L = INSPECTION_IPC_LIMITS;

const ProblemCodeSchema = z.enum(PROBLEM_CODES);
const Codes = z.array(ProblemCodeSchema).max(PROBLEM_CODES.length * 4);

export const ScannerStatusSchema = z.object({
  kind: z.enum(['clamd', 'command']),
  address: z.string().max(L.detail),
  reachable: z.boolean(),
  engineVersion: z.string().max(L.type).nullable(),
  databaseVersion: z.number().nullable(),
  databaseDate: z.string().max(64).nullable(),
  databaseAgeDays: z.number().nullable(),
  databaseSource: z.enum(['version-command', 'database-header']).nullable(),
  error: z.string().max(L.detail).nullable(),
});

export const InspectedItemSchema = z.object({
  path: z.string().max(L.name),
  members: z.array(z.string().max(L.name)).max(L.members),
  size: z.number(),
  detectedType: z.string().max(L.type).nullable(),
  extension: z.string().max(L.type).nullable(),
  macros: z.boolean(),
  scan: z.enum(['clean', 'found', 'error', 'unavailable', 'not-scanned']),
  scanDetail: z.string().max(L.detail).nullable(),
  findings: Codes,
  warnings: Codes,
});

export const InspectionSummarySchema = z.object({
  enabled: z.boolean(),
  scanner: ScannerStatusSchema.nullable(),
  files: z.number(),
  members: z.number(),
  bytesScanned: z.number(),
  refused: z.number(),
  warned: z.number(),
  items: z.array(InspectedItemSchema).max(L.items),
  omitted: z.number(),
  complete: z.boolean(),
});

/** The station's inspection policy in brief, for Settings (what the operator may need to tell a sender). */
export const InspectionPolicyBriefSchema = z.object({
  /** Detected types taken (null: every type not denied) and refused; extensions likewise. */
  allowTypes: z.array(z.string().max(L.type)).max(1000).nullable(),
  denyTypes: z.array(z.string().max(L.type)).max(1000),
  allowExtensions: z.array(z.string().max(L.type)).max(1000).nullable(),
  denyExtensions: z.array(z.string().max(L.type)).max(1000),
  onMismatch: z.enum(['refuse', 'warn', 'allow']),
  macros: z.enum(['refuse', 'warn', 'allow']),
  archives: z.object({ expand: z.boolean(), maxDepth: z.number(), maxEntries: z.number(), maxExpandedBytes: z.number(), maxRatio: z.number() }),
  /** Null when the policy names no scanner. */
  scan: z.object({ maxDatabaseAgeDays: z.number(), onStaleDatabase: z.enum(['refuse', 'warn']), onError: z.enum(['refuse', 'warn']) }).nullable(),
  releaseApprovals: z.union([z.literal(1), z.literal(2)]),
});
export type InspectionPolicyBrief = z.infer<typeof InspectionPolicyBriefSchema>;

/** Settings: is inspection on, what the policy says, and the scanner as it answered just now. */
export const InspectionStatusSchema = z.object({
  /** The policy has an `inspect` section. */
  enabled: z.boolean(),
  policy: InspectionPolicyBriefSchema.nullable(),
  scanner: ScannerStatusSchema.nullable(),
  /** When the scanner was asked (ISO 8601). */
  checkedAt: z.string().max(64),
});
export type InspectionStatusView = z.infer<typeof InspectionStatusSchema>;

/** The inspection block of the channel table. */
export const INSPECTION_CHANNELS = {
  /** Asks the scanner now (PING/VERSION, database headers): "check now" in Settings calls it again. */
  inspectionStatus: {
    channel: 'airlock:inspection-status',
    request: NoRequest,
    response: InspectionStatusSchema,
  },
} as const satisfies ChannelBlock;

inSync<Same<z.infer<typeof ScannerStatusSchema>, ScannerStatus>>();
inSync<Same<z.infer<typeof InspectedItemSchema>, InspectedItem>>();
inSync<Same<z.infer<typeof InspectionSummarySchema>, InspectionSummary>>();
