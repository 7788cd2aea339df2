/** Export, verify and import in the IPC contract: choosing what and where, starting the jobs, and what they return. */
import { z } from 'zod';
import type { ExportResult } from '../results.js';
import { inSync, JobStarted, NoRequest, PathString, ProblemSchema, type ChannelBlock, type Same } from './common.js';
import { ExportedImagesSchema, ExportImagesFields, ImagePushResultSchema, PushTargetSchema } from './images.js';
import { ChannelNameInput, ChannelStampSchema } from './feed.js';
import { ExportDestinationSchema, MediaExportReportSchema } from './media.js';
import { VerifyResultSchema } from './results.js';

/** Where core wrote the signed transfer receipt for the operator (beside the bundle / import). */
/**
 * What an export carries and how it is signed: the same for a direct export (`startExport`) and a
 * staged one (`startPrepareExport`, two-person.ts), which differ only in where the bundle goes.
 */
export const ExportContentFields = {
  /** Files and folders; may be empty when images or charts are given. */
  selection: z.array(PathString).max(10_000),
  name: z.string().min(1).max(100).optional(),
  passphrase: z.string().min(1).max(1024),
  /** The CLI's --channel; main checks the name rules (CHANNEL_NAME_INVALID) before the job starts. */
  channel: ChannelNameInput.optional(),
  ...ExportImagesFields,
};
/** An export request names something to export: files, images, an images list or charts. */
export function exportsSomething(r: {
  selection: string[];
  images?: string[] | undefined;
  imagesFrom?: string | undefined;
  charts?: string[] | undefined;
}): boolean {
  return r.selection.length > 0 || (r.images?.length ?? 0) > 0 || r.imagesFrom !== undefined || (r.charts?.length ?? 0) > 0;
}
export const NOTHING_TO_EXPORT = { message: 'nothing to export', path: ['selection'] };

const ReceiptSchema = z
  .object({
    json: z.string(),
    signature: z.string().nullable(),
    html: z.string(),
    // The PDF receipt (issue #19.2) and its signature; optional so an older worker's answer still parses.
    pdf: z.string().nullable().optional(),
    pdfSignature: z.string().nullable().optional(),
  })
  .nullable()
  .optional();

export const ImportResultSchema = VerifyResultSchema.extend({
  destination: z.string().nullable(),
  warnings: z.array(z.string()),
  auditEvent: z.number().optional(),
  receipt: ReceiptSchema,
  /** Per image, what the registry push did (an import with a push target, of a bundle carrying images). */
  pushes: z.array(ImagePushResultSchema).max(4096).optional(),
  /** A bundle content inspection refused, kept in the station's quarantine (issue #16.5). */
  quarantine: z.object({ id: z.string().max(128), path: z.string().max(4096) }).optional(),
  /** A quarantine release: the findings recorded at quarantine that this import accepted (nothing else may be). */
  overridden: z.array(ProblemSchema).max(100_000).optional(),
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
  /** An export that carried images or charts: what it stored of them. */
  images: ExportedImagesSchema.optional(),
  /** The channel stamp the bundle carries (`export --channel`, a heartbeat); absent without a channel. */
  channel: ChannelStampSchema.optional(),
});
export type ExportReport = z.infer<typeof ExportResultSchema>;

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

/**
 * What a file dialog is for; only charts may be picked several at once. `signing-key`: an
 * operator's own armored private key (a quarantine release); `key-backup`: what `keys backup`
 * wrote; `revocation`: a revocation certificate (the Keys view).
 */
export const FILE_PURPOSES = ['image-list', 'chart', 'registry-ca', 'blobs-receipt', 'signing-key', 'key-backup', 'revocation'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];

/** The transfer block of the channel table: sources and destinations chosen, export, verify and import started. */
export const TRANSFER_CHANNELS = {
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
  /** Files that go with images: a list of references, chart archives, the registry's CA, the far side's import receipt. */
  chooseFile: {
    channel: 'airlock:dialog-file',
    request: z.strictObject({ purpose: z.enum(FILE_PURPOSES) }),
    response: z.object({ paths: z.array(z.string()) }),
  },
  chooseBundle: {
    channel: 'airlock:dialog-bundle',
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
    request: z.strictObject({ ...ExportContentFields, destination: ExportDestinationSchema }).refine(exportsSomething, NOTHING_TO_EXPORT),
    response: JobStarted,
  },
  startVerify: {
    channel: 'airlock:job-verify',
    request: z.strictObject({ bundlePath: PathString }),
    response: JobStarted,
  },
  startImport: {
    channel: 'airlock:job-import',
    request: z
      .strictObject({
        bundlePath: PathString,
        destDir: PathString.optional(),
        allowReplay: z.boolean().optional(),
        pushTo: PushTargetSchema.optional(),
        /** Unlocks the station key to sign the receipt set and an audit checkpoint; left out, both stay unsigned (the CLI's Enter). */
        passphrase: z.string().min(1).max(1024).optional(),
      })
      // No folder only for a push: the engine then refuses a bundle that holds files besides its images.
      .refine((r) => r.destDir !== undefined || r.pushTo !== undefined, { message: 'a destination folder or a registry', path: ['destDir'] }),
    response: JobStarted,
  },
} as const satisfies ChannelBlock;

inSync<Same<Omit<z.infer<typeof ExportResultSchema>, 'warnings' | 'auditEvent' | 'receipt' | 'media' | 'images' | 'channel'>, ExportResult>>();
