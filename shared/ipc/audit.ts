/** The audit log in the IPC contract: pages of events, the chain check, the export to a file. */
import { z } from 'zod';
import { AUDIT_EVENT_TYPES, AUDIT_OUTCOMES } from '../audit-types.js';
import { JobStarted, NoRequest, type ChannelBlock } from './common.js';
import { SettingChangeSchema } from './settings.js';

/** Most events one page carries: the view pages with `beforeSeq`, so the answer stays small. */
export const AUDIT_PAGE_MAX = 200;

/** One audit event as the audit view shows it: the stored columns plus a one-line subject drawn from its details. */
export const AuditEventViewSchema = z.object({
  seq: z.number(),
  at: z.string(),
  type: z.string(),
  outcome: z.string(),
  operator: z.string(),
  station: z.string(),
  bundleName: z.string().nullable(),
  bundleUuid: z.string().nullable(),
  signers: z.array(z.string()),
  problemCodes: z.array(z.string()),
  errorCode: z.string().nullable(),
  files: z.number().nullable(),
  bytes: z.number().nullable(),
  /** What the event was about: the bundle file, destination, key, or settings changed. */
  subject: z.string().nullable(),
  /** A failure's message as recorded. */
  message: z.string().nullable(),
  /** settings-change: each field, old -> new. */
  changes: z.array(SettingChangeSchema),
});
export type AuditEventView = z.infer<typeof AuditEventViewSchema>;

export const AuditVerifySchema = z.object({
  ok: z.boolean(),
  events: z.number(),
  checkpoints: z.number(),
  lastCheckpointSeq: z.number().nullable(),
  firstBroken: z.object({ seq: z.number(), reason: z.string() }).nullable(),
  notes: z.array(z.string()),
});
export type AuditVerifyReport = z.infer<typeof AuditVerifySchema>;

/** A signed checkpoint of the log's head (core's AuditCheckpoint, less its armored signature). */
export const AuditCheckpointSchema = z.object({ seq: z.number(), hash: z.string().max(128), at: z.string().max(64), fingerprint: z.string().max(128) });
export type AuditCheckpointView = z.infer<typeof AuditCheckpointSchema>;

const IsoTime = z.iso.datetime({ offset: true }).max(64);

/** The audit block of the channel table. */
export const AUDIT_CHANNELS = {
  listAudit: {
    channel: 'airlock:audit-list',
    request: z.strictObject({
      type: z.enum(AUDIT_EVENT_TYPES).optional(),
      outcome: z.enum(AUDIT_OUTCOMES).optional(),
      /** At or after this time. */
      since: IsoTime.optional(),
      /** Before this time. */
      until: IsoTime.optional(),
      /** Any case, in subject, operator, station, bundle name or id, signer fingerprint, problem codes. */
      text: z.string().trim().max(200).optional(),
      /** The next page: events older than this one. */
      beforeSeq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
      limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).optional(),
    }),
    response: z.object({ events: z.array(AuditEventViewSchema), hasMore: z.boolean() }),
  },
  /** `audit verify` as a job: progress (events, rate, time left) and Cancel; its result is an AuditVerifyReport. */
  startVerifyAudit: {
    channel: 'airlock:job-audit-verify',
    request: NoRequest,
    response: JobStarted,
  },
  /** `audit checkpoint`: sign the head of the log with the station key now; null on an empty log. */
  checkpointAudit: {
    channel: 'airlock:audit-checkpoint',
    request: z.strictObject({ passphrase: z.string().min(1).max(1024) }),
    response: z.object({ checkpoint: AuditCheckpointSchema.nullable() }),
  },
  exportAudit: {
    channel: 'airlock:audit-export',
    request: z.strictObject({ format: z.enum(['csv', 'json']) }),
    /** `path` null: the operator closed the save dialog, nothing was written. */
    response: z.object({ path: z.string().nullable(), events: z.number(), checkpoints: z.number() }),
  },
} as const satisfies ChannelBlock;
