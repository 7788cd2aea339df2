/**
 * Messages between the job host (electron/main/jobs) and a job worker (electron/worker).
 * One worker runs one job: the job arrives as workerData, cancellation as a message, and the
 * worker answers with progress messages and exactly one `done` or `failed`.
 */
import type { ErrorInfo } from './errors.js';
import type { ExportDestination, JobKind } from './ipc.js';
import type { Progress } from './progress.js';

export interface JobRequests {
  /** A folder destination runs Station.exportBundle; a medium runs Station.exportToMedia (write, then read back). */
  export: {
    selection: string[];
    destination: ExportDestination;
    name?: string | undefined;
    passphrase: string;
    /** Stamp the bundle on this channel (the CLI's --channel; docs/channels.md). */
    channel?: string | undefined;
    /** Images and charts (issue #15): the ExportRequest fields of the same names. */
    images?: string[] | undefined;
    imagesFrom?: string | undefined;
    platforms?: string[] | undefined;
    charts?: string[] | undefined;
    skipBlobsIn?: string | undefined;
  };
  verify: { bundlePath: string };
  /** `pushTo` is core's RegistryEndpoint, built by main from the renderer's `HOST[:PORT][/PREFIX]`. */
  import: {
    bundlePath: string;
    destDir?: string | undefined;
    allowReplay?: boolean | undefined;
    pushTo?: PushEndpoint | undefined;
    /** The station key's passphrase: signs the receipt set and an audit checkpoint (never logged, never in a job's listing). */
    passphrase?: string | undefined;
  };
  /** Station.verifyMedia of a medium main has checked is listed now. */
  /** `passphrase`: the station key's, to sign the verification's receipts and an audit checkpoint (never logged, never in a job's listing). */
  'verify-medium': { mediumId: string; passphrase?: string | undefined };
  /**
   * One operator's decision to release a quarantined bundle (Station.quarantineRelease, issue #16.5):
   * main has checked the typed name against the entry. `operator` opens the station as that operator
   * (the CLI's --operator); `signer` is core's SignerSpec, structurally.
   */
  'quarantine-release': { id: string; destDir: string; reason: string; operator?: string | undefined; signer?: ReleaseSigner | undefined };
  /** Station.importFeed, as `airlock feed import` calls it. */
  'feed-import': { bundlePath: string; allowDowngrade?: boolean | undefined };
  /** Station.sendHeartbeat, as `airlock heartbeat` calls it; `outDir` is the chosen folder or the medium's mount point. */
  heartbeat: { channel: string; outDir: string; name?: string | undefined; passphrase: string };
  /** Station.prepareExport into the home's staged/ folder, signed by the station key (the CLI's `export --prepare`). */
  'export-prepare': Omit<JobRequests['export'], 'destination'>;
  /**
   * Station.finishExport (to `outDir`) or Station.finishExportToMedia (onto the media `mediumIds`
   * name, in that order, each checked by main as offered and writable) of a staged folder main has found in the
   * station's list or in the staging folder it opened; the passphrase signs the receipt (and a split bundle's index).
   */
  'export-finish': { stagedDir: string; outDir?: string | undefined; mediumIds?: string[] | undefined; passphrase?: string | undefined };
  /** Station.verifyAudit: the chain, every checkpoint and the signed head, with progress. */
  'audit-verify': Record<string, never>;
}

/** Where an import job pushes images (core's RegistryEndpoint, structurally: shared imports no core type). */
export interface PushEndpoint {
  host: string;
  prefix: string;
  insecure: boolean;
  caFile?: string | undefined;
  credentials?: { username: string; password: string } | undefined;
}

/** How a releasing operator proves who they are (core's SignerSpec, structurally: shared imports no core type). */
export type ReleaseSigner =
  | { kind: 'station'; passphrase: string }
  | { kind: 'key-file'; file: string; passphrase: string }
  | { kind: 'gpg'; fingerprint: string; passphrase?: string | undefined };

/** workerData of a job worker. */
export type JobStart = {
  [K in JobKind]: { kind: K; request: JobRequests[K]; station: { home: string; operator?: string } };
}[JobKind];

export type HostToWorker = { type: 'cancel' };

export type WorkerToHost = { type: 'progress'; progress: Progress } | { type: 'done'; result: unknown } | { type: 'failed'; error: ErrorInfo };
