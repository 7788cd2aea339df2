import { access, mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { normalizeFingerprint } from '../../shared/fingerprint.js';
import type { ProgressListener } from '../../shared/progress.js';
import type { VerifyResult } from '../../shared/results.js';
import { appendAuditEvent, listAuditEvents, type AuditQuery } from './audit/audit-store.js';
import type { AuditEvent, AuditEventInput } from './audit/audit-event.js';
import { signAuditCheckpoint, type AuditCheckpoint } from './audit/audit-checkpoint.js';
import { verifyAuditLog, type AuditVerifyResult } from './audit/audit-verify.js';
import { exportAuditLog, type AuditExportFormat } from './audit/audit-export.js';
import { writeReceipt, type ReceiptCheck, type TransferReceipt, type WrittenReceipt } from './audit/receipt.js';
import { prepareBundle, writeBundle, writePreparedBundle, type WriteBundleResult } from './bundle/write-bundle.js';
import { addStagedSignature, combinedStagedSignature, loadStagedExport, removeStagedExport, saveStagedExport, type StagedExport } from './bundle/staged-bundle.js';
import { parseManifest } from './bundle/manifest.js';
import { ProgressTracker } from './jobs/progress-tracker.js';
import type { TrustedKey } from './crypto/detached-signature.js';
import type { BundleSigner } from './crypto/bundle-signer.js';
import { resolveSigner, type SignerSpec } from './crypto/signer-spec.js';
import { checkBundle } from './verify/check-bundle.js';
import { openStationDb, nextExportSequence, type StationDb } from './db/station-db.js';
import { AirlockError, toAirlockError } from './errors.js';
import { readStationConfig, stationIdentity, type StationIdentity } from './home/station-config.js';
import { ensureHome, resolveHomeDir, type HomePaths } from './home/station-home.js';
import type { KeyDescription } from './keys/public-key.js';
import { backupStationKey, generateStationKey, hasStationKey, loadStationKeys, readStationPublicKey, restoreStationKey, rotateStationKey, type KeyAlgorithm } from './keys/station-key.js';
import { describeKey, parseTrustablePublicKey } from './keys/public-key.js';
import { importRevocation, loadTrustedKeys, readTrustStore, trustPublicKey, untrustKey, type TrustedSigner } from './keys/trust-store.js';
import { readStationPolicy } from './policy/station-policy.js';
import { importBundle, type ImportResult } from './import/import-bundle.js';
import type { Writable } from 'node:stream';

export interface OpenStationOptions {
  /** --home; else $AIRLOCK_HOME; else the OS app-data directory. */
  home?: string;
  /** --operator: who is at the keyboard, recorded with the OS user. */
  operator?: string;
}

export interface ExportRequest {
  selection: readonly string[];
  outDir: string;
  name?: string;
  /** The station key's passphrase; or give `signer` to sign with GnuPG or another key. */
  passphrase?: string;
  signer?: SignerSpec;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface ImportRequest {
  bundlePath: string;
  destDir: string;
  allowReplay?: boolean;
  /** Unlocks the station key to sign the receipt and an audit checkpoint; without it both stay unsigned. */
  passphrase?: string;
  signer?: SignerSpec;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface VerifyRequest {
  bundlePath: string;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  now?: Date;
}

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

  private constructor(
    readonly paths: HomePaths,
    readonly identity: StationIdentity,
  ) {}

  static async open(options: OpenStationOptions = {}): Promise<Station> {
    const paths = await ensureHome(resolveHomeDir(options.home));
    const config = await readStationConfig(paths);
    return new Station(paths, stationIdentity(config, options.operator));
  }

  close(): void {
    this.db?.close();
    this.db = null;
  }

  private database(): StationDb {
    this.db ??= openStationDb(this.paths.database);
    return this.db;
  }

  /** Every operation leaves an event; if the log cannot take it, the operator must know. */
  private record(input: AuditEventInput): AuditEvent {
    try {
      return appendAuditEvent(this.database(), this.identity, input);
    } catch (error) {
      throw new AirlockError('AUDIT_UNAVAILABLE', (error as Error).message, { cause: error });
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

  async backupKey(passphrase: string): Promise<string> {
    const backup = await backupStationKey(this.paths, passphrase);
    this.record({ type: 'key-backup', outcome: 'ok', details: {} });
    return backup;
  }

  async restoreKey(file: string, passphrase: string): Promise<KeyDescription> {
    const key = await restoreStationKey(this.paths, await readKeyFile(file), passphrase);
    this.record({ type: 'key-generate', outcome: 'ok', signers: [key.fingerprint], details: { restoredFrom: file, userIds: key.userIds } });
    return key;
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
    try {
      const signer = await this.signerFor(request.signer, request.passphrase);
      if (!signer) throw new AirlockError('PASSPHRASE_REQUIRED');
      signingKey = signer;
      const sequence = nextExportSequence(this.database());
      result = await writeBundle({
        selection: request.selection,
        outDir: request.outDir,
        name: request.name ?? defaultBundleName(sequence, startedAt),
        sequence,
        identity: this.identity,
        signers: [signingKey],
        now: startedAt,
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      });
    } catch (error) {
      throw this.recordFailure('export', error, details);
    }
    return this.recordExport(result, startedAt, signingKey);
  }

  /** The audit event, checkpoint and receipt of a written bundle. */
  private async recordExport(result: WriteBundleResult, startedAt: Date, signer: BundleSigner | null): Promise<ExportOutcome> {
    const { payloadFiles, ...outcome } = result;
    const event = this.record({
      type: 'export',
      outcome: 'ok',
      bundleUuid: result.uuid,
      bundleName: result.name,
      tagmanifestSha256: result.tagmanifestSha256,
      signers: result.signers.map((s) => s.fingerprint),
      files: result.files,
      bytes: result.bytes,
      details: { bundlePath: result.bundlePath, bundleBytes: result.bundleBytes, sequence: result.sequence, warnings: result.warnings.length },
      fileRows: payloadFiles,
    });
    const checkpoint = signer ? await signAuditCheckpoint(this.database(), this.paths, signer) : null;
    const receipt = await writeReceipt(
      dirname(result.bundlePath),
      this.receipt('export', {
        bundle: { name: result.name, uuid: result.uuid, tagmanifestSha256: result.tagmanifestSha256, path: result.bundlePath },
        signers: result.signers,
        checks: exportChecks(result),
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

  /** What an approver is about to sign: the signed manifest's files and totals, and who signed so far. */
  async describeStaged(dir: string): Promise<StagedSummary> {
    return summarizeStaged(await loadStagedExport(resolve(dir)), await loadTrustedKeys(this.paths));
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
    try {
      receiptSigner = await this.signerFor(request.signer, request.passphrase);
      staged = await loadStagedExport(resolve(request.stagedDir));
      result = await writePreparedBundle(staged.prepared, await combinedStagedSignature(staged), {
        outDir: request.outDir,
        signers: staged.signatures.map((s) => ({ fingerprint: s.fingerprint, userIds: s.userIds })),
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
      });
    } catch (error) {
      throw this.recordFailure('export', error, { stagedDir: request.stagedDir, outDir: request.outDir });
    }
    const outcome = await this.recordExport(result, startedAt, receiptSigner);
    await removeStagedExport(staged.dir);
    return outcome;
  }

  async verifyBundle(request: VerifyRequest): Promise<VerifyResult> {
    let report: VerifyResult;
    try {
      const [trusted, policy] = await Promise.all([loadTrustedKeys(this.paths), readStationPolicy(this.paths)]);
      const result = await checkBundle({
        bundlePath: request.bundlePath,
        trusted,
        limits: policy.limits,
        requiredSigners: policy.requiredSigners,
        clockSkewSeconds: policy.clockSkewSeconds,
        ...(request.now ? { now: request.now } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      });
      const { payload: _payload, ...rest } = result;
      report = rest;
    } catch (error) {
      throw this.recordFailure('verify', error, { bundlePath: request.bundlePath });
    }
    this.record({
      type: 'verify',
      outcome: report.ok ? 'ok' : 'rejected',
      bundleUuid: report.bundle.uuid,
      bundleName: report.bundle.name,
      tagmanifestSha256: report.bundle.tagmanifestSha256,
      signers: report.signers.map((s) => s.fingerprint),
      problemCodes: report.problems.map((p) => p.code),
      files: report.bundle.files,
      bytes: report.bundle.bytes,
      details: { bundlePath: request.bundlePath },
    });
    return report;
  }

  async importBundle(request: ImportRequest): Promise<ImportOutcome> {
    const startedAt = new Date();
    let signingKey: BundleSigner | null;
    let result: ImportResult;
    try {
      signingKey = await this.signerFor(request.signer, request.passphrase);
      const [trusted, policy] = await Promise.all([loadTrustedKeys(this.paths), readStationPolicy(this.paths)]);
      result = await importBundle({
        bundlePath: request.bundlePath,
        destDir: request.destDir,
        trusted,
        policy,
        db: this.database(),
        operator: this.identity.operator,
        ...(request.allowReplay ? { allowReplay: true } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
      });
    } catch (error) {
      throw this.recordFailure('import', error, { bundlePath: request.bundlePath, destDir: request.destDir });
    }
    const { payloadFiles, ...outcome } = result;
    const event = this.record({
      type: 'import',
      outcome: result.ok ? 'ok' : 'rejected',
      bundleUuid: result.bundle.uuid,
      bundleName: result.bundle.name,
      tagmanifestSha256: result.bundle.tagmanifestSha256,
      signers: result.signers.map((s) => s.fingerprint),
      problemCodes: result.problems.map((p) => p.code),
      files: result.bundle.files,
      bytes: result.bundle.bytes,
      details: { bundlePath: request.bundlePath, destDir: request.destDir, destination: result.destination, replayOf: result.replayOf, warnings: result.warnings },
      fileRows: payloadFiles,
    });
    if (!result.ok || result.destination === null) return { ...outcome, auditEvent: event.seq, checkpoint: null, receipt: null };
    const checkpoint = signingKey ? await signAuditCheckpoint(this.database(), this.paths, signingKey) : null;
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

  // Audit ------------------------------------------------------------------

  listAudit(query: AuditQuery = {}): AuditEvent[] {
    return listAuditEvents(this.database(), query);
  }

  /** Checkpoints are verified with the station's own public key and any earlier station keys kept in the trust store. */
  async verifyAudit(): Promise<AuditVerifyResult> {
    return verifyAuditLog(this.database(), this.paths, await loadStationKeys(this.paths));
  }

  exportAudit(format: AuditExportFormat, out: Writable): Promise<{ events: number; checkpoints: number }> {
    return exportAuditLog(this.database(), format, out);
  }

  async checkpointAudit(passphrase: string, signer?: SignerSpec): Promise<AuditCheckpoint | null> {
    const resolved = await this.signerFor(signer, passphrase);
    if (!resolved) throw new AirlockError('PASSPHRASE_REQUIRED');
    return signAuditCheckpoint(this.database(), this.paths, resolved);
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
      media: null,
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
    { check: 'Tag manifest signed with the station key', result: 'passed', detail: result.signers.map((s) => s.fingerprint).join(', ') },
    { check: 'Pass 2: every file hashed again while written, unchanged since pass 1', result: 'passed' },
    { check: 'Bundle written under a temp name, fsynced, published without overwriting', result: 'passed', detail: `${result.bundleBytes} bytes` },
    { check: 'Read back from the media past the page cache', result: 'not run', detail: 'written to a folder, not to removable media' },
  ];
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
