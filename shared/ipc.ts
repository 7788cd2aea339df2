/**
 * The IPC contract between the renderer and the main process (docs/design.md §4): every channel,
 * its request schema and its response schema. Main parses every request with these schemas
 * before a handler runs; the preload builds `window.airlock` from this table and nothing else.
 * Requests are strict objects: an unknown key is a malformed request, not something to ignore.
 */
import { z } from 'zod';
import { AUDIT_EVENT_TYPES, AUDIT_OUTCOMES } from './audit-types.js';
import { ERROR_CODES, type ErrorCode } from './errors.js';
import { PROBLEM_CODES, type Problem } from './problems.js';
import type { MediaExportReport, MediaRef, MediaVolume } from './media.js';
import { PROGRESS_PHASES, type Progress } from './progress.js';
import { FILE_OUTCOMES, POLICY_CHECKS, type BundleSummary, type ExportResult, type FileResults, type PolicySummary, type SignerInfo, type VerifyResult } from './results.js';
import { CONFIG_FIELDS, POLICY_BOUNDS, POLICY_FIELDS, type PolicyField, type SettingChange, type StationSettings } from './settings.js';

// Building blocks -----------------------------------------------------------

/** A path chosen by the operator. Bounded so a runaway renderer cannot send megabytes of path. */
const PathString = z.string().min(1).max(4096);
const Fingerprint = z.string().regex(/^[0-9A-Fa-f\s:]{40,100}$/u);

export const ErrorCodeSchema = z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]);
export const ErrorInfoSchema = z.object({ code: ErrorCodeSchema, message: z.string(), path: z.string().optional() });
export type IpcError = z.infer<typeof ErrorInfoSchema>;

export const ProgressSchema = z.object({
  phase: z.enum(PROGRESS_PHASES),
  bytesDone: z.number(),
  bytesTotal: z.number().nullable(),
  filesDone: z.number(),
  filesTotal: z.number().nullable(),
  rateBytesPerSecond: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  jobEtaSeconds: z.number().nullable().optional(),
});

export const ProblemSchema = z.object({ code: z.enum(PROBLEM_CODES), path: z.string().optional(), message: z.string() });

export const SignerInfoSchema = z.object({
  fingerprint: z.string(),
  userIds: z.array(z.string()),
  label: z.string().nullable(),
  role: z.string().nullable(),
  signedAt: z.string(),
});

export const BundleSummarySchema = z.object({
  name: z.string().nullable(),
  path: z.string(),
  uuid: z.string().nullable(),
  station: z.string().nullable(),
  operator: z.string().nullable(),
  sequence: z.number().nullable(),
  created: z.string().nullable(),
  files: z.number(),
  bytes: z.number(),
  tagmanifestSha256: z.string().nullable(),
});

const FileOutcomeSchema = z.enum(FILE_OUTCOMES);
const OutcomeCounts = z.object(Object.fromEntries(FILE_OUTCOMES.map((o) => [o, z.number()])) as { [K in (typeof FILE_OUTCOMES)[number]]: z.ZodNumber });

/** Per-file results; core bounds `listed` (FileResults.cap), and so does this schema, with room to spare. */
export const FileResultsSchema = z.object({
  listed: z
    .array(z.object({ path: z.string(), size: z.number().nullable(), outcome: FileOutcomeSchema, code: z.enum(PROBLEM_CODES).nullable() }))
    .max(20_000),
  counts: OutcomeCounts,
  cap: z.object({ ok: z.number(), failed: z.number() }),
  omitted: z.object({ ok: z.number(), failed: z.number() }),
  notChecked: z.number(),
  complete: z.boolean(),
});

export const PolicySummarySchema = z.object({
  findings: z.array(
    z.object({
      check: z.enum(POLICY_CHECKS),
      outcome: z.enum(['pass', 'fail', 'not-checked']),
      rule: z.string(),
      detail: z.string(),
      code: z.enum(PROBLEM_CODES).nullable(),
      refusedBy: z.enum(['verify', 'import']),
    }),
  ),
});

export const VerifyResultSchema = z.object({
  ok: z.boolean(),
  bundle: BundleSummarySchema,
  signers: z.array(SignerInfoSchema),
  problems: z.array(ProblemSchema),
  files: FileResultsSchema,
  policy: PolicySummarySchema,
  parts: z
    .object({
      count: z.number(),
      volumes: z.number(),
      indexFiles: z.array(z.string()),
      files: z.array(z.object({ file: z.string(), volume: z.number(), path: z.string().nullable() })),
    })
    .optional(),
});
export type VerifyReport = z.infer<typeof VerifyResultSchema>;

// Removable media (schemas) -------------------------------------------------
// The media block: the schemas here, the channels in MEDIA_CHANNELS below (spread into
// IPC_CHANNELS), the export destination union and the verify-medium job.

/** A medium as main names it: MediaVolume.id (the device, or the folder of a declared root). */
const MediumId = z.string().min(1).max(4096);

export const MediaVolumeSchema = z.object({
  id: z.string(),
  device: z.string().nullable(),
  disk: z.string().nullable(),
  label: z.string().nullable(),
  filesystem: z.string().nullable(),
  size: z.number().nullable(),
  free: z.number().nullable(),
  mountPoint: z.string().nullable(),
  vendor: z.string().nullable(),
  model: z.string().nullable(),
  serial: z.string().nullable(),
  readOnly: z.boolean(),
  removable: z.boolean(),
  source: z.enum(['lsblk', 'diskutil', 'windows', 'config']),
});
export type MediaVolumeView = z.infer<typeof MediaVolumeSchema>;

export const MediaRefSchema = z.object({
  label: z.string().nullable(),
  serial: z.string().nullable(),
  device: z.string().nullable(),
  mountPoint: z.string().nullable(),
  filesystem: z.string().nullable(),
});

export const ReadBackMethodSchema = z.enum(['o-direct', 'flushbufs+o-direct', 'fadvise-dontneed', 'remount', 'buffered']);

export const ReadBackReportSchema = z.object({
  ok: z.boolean(),
  method: ReadBackMethodSchema,
  bypassesCache: z.boolean(),
  methodDetail: z.string(),
  files: z.array(z.object({ file: z.string(), size: z.number(), expectedSha256: z.string(), actualSha256: z.string().nullable(), ok: z.boolean() })),
  problems: z.array(ProblemSchema),
  bytes: z.number(),
  seconds: z.number(),
});

export const MediaExportReportSchema = z.object({
  bundle: z.object({ name: z.string(), uuid: z.string().nullable(), tagmanifestSha256: z.string() }),
  split: z.boolean(),
  parts: z.number(),
  volumes: z.array(z.object({ number: z.number(), medium: MediaRefSchema, files: z.array(z.string()), readBack: ReadBackReportSchema.nullable() })),
  files: z.array(z.object({ path: z.string(), size: z.number(), sha256: z.string(), volume: z.number(), kind: z.enum(['bundle', 'part', 'index', 'index-signature']) })),
  indexFile: z.string().nullable(),
  removedLeftovers: z.array(z.string()),
  readBackOk: z.boolean(),
});
export type MediaExportView = z.infer<typeof MediaExportReportSchema>;

/** `media verify` of one medium: every bundle and part set on it, read past the cache (core's MediaVerifyReport). */
export const MediaVerifyReportSchema = z.object({
  ok: z.boolean(),
  dir: z.string(),
  medium: MediaRefSchema.nullable(),
  readBack: z.object({ method: ReadBackMethodSchema, bypassesCache: z.boolean(), detail: z.string() }).nullable(),
  items: z.array(
    z.object({
      kind: z.enum(['bundle', 'split']),
      file: z.string(),
      ok: z.boolean(),
      reassembled: z.boolean(),
      result: VerifyResultSchema,
    }),
  ),
  problems: z.array(ProblemSchema),
  warnings: z.array(z.string()),
  seconds: z.number(),
});
export type MediaVerifyView = z.infer<typeof MediaVerifyReportSchema>;

/** A bundle found on a medium: a single NAME.airlock.tar, or the parts (and index) of a split one grouped. */
export const MediumBundleSchema = z.object({
  name: z.string(),
  kind: z.enum(['bundle', 'split']),
  /** What verify and import open: the bundle file, else the first part on this medium, else the index. */
  path: z.string(),
  /** Bytes of the bundle file, or of the parts on this medium. */
  bytes: z.number(),
  /** Split only: parts on this medium, parts in the whole set (from the part names), index present here. */
  partsHere: z.number(),
  partsTotal: z.number().nullable(),
  indexHere: z.boolean(),
});
export type MediumBundle = z.infer<typeof MediumBundleSchema>;

/** Where an export goes: a folder chosen in a dialog, or a detected medium by its id. */
export const ExportDestinationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('folder'), path: PathString }),
  z.strictObject({ kind: z.literal('medium'), mediumId: MediumId }),
]);
export type ExportDestination = z.infer<typeof ExportDestinationSchema>;


/** Where core wrote the signed transfer receipt for the operator (beside the bundle / import). */
const ReceiptSchema = z.object({ json: z.string(), signature: z.string().nullable(), html: z.string() }).nullable().optional();

export const ImportResultSchema = VerifyResultSchema.extend({
  destination: z.string().nullable(),
  warnings: z.array(z.string()),
  auditEvent: z.number().optional(),
  receipt: ReceiptSchema,
});
export type ImportReport = z.infer<typeof ImportResultSchema>;

export const ExportResultSchema = z.object({
  bundlePath: z.string(),
  name: z.string(),
  uuid: z.string(),
  sequence: z.number(),
  files: z.number(),
  bytes: z.number(),
  bundleBytes: z.number(),
  tagmanifestSha256: z.string(),
  signers: z.array(z.object({ fingerprint: z.string(), userIds: z.array(z.string()) })),
  warnings: z.array(z.object({ path: z.string(), message: z.string() })),
  auditEvent: z.number().optional(),
  receipt: ReceiptSchema,
  /** An export to removable media: what was written where, and what reading it back proved. */
  media: MediaExportReportSchema.optional(),
});
export type ExportReport = z.infer<typeof ExportResultSchema>;

/** A trusted signer as the UI sees it: the armored key stays in main. */
export const TrustedSignerViewSchema = z.object({
  fingerprint: z.string(),
  label: z.string().nullable(),
  role: z.string().nullable(),
  userIds: z.array(z.string()),
  algorithm: z.string(),
  addedAt: z.string(),
});
export type TrustedSignerView = z.infer<typeof TrustedSignerViewSchema>;

export const KeyDescriptionSchema = z.object({
  fingerprint: z.string(),
  userIds: z.array(z.string()),
  algorithm: z.string(),
  created: z.string(),
  expires: z.string().nullable(),
});
export type KeyDescriptionView = z.infer<typeof KeyDescriptionSchema>;

export const SelectionSummarySchema = z.object({
  items: z.array(
    z.object({
      path: z.string(),
      name: z.string(),
      kind: z.enum(['file', 'folder', 'other', 'missing']),
      files: z.number(),
      bytes: z.number(),
    }),
  ),
  totalFiles: z.number(),
  totalBytes: z.number(),
  /** Things the export will refuse (blocking) or that the operator should know (not blocking). */
  warnings: z.array(z.object({ path: z.string(), message: z.string(), blocking: z.boolean() })),
  /** The walk stopped at its entry cap; the totals are lower bounds. */
  truncated: z.boolean(),
});
export type SelectionSummary = z.infer<typeof SelectionSummarySchema>;

// Audit log -----------------------------------------------------------------

/** Most events one page carries: the view pages with `beforeSeq`, so the answer stays small. */
export const AUDIT_PAGE_MAX = 200;

const SettingChangeSchema = z.object({
  field: z.enum([...CONFIG_FIELDS, ...POLICY_FIELDS]),
  from: z.union([z.string(), z.number()]).nullable(),
  to: z.union([z.string(), z.number()]).nullable(),
});

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

const IsoTime = z.iso.datetime({ offset: true });

// Settings ------------------------------------------------------------------

/** One line of 1-200 characters without control characters, as config.json accepts. */
const SettingText = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f]*$/u);
const policyValue = (field: PolicyField) => z.number().int().min(POLICY_BOUNDS[field].min).max(POLICY_BOUNDS[field].max).nullable().optional();

const PolicyNumbers = z.object({
  maxEntries: z.number(),
  maxTotalBytes: z.number(),
  maxFileBytes: z.number(),
  requiredSigners: z.number(),
  clockSkewSeconds: z.number(),
});

export const StationSettingsSchema = z.object({
  config: z.object({ stationName: z.string().nullable(), operatorName: z.string().nullable(), organization: z.string().nullable() }),
  policy: z.object({
    maxEntries: z.number().nullable(),
    maxTotalBytes: z.number().nullable(),
    maxFileBytes: z.number().nullable(),
    requiredSigners: z.number().nullable(),
    clockSkewSeconds: z.number().nullable(),
  }),
  effective: z.object({ station: z.string(), operator: z.string(), organization: z.string().nullable(), policy: PolicyNumbers }),
  defaults: z.object({ stationName: z.string(), operator: z.string(), policy: PolicyNumbers }),
  preserved: z.array(z.string()),
  files: z.object({ config: z.string(), policy: z.string() }),
});
export type StationSettingsView = z.infer<typeof StationSettingsSchema>;

// Jobs ----------------------------------------------------------------------

export const JobKindSchema = z.enum(['export', 'verify', 'import', 'verify-medium']);
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
]);
export type JobSnapshot = z.infer<typeof JobSnapshotSchema>;

export const JobEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), jobId: z.string(), progress: ProgressSchema }),
  z.object({ type: z.literal('finished'), job: JobSnapshotSchema }),
]);
export type JobEvent = z.infer<typeof JobEventSchema>;

const JobStarted = z.object({ jobId: z.string() });
const NoRequest = z.strictObject({});

// Removable media (channels) ------------------------------------------------

/** The media block of the channel table (spread into IPC_CHANNELS). */
const MEDIA_CHANNELS = {
  /** Media offered now (system disks never are). The renderer polls this every ~2 s while a media step is shown. */
  listMedia: {
    channel: 'airlock:media-list',
    request: NoRequest,
    response: z.object({ media: z.array(MediaVolumeSchema) }),
  },
  /** The bundles on one detected medium, split bundles grouped; `truncated` when the folder had too many entries to list. */
  listMediumBundles: {
    channel: 'airlock:media-bundles',
    request: z.strictObject({ mediumId: MediumId }),
    response: z.object({
      medium: MediaVolumeSchema,
      bundles: z.array(MediumBundleSchema),
      /** Temp files an interrupted write left on the medium. */
      leftovers: z.number(),
      truncated: z.boolean(),
    }),
  },
  /** Every bundle and part set on a medium re-verified past the page cache; result: MediaVerifyReport. */
  startVerifyMedium: {
    channel: 'airlock:job-verify-medium',
    request: z.strictObject({ mediumId: MediumId }),
    response: JobStarted,
  },
  ejectMedium: {
    channel: 'airlock:media-eject',
    request: z.strictObject({ mediumId: MediumId }),
    response: z.object({ medium: MediaRefSchema, actions: z.array(z.string()), unmounted: z.boolean(), poweredOff: z.boolean() }),
  },
} as const;

// Channels ------------------------------------------------------------------

/**
 * One entry per channel: the method name on `window.airlock` is the key, `channel` the
 * ipcMain/ipcRenderer channel name. Add a channel here and TypeScript asks for its handler
 * (electron/main/ipc/handlers.ts) and exposes it in the preload.
 */
export const IPC_CHANNELS = {
  // Removable media: its own block (see MEDIA_CHANNELS above).
  ...MEDIA_CHANNELS,
  stationStatus: {
    channel: 'airlock:station-status',
    request: NoRequest,
    response: z.object({
      version: z.string(),
      home: z.string(),
      station: z.string(),
      operator: z.string(),
      hasKey: z.boolean(),
      /** The station's own key as listed in the trust store (role "station"), when there is one. */
      stationKey: TrustedSignerViewSchema.nullable(),
    }),
  },
  generateKey: {
    channel: 'airlock:keys-generate',
    request: z.strictObject({
      name: z.string().trim().min(1).max(200),
      email: z.string().trim().max(200).optional(),
      passphrase: z.string().min(1).max(1024),
    }),
    response: KeyDescriptionSchema,
  },
  listTrusted: {
    channel: 'airlock:keys-list',
    request: NoRequest,
    response: z.object({ signers: z.array(TrustedSignerViewSchema) }),
  },
  inspectKeyFile: {
    channel: 'airlock:keys-inspect-file',
    request: z.strictObject({ file: PathString }),
    response: KeyDescriptionSchema,
  },
  trustKeyFile: {
    channel: 'airlock:keys-trust',
    request: z.strictObject({
      file: PathString,
      label: z.string().trim().max(200).optional(),
      /** The fingerprint the operator confirmed: core refuses the file if it holds another key. */
      expectedFingerprint: Fingerprint,
    }),
    response: z.object({ signer: TrustedSignerViewSchema, alreadyTrusted: z.boolean() }),
  },
  untrustKey: {
    channel: 'airlock:keys-untrust',
    request: z.strictObject({ fingerprint: Fingerprint }),
    response: TrustedSignerViewSchema,
  },
  chooseExportSources: {
    channel: 'airlock:dialog-export-sources',
    // Linux and Windows dialogs pick files or folders, never both at once.
    request: z.strictObject({ kind: z.enum(['files', 'folders']) }),
    response: z.object({ paths: z.array(z.string()) }),
  },
  chooseFolder: {
    channel: 'airlock:dialog-folder',
    request: z.strictObject({ purpose: z.enum(['export-destination', 'import-destination']) }),
    response: z.object({ path: z.string().nullable() }),
  },
  chooseBundle: {
    channel: 'airlock:dialog-bundle',
    request: NoRequest,
    response: z.object({ path: z.string().nullable() }),
  },
  chooseKeyFile: {
    channel: 'airlock:dialog-key-file',
    request: NoRequest,
    response: z.object({ path: z.string().nullable() }),
  },
  summarizeSelection: {
    channel: 'airlock:selection-summarize',
    request: z.strictObject({ paths: z.array(PathString).min(1).max(10_000) }),
    response: SelectionSummarySchema,
  },
  startExport: {
    channel: 'airlock:job-export',
    request: z.strictObject({
      selection: z.array(PathString).min(1).max(10_000),
      destination: ExportDestinationSchema,
      name: z.string().min(1).max(100).optional(),
      passphrase: z.string().min(1).max(1024),
    }),
    response: JobStarted,
  },
  startVerify: {
    channel: 'airlock:job-verify',
    request: z.strictObject({ bundlePath: PathString }),
    response: JobStarted,
  },
  startImport: {
    channel: 'airlock:job-import',
    request: z.strictObject({ bundlePath: PathString, destDir: PathString, allowReplay: z.boolean().optional() }),
    response: JobStarted,
  },
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
  verifyAudit: {
    channel: 'airlock:audit-verify',
    request: NoRequest,
    response: AuditVerifySchema,
  },
  exportAudit: {
    channel: 'airlock:audit-export',
    request: z.strictObject({ format: z.enum(['csv', 'json']) }),
    /** `path` null: the operator closed the save dialog, nothing was written. */
    response: z.object({ path: z.string().nullable(), events: z.number(), checkpoints: z.number() }),
  },
  getSettings: {
    channel: 'airlock:settings-get',
    request: NoRequest,
    response: StationSettingsSchema,
  },
  saveSettings: {
    channel: 'airlock:settings-save',
    /** A value sets a field, null removes it (the default applies), an absent field is left as it is. */
    request: z.strictObject({
      config: z
        .strictObject({ stationName: SettingText.nullable().optional(), operatorName: SettingText.nullable().optional(), organization: SettingText.nullable().optional() })
        .optional(),
      policy: z
        .strictObject({
          maxEntries: policyValue('maxEntries'),
          maxTotalBytes: policyValue('maxTotalBytes'),
          maxFileBytes: policyValue('maxFileBytes'),
          requiredSigners: policyValue('requiredSigners'),
          clockSkewSeconds: policyValue('clockSkewSeconds'),
        })
        .optional(),
    }),
    response: z.object({ changes: z.array(SettingChangeSchema), auditEvent: z.number().nullable(), settings: StationSettingsSchema }),
  },
} as const satisfies Record<string, { channel: `airlock:${string}`; request: z.ZodType; response: z.ZodType }>;

/** Main -> renderer: job progress and completion. The only event channel. */
export const JOB_EVENT_CHANNEL = 'airlock:job-event';

export type IpcMethod = keyof typeof IPC_CHANNELS;
export type IpcRequest<M extends IpcMethod> = z.input<(typeof IPC_CHANNELS)[M]['request']>;
/** What a handler receives: the request after parsing (trimmed, defaults applied). */
export type IpcParsedRequest<M extends IpcMethod> = z.output<(typeof IPC_CHANNELS)[M]['request']>;
export type IpcResponse<M extends IpcMethod> = z.output<(typeof IPC_CHANNELS)[M]['response']>;

/** Every answer crosses as data: errors keep their code (an Error object would lose it at the bridge). */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const IPC_METHODS = Object.keys(IPC_CHANNELS) as IpcMethod[];

// The schemas describe the types core returns (shared/results.ts, progress.ts, problems.ts);
// these fail to compile when the two drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const inSync = <T extends true>(): T | undefined => undefined;
inSync<Same<z.infer<typeof ProgressSchema>, Progress>>();
inSync<Same<z.infer<typeof ProblemSchema>, Problem>>();
inSync<Same<z.infer<typeof SignerInfoSchema>, SignerInfo>>();
inSync<Same<z.infer<typeof BundleSummarySchema>, BundleSummary>>();
inSync<Same<z.infer<typeof FileResultsSchema>, FileResults>>();
inSync<Same<z.infer<typeof PolicySummarySchema>, PolicySummary>>();
inSync<Same<z.infer<typeof VerifyResultSchema>, VerifyResult>>();
inSync<Same<Omit<z.infer<typeof ExportResultSchema>, 'warnings' | 'auditEvent' | 'receipt' | 'media'>, ExportResult>>();
inSync<Same<z.infer<typeof StationSettingsSchema>, StationSettings>>();
inSync<Same<z.infer<typeof SettingChangeSchema>, SettingChange>>();
inSync<Same<z.infer<typeof MediaVolumeSchema>, MediaVolume>>();
inSync<Same<z.infer<typeof MediaRefSchema>, MediaRef>>();
inSync<Same<z.infer<typeof MediaExportReportSchema>, MediaExportReport>>();
