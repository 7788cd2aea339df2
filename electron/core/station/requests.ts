import type { Readable } from 'node:stream';
import type { ChannelStamp } from '../../../shared/channels.js';
import type { ExportedImages, ImagePushResult } from '../../../shared/images.js';
import type { QuarantineEntry } from '../../../shared/inspection.js';
import type { VerifyResult } from '../../../shared/results.js';
import type { MediaExportReport, MediaVolume } from '../../../shared/media.js';
import type { ProgressListener } from '../../../shared/progress.js';
import type { AuditCheckpoint } from '../audit/audit-checkpoint.js';
import type { WrittenReceipt } from '../audit/receipt.js';
import type { WriteBundleResult } from '../export/write-bundle.js';
import type { ReceiptRenderer } from '../receipts/pdf-render-early.js';
import type { SignerSpec } from '../crypto/signer-spec.js';
import type { RegistryEndpoint } from '../oci/registry/registry-api.js';
import type { ImportResult } from '../import/import-bundle.js';
import type { NextMediumRequest } from '../media/output/media-output.js';
import type { AskForMedium } from '../media/parts/part-set.js';

// What the station's operations take and give: the CLI, the worker and the main process see
// these through core/index.ts.

export interface ExportRequest {
  /** Files and folders; may be empty when images or charts are given. */
  selection: readonly string[];
  /** Image references (`oci:DIR[:TAG]`, `oci-archive:FILE[:TAG]`, `docker-archive:FILE`, `docker://HOST[:PORT]/REPO:TAG|@DIGEST`), issue #15. */
  images?: readonly string[] | undefined;
  /** A file of image references, one per line (`--images-from`). */
  imagesFrom?: string | undefined;
  /** Platforms to take from multi-platform images (`linux/amd64`, `linux/arm64/v8`); absent: all. */
  platforms?: readonly string[] | undefined;
  /** Helm chart archives (`--chart FILE.tgz`). */
  charts?: readonly string[] | undefined;
  /** A signed import receipt from the far side: blobs its registry holds are left out (`--skip-blobs-in`). */
  skipBlobsIn?: string | undefined;
  /** How docker:// sources' registries are reached: plain HTTP (loopback only), CA file, credentials. */
  registry?: { insecure?: boolean | undefined; caFile?: string | undefined; credentials?: { username: string; password: string } | undefined } | undefined;
  outDir: string;
  name?: string | undefined;
  /** Stamp the bundle on this channel: its next sequence number and the back-link (docs/channels.md). */
  channel?: string | undefined;
  /** The station key's passphrase; or give `signer` to sign with GnuPG or another key. */
  passphrase?: string | undefined;
  signer?: SignerSpec | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
}

export interface ImportRequest {
  bundlePath: string;
  /** Read the bundle from this stream (stdin) instead of bundlePath, once; bundlePath is then only its name in reports. */
  stream?: Readable | undefined;
  /** Where the files land (DIR/<bundle name>); may be left out when `pushTo` is given and the bundle holds images only. */
  destDir?: string | undefined;
  allowReplay?: boolean | undefined;
  /** Unlocks the station key to sign the receipt and an audit checkpoint; without it both stay unsigned. */
  passphrase?: string | undefined;
  signer?: SignerSpec | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
  askForMedium?: MediaAsk | undefined;
  /**
   * A split bundle's index and parts are taken only from the folder of bundlePath, never from
   * inserted media: the folder is the whole set (a watcher's claim, a quarantine entry), and what is
   * judged and moved must be what was imported.
   */
  onlyBesideBundle?: boolean | undefined;
  /** A receipt PDF renderer kept running between imports (`airlock watch`); else one started at the import's start (pdf-render-early.ts). */
  pdfRenderer?: ReceiptRenderer | undefined;
  /** Push the bundle's images to this registry after full verification (`--push-to`), issue #15. */
  pushTo?: RegistryEndpoint | undefined;
  /**
   * The caller tries again while another import of this very bundle runs (`airlock watch`): such a
   * refusal is a wait, recorded as nothing (auditEvent null); the later try's outcome is recorded.
   */
  deferWhileImported?: boolean | undefined;
}

export interface VerifyRequest {
  bundlePath: string;
  /** Read the bundle from this stream (stdin) instead of bundlePath, once; bundlePath is then only its name in reports. */
  stream?: Readable | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
  now?: Date | undefined;
  /** A split bundle whose part or index is not inserted: ask the operator (resolve true when inserted, false to stop). */
  askForMedium?: MediaAsk | undefined;
}

/** What the CLI or app is asked when a split bundle needs another medium. */
export type MediaAsk = (request: Parameters<AskForMedium>[0]) => Promise<boolean>;

/**
 * The media an export writes to and how (docs/cli.md "Export to removable media"): the same for a
 * new export (`export --to-media`) and a staged one finished onto media (`export --finish --to-media`).
 */
export interface MediaTargetRequest {
  /** The media to write, in volume order: device, label or mount point as `media list` shows them. */
  media: readonly string[];
  /** Capacity to plan each medium with (bytes); media larger than this are used only up to it. */
  volumeSize?: number | undefined;
  /** Largest part (bytes, rounded down to 512); FAT's limit applies anyway. */
  partSize?: number | undefined;
  /** Interactive: the next medium, asked for when the named ones are full; resolve with its ID. */
  nextMedium?: ((request: NextMediumRequest) => Promise<string>) | undefined;
  /** Read back past the page cache after writing (default true). */
  readBack?: boolean | undefined;
  /** Each medium once resolved, before a byte is written to it (the CLI warns of a large drive here). */
  onMediaChosen?: ((media: readonly MediaVolume[]) => void) | undefined;
}

/** Images and charts, as in ExportRequest (issue #15). */
export interface MediaExportRequest extends ExportImageSources, MediaTargetRequest {
  selection: readonly string[];
  name?: string | undefined;
  /** As in ExportRequest (docs/channels.md). */
  channel?: string | undefined;
  passphrase?: string | undefined;
  signer?: SignerSpec | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
}

/** The image sources an export names (issue #15): the same fields for every kind of export. */
export type ExportImageSources = Pick<ExportRequest, 'images' | 'imagesFrom' | 'platforms' | 'charts' | 'skipBlobsIn' | 'registry'>;

/**
 * Two-person rule, step 1: hash the selection and sign the tag files as the preparing operator.
 * Images are pulled or copied into the staged export now, so the approver reviews what finish writes.
 */
export interface PrepareExportRequest extends ExportImageSources {
  /** Files and folders; may be empty when images or charts are given. */
  selection: readonly string[];
  name?: string | undefined;
  /** Stamp the bundle on this channel; the number is taken now and confirmed at finish (docs/channels.md). */
  channel?: string | undefined;
  stagingDir?: string | undefined;
  passphrase?: string | undefined;
  signer?: SignerSpec | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
}

/** Two-person rule, last step: write the staged bundle with every signature. */
export interface FinishExportRequest {
  stagedDir: string;
  outDir: string;
  passphrase?: string | undefined;
  signer?: SignerSpec | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
}

/**
 * `export --finish STAGED --to-media ID[,ID...]`: the staged bundle written onto media as
 * `export --to-media` writes one. The finishing key (required here) signs a split bundle's volume
 * index, the receipt and the checkpoint; the bundle's own signatures are the staged ones.
 */
export interface FinishToMediaRequest extends Omit<FinishExportRequest, 'outDir'>, MediaTargetRequest {}

/** What the audit log and receipts add to a transfer's result. */
export interface AuditTrail {
  auditEvent: number;
  checkpoint: AuditCheckpoint | null;
  receipt: WrittenReceipt | null;
}

/** A staged export as an approver sees it. */
export interface StagedSummary {
  stagedDir: string;
  name: string;
  uuid: string;
  files: Array<{ path: string; sha256: string }>;
  totalBytes: number;
  signatures: Array<{ fingerprint: string; userIds: string[]; trustedLabel: string | null; role: string | null }>;
  /** The images and charts it carries (repository, tag, digest, platforms, size), from its signed descriptor file. */
  images?: ExportedImages | undefined;
}

export type ExportOutcome = Omit<WriteBundleResult, 'payloadFiles'> &
  AuditTrail & {
    /** Present when the export carried images or charts (issue #15). */
    images?: ExportedImages | undefined;
    /** The channel stamp the bundle carries (docs/channels.md); absent without a channel. */
    channel?: ChannelStamp | undefined;
  };
export type ImportOutcome = Omit<ImportResult, 'payloadFiles'> &
  Omit<AuditTrail, 'auditEvent'> & {
    /** The import's event; null only for a refusal deferred while another import of the bundle runs (`deferWhileImported`). */
    auditEvent: number | null;
    /** Per image, what the registry push did (present when `pushTo` was given and the bundle carries images). */
    pushes?: ImagePushResult[] | undefined;
    /** A bundle refused by content inspection was kept in the station's quarantine (issue #16.5). */
    quarantine?: { id: string; path: string } | undefined;
  };
export type MediaExportOutcome = ExportOutcome & { media: MediaExportReport };

// Quarantine (issue #16.5; station/quarantine.ts) ------------------------------------------------

/** One quarantined bundle in full: its entry, the report that refused it, its files and the release decisions so far. */
export interface QuarantineDetail {
  entry: QuarantineEntry;
  /** The entry's folder (`<home>/quarantine/<id>`). */
  path: string;
  /** The verification and inspection report that refused it (its problems are the findings a release may override). */
  report: VerifyResult;
  /** The kept files (the bundle, or its parts with the volume index and its signature) and their sizes. */
  files: Array<{ name: string; bytes: number }>;
  /** Release approvals given so far and how many the policy requires now. */
  approvals: { given: number; required: 1 | 2 };
  /** A release in progress or interrupted: where it was importing to. */
  releasingTo: string | null;
}

export interface QuarantineReleaseRequest {
  id: string;
  /** Where the bundle's files land (DIR/<bundle name>), as with import. */
  destDir: string;
  /** Why it is released: recorded in the audit log (required, in words). */
  reason: string;
  /**
   * The releasing operator proves who they are with their own key (station key passphrase, GnuPG
   * or a key file): required where the policy requires two persons; optional otherwise.
   */
  signer?: SignerSpec | undefined;
  /** Unlocks the station key to sign the import receipt and an audit checkpoint (as import). */
  passphrase?: string | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
}

export interface QuarantineReleaseOutcome {
  /** The entry after this decision (status `released` once imported). */
  entry: QuarantineEntry;
  approvals: { given: number; required: 1 | 2 };
  /**
   * The import of the kept bundle, once enough operators decided; null while a second
   * operator's approval is awaited. `import.ok` false: a new finding (or any other problem) refused it.
   */
  import: ImportOutcome | null;
  /** The quarantine-release audit event. */
  auditEvent: number;
}

export interface QuarantinePurgeRequest {
  /** Entries by id; or every released entry; or every entry (held or released) kept longer than this many days. */
  ids?: readonly string[] | undefined;
  allReleased?: boolean | undefined;
  olderThanDays?: number | undefined;
  now?: Date | undefined;
}

export interface QuarantinePurgeOutcome {
  purged: Array<{ id: string; bundleName: string; status: QuarantineEntry['status'] }>;
  /** The quarantine-purge audit event; null when nothing matched. */
  auditEvent: number | null;
}
