/**
 * The station's quarantine in the IPC contract (issue #16.5, #16.7): the bundles content
 * inspection refused, what refused them, and the two decisions an operator may take — release
 * (to a destination, with a reason, after typing the bundle's name; signed with the operator's
 * own key, by two operators one after the other, where the policy requires two persons) and
 * purge. A release runs as a job (it imports the bundle); purge is one call. Every field is
 * bounded; the bundle name and the reasons are hostile or free text.
 */
import { z } from 'zod';
import type { QuarantineEntry } from '../inspection.js';
import { PROBLEM_CODES } from '../problems.js';
import { Fingerprint, inSync, JobStarted, PathString, type ChannelBlock, type Same } from './common.js';
import { VerifyResultSchema } from './results.js';
import { ImportResultSchema } from './transfer.js';

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
  releases: z
    .array(
      z.object({
        operator: z.string().max(1000),
        reason: z.string().max(4000),
        at: z.string().max(64),
        fingerprint: z.string().max(128).nullable().optional(),
      }),
    )
    .max(16),
  releasedTo: z.string().max(4096).nullable(),
});

/** Release approvals given so far, and how many the station's policy requires now (2: the two-person rule). */
const ApprovalsSchema = z.object({ given: z.number(), required: z.union([z.literal(1), z.literal(2)]) });

/** One quarantined bundle in full (core's QuarantineDetail, less the folder's path). */
export const QuarantineDetailSchema = z.object({
  entry: QuarantineEntrySchema,
  /** The verification and inspection report that refused it. */
  report: VerifyResultSchema,
  files: z.array(z.object({ name: z.string().max(4096), bytes: z.number() })).max(QUARANTINE_LIST_MAX),
  approvals: ApprovalsSchema,
  /** A release in progress or interrupted: where it was importing to. */
  releasingTo: z.string().max(4096).nullable(),
});
export type QuarantineDetailView = z.infer<typeof QuarantineDetailSchema>;

/**
 * How the releasing operator proves who they are (core's SignerSpec): the station key's passphrase,
 * their own armored key file, or a GnuPG key (a smartcard). Required where two persons must
 * release; each of the two with a different key. Passphrases travel to the job and no further.
 */
export const ReleaseSignerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('station'), passphrase: z.string().min(1).max(1024) }),
  z.strictObject({ kind: z.literal('key-file'), file: PathString, passphrase: z.string().min(1).max(1024) }),
  z.strictObject({ kind: z.literal('gpg'), fingerprint: Fingerprint, passphrase: z.string().min(1).max(1024).optional() }),
]);
export type ReleaseSignerRequest = z.infer<typeof ReleaseSignerSchema>;

/** What a release decision did (core's QuarantineReleaseOutcome): the import once enough operators decided, else null. */
export const QuarantineReleaseResultSchema = z.object({
  entry: QuarantineEntrySchema,
  approvals: ApprovalsSchema,
  import: ImportResultSchema.nullable(),
  auditEvent: z.number(),
});
export type QuarantineReleaseView = z.infer<typeof QuarantineReleaseResultSchema>;

/** What a purge deleted (core's QuarantinePurgeOutcome). */
const PurgeOutcomeSchema = z.object({
  purged: z
    .array(z.object({ id: z.string().max(128), bundleName: z.string().max(4096), status: z.enum(['held', 'released', 'purged']) }))
    .max(QUARANTINE_LIST_MAX),
  auditEvent: z.number().nullable(),
});

/** The quarantine block of the channel table. */
export const QUARANTINE_CHANNELS = {
  /** Kept bundles, newest first: held ones by default (purged ones are gone; the audit log keeps their record). */
  listQuarantine: {
    channel: 'airlock:quarantine-list',
    request: z.strictObject({ status: z.enum(['held', 'released', 'all']).optional() }),
    response: z.object({ entries: z.array(QuarantineEntrySchema).max(QUARANTINE_LIST_MAX) }),
  },
  showQuarantine: {
    channel: 'airlock:quarantine-show',
    request: z.strictObject({ id: QuarantineIdSchema }),
    response: QuarantineDetailSchema,
  },
  /** One operator's decision to release; the release imports once the policy's approvals are given. */
  startQuarantineRelease: {
    channel: 'airlock:job-quarantine-release',
    request: z.strictObject({
      id: QuarantineIdSchema,
      destDir: PathString,
      reason: ReleaseReasonSchema,
      /** The bundle's name as the operator typed it: main compares it with the entry's before anything happens. */
      confirmName: z.string().min(1).max(4096),
      /** Who decides, recorded with the OS user (as `--operator`); absent: the station's configured operator. */
      operator: OperatorNameSchema.optional(),
      signer: ReleaseSignerSchema.optional(),
    }),
    response: JobStarted,
  },
  purgeQuarantine: {
    channel: 'airlock:quarantine-purge',
    request: z.strictObject({ id: QuarantineIdSchema, confirmName: z.string().min(1).max(4096) }),
    response: PurgeOutcomeSchema,
  },
  /**
   * `quarantine purge --all-released`: every released bundle's kept copy. `expectedCount` is how
   * many the operator was shown: main purges exactly the released ones it finds, by id, and only
   * when there are that many (a release in between changes the count: refused, nothing purged).
   */
  purgeReleasedQuarantine: {
    channel: 'airlock:quarantine-purge-released',
    request: z.strictObject({ expectedCount: z.number().int().min(1).max(QUARANTINE_LIST_MAX) }),
    response: PurgeOutcomeSchema,
  },
} as const satisfies ChannelBlock;

inSync<Same<z.infer<typeof QuarantineEntrySchema>, QuarantineEntry>>();
