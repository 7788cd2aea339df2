import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { normalizeFingerprint } from '../../shared/fingerprint.js';
import type { ProgressListener } from '../../shared/progress.js';
import type { PolicyFinding, VerifyResult } from '../../shared/results.js';
import { appendAuditEvent, listAuditEvents, type AuditQuery } from './audit/audit-store.js';
import type { AuditEvent, AuditEventInput } from './audit/audit-event.js';
import { signAuditCheckpoint, type AuditCheckpoint } from './audit/audit-checkpoint.js';
import { verifyAuditLog, type AuditVerifyResult } from './audit/audit-verify.js';
import { exportAuditLog, exportAuditLogToFile, type AuditExportFormat } from './audit/audit-export.js';
import { writeReceipt, type ReceiptCheck, type TransferReceipt, type WrittenReceipt } from './audit/receipt.js';
import { exportsInOnePass, prepareBundle, writeBundle, writePreparedBundle, type WriteBundleResult } from './bundle/write-bundle.js';
import { addStagedSignature, combinedStagedSignature, loadStagedExport, removeStagedExport, saveStagedExport, type StagedExport } from './bundle/staged-bundle.js';
import { parseManifest } from './bundle/manifest.js';
import { ProgressTracker } from './jobs/progress-tracker.js';
import { JOB_PLANS, withJobEta } from './jobs/job-eta.js';
import type { TrustedKey } from './crypto/detached-signature.js';
import type { BundleSigner } from './crypto/bundle-signer.js';
import { resolveSigner, type SignerSpec } from './crypto/signer-spec.js';
import { checkBundle } from './verify/check-bundle.js';
import { openStationDb, nextExportSequence, type StationDb } from './db/station-db.js';
import { openStationDbSnapshot, type StationDbSnapshot } from './db/station-db-snapshot.js';
import { homeStorageFailure } from './home/home-storage.js';
import { AirlockError, toAirlockError } from './errors.js';
import { errorMessageFor } from '../../shared/error-actions.js';
import { readStationConfig, stationIdentity, type StationIdentity } from './home/station-config.js';
import { readStationSettings, updateStationSettings } from './home/station-settings.js';
import type { SettingChange, SettingsPatch, StationSettings } from '../../shared/settings.js';
import { ensureHome, resolveHomeDir, type HomePaths } from './home/station-home.js';
import type { KeyDescription } from './keys/public-key.js';
import { backupStationKey, generateStationKey, hasStationKey, loadStationKeys, readStationPublicKey, restoreStationKey, rotateStationKey, type KeyAlgorithm } from './keys/station-key.js';
import { describeKey, parseTrustablePublicKey } from './keys/public-key.js';
import { importRevocation, loadTrustedKeys, readTrustStore, trustPublicKey, untrustKey, type TrustedSigner } from './keys/trust-store.js';
import { readStationPolicy } from './policy/station-policy.js';
import { policyNotReached, replayFinding, replayNotChecked, withFinding } from './policy/policy-findings.js';
import { findPriorImport } from './import/replay-guard.js';
import { importBundle, type ImportResult, type ImportSettlement } from './import/import-bundle.js';
import { settleInterruptedTransfers, type ReconcileSummary } from './recovery/reconcile.js';
import { recordExportIntent, settleExportIntent, type ExportIntentRequest } from './recovery/export-intent.js';
import { bagInfoValue, parseBagInfo } from './bundle/bag-info.js';
import { BAG_INFO_NAME, BUNDLE_SUFFIX, INFO } from './bundle/format.js';
import { assertBundleFile } from './bundle/bundle-file-kind.js';
import { streamBundleSource } from './bundle/stream-source.js';
import { discardStagedExport, listStagedExports, resolveDiscardTarget, type StagedEntry } from './bundle/staged-list.js';
import type { Readable, Writable } from 'node:stream';
import { stat } from 'node:fs/promises';
import type { MediaEvent, MediaExportReport, MediaRef, MediaVolume } from '../../shared/media.js';
import { signWithAll } from './crypto/bundle-signer.js';
import { listMedia } from './media/discover.js';
import { ejectMedium, type EjectResult } from './media/eject.js';
import { MediaOutput, mediaRef, type NextMediumRequest } from './media/media-output.js';
import { verifyMedium, type MediaVerifyReport } from './media/media-verify.js';
import { watchMedia, type MediaWatch } from './media/media-watch.js';
import { isPartSetPath, type AskForMedium } from './media/part-set.js';
import { resolveMedium } from './media/resolve-medium.js';
import { routeSplit, throughParts, type SplitRoute } from './media/split-route.js';

export interface OpenStationOptions {
  /** --home; else $AIRLOCK_HOME; else the OS app-data directory. */
  home?: string;
  /** --operator: who is at the keyboard, recorded with the OS user. */
  operator?: string;
}

export interface ExportRequest {
  selection: readonly string[];
  outDir: string;
  name?: string | undefined;
  /** The station key's passphrase; or give `signer` to sign with GnuPG or another key. */
  passphrase?: string;
  signer?: SignerSpec;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface ImportRequest {
  bundlePath: string;
  /** Read the bundle from this stream (stdin) instead of bundlePath, once; bundlePath is then only its name in reports. */
  stream?: Readable;
  destDir: string;
  allowReplay?: boolean | undefined;
  /** Unlocks the station key to sign the receipt and an audit checkpoint; without it both stay unsigned. */
  passphrase?: string;
  signer?: SignerSpec;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  askForMedium?: MediaAsk;
}

export interface VerifyRequest {
  bundlePath: string;
  /** Read the bundle from this stream (stdin) instead of bundlePath, once; bundlePath is then only its name in reports. */
  stream?: Readable;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  now?: Date;
  /** A split bundle whose part or index is not inserted: ask the operator (resolve true when inserted, false to stop). */
  askForMedium?: MediaAsk;
}

/** What the CLI or app is asked when a split bundle needs another medium. */
export type MediaAsk = (request: Parameters<AskForMedium>[0]) => Promise<boolean>;

export interface MediaExportRequest {
  selection: readonly string[];
  /** The media to write, in volume order: device, label or mount point as `media list` shows them. */
  media: readonly string[];
  name?: string | undefined;
  passphrase?: string;
  signer?: SignerSpec;
  /** Capacity to plan each medium with (bytes); media larger than this are used only up to it. */
  volumeSize?: number;
  /** Largest part (bytes, rounded down to 512); FAT's limit applies anyway. */
  partSize?: number;
  /** Interactive: the next medium, asked for when the named ones are full; resolve with its ID. */
  nextMedium?: (request: NextMediumRequest) => Promise<string>;
  /** Read back past the page cache after writing (default true). */
  readBack?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export type MediaExportOutcome = ExportOutcome & { media: MediaExportReport };

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
}

export type ExportOutcome = Omit<WriteBundleResult, 'payloadFiles'> & AuditTrail;
export type ImportOutcome = Omit<ImportResult, 'payloadFiles'> & AuditTrail;

/** One station's state (keys, trust, database, audit log, config) and the operations on it. */
export class Station {
  private db: StationDb | null = null;
  private readCopy: StationDbSnapshot | null = null;

  private constructor(
    readonly paths: HomePaths,
    readonly identity: StationIdentity,
    /** config.json `mediaRoots`: folders listed as media. */
    private readonly mediaRoots: readonly string[] = [],
  ) {}

  static async open(options: OpenStationOptions = {}): Promise<Station> {
    const paths = await ensureHome(resolveHomeDir(options.home));
    const config = await readStationConfig(paths);
    return new Station(paths, stationIdentity(config, options.operator), config.mediaRoots ?? []);
  }

  close(): void {
    this.db?.close();
    this.db = null;
    this.readCopy?.dispose();
    this.readCopy = null;
  }

  private database(): StationDb {
    if (this.db === null) {
      try {
        this.db = openStationDb(this.paths.database);
      } catch (error) {
        throw homeStorageFailure(error, this.paths.root) ?? error;
      }
      this.recovered = this.settleInterrupted();
    }
    return this.db;
  }

  /** What opening the database settled: imports and exports a dead process left pending (reconcile.ts); null once reported. */
  recoveredAtOpen(): ReconcileSummary | null {
    this.database();
    return this.recovered;
  }

  private recovered: ReconcileSummary | null = null;

  /**
   * Intents of dead processes are settled whenever the database is opened and inside every
   * claim. A home whose database cannot take a write now (read-only media, a long lock) still
   * serves reads: the intents stay pending for the next start.
   */
  private settleInterrupted(): ReconcileSummary | null {
    try {
      return settleInterruptedTransfers(this.database(), this.identity);
    } catch {
      return null;
    }
  }

  /** An export's intent, written before anything is published (export-intent.ts). */
  private exportIntent(request: Omit<ExportIntentRequest, 'station' | 'operator' | 'settleInterrupted'> & { station?: string }): number {
    return recordExportIntent(this.database(), { station: this.identity.station, operator: this.identity.operator, ...request, settleInterrupted: () => settleInterruptedTransfers(this.database(), this.identity) });
  }

  /** A failed export: its intent and its audit event change together (a crash between them leaves the intent for the next start). */
  private exportFailed(intent: number | null, error: unknown, details: Record<string, unknown>): AirlockError {
    if (intent === null) return this.recordFailure('export', error, details);
    return this.database()
      .transaction(() => {
        settleExportIntent(this.database(), intent, 'failed');
        return this.recordFailure('export', error, details);
      })
      .immediate();
  }

  /** For reading the log (audit list, verify, export): when the home cannot take a write (full, read-only), a private copy. */
  private readDatabase(): StationDb {
    try {
      return this.database();
    } catch (error) {
      if (homeStorageFailure(error, this.paths.root) === null) throw error;
      this.readCopy ??= openStationDbSnapshot(this.paths.database);
      return this.readCopy.db;
    }
  }

  /** Every operation leaves an event; if the log cannot take it, the operator must know. */
  private record(input: AuditEventInput): AuditEvent {
    try {
      return appendAuditEvent(this.database(), this.identity, input);
    } catch (error) {
      throw homeStorageFailure(error, this.paths.root, 'The operation itself may have completed: check before repeating it.') ??
        new AirlockError('AUDIT_UNAVAILABLE', (error as Error).message, { cause: error });
    }
  }

  private recordFailure(type: AuditEventInput['type'], error: unknown, details: Record<string, unknown>): AirlockError {
    const failure = toAirlockError(error);
    this.record({ type, outcome: failure.code === 'CANCELLED' ? 'cancelled' : 'failed', errorCode: failure.code, details: { ...details, message: failure.message } });
    return failure;
  }

  // Keys -------------------------------------------------------------------

  async generateKey(options: { name: string; email?: string; passphrase: string; algorithm?: KeyAlgorithm }): Promise<KeyDescription> {
    const key = await generateStationKey(this.paths, options);
    this.record({ type: 'key-generate', outcome: 'ok', signers: [key.fingerprint], details: { userIds: key.userIds, algorithm: key.algorithm } });
    return key;
  }

  hasKey(): Promise<boolean> {
    return hasStationKey(this.paths);
  }

  /** What a key file holds, for the operator to compare before trusting it. */
  async inspectKeyFile(file: string): Promise<KeyDescription> {
    return describeKey(await parseTrustablePublicKey(await readKeyFile(file)));
  }

  /** Trust a signer: `expectedFingerprint` is what the operator confirmed out of band; a different key is refused. */
  async trustKeyFile(file: string, options: { expectedFingerprint: string; label?: string; role?: string }): Promise<{ signer: TrustedSigner; alreadyTrusted: boolean }> {
    const armored = await readKeyFile(file);
    let outcome;
    try {
      outcome = await trustPublicKey(this.paths, armored, {
        expectedFingerprint: options.expectedFingerprint,
        ...(options.label === undefined ? {} : { label: options.label }),
        ...(options.role === undefined ? {} : { role: options.role }),
      });
    } catch (error) {
      throw this.recordFailure('key-trust', error, { file, expectedFingerprint: options.expectedFingerprint });
    }
    this.record({ type: 'key-trust', outcome: 'ok', signers: [outcome.signer.fingerprint], details: { file, label: outcome.signer.label, role: outcome.signer.role, userIds: outcome.signer.userIds, alreadyTrusted: outcome.alreadyTrusted } });
    return outcome;
  }

  /** Apply a revocation certificate (or revoked key) to a trusted key; it then signs nothing this station accepts. */
  async importRevocation(file: string): Promise<TrustedSigner> {
    let revoked;
    try {
      revoked = await importRevocation(this.paths, await readKeyFile(file));
    } catch (error) {
      throw this.recordFailure('key-revoke', error, { file });
    }
    this.record({ type: 'key-revoke', outcome: 'ok', signers: [revoked.fingerprint], details: { file, userIds: revoked.userIds } });
    return revoked;
  }

  async rotateKey(options: { name: string; email?: string; passphrase: string; newPassphrase: string; algorithm?: KeyAlgorithm }): Promise<{ retired: string; current: KeyDescription }> {
    const rotated = await rotateStationKey(this.paths, options);
    this.record({ type: 'key-generate', outcome: 'ok', signers: [rotated.current.fingerprint], details: { rotatedFrom: rotated.retired, userIds: rotated.current.userIds, algorithm: rotated.current.algorithm } });
    return rotated;
  }

  /**
   * Write a backup of the station key to `outFile` (mode 0600, never overwritten); recorded once
   * written. With `outFile` null the backup is returned for the caller to pass on (stdout).
   */
  async backupKey(passphrase: string, outFile: string | null): Promise<string> {
    let backup: string;
    try {
      backup = await backupStationKey(this.paths, passphrase);
      if (outFile !== null) await writeFile(outFile, backup, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      throw this.recordFailure('key-backup', error, { file: outFile });
    }
    this.record({ type: 'key-backup', outcome: 'ok', details: { file: outFile === null ? null : resolve(outFile), ...(outFile === null ? { to: 'stdout' } : {}) } });
    return backup;
  }

  async restoreKey(file: string, passphrase: string): Promise<KeyDescription> {
    const key = await restoreStationKey(this.paths, await readKeyFile(file), passphrase);
    this.record({ type: 'key-generate', outcome: 'ok', signers: [key.fingerprint], details: { restoredFrom: file, userIds: key.userIds } });
    return key;
  }

  /** Proves a passphrase unlocks its key (PASSPHRASE_WRONG if not) before an operation starts: a terminal may then ask again. */
  async checkSigner(spec: SignerSpec): Promise<void> {
    await resolveSigner(this.paths, spec);
  }

  /** The signer for an operation: an explicit spec, else the station key unlocked by the passphrase. */

  private async signerFor(spec: SignerSpec | undefined, passphrase: string | undefined): Promise<BundleSigner | null> {
    if (spec) return resolveSigner(this.paths, spec);
    if (passphrase !== undefined) return resolveSigner(this.paths, { kind: 'station', passphrase });
    return null;
  }

  async untrustKey(fingerprint: string): Promise<TrustedSigner> {
    const removed = await untrustKey(this.paths, fingerprint);
    this.record({ type: 'key-untrust', outcome: 'ok', signers: [removed.fingerprint], details: { label: removed.label, userIds: removed.userIds } });
    return removed;
  }

  listTrusted(): Promise<TrustedSigner[]> {
    return readTrustStore(this.paths);
  }

  /** The station's public key, or a trusted signer's when a fingerprint is given. */
  async exportPublicKey(fingerprint?: string): Promise<string> {
    if (fingerprint === undefined) return readStationPublicKey(this.paths);
    const wanted = normalizeFingerprint(fingerprint);
    const signer = (await readTrustStore(this.paths)).find((s) => s.fingerprint === wanted);
    if (!signer) throw new AirlockError('KEY_NOT_FOUND', wanted);
    return signer.publicKey;
  }

  // Bundles ----------------------------------------------------------------

  async exportBundle(request: ExportRequest): Promise<ExportOutcome> {
    const startedAt = new Date();
    const details = { outDir: request.outDir, selection: request.selection, name: request.name ?? null };
    let signingKey: BundleSigner;
    let result: WriteBundleResult;
    let intent: number | null = null;
    try {
      const signer = await this.signerFor(request.signer, request.passphrase);
      if (!signer) throw new AirlockError('PASSPHRASE_REQUIRED');
      signingKey = signer;
      const sequence = nextExportSequence(this.database());
      const name = request.name ?? defaultBundleName(sequence, startedAt);
      intent = this.exportIntent({ kind: 'folder', name, sequence, path: join(resolve(request.outDir), `${name}${BUNDLE_SUFFIX}`), details });
      result = await writeBundle({
        selection: request.selection,
        outDir: request.outDir,
        name,
        sequence,
        identity: this.identity,
        signers: [signingKey],
        now: startedAt,
        spoolDir: this.paths.spool,
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.onProgress ? { onProgress: withJobEta(exportsInOnePass({ signers: [signingKey] }) ? JOB_PLANS['export-one-pass'] : JOB_PLANS.export, request.onProgress) } : {}),
      });
    } catch (error) {
      throw this.exportFailed(intent, error, details);
    }
    return this.recordExport(result, startedAt, signingKey, intent);
  }

  /** The audit event, checkpoint and receipt of a written bundle (on removable media: receipt in the station home, with the media). */
  private async recordExport(result: WriteBundleResult, startedAt: Date, signer: BundleSigner | null, intent: number, media?: MediaExportReport): Promise<ExportOutcome> {
    const { payloadFiles, ...outcome } = result;
    // The event and the settled intent are one transaction: a crash before it leaves the
    // intent pending, and the next start records the published bundle as recovered.
    const record = (input: AuditEventInput): AuditEvent =>
      this.database()
        .transaction(() => {
          settleExportIntent(this.database(), intent, 'exported');
          return this.record(input);
        })
        .immediate();
    const event = record({
      type: 'export',
      outcome: 'ok',
      bundleUuid: result.uuid,
      bundleName: result.name,
      tagmanifestSha256: result.tagmanifestSha256,
      signers: result.signers.map((s) => s.fingerprint),
      files: result.files,
      bytes: result.bytes,
      details: { bundlePath: result.bundlePath, bundleBytes: result.bundleBytes, sequence: result.sequence, warnings: result.warnings.length, ...(media ? { media: media.volumes.map((v) => v.medium), parts: media.parts } : {}) },
      fileRows: payloadFiles,
    });
    const checkpoint = await this.checkpointWith(signer);
    // A receipt on the medium would cross the gap and is not covered by the read-back: it stays here.
    const receiptDir = media ? join(this.paths.root, 'receipts') : dirname(result.bundlePath);
    if (media) await mkdir(receiptDir, { recursive: true, mode: 0o700 });
    const receipt = await writeReceipt(
      receiptDir,
      this.receipt('export', {
        bundle: { name: result.name, uuid: result.uuid, tagmanifestSha256: result.tagmanifestSha256, path: result.bundlePath },
        signers: result.signers,
        checks: media ? mediaExportChecks(result, media) : exportChecks(result),
        ...(media ? { media: receiptMedia(media) } : {}),
        files: result.files,
        bytes: result.bytes,
        destination: result.bundlePath,
        startedAt,
        event,
        checkpoint,
      }),
      signer,
    );
    return { ...outcome, auditEvent: event.seq, checkpoint, receipt };
  }

  // Two-person rule ------------------------------------------------------

  /** Hash the selection and build the tag files, signed by the preparing operator; nothing is written to the output yet. */
  async prepareExport(request: { selection: readonly string[]; name?: string; stagingDir?: string; passphrase?: string; signer?: SignerSpec; signal?: AbortSignal; onProgress?: ProgressListener }): Promise<StagedSummary> {
    const startedAt = new Date();
    let staged: StagedExport;
    try {
      const signer = await this.signerFor(request.signer, request.passphrase);
      if (!signer) throw new AirlockError('PASSPHRASE_REQUIRED');
      const sequence = nextExportSequence(this.database());
      const name = request.name ?? defaultBundleName(sequence, startedAt);
      const dir = resolve(request.stagingDir ?? join(this.paths.root, 'staged', name));
      if (await exists(dir)) throw new AirlockError('OUTPUT_EXISTS', `${dir} already exists.`, { path: dir });
      const prepared = await prepareBundle({
        selection: request.selection,
        name,
        sequence,
        identity: this.identity,
        now: startedAt,
        tracker: new ProgressTracker(request.onProgress),
        ...(request.signal ? { signal: request.signal } : {}),
      });
      await mkdir(dirname(dir), { recursive: true, mode: 0o700 });
      await mkdir(dir, { mode: 0o700 });
      await saveStagedExport(dir, prepared);
      staged = { dir, prepared, signatures: [] };
      await addStagedSignature(staged, signer);
    } catch (error) {
      throw this.recordFailure('export-prepare', error, { selection: request.selection, name: request.name ?? null });
    }
    this.record({ type: 'export-prepare', outcome: 'ok', bundleUuid: staged.prepared.tags.uuid, bundleName: staged.prepared.name, signers: staged.signatures.map((s) => s.fingerprint), files: staged.prepared.payload.length, bytes: staged.prepared.tags.payloadBytes, details: { stagedDir: staged.dir } });
    return summarizeStaged(staged, await loadTrustedKeys(this.paths));
  }

  /** The staged exports in this home's staged/ folder, ready or not (a prepare that failed half-way). */
  listStaged(): Promise<StagedEntry[]> {
    return listStagedExports(this.paths.root);
  }

  /** Remove a staged export (by name in staged/, or its folder), on record: its name is free again. */
  async discardStaged(nameOrDir: string): Promise<{ dir: string; name: string }> {
    let removed: { dir: string; name: string };
    try {
      removed = await discardStagedExport(await resolveDiscardTarget(this.paths.root, nameOrDir));
    } catch (error) {
      throw this.recordFailure('export-discard', error, { staged: nameOrDir });
    }
    this.record({ type: 'export-discard', outcome: 'ok', bundleName: removed.name, details: { stagedDir: removed.dir } });
    return removed;
  }

  /** What an approver is about to sign: the signed manifest's files and totals, and who signed so far. */
  async describeStaged(dir: string): Promise<StagedSummary> {
    let staged: StagedExport;
    try {
      staged = await loadStagedExport(resolve(dir));
    } catch (error) {
      // A staged export that fails its checks is what an approver must not sign: on record.
      throw this.recordFailure('export-approve', error, { stagedDir: dir });
    }
    return summarizeStaged(staged, await loadTrustedKeys(this.paths));
  }

  async approveStaged(dir: string, spec: SignerSpec): Promise<StagedSummary> {
    let staged: StagedExport;
    try {
      staged = await loadStagedExport(resolve(dir));
      await addStagedSignature(staged, await resolveSigner(this.paths, spec));
    } catch (error) {
      throw this.recordFailure('export-approve', error, { stagedDir: dir });
    }
    this.record({ type: 'export-approve', outcome: 'ok', bundleUuid: staged.prepared.tags.uuid, bundleName: staged.prepared.name, signers: staged.signatures.map((s) => s.fingerprint), details: { stagedDir: staged.dir } });
    return summarizeStaged(staged, await loadTrustedKeys(this.paths));
  }

  /** Write the staged bundle with every signature in its one .asc; the staging directory is removed after. */
  async finishExport(request: { stagedDir: string; outDir: string; passphrase?: string; signer?: SignerSpec; signal?: AbortSignal; onProgress?: ProgressListener }): Promise<ExportOutcome> {
    const startedAt = new Date();
    let staged: StagedExport;
    let result: WriteBundleResult;
    let receiptSigner: BundleSigner | null;
    let intent: number | null = null;
    const details = { stagedDir: request.stagedDir, outDir: request.outDir };
    try {
      receiptSigner = await this.signerFor(request.signer, request.passphrase);
      staged = await loadStagedExport(resolve(request.stagedDir));
      const { name, sequence } = staged.prepared;
      intent = this.exportIntent({ kind: 'folder', name, sequence, station: preparedStation(staged.prepared.tags.files) ?? this.identity.station, path: join(resolve(request.outDir), `${name}${BUNDLE_SUFFIX}`), details });
      result = await writePreparedBundle(staged.prepared, await combinedStagedSignature(staged), {
        outDir: request.outDir,
        signers: staged.signatures.map((s) => ({ fingerprint: s.fingerprint, userIds: s.userIds })),
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
      });
    } catch (error) {
      throw this.exportFailed(intent, error, details);
    }
    const outcome = await this.recordExport(result, startedAt, receiptSigner, intent);
    await removeStagedExport(staged.dir);
    return outcome;
  }

  async verifyBundle(request: VerifyRequest): Promise<VerifyResult> {
    let report: VerifyResult;
    try {
      const streamed = request.stream ? streamBundleSource(request.stream, request.bundlePath) : null;
      if (!streamed) await assertBundleFile(request.bundlePath);
      const [trusted, policy] = await Promise.all([loadTrustedKeys(this.paths), readStationPolicy(this.paths)]);
      // A part or a volume index: the parts are checked against the signed index first, then chained.
      const split = streamed ? null : await this.splitRoute(request.bundlePath, trusted, policy.clockSkewSeconds, request);
      const source = streamed ?? split?.source;
      report = await throughParts(split, request.bundlePath, async () => {
        const { payload: _payload, ...rest } = await checkBundle({
          bundlePath: request.bundlePath,
          ...(source ? { source } : {}),
          trusted,
          limits: policy.limits,
          requiredSigners: policy.requiredSigners,
          clockSkewSeconds: policy.clockSkewSeconds,
          // Name rules are import policy: verify reports what import would refuse, refuses nothing.
          reportNames: policy.names,
          ...(request.now ? { now: request.now } : {}),
          ...(request.signal ? { signal: request.signal } : {}),
          ...(request.onProgress ? { onProgress: withJobEta(JOB_PLANS.verify, request.onProgress) } : {}),
        });
        return rest;
      }, (rejected) => ({ ...rejected, policy: policyNotReached(policy.limits, policy.clockSkewSeconds, policy.requiredSigners) }));
      report = { ...report, policy: withFinding(report.policy, this.replayFindingForVerify(report)) };
    } catch (error) {
      throw this.recordFailure('verify', error, { bundlePath: request.bundlePath });
    }
    this.record({ type: 'verify', ...verificationEventFields(report), details: { bundlePath: request.bundlePath } });
    return report;
  }

  /** The replay guard as verify sees it: looked up in the import ledger, never enforced (import enforces it). */
  private replayFindingForVerify(report: VerifyResult): PolicyFinding {
    const sha = report.bundle.tagmanifestSha256;
    if (sha === null || report.signers.length === 0) return replayNotChecked('Not checked: the bundle was not authenticated, so its identity is not proven.');
    const prior = findPriorImport(this.database(), { tagmanifestSha256: sha, uuid: report.bundle.uuid, name: report.bundle.name ?? '', signers: [], sequence: null, station: null });
    if (!prior) return replayFinding('pass', 'Not imported on this station before.');
    const how = prior.sameTagmanifest ? 'This exact bundle' : 'A bundle with the same id';
    return replayFinding('fail', `${how} was imported to ${prior.destination} at ${prior.committedAt ?? '?'} (import #${prior.id}). Import refuses it unless the operator imports it again on purpose (recorded).`);
  }

  async importBundle(request: ImportRequest): Promise<ImportOutcome> {
    const startedAt = new Date();
    let signingKey: BundleSigner | null;
    let result: ImportResult;
    // Set when the import's own transaction recorded its event (it got as far as its claim).
    let settled: AuditEvent | null = null;
    let settledFailure: AirlockError | null = null;
    const eventDetails = (r: ImportResult) => ({ bundlePath: request.bundlePath, destDir: request.destDir, destination: r.destination, replayOf: r.replayOf, warnings: r.warnings });
    const recordSettlement = (settlement: ImportSettlement): void => {
      if (settlement.kind === 'failed') {
        settledFailure = this.recordFailure('import', settlement.error, { bundlePath: request.bundlePath, destDir: request.destDir });
        return;
      }
      const { payloadFiles, ...rest } = settlement.result;
      settled = this.record({ type: 'import', ...verificationEventFields(rest), details: eventDetails(settlement.result), fileRows: payloadFiles });
    };
    try {
      const streamed = request.stream ? streamBundleSource(request.stream, request.bundlePath) : null;
      if (!streamed) await assertBundleFile(request.bundlePath);
      signingKey = await this.signerFor(request.signer, request.passphrase);
      const [trusted, policy] = await Promise.all([loadTrustedKeys(this.paths), readStationPolicy(this.paths)]);
      const split = streamed ? null : await this.splitRoute(request.bundlePath, trusted, policy.clockSkewSeconds, request);
      const source = streamed ?? split?.source;
      result = await throughParts(split, request.bundlePath, () => importBundle({
        bundlePath: request.bundlePath,
        ...(source ? { source } : {}),
        destDir: request.destDir,
        trusted,
        policy,
        db: this.database(),
        operator: this.identity.operator,
        ...(request.allowReplay ? { allowReplay: true } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.onProgress ? { onProgress: withJobEta(JOB_PLANS.import, request.onProgress) } : {}),
        settleInterrupted: () => settleInterruptedTransfers(this.database(), this.identity),
        recordSettlement,
      }), (rejected) => ({ ...rejected, policy: policyNotReached(policy.limits, policy.clockSkewSeconds, policy.requiredSigners), destination: null, warnings: [], payloadFiles: [], replayOf: null }), { compareTagmanifest: false });
    } catch (error) {
      throw settledFailure ?? this.recordFailure('import', error, { bundlePath: request.bundlePath, destDir: request.destDir });
    }
    const { payloadFiles, ...outcome } = result;
    const event = settled ?? this.record({ type: 'import', ...verificationEventFields(result), details: eventDetails(result), fileRows: payloadFiles });
    const recovered = this.recovered?.events.length ?? 0;
    if (recovered > 0) {
      // Said once, by the first import after the database was opened.
      outcome.warnings.push(`Recorded ${recovered} import(s) or export(s) interrupted earlier (killed or power lost); see \`airlock audit list\` (details.recovered).`);
      this.recovered = null;
    }
    if (!result.ok || result.destination === null) return { ...outcome, auditEvent: event.seq, checkpoint: null, receipt: null };
    const checkpoint = await this.checkpointWith(signingKey);
    if (!signingKey) outcome.warnings.push('The receipt and the audit checkpoint are unsigned: no passphrase was given to unlock the station key.');
    const receipt = await writeReceipt(
      request.destDir,
      this.receipt('import', {
        bundle: { name: result.bundle.name ?? '', uuid: result.bundle.uuid, tagmanifestSha256: result.bundle.tagmanifestSha256, path: request.bundlePath },
        signers: result.signers,
        checks: importChecks(result),
        files: result.bundle.files,
        bytes: result.bundle.bytes,
        destination: result.destination,
        startedAt,
        event,
        checkpoint,
      }),
      signingKey,
    );
    return { ...outcome, auditEvent: event.seq, checkpoint, receipt };
  }

  // Removable media ----------------------------------------------------------

  /** Removable volumes (never a disk holding the system, the homes or `protectedPaths`) and the declared media roots. */
  listMedia(options: { protectedPaths?: readonly string[] } = {}): Promise<MediaVolume[]> {
    return listMedia({ mediaRoots: this.mediaRoots, protectedPaths: [this.paths.root, ...(options.protectedPaths ?? [])] });
  }

  /** Insert/remove events for the app (polling). */
  watchMedia(onEvent: (event: MediaEvent) => void, options: { intervalMs?: number; onError?: (error: unknown) => void } = {}): MediaWatch {
    return watchMedia({ list: () => this.listMedia(), onEvent, ...options });
  }

  /**
   * Export onto removable media: the bundle (or its parts and signed volume index, over as many
   * volumes as needed) is written atomically per file and read back past the page cache. Events:
   * media-write (ok/failed), media-readback (ok/rejected), export; the receipt names the media.
   */
  async exportToMedia(request: MediaExportRequest): Promise<MediaExportOutcome> {
    const startedAt = new Date();
    const details = { media: request.media, selection: request.selection, name: request.name ?? null };
    let signer: BundleSigner | null;
    let output: MediaOutput | null = null;
    let result: WriteBundleResult;
    let intent: number | null = null;
    try {
      signer = await this.signerFor(request.signer, request.passphrase);
      if (!signer) throw new AirlockError('PASSPHRASE_REQUIRED');
      const indexSigner = signer;
      // The disks holding the sources are system disks for this export: never written to.
      const present = await this.listMedia({ protectedPaths: request.selection });
      const targets = request.media.map((id) => resolveMedium(id, present, { forWrite: true }));
      const ask = request.nextMedium;
      output = new MediaOutput({
        targets,
        signIndex: (bytes) => signWithAll(bytes, [indexSigner]),
        ...(request.volumeSize !== undefined ? { volumeSize: request.volumeSize } : {}),
        ...(request.partSize !== undefined ? { partSize: request.partSize } : {}),
        ...(request.readBack === false ? { readBack: false } : {}),
        ...(ask ? { nextMedium: async (wanted: NextMediumRequest) => resolveMedium(await ask(wanted), await this.listMedia({ protectedPaths: request.selection }), { forWrite: true }) } : {}),
      });
      const sequence = nextExportSequence(this.database());
      const name = request.name ?? defaultBundleName(sequence, startedAt);
      const mountPoint = targets[0]?.mountPoint;
      if (!mountPoint) throw new AirlockError('MEDIA_NOT_MOUNTED');
      // A split bundle has parts, not this file: found after a crash, only the single-file form counts as published.
      intent = this.exportIntent({ kind: 'media', name, sequence, path: join(resolve(mountPoint), `${name}${BUNDLE_SUFFIX}`), details });
      result = await writeBundle({
        selection: request.selection,
        outDir: mountPoint,
        name,
        sequence,
        identity: this.identity,
        signers: [signer],
        now: startedAt,
        openOutput: output.open,
        spoolDir: this.paths.spool,
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.onProgress ? { onProgress: withJobEta(request.readBack === false ? JOB_PLANS.export : JOB_PLANS['export-to-media'], request.onProgress) } : {}),
      });
    } catch (error) {
      let failure = toAirlockError(error);
      // Once media were chosen, a failure is a failed media write (also when the check before writing refused them).
      if (output) {
        const report = output.report();
        const readBackFailed = failure.code === 'MEDIA_READBACK_FAILED';
        this.recordMediaWrite(report, readBackFailed ? 'ok' : failure.code === 'CANCELLED' ? 'cancelled' : 'failed', readBackFailed ? null : failure, output.leftovers, output.targets());
        if (readBackFailed) this.recordReadBack(report);
        if (output.leftovers.length > 0) {
          failure = new AirlockError(failure.code, `${failure.message.slice(errorMessageFor(failure.code).length).trim()} Could not remove ${output.leftovers.join(', ')} (the medium is gone); Airlock removes such leftovers the next time it writes to that medium.`, { ...(failure.path ? { path: failure.path } : {}), cause: failure });
        }
      }
      throw this.exportFailed(intent, failure, details);
    }
    const report = output.report();
    this.recordMediaWrite(report, 'ok', null, [], output.targets());
    this.recordReadBack(report);
    const outcome = await this.recordExport(result, startedAt, signer, intent as number, report);
    return { ...outcome, media: report };
  }

  private recordMediaWrite(report: MediaExportReport, outcome: 'ok' | 'failed' | 'cancelled', failure: AirlockError | null, leftovers: readonly string[], targets: MediaRef[]): void {
    const first = report.volumes[0]?.medium ?? targets[0];
    this.record({
      type: 'media-write',
      outcome,
      bundleName: report.bundle.name || null,
      bundleUuid: report.bundle.uuid,
      tagmanifestSha256: report.bundle.tagmanifestSha256 || null,
      errorCode: failure?.code ?? null,
      files: report.files.length,
      bytes: report.files.reduce((n, f) => n + f.size, 0),
      details: {
        label: first?.label ?? null,
        serial: first?.serial ?? null,
        media: report.volumes.length > 0 ? report.volumes.map((v) => ({ volume: v.number, ...v.medium })) : targets,
        split: report.split,
        parts: report.parts,
        removedLeftovers: report.removedLeftovers,
        ...(failure ? { message: failure.message, leftovers } : {}),
      },
      fileRows: report.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })),
    });
  }

  private recordReadBack(report: MediaExportReport): void {
    const done = report.volumes.filter((v) => v.readBack !== null);
    if (done.length === 0) return;
    const problems = done.flatMap((v) => v.readBack?.problems ?? []);
    const first = report.volumes[0]?.medium;
    this.record({
      type: 'media-readback',
      outcome: problems.length === 0 ? 'ok' : 'rejected',
      bundleName: report.bundle.name || null,
      bundleUuid: report.bundle.uuid,
      tagmanifestSha256: report.bundle.tagmanifestSha256 || null,
      problemCodes: problems.map((p) => p.code),
      files: done.reduce((n, v) => n + (v.readBack?.files.length ?? 0), 0),
      bytes: done.reduce((n, v) => n + (v.readBack?.bytes ?? 0), 0),
      details: {
        label: first?.label ?? null,
        serial: first?.serial ?? null,
        volumes: done.map((v) => ({ volume: v.number, ...v.medium, method: v.readBack?.method, bypassesCache: v.readBack?.bypassesCache, methodDetail: v.readBack?.methodDetail, seconds: v.readBack?.seconds })),
        problems,
      },
    });
  }

  /** `media verify PATH|ID`: every bundle and part set on the medium, read past the cache, against signatures and indexes. */
  async verifyMedia(request: { target: string; signal?: AbortSignal; onProgress?: ProgressListener; now?: Date }): Promise<MediaVerifyReport> {
    let report: MediaVerifyReport;
    try {
      const volumes = await this.listMedia();
      const asDir = await stat(request.target).then((s) => (s.isDirectory() ? resolve(request.target) : null), () => null);
      const medium = asDir === null ? resolveMedium(request.target, volumes) : (volumes.find((v) => v.mountPoint !== null && resolve(v.mountPoint) === asDir) ?? null);
      const dir = asDir ?? (medium?.mountPoint as string);
      const [trusted, policy] = await Promise.all([loadTrustedKeys(this.paths), readStationPolicy(this.paths)]);
      report = await verifyMedium(dir, {
        checks: { trusted, limits: policy.limits, requiredSigners: policy.requiredSigners, clockSkewSeconds: policy.clockSkewSeconds, reportNames: policy.names, ...(request.now ? { now: request.now } : {}) },
        medium: medium ? mediaRef(medium) : null,
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      });
    } catch (error) {
      throw this.recordFailure('media-readback', error, { target: request.target });
    }
    this.record({
      type: 'media-readback',
      outcome: report.ok ? 'ok' : 'rejected',
      problemCodes: report.problems.map((p) => p.code),
      files: report.items.length,
      details: {
        label: report.medium?.label ?? null,
        serial: report.medium?.serial ?? null,
        dir: report.dir,
        method: report.readBack?.method ?? null,
        bypassesCache: report.readBack?.bypassesCache ?? null,
        items: report.items.map((i) => ({ kind: i.kind, file: i.file, ok: i.ok, reassembled: i.reassembled, name: i.result.bundle.name, tagmanifestSha256: i.result.bundle.tagmanifestSha256 })),
        problems: report.problems,
      },
    });
    return report;
  }

  /** Flush, unmount and power off (where the OS can) the medium `id` names. */
  async ejectMedia(id: string): Promise<EjectResult> {
    const volumes = await this.listMedia();
    return ejectMedium(resolveMedium(id, volumes));
  }

  /** A part or volume index: locate and check the parts (other inserted media searched too). */
  private async splitRoute(path: string, trusted: TrustedKey[], clockSkewSeconds: number, request: { askForMedium?: MediaAsk; signal?: AbortSignal; now?: Date }): Promise<SplitRoute | null> {
    if (!isPartSetPath(path)) return null;
    const mounted = async (): Promise<string[]> => (await this.listMedia().catch(() => [])).map((v) => v.mountPoint).filter((m): m is string => m !== null);
    const ask = request.askForMedium;
    return routeSplit(path, {
      trusted,
      clockSkewMs: clockSkewSeconds * 1000,
      searchDirs: await mounted(),
      ...(request.now ? { now: request.now } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(ask ? { askForMedium: async (wanted: Parameters<AskForMedium>[0]) => ((await ask(wanted)) ? mounted() : null) } : {}),
    });
  }

  // Audit ------------------------------------------------------------------

  listAudit(query: AuditQuery = {}): AuditEvent[] {
    return listAuditEvents(this.readDatabase(), query);
  }

  /** Checkpoints are verified with the station's own public key and any earlier station keys kept in the trust store. */
  async verifyAudit(): Promise<AuditVerifyResult> {
    return verifyAuditLog(this.readDatabase(), this.paths, await loadStationKeys(this.paths));
  }

  exportAudit(format: AuditExportFormat, out: Writable): Promise<{ events: number; checkpoints: number }> {
    return exportAuditLog(this.readDatabase(), format, out);
  }

  /** The whole log to a file, written durably (temp name, fsync, rename, fsync the folder). */
  async exportAuditToFile(format: AuditExportFormat, path: string): Promise<{ events: number; checkpoints: number; path: string }> {
    const target = resolve(path);
    try {
      return { ...(await exportAuditLogToFile(this.readDatabase(), format, target)), path: target };
    } catch (error) {
      throw toAirlockError(error, target);
    }
  }

  // Settings ---------------------------------------------------------------

  /** config.json and policy.json as the app edits them: what the files set, what applies, the defaults. */
  getSettings(): Promise<StationSettings> {
    return readStationSettings(this.paths);
  }

  /**
   * Change settings: `null` removes a field (back to its default), absent fields stay, and every
   * field the app does not edit is kept. Recorded as `settings-change` with each field old -> new;
   * a patch that changes nothing writes nothing and records nothing. The new identity applies to
   * operations started after this one (this Station keeps the identity it was opened with).
   */
  async updateSettings(patch: SettingsPatch): Promise<{ changes: SettingChange[]; auditEvent: number | null }> {
    let changes: SettingChange[];
    try {
      changes = await updateStationSettings(this.paths, patch);
    } catch (error) {
      throw this.recordFailure('settings-change', error, { requested: patch });
    }
    if (changes.length === 0) return { changes, auditEvent: null };
    const event = this.record({ type: 'settings-change', outcome: 'ok', details: { changes } });
    return { changes, auditEvent: event.seq };
  }

  async checkpointAudit(passphrase: string, signer?: SignerSpec): Promise<AuditCheckpoint | null> {
    const resolved = await this.signerFor(signer, passphrase);
    if (!resolved) throw new AirlockError('PASSPHRASE_REQUIRED');
    if (!(await this.isStationKey(resolved))) {
      throw new AirlockError('KEY_INVALID', `${resolved.fingerprint} is not this station's key; only a station key (trusted with role station) signs audit checkpoints.`);
    }
    return signAuditCheckpoint(this.database(), this.paths, resolved);
  }

  /**
   * Only a station key vouches for this station's audit log (audit verify checks checkpoints
   * against exactly those keys). A GnuPG or co-signer key that is not trusted as role station
   * signs the bundle and the receipt, not the checkpoint.
   */
  private async checkpointWith(signer: BundleSigner | null): Promise<AuditCheckpoint | null> {
    if (!signer || !(await this.isStationKey(signer))) return null;
    return signAuditCheckpoint(this.database(), this.paths, signer);
  }

  private async isStationKey(signer: BundleSigner): Promise<boolean> {
    return (await loadStationKeys(this.paths)).some((key) => key.fingerprint === signer.fingerprint);
  }

  private receipt(
    kind: 'export' | 'import',
    r: {
      bundle: TransferReceipt['bundle'];
      signers: Array<{ fingerprint: string; userIds: string[] }>;
      checks: ReceiptCheck[];
      files: number;
      bytes: number;
      destination: string | null;
      startedAt: Date;
      event: AuditEvent;
      checkpoint: AuditCheckpoint | null;
      media?: TransferReceipt['media'];
    },
  ): TransferReceipt {
    return {
      receipt: 'airlock-transfer-receipt',
      version: 1,
      kind,
      bundle: r.bundle,
      signers: r.signers.map((s) => ({ fingerprint: s.fingerprint, userIds: s.userIds })),
      checks: r.checks,
      files: r.files,
      bytes: r.bytes,
      destination: r.destination,
      media: r.media ?? null,
      operator: this.identity.operator,
      station: this.identity.station,
      startedAt: r.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      audit: { eventSeq: r.event.seq, eventHash: r.event.hash, checkpoint: r.checkpoint ? { seq: r.checkpoint.seq, hash: r.checkpoint.hash, at: r.checkpoint.at } : null },
    };
  }
}

function exportChecks(result: WriteBundleResult): ReceiptCheck[] {
  return [
    { check: 'Selection holds plain files only (no links, devices or FIFOs)', result: 'passed', detail: `${result.files} files` },
    { check: 'Pass 1: every source file hashed (SHA-256) for the manifest', result: 'passed' },
    { check: `Tag manifest signed (${result.signers.length === 1 ? 'one signer' : `${result.signers.length} signers`})`, result: 'passed', detail: result.signers.map((s) => s.fingerprint).join(', ') },
    { check: 'Pass 2: every file hashed again while written, unchanged since pass 1', result: 'passed' },
    { check: 'Bundle written under a temp name, fsynced, published without overwriting', result: 'passed', detail: `${result.bundleBytes} bytes` },
    { check: 'Read back from the media past the page cache', result: 'not run', detail: 'written to a folder, not to removable media' },
  ];
}

function mediaExportChecks(result: WriteBundleResult, media: MediaExportReport): ReceiptCheck[] {
  const readBacks = media.volumes.map((v) => v.readBack);
  const methods = [...new Set(readBacks.map((r) => (r ? `${r.method}${r.bypassesCache ? '' : ' (cache not bypassed)'}` : 'not run')))].join(', ');
  return [
    ...exportChecks(result).slice(0, 4),
    {
      check: media.split ? 'Parts and signed volume index written under temp names, fsynced, published without overwriting' : 'Bundle written under a temp name, fsynced, published without overwriting',
      result: 'passed',
      detail: `${result.bundleBytes} bytes${media.split ? ` in ${media.parts} parts on ${media.volumes.length} volume(s)` : ''}`,
    },
    {
      check: 'Read back from the media past the page cache',
      result: readBacks.every((r) => r === null) ? 'not run' : media.readBackOk ? 'passed' : 'failed',
      detail: `${methods}; ${readBacks.reduce((n, r) => n + (r?.bytes ?? 0), 0)} bytes`,
    },
  ];
}

function receiptMedia(media: MediaExportReport): NonNullable<TransferReceipt['media']> {
  const first = media.volumes[0]?.medium;
  return {
    label: first?.label ?? null,
    serial: first?.serial ?? null,
    volumes: media.volumes.map((v) => ({
      number: v.number,
      label: v.medium.label,
      serial: v.medium.serial,
      device: v.medium.device,
      filesystem: v.medium.filesystem,
      files: v.files,
      readBack: v.readBack ? `${v.readBack.ok ? 'ok' : 'FAILED'}, ${v.readBack.method}` : null,
    })),
  };
}

function importChecks(result: ImportResult): ReceiptCheck[] {
  return [
    { check: 'Tag manifest signature by a trusted key, valid now (not expired, not revoked)', result: 'passed', detail: result.signers.map((s) => s.fingerprint).join(', ') },
    { check: 'Tag files (bagit.txt, bag-info.txt, manifest) match the signed tag manifest', result: 'passed' },
    { check: 'bagit.txt, bag-info.txt and Payload-Oxum well-formed and consistent', result: 'passed' },
    { check: 'Every path safe, no links or special entries, no duplicates; names allowed by station policy', result: 'passed' },
    { check: 'Station limits (entries, sizes, path depth and length)', result: 'passed' },
    { check: 'Replay guard', result: 'passed', detail: result.replayOf === null ? 'first import of this bundle' : `re-import of import #${result.replayOf}, overridden by the operator` },
    { check: 'Every payload file matches its signed SHA-256', result: 'passed', detail: `${result.bundle.files} files, ${result.bundle.bytes} bytes` },
    { check: 'Complete: nothing listed is missing, nothing present is unlisted', result: 'passed' },
    { check: 'Staged privately, flushed to disk, committed in one rename', result: 'passed', detail: result.destination ?? '' },
  ];
}

/** The audit fields a verification result gives an event (verify and import alike). */
function verificationEventFields(result: VerifyResult): Omit<AuditEventInput, 'type' | 'details' | 'fileRows'> {
  return {
    outcome: result.ok ? 'ok' : 'rejected',
    bundleUuid: result.bundle.uuid,
    bundleName: result.bundle.name,
    tagmanifestSha256: result.bundle.tagmanifestSha256,
    signers: result.signers.map((s) => s.fingerprint),
    problemCodes: result.problems.map((p) => p.code),
    files: result.bundle.files,
    bytes: result.bundle.bytes,
  };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Files and totals come from the signed manifest, not from staged.json, so the approver sees what is signed. */
function summarizeStaged(staged: StagedExport, trusted: TrustedKey[]): StagedSummary {
  const manifest = parseManifest((staged.prepared.tags.files.find((t) => t.name === 'manifest-sha256.txt')?.bytes ?? Buffer.alloc(0)).toString('utf8'));
  return {
    stagedDir: staged.dir,
    name: staged.prepared.name,
    uuid: staged.prepared.tags.uuid,
    files: manifest.ok ? manifest.entries : [],
    totalBytes: staged.prepared.tags.payloadBytes,
    signatures: staged.signatures.map((s) => {
      const known = trusted.find((t) => t.fingerprint === s.fingerprint);
      return { fingerprint: s.fingerprint, userIds: s.userIds, trustedLabel: known?.label ?? null, role: known?.role ?? null };
    }),
  };
}

async function readKeyFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw toAirlockError(error, file);
  }
}

/** `airlock-000042-20261128`: unique per station, sorts by sequence, safe on every file system. */
export function defaultBundleName(sequence: number, now: Date): string {
  return `airlock-${String(sequence).padStart(6, '0')}-${now.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/** The station a prepared bundle's bag-info names (what a recovered export is matched against). */
function preparedStation(tagFiles: ReadonlyArray<{ name: string; bytes: Buffer }>): string | null {
  const bagInfo = tagFiles.find((t) => t.name === BAG_INFO_NAME);
  if (!bagInfo) return null;
  const parsed = parseBagInfo(bagInfo.bytes.toString('utf8'));
  return parsed.ok ? (bagInfoValue(parsed.info, INFO.station) ?? null) : null;
}
