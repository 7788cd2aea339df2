/**
 * Removable media in the IPC contract: the schemas (volumes, what an export wrote and read back,
 * `media verify`, the bundles on a medium, the export destination) and the media channels.
 */
import { z } from 'zod';
import type { MediaExportReport, MediaRef, MediaVolume } from '../media.js';
import { inSync, JobStarted, PathString, ProblemSchema, type ChannelBlock, type Same } from './common.js';
import { VerifyResultSchema } from './results.js';
import { READ_BACK_REGION_PARTS } from '../read-back-region.js';

/** A medium as main names it: MediaVolume.id (the device, or the folder of a declared root). */
export const MediumIdSchema = z.string().min(1).max(4096);
const MediumId = MediumIdSchema;

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
  large: z.boolean().optional(),
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
  files: z.array(
    z.object({
      file: z.string(),
      size: z.number(),
      expectedSha256: z.string(),
      actualSha256: z.string().nullable(),
      actualSize: z.number().nullable().optional(),
      firstDifference: z.object({ offset: z.number(), length: z.number() }).nullable().optional(),
      differsIn: z.string().nullable().optional(),
      differsInRegion: z
        .object({ part: z.enum(READ_BACK_REGION_PARTS), path: z.string().nullable(), endsEarly: z.boolean().optional() })
        .nullable()
        .optional(),
      ok: z.boolean(),
    }),
  ),
  problems: z.array(ProblemSchema),
  bytes: z.number(),
  seconds: z.number(),
  checkedBy: z.enum(['sha256', 'records']).optional(),
});

export const MediaExportReportSchema = z.object({
  bundle: z.object({ name: z.string(), uuid: z.string().nullable(), tagmanifestSha256: z.string() }),
  split: z.boolean(),
  parts: z.number(),
  volumes: z.array(z.object({ number: z.number(), medium: MediaRefSchema, files: z.array(z.string()), readBack: ReadBackReportSchema.nullable() })),
  files: z.array(
    z.object({ path: z.string(), size: z.number(), sha256: z.string(), volume: z.number(), kind: z.enum(['bundle', 'part', 'index', 'index-signature']) }),
  ),
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
  auditEvent: z.number().optional(),
  /** The receipt sets written for the verification (issue #19.2), never on the medium; `problem` when none could be. */
  receipt: z
    .object({
      dir: z.string(),
      sets: z.array(
        z.object({ json: z.string(), signature: z.string().nullable(), html: z.string(), pdf: z.string().nullable(), pdfSignature: z.string().nullable() }),
      ),
      signed: z.boolean(),
      problem: z.object({ code: z.string(), message: z.string() }).nullable(),
    })
    .optional(),
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

/** The media block of the channel table (spread into IPC_CHANNELS). */
export const MEDIA_CHANNELS = {
  /** Media offered now (system disks never are). The renderer polls this every ~2 s while a media step is shown. */
  listMedia: {
    channel: 'airlock:media-list',
    /** `sources`: the export's selection; a medium on the disk holding any of them is not offered (issue #19.4). */
    request: z.strictObject({ sources: z.array(PathString).max(10_000).optional() }),
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
    /** `passphrase` unlocks the station key to sign the receipts and an audit checkpoint; left out, both stay unsigned (the CLI's Enter). */
    request: z.strictObject({ mediumId: MediumId, passphrase: z.string().min(1).max(1024).optional() }),
    response: JobStarted,
  },
  ejectMedium: {
    channel: 'airlock:media-eject',
    request: z.strictObject({ mediumId: MediumId }),
    response: z.object({ medium: MediaRefSchema, actions: z.array(z.string()), unmounted: z.boolean(), poweredOff: z.boolean() }),
  },
} as const satisfies ChannelBlock;

inSync<Same<z.infer<typeof MediaVolumeSchema>, MediaVolume>>();
inSync<Same<z.infer<typeof MediaRefSchema>, MediaRef>>();
inSync<Same<z.infer<typeof MediaExportReportSchema>, MediaExportReport>>();
