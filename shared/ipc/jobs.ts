/** Jobs in the IPC contract: what a running or finished job looks like, its events, and the job channels. */
import { z } from 'zod';
import { ErrorInfoSchema, NoRequest, ProgressSchema, type ChannelBlock } from './common.js';
import { MediaVerifyReportSchema } from './media.js';
import { QuarantineReleaseResultSchema } from './quarantine.js';
import { VerifyResultSchema } from './results.js';
import { ExportResultSchema, ImportResultSchema } from './transfer.js';
import { FeedImportResultSchema } from './feed.js';
import { AuditVerifySchema } from './audit.js';
import { StagedSummaryViewSchema } from './two-person.js';

export const JobKindSchema = z.enum([
  'export',
  'verify',
  'import',
  'verify-medium',
  'quarantine-release',
  'feed-import',
  'heartbeat',
  'export-prepare',
  'export-finish',
  'audit-verify',
]);
export type JobKind = z.infer<typeof JobKindSchema>;
export const JobStateSchema = z.enum(['running', 'succeeded', 'failed', 'cancelled']);
export type JobState = z.infer<typeof JobStateSchema>;

const JobBase = z.object({
  id: z.string(),
  state: JobStateSchema,
  /** What the job works on, for the job list: the bundle path or the destination. */
  subject: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  progress: ProgressSchema.nullable(),
  error: ErrorInfoSchema.nullable(),
});

export const JobSnapshotSchema = z.discriminatedUnion('kind', [
  JobBase.extend({ kind: z.literal('export'), result: ExportResultSchema.nullable() }),
  JobBase.extend({ kind: z.literal('verify'), result: VerifyResultSchema.nullable() }),
  JobBase.extend({ kind: z.literal('import'), result: ImportResultSchema.nullable() }),
  JobBase.extend({ kind: z.literal('verify-medium'), result: MediaVerifyReportSchema.nullable() }),
  JobBase.extend({ kind: z.literal('quarantine-release'), result: QuarantineReleaseResultSchema.nullable() }),
  JobBase.extend({ kind: z.literal('feed-import'), result: FeedImportResultSchema.nullable() }),
  // A heartbeat is an export with an empty payload: the export's report, its channel stamp included.
  JobBase.extend({ kind: z.literal('heartbeat'), result: ExportResultSchema.nullable() }),
  // Two-person exports and the audit check (apptwo): prepare answers what the approver will be shown.
  JobBase.extend({ kind: z.literal('export-prepare'), result: StagedSummaryViewSchema.nullable() }),
  JobBase.extend({ kind: z.literal('export-finish'), result: ExportResultSchema.nullable() }),
  JobBase.extend({ kind: z.literal('audit-verify'), result: AuditVerifySchema.nullable() }),
]);
export type JobSnapshot = z.infer<typeof JobSnapshotSchema>;

export const JobEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), jobId: z.string(), progress: ProgressSchema }),
  z.object({ type: z.literal('finished'), job: JobSnapshotSchema }),
]);
export type JobEvent = z.infer<typeof JobEventSchema>;

/** The jobs block of the channel table. */
export const JOB_CHANNELS = {
  listJobs: {
    channel: 'airlock:jobs-list',
    request: NoRequest,
    response: z.object({ jobs: z.array(JobSnapshotSchema) }),
  },
  getJob: {
    channel: 'airlock:jobs-get',
    request: z.strictObject({ jobId: z.string().min(1).max(100) }),
    response: JobSnapshotSchema,
  },
  cancelJob: {
    channel: 'airlock:jobs-cancel',
    request: z.strictObject({ jobId: z.string().min(1).max(100) }),
    /** False when the job had already finished (nothing to cancel). */
    response: z.object({ cancelling: z.boolean() }),
  },
} as const satisfies ChannelBlock;

/** Main -> renderer: job progress and completion. The only event channel. */
export const JOB_EVENT_CHANNEL = 'airlock:job-event';
