/**
 * The station's quarantine in the IPC contract (issue #16.5, #16.7): the bundles content
 * inspection refused, what refused them, and the two decisions an operator may take — release
 * (to a destination, with a reason, after typing the bundle's name; a second approver where the
 * policy requires two persons) and purge. Release runs as a job (it imports the bundle); purge is
 * one call. Every field is bounded; the bundle name and the reasons are hostile or free text.
 */
import { z } from 'zod';
import type { QuarantineEntry } from '../inspection.js';
import { PROBLEM_CODES } from '../problems.js';
import { inSync, JobStarted, PathString, type ChannelBlock, type Same } from './common.js';
import { VerifyResultSchema } from './results.js';

/** A quarantine id is one folder name: never a path, never `.` or `..`, no control characters. */
export const QuarantineIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/u, 'a quarantine id');

/** Entries one listing carries; the view pages through them. */
export const QUARANTINE_LIST_MAX = 10_000;

/** A reason or an operator's name: one line of free text, no control or bidi characters (it lands in the audit log). */
const OneLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$/u, 'one line of text');
export const ReleaseReasonSchema = OneLine(1000);
export const OperatorNameSchema = OneLine(200);

export const QuarantineEntrySchema = z.object({
  id: z.string().max(128),
  quarantinedAt: z.string().max(64),
  bundleName: z.string().max(4096),
  tagmanifestSha256: z.string().max(128).nullable(),
  bytes: z.number(),
  codes: z.array(z.enum(PROBLEM_CODES)).max(PROBLEM_CODES.length),
  signers: z.array(z.string().max(128)).max(64),
  status: z.enum(['held', 'released', 'purged']),
  releases: z.array(z.object({ operator: z.string().max(1000), reason: z.string().max(4000), at: z.string().max(64) })).max(16),
  releasedTo: z.string().max(4096).nullable(),
});

/** What a release did: the approvals recorded so far, and where the bundle went once they were enough. */
export const QuarantineReleaseResultSchema = z.object({
  entry: QuarantineEntrySchema,
  /** False while a second approver is still needed: nothing was imported yet. */
  released: z.boolean(),
  destination: z.string().max(4096).nullable(),
  auditEvent: z.number().nullable(),
});
export type QuarantineReleaseView = z.infer<typeof QuarantineReleaseResultSchema>;

/** The quarantine block of the channel table. */
export const QUARANTINE_CHANNELS = {
  listQuarantine: {
    channel: 'airlock:quarantine-list',
    request: z.strictObject({ status: z.enum(['held', 'released', 'purged', 'all']).optional() }),
    /** `releaseApprovals`: what the station's policy asks of a release (2: the two-person rule). */
    response: z.object({ entries: z.array(QuarantineEntrySchema).max(QUARANTINE_LIST_MAX), releaseApprovals: z.union([z.literal(1), z.literal(2)]) }),
  },
  showQuarantine: {
    channel: 'airlock:quarantine-show',
    request: z.strictObject({ id: QuarantineIdSchema }),
    /** The report kept with the bundle; null when the station kept none (read no further than the signature). */
    response: z.object({ entry: QuarantineEntrySchema, report: VerifyResultSchema.nullable() }),
  },
  startQuarantineRelease: {
    channel: 'airlock:job-quarantine-release',
    request: z.strictObject({
      id: QuarantineIdSchema,
      destDir: PathString,
      reason: ReleaseReasonSchema,
      /** The bundle's name as the operator typed it: main compares it with the entry's before anything happens. */
      confirmName: z.string().min(1).max(4096),
      /** Where the policy requires two persons: the second operator, present, under their own name and reason. */
      secondApprover: z.strictObject({ operator: OperatorNameSchema, reason: ReleaseReasonSchema }).optional(),
    }),
    response: JobStarted,
  },
  purgeQuarantine: {
    channel: 'airlock:quarantine-purge',
    request: z.strictObject({ id: QuarantineIdSchema, confirmName: z.string().min(1).max(4096) }),
    response: z.object({ entry: QuarantineEntrySchema, auditEvent: z.number().nullable() }),
  },
} as const satisfies ChannelBlock;

inSync<Same<z.infer<typeof QuarantineEntrySchema>, QuarantineEntry>>();
