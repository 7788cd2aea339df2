import type { Writable } from 'node:stream';
import type { MediaEvent, MediaVolume } from '../../shared/media.js';
import type { ProgressListener } from '../../shared/progress.js';
import type { VerifyResult } from '../../shared/results.js';
import type { SettingChange, SettingsPatch, StationSettings } from '../../shared/settings.js';
import type { AuditCheckpoint } from './audit/audit-checkpoint.js';
import type { AuditEvent } from './audit/audit-event.js';
import type { AuditExportFormat } from './audit/audit-export.js';
import type { AuditQuery } from './audit/audit-store.js';
import type { AuditVerifyResult } from './audit/audit-verify.js';
import type { StagedEntry } from './export/staged-list.js';
import type { SignerSpec } from './crypto/signer-spec.js';
import type { StationIdentity } from './home/station-config.js';
import type { HomePaths } from './home/station-home.js';
import type { KeyDescription } from './keys/public-key.js';
import type { TrustedSigner, TrustResult } from './keys/trust-store.js';
import type { ListedSigner } from './keys/trusted-key-refusal.js';
import type { EjectResult } from './media/discover/eject.js';
import type { MediaVerifyReport } from './media/read-back/media-verify.js';
import type { MediaWatch } from './media/discover/media-watch.js';
import type { ReconcileSummary } from './recovery/reconcile.js';
import type { OpenStationOptions, StationContext } from './station/context.js';
import type { FeedImportOutcome, FeedImportRequest } from './inspect/feeds/feed-types.js';
import type {
  ExportOutcome,
  ExportRequest,
  FinishExportRequest,
  FinishToMediaRequest,
  ImportOutcome,
  ImportRequest,
  MediaExportOutcome,
  MediaExportRequest,
  PrepareExportRequest,
  QuarantineDetail,
  QuarantinePurgeOutcome,
  QuarantinePurgeRequest,
  QuarantineReleaseOutcome,
  QuarantineReleaseRequest,
  StagedSummary,
  VerifyRequest,
} from './station/requests.js';
import type { QuarantineEntry } from '../../shared/inspection.js';
import type * as forward from './station/station-forward.js';
import type { ForwardStatus } from '../../shared/forward.js';
import type { DeliverNowResult } from './forward/index.js';
import type { InspectionStatus, PolicyCheck } from './station/inspection.js';
import type * as keys from './station/station-keys.js';
import type * as media from './station/station-media.js';
import type { WatchRequest } from './station/watch.js';
import type { WatchStatus } from '../../shared/watch.js';
import type { HeartbeatRequest } from './station/heartbeat.js';
// The three calls that answer synchronously, from the small modules that do them.
import { listAuditEvents } from './audit/audit-store.js';
import { watchMedia as watchMediaVolumes } from './media/discover/media-watch.js';
import { readWatchStatuses } from './watch/status-file.js';
import { load } from './station/lazy-operations.js';

import type { ChannelStamp, ChannelState, HeartbeatAlarm } from '../../shared/channels.js';

export { defaultBundleName } from './station/bundle-name.js';
export type { HeartbeatRequest } from './station/heartbeat.js';
export type { OpenStationOptions } from './station/context.js';
export type { WatchRequest } from './station/watch.js';
export type { InspectionStatus, PolicyCheck } from './station/inspection.js';
export type {
  AuditTrail,
  ExportOutcome,
  ExportRequest,
  FinishToMediaRequest,
  ImportOutcome,
  ImportRequest,
  MediaAsk,
  MediaExportOutcome,
  MediaExportRequest,
  QuarantineDetail,
  QuarantinePurgeOutcome,
  QuarantinePurgeRequest,
  QuarantineReleaseOutcome,
  QuarantineReleaseRequest,
  StagedSummary,
  VerifyRequest,
} from './station/requests.js';

/**
 * One station's state (keys, trust, database, audit log, config) and the operations on it: the
 * one entry point for the CLI, the worker and the main process. This class holds no logic: each
 * method hands its StationContext to the module under station/ that does the job (keys,
 * transfer, two-person, media, audit, settings). Operations that leave an audit event do so
 * through runAudited() (station/audited-operation.ts), the only way a station module can record.
 */
export class Station {
  readonly paths: HomePaths;
  readonly identity: StationIdentity;

  private constructor(private readonly context: StationContext) {
    this.paths = context.paths;
    this.identity = context.identity;
  }

  /**
   * A command about to verify (or import) `bundlePath` calls this first: for a large plain bundle
   * file it starts the payload lanes' worker thread now, so it has booted by the time the tag
   * manifest is authenticated (verify/parallel/warm-lane-worker.ts). Reads nothing of the payload.
   * Awaited before Station.open: otherwise the station's modules (the config schemas) were
   * evaluated in the microtask before the worker's start, delaying its boot by as much.
   */
  static async warmPayloadLanes(bundlePath: string): Promise<void> {
    // Never a failure of the command: without a warm worker the lanes start their own.
    await import('./verify/parallel/warm-lane-worker.js').then(({ warmLaneWorker }) => warmLaneWorker(bundlePath)).catch(() => null);
  }

  static async open(options: OpenStationOptions = {}): Promise<Station> {
    // The home's config (zod), its database and the recovery at open: loaded here, not by every command (--version, --help).
    const { openStationContext } = await import('./station/context.js');
    return new Station(await openStationContext(options));
  }

  close(): void {
    this.context.close();
  }

  /** What opening the database settled: imports and exports a dead process left pending (reconcile.ts); null once reported. */
  recoveredAtOpen(): ReconcileSummary | null {
    return this.context.recoveredAtOpen();
  }

  // Keys -------------------------------------------------------------------

  async generateKey(options: keys.NewKeyOptions): Promise<KeyDescription> {
    return (await load.keys()).generateKey(this.context, options);
  }

  async hasKey(): Promise<boolean> {
    return (await load.keys()).hasKey(this.context);
  }

  /** What a key file holds, for the operator to compare before trusting it. */
  async inspectKeyFile(file: string): Promise<KeyDescription> {
    return (await load.keys()).inspectKeyFile(file);
  }

  /** Trust a signer: `expectedFingerprint` is what the operator confirmed out of band; a different key is refused. */
  async trustKeyFile(file: string, options: { expectedFingerprint: string; label?: string | undefined; role?: string | undefined }): Promise<TrustResult> {
    return (await load.keys()).trustKeyFile(this.context, file, options);
  }

  /** Apply a revocation certificate (or revoked key) to a trusted key; it then signs nothing this station accepts. */
  async importRevocation(file: string): Promise<TrustedSigner> {
    return (await load.keys()).importRevocationFile(this.context, file);
  }

  async rotateKey(options: keys.NewKeyOptions & { newPassphrase: string }): Promise<{ retired: string; current: KeyDescription }> {
    return (await load.keys()).rotateKey(this.context, options);
  }

  /** Back up the station key to `outFile` (mode 0600, never overwritten), or return it when `outFile` is null (stdout). */
  async backupKey(passphrase: string, outFile: string | null): Promise<string> {
    return (await load.keys()).backupKey(this.context, passphrase, outFile);
  }

  async restoreKey(file: string, passphrase: string): Promise<KeyDescription> {
    return (await load.keys()).restoreKey(this.context, file, passphrase);
  }

  /** Proves a passphrase unlocks its key (PASSPHRASE_WRONG if not) before an operation starts: a terminal may then ask again. */
  async checkSigner(spec: SignerSpec): Promise<void> {
    return (await load.keys()).checkSigner(this.context, spec);
  }

  async untrustKey(fingerprint: string): Promise<TrustedSigner> {
    return (await load.keys()).untrustFingerprint(this.context, fingerprint);
  }

  /** Each flagged with `refusal` when verify refuses what it signs (SHA-1-bound, not v4). */
  async listTrusted(): Promise<ListedSigner[]> {
    return (await load.keys()).listTrusted(this.context);
  }

  /** The station's public key, or a trusted signer's when a fingerprint is given. */
  async exportPublicKey(fingerprint?: string): Promise<string> {
    return (await load.keys()).exportPublicKey(this.context, fingerprint);
  }

  // Transfers --------------------------------------------------------------

  async exportBundle(request: ExportRequest): Promise<ExportOutcome> {
    return (await load.export()).exportBundle(this.context, request);
  }

  async verifyBundle(request: VerifyRequest): Promise<VerifyResult> {
    return (await load.verify()).verifyBundle(this.context, request);
  }

  async importBundle(request: ImportRequest): Promise<ImportOutcome> {
    return (await load.import()).importInto(this.context, request);
  }

  // Channels (issue #17.1, docs/channels.md) ---------------------------------

  /** A signed heartbeat bundle with an empty payload, taking the channel's next sequence number. */
  async sendHeartbeat(request: HeartbeatRequest): Promise<ExportOutcome> {
    return (await load.heartbeat()).sendHeartbeat(this.context, request);
  }

  /** What this station received per signer and channel: last sequence, missing numbers, heartbeat alarm. */
  async channelStates(now: Date = new Date()): Promise<ChannelState[]> {
    const [{ channelStates }, { readStationPolicy }] = await Promise.all([load.channelState(), load.stationPolicy()]);
    return channelStates(this.context.readDatabase(), (await readStationPolicy(this.context.paths)).channels, now);
  }

  /**
   * The stamp the next bundle on `channel` would carry, from what this station published so far
   * (CHANNEL_NAME_INVALID for a bad name). Read only: an export takes its number when it starts,
   * so another export on the channel in between moves it on (the app shows it before an export).
   */
  async nextChannelStamp(channel: string, heartbeat = false): Promise<ChannelStamp> {
    return (await load.channelSend()).nextChannelStamp(this.context.readDatabase(), channel, heartbeat);
  }

  /** Channels silent past their heartbeat interval; raises one `channel-alarm` audit event per silence (the watcher calls it periodically). */
  async checkHeartbeatAlarms(now: Date = new Date()): Promise<HeartbeatAlarm[]> {
    return (await load.heartbeatAlarms()).checkHeartbeatAlarms(this.context, now);
  }

  /** Install a signature-database feed bundle for the scanner (issue #16.6; station/feed-import.ts). */
  async importFeed(request: FeedImportRequest): Promise<FeedImportOutcome> {
    return (await load.feedImport()).importFeed(this.context, request);
  }

  // Unattended inbox (issue #17.2) ------------------------------------------

  /** `airlock watch INBOX --dest DIR`: import what arrives until the signal stops it; the final status (docs/watch.md). */
  async watchInbox(request: WatchRequest): Promise<WatchStatus> {
    return (await load.watch()).watchInbox(this.context, request);
  }

  /** Every watcher of this home as its status file says (running, stopped, or dead when its process is gone). */
  watchStatuses(): WatchStatus[] {
    return readWatchStatuses(this.context.paths.root);
  }

  // Two-person rule ------------------------------------------------------

  /** Hash the selection and build the tag files, signed by the preparing operator; nothing is written to the output yet. */
  async prepareExport(request: PrepareExportRequest): Promise<StagedSummary> {
    return (await load.twoPerson()).prepareExport(this.context, request);
  }

  /** The staged exports in this home's staged/ folder (or in `stagingDir`), ready or not (a prepare that failed half-way). */
  async listStaged(options: { stagingDir?: string | undefined } = {}): Promise<StagedEntry[]> {
    return (await load.twoPerson()).listStaged(this.context, options);
  }

  /** Remove a staged export (by name in staged/, or its folder), on record: its name is free again. */
  async discardStaged(nameOrDir: string): Promise<{ dir: string; name: string }> {
    return (await load.twoPerson()).discardStaged(this.context, nameOrDir);
  }

  /** What an approver is about to sign: the signed manifest's files and totals, and who signed so far. */
  async describeStaged(dir: string): Promise<StagedSummary> {
    return (await load.twoPerson()).describeStaged(this.context, dir);
  }

  async approveStaged(dir: string, spec: SignerSpec): Promise<StagedSummary> {
    return (await load.twoPerson()).approveStaged(this.context, dir, spec);
  }

  /** Write the staged bundle with every signature in its one .asc; the staging directory is removed after. */
  async finishExport(request: FinishExportRequest): Promise<ExportOutcome> {
    return (await load.twoPerson()).finishExport(this.context, request);
  }

  /** `export --finish --to-media`: the staged bundle onto removable media, as exportToMedia writes (events media-write, media-readback, export). */
  async finishExportToMedia(request: FinishToMediaRequest): Promise<MediaExportOutcome> {
    return (await load.twoPersonMedia()).finishExportToMedia(this.context, request);
  }

  // Quarantine (issue #16.5) ------------------------------------------------

  /** Bundles kept because content inspection refused them, oldest first (held and released; purged ones are gone). */
  async quarantineList(): Promise<QuarantineEntry[]> {
    return (await load.quarantine()).listQuarantine(this.context);
  }

  /** One kept bundle: its entry, the report that refused it, its files, the release decisions so far. QUARANTINE_NOT_FOUND for an unknown or malformed id. */
  async quarantineShow(id: string): Promise<QuarantineDetail> {
    return (await load.quarantine()).showQuarantined(this.context, id);
  }

  /**
   * An operator's decision to release a kept bundle to `destDir` (reason required; signed with the
   * operator's own key where the policy requires two persons). Once enough operators decided, the
   * kept bundle is verified again and imported, overriding only the findings recorded at quarantine.
   */
  async quarantineRelease(request: QuarantineReleaseRequest): Promise<QuarantineReleaseOutcome> {
    return (await load.quarantine()).releaseQuarantined(this.context, request);
  }

  /** Delete kept bundles (by id, all released, or older than N days), recorded as quarantine-purge. */
  async quarantinePurge(request: QuarantinePurgeRequest): Promise<QuarantinePurgeOutcome> {
    return (await load.quarantine()).purgeQuarantine(this.context, request);
  }

  // Removable media ----------------------------------------------------------

  /** Removable volumes (never a disk holding the system, the homes or `protectedPaths`) and the declared media roots. */
  async listMedia(options: { protectedPaths?: readonly string[] | undefined } = {}): Promise<MediaVolume[]> {
    return (await load.media()).listMedia(this.context, options);
  }

  /** Insert/remove events for the app (polling). */
  watchMedia(onEvent: (event: MediaEvent) => void, options: { intervalMs?: number; onError?: (error: unknown) => void } = {}): MediaWatch {
    // As station/station-media.ts's watchMedia, with the listing loaded on the watch's first look.
    return watchMediaVolumes({ list: async () => (await load.media()).listMedia(this.context), onEvent, ...options });
  }

  /** Export onto removable media, read back past the page cache (events: media-write, media-readback, export). */
  async exportToMedia(request: MediaExportRequest): Promise<MediaExportOutcome> {
    return (await load.mediaExport()).exportToMedia(this.context, request);
  }

  /** `media verify PATH|ID`: every bundle and part set on the medium, read past the cache, against signatures and indexes. */
  async verifyMedia(request: media.MediaVerifyRequest): Promise<MediaVerifyReport> {
    return (await load.media()).verifyMedia(this.context, request);
  }

  /** Flush, unmount and power off (where the OS can) the medium `id` names. */
  async ejectMedia(id: string): Promise<EjectResult> {
    return (await load.media()).ejectMedia(this.context, id);
  }

  // Audit ------------------------------------------------------------------

  listAudit(query: AuditQuery = {}): AuditEvent[] {
    return listAuditEvents(this.context.readDatabase(), query);
  }

  /** Checkpoints are verified with the station's own public key and any earlier station keys kept in the trust store. */
  async verifyAudit(request: { signal?: AbortSignal | undefined; onProgress?: ProgressListener | undefined } = {}): Promise<AuditVerifyResult> {
    return (await load.audit()).verifyAudit(this.context, request);
  }

  async exportAudit(
    format: AuditExportFormat,
    out: Writable,
    request: { signal?: AbortSignal | undefined } = {},
  ): Promise<{ events: number; checkpoints: number }> {
    return (await load.audit()).exportAudit(this.context, format, out, request);
  }

  /** The whole log to a file, written durably (temp name, fsync, rename, fsync the folder). */
  async exportAuditToFile(format: AuditExportFormat, path: string): Promise<{ events: number; checkpoints: number; path: string }> {
    return (await load.audit()).exportAuditToFile(this.context, format, path);
  }

  async checkpointAudit(passphrase: string, signer?: SignerSpec): Promise<AuditCheckpoint | null> {
    return (await load.audit()).checkpointAudit(this.context, passphrase, signer);
  }

  // Audit forwarding to a SIEM (issue #17.3, docs/siem.md) ---------------------

  /** Each configured sink's delivered seq and backlog; `configured: false` when config.json has no `forward` section. */
  async forwardStatus(): Promise<ForwardStatus> {
    return (await load.forward()).forwardStatus(this.context);
  }

  /** Deliver the backlog up to the current head now (`airlock audit forward`); `busy` when another forwarder holds the lease. */
  async forwardNow(options: forward.ForwardRunOptions): Promise<DeliverNowResult> {
    return (await load.forward()).forwardNow(this.context, options);
  }

  /** Forward every event, new ones included, until `options.signal` aborts (`--follow`; the app's main process). */
  async runForwarder(options: forward.ForwardRunOptions): Promise<void> {
    return (await load.forward()).runForwarder(this.context, options);
  }

  // Settings ---------------------------------------------------------------

  /** config.json and policy.json as the app edits them: what the files set, what applies, the defaults. */
  async getSettings(): Promise<StationSettings> {
    return (await load.settings()).getSettings(this.context);
  }

  /** Change settings (null: back to the default); recorded as settings-change, nothing recorded when nothing changed. */
  async updateSettings(patch: SettingsPatch): Promise<{ changes: SettingChange[]; auditEvent: number | null }> {
    return (await load.settings()).updateSettings(this.context, patch);
  }

  // Content inspection (issue #16) -----------------------------------------

  /** The resolved `inspect` policy (null: no inspection) and the scanner's status now (null: no scanner), for the app and `policy check`. */
  async inspectionStatus(now: Date = new Date(), signal?: AbortSignal): Promise<InspectionStatus> {
    return (await load.inspection()).inspectionStatus(this.context, now, signal);
  }

  /** Validate policy.json (the station's, or `file`): CONFIG_INVALID naming the field, else the resolved policy and the scanner's status. */
  async checkPolicy(file?: string, now: Date = new Date(), signal?: AbortSignal): Promise<PolicyCheck> {
    return (await load.inspection()).checkPolicyFile(this.context, file, now, signal);
  }
}
