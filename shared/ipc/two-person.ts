/**
 * Two-person exports in the IPC contract (docs/cli.md "Two-person exports"): prepare (a job: scan,
 * hash, sign as the preparing operator, a staged folder in the home's staged/), the staged list,
 * what an approver is about to sign, approve (a second operator's signature, after typing the
 * bundle's name as the CLI asks), finish (a job: the same write as an export to a folder or a medium) and
 * discard. The renderer names a staged export by its name in the home's staged/ folder, never by
 * a path: main looks the name up in the station's own list, so no other folder can be reached.
 */
import { z } from 'zod';
import type { ExportedImages } from '../images.js';
import { ErrorInfoSchema, JobStarted, NoRequest, PathString, type ChannelBlock } from './common.js';
import { ExportedImagesSchema } from './images.js';
import { MediumIdSchema } from './media.js';
import { ReleaseSignerSchema } from './quarantine.js';
import { ExportContentFields, exportsSomething, NOTHING_TO_EXPORT } from './transfer.js';

/** Files one summary lists; the count says how many there are (a staged export may hold a million). */
export const STAGED_FILES_SHOWN = 1000;
/** Media one finish may name (the CLI's `--to-media ID,ID...`): more than a station has ports. */
export const FINISH_MEDIA_MAX = 16;
/** Staged exports one listing carries. */
export const STAGED_LIST_MAX = 1000;
/** Where images live in a bundle (docs/bundle-format.md §15): summed up by the image lines, not listed. */
const IMAGE_LAYOUT_PREFIX = 'data/oci/';

/** A staged export's folder name in the home's staged/: one name, never a path, `.` or `..`. */
export const StagedNameSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^(?!\.\.?$)[^/\\\u0000-\u001f\u007f]+$/u, 'a staged export name');

const SignerSchema = z.object({ fingerprint: z.string().max(128), userIds: z.array(z.string().max(4096)).max(64) });

/** One entry of `export --list-staged`, with who has signed (the first is who prepared it). */
export const StagedEntryViewSchema = z.object({
  name: z.string().max(4096),
  dir: z.string().max(4096),
  state: z.enum(['ready', 'invalid', 'finished']),
  reason: z.string().max(4096).nullable(),
  files: z.number().nullable(),
  bytes: z.number().nullable(),
  signatures: z.number().nullable(),
  createdAt: z.string().max(64).nullable(),
  signers: z.array(SignerSchema).max(64).nullable(),
  /** Where it is: the home's staged/ folder, or the staging folder the operator opened (main's dialog). */
  source: z.enum(['home', 'folder']).optional(),
});
export type StagedEntryView = z.infer<typeof StagedEntryViewSchema>;

/**
 * The home's staged exports and the opened staging folder's. `folder`: the staging folder opened
 * through main's dialog and kept in config.json (`stagingFolder`), or null. `folderUnavailable`:
 * that folder could not be listed now (gone, unmounted, unreadable): said, not an error, and the
 * home's list is there as ever.
 */
const StagedListing = z.object({
  staged: z.array(StagedEntryViewSchema).max(STAGED_LIST_MAX),
  folder: z.string().max(4096).nullable().optional(),
  folderUnavailable: z
    .object({ folder: z.string().max(4096), error: ErrorInfoSchema })
    .nullable()
    .optional(),
});

/** Which list a staged export's name is looked up in (absent: the home's). The page never sends a folder. */
const StagedSource = z.enum(['home', 'folder']).optional();

/** What an approver is about to sign (core's StagedSummary): the files from the signed manifest, shortened. */
export const StagedSummaryViewSchema = z.object({
  stagedDir: z.string().max(4096),
  name: z.string().max(4096),
  uuid: z.string().max(128),
  /** Payload files, those of the image layout (data/oci/) left out when the export carries images. */
  fileCount: z.number(),
  /** Files in the image layout, summed up by the image lines. */
  imageLayoutFiles: z.number(),
  /** The first STAGED_FILES_SHOWN of them. */
  files: z.array(z.string().max(8192)).max(STAGED_FILES_SHOWN),
  totalBytes: z.number(),
  signatures: z.array(SignerSchema.extend({ trustedLabel: z.string().max(4096).nullable(), role: z.string().max(64).nullable() })).max(64),
  images: ExportedImagesSchema.optional(),
});
export type StagedSummaryView = z.infer<typeof StagedSummaryViewSchema>;

/** Core's StagedSummary, structurally (shared imports no core type). */
export interface StagedSummaryLike {
  stagedDir: string;
  name: string;
  uuid: string;
  files: ReadonlyArray<{ path: string }>;
  totalBytes: number;
  signatures: StagedSummaryView['signatures'];
  images?: ExportedImages | undefined;
}

/** The summary as it crosses to the renderer: as the CLI's approve prints it, with a bounded file list. */
export function stagedSummaryView(staged: StagedSummaryLike): StagedSummaryView {
  const files = staged.images ? staged.files.filter((f) => !f.path.startsWith(IMAGE_LAYOUT_PREFIX)) : staged.files;
  return {
    stagedDir: staged.stagedDir,
    name: staged.name,
    uuid: staged.uuid,
    fileCount: files.length,
    imageLayoutFiles: staged.files.length - files.length,
    files: files.slice(0, STAGED_FILES_SHOWN).map((f) => f.path),
    totalBytes: staged.totalBytes,
    signatures: staged.signatures.map(({ fingerprint, userIds, trustedLabel, role }) => ({ fingerprint, userIds, trustedLabel, role })),
    ...(staged.images ? { images: staged.images } : {}),
  };
}

/** The two-person block of the channel table. */
export const TWO_PERSON_CHANNELS = {
  /** `export --list-staged`: ready ones and those a failed prepare left incomplete. */
  listStaged: {
    channel: 'airlock:staged-list',
    request: NoRequest,
    /** The opened staging folder's exports are listed too, with source 'folder'. */
    response: StagedListing,
  },
  /**
   * `export --list-staged --staging DIR`: main's folder dialog picks DIR, main keeps it in
   * config.json (a settings-change in the audit log) and lists it beside the home's from then on,
   * after a restart too; the page names those exports by name and source 'folder'. Cancelled
   * dialog: the folder open before stays.
   */
  openStagingFolder: {
    channel: 'airlock:staged-open-folder',
    request: NoRequest,
    response: StagedListing,
  },
  /** Stop listing the opened staging folder (config.json `stagingFolder` removed); nothing in it is touched. */
  closeStagingFolder: {
    channel: 'airlock:staged-close-folder',
    request: NoRequest,
    response: StagedListing,
  },
  /** What `approve` shows before it asks: the files, size, images and who signed so far. */
  describeStaged: {
    channel: 'airlock:staged-describe',
    request: z.strictObject({ name: StagedNameSchema, source: StagedSource }),
    response: StagedSummaryViewSchema,
  },
  /** A second operator's signature: the bundle's name typed as confirmation (main checks it), then their key. */
  approveStaged: {
    channel: 'airlock:staged-approve',
    request: z.strictObject({ name: StagedNameSchema, source: StagedSource, confirmName: z.string().min(1).max(4096), signer: ReleaseSignerSchema }),
    response: StagedSummaryViewSchema,
  },
  /** `export --discard-staged NAME`: the name typed as confirmation. */
  discardStaged: {
    channel: 'airlock:staged-discard',
    request: z.strictObject({ name: StagedNameSchema, source: StagedSource, confirmName: z.string().min(1).max(4096) }),
    response: z.object({ name: z.string().max(4096), dir: z.string().max(4096) }),
  },
  /** `export --prepare`: hash and sign as the preparing operator (station key); no bundle is written yet. */
  startPrepareExport: {
    channel: 'airlock:job-export-prepare',
    request: z
      // The channel, as `export --prepare --channel`, takes its number at prepare.
      .strictObject(ExportContentFields)
      .refine(exportsSomething, NOTHING_TO_EXPORT),
    response: JobStarted,
  },
  /**
   * `export --finish NAME --out DIR` or `--to-media ID[,ID...]`: write the approved bundle with
   * every signature to a folder, or onto detected media (by their ids, each checked by main as an
   * export's; volume 1 on the first, parts and a signed index when it needs more), read back
   * there. The passphrase signs the receipt (and a split bundle's volume index: main requires it
   * for media, as the CLI does).
   */
  startFinishExport: {
    channel: 'airlock:job-export-finish',
    request: z
      .strictObject({
        name: StagedNameSchema,
        source: StagedSource,
        outDir: PathString.optional(),
        mediumIds: z
          .array(MediumIdSchema)
          .min(1)
          .max(FINISH_MEDIA_MAX)
          .refine((ids) => new Set(ids).size === ids.length, 'each medium once')
          .optional(),
        passphrase: z.string().min(1).max(1024).optional(),
      })
      .refine((r) => (r.outDir === undefined) !== (r.mediumIds === undefined), 'a folder (outDir) or media (mediumIds), one of them'),
    response: JobStarted,
  },
} as const satisfies ChannelBlock;
