import { readFile } from 'node:fs/promises';
import { normalizeFingerprint } from '../../shared/fingerprint.js';
import type { ProgressListener } from '../../shared/progress.js';
import type { VerifyResult } from '../../shared/results.js';
import { writeBundle, type WriteBundleResult } from './bundle/write-bundle.js';
import { checkBundle } from './verify/check-bundle.js';
import { openStationDb, nextExportSequence, type StationDb } from './db/station-db.js';
import { AirlockError, toAirlockError } from './errors.js';
import { readStationConfig, stationIdentity, type StationIdentity } from './home/station-config.js';
import { ensureHome, resolveHomeDir, type HomePaths } from './home/station-home.js';
import type { KeyDescription } from './keys/public-key.js';
import { generateStationKey, hasStationKey, readStationPublicKey, unlockStationKey } from './keys/station-key.js';
import { loadTrustedKeys, readTrustStore, trustPublicKey, untrustKey, type TrustedSigner } from './keys/trust-store.js';
import { readStationPolicy } from './policy/station-policy.js';
import { importBundle, type ImportResult } from './import/import-bundle.js';

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
  passphrase: string;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface ImportRequest {
  bundlePath: string;
  destDir: string;
  allowReplay?: boolean;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
}

export interface VerifyRequest {
  bundlePath: string;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  now?: Date;
}

/** One station's state (keys, trust, database, config) and the operations on it. */
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

  // Keys -------------------------------------------------------------------

  generateKey(options: { name: string; email?: string; passphrase: string }): Promise<KeyDescription> {
    return generateStationKey(this.paths, options);
  }

  hasKey(): Promise<boolean> {
    return hasStationKey(this.paths);
  }

  async trustKeyFile(file: string, label?: string, expectedFingerprint?: string): Promise<{ signer: TrustedSigner; alreadyTrusted: boolean }> {
    let armored: string;
    try {
      armored = await readFile(file, 'utf8');
    } catch (error) {
      throw toAirlockError(error, file);
    }
    return trustPublicKey(this.paths, armored, {
      ...(label === undefined ? {} : { label }),
      ...(expectedFingerprint === undefined ? {} : { expectedFingerprint }),
    });
  }

  untrustKey(fingerprint: string): Promise<TrustedSigner> {
    return untrustKey(this.paths, fingerprint);
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

  async exportBundle(request: ExportRequest): Promise<WriteBundleResult> {
    const signingKey = await unlockStationKey(this.paths, request.passphrase);
    const sequence = nextExportSequence(this.database());
    const now = new Date();
    const name = request.name ?? defaultBundleName(sequence, now);
    return writeBundle({
      selection: request.selection,
      outDir: request.outDir,
      name,
      sequence,
      identity: this.identity,
      signingKeys: [signingKey],
      now,
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    });
  }

  async importBundle(request: ImportRequest): Promise<ImportResult> {
    const [trusted, policy] = await Promise.all([loadTrustedKeys(this.paths), readStationPolicy(this.paths)]);
    return importBundle({
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
  }

  async verifyBundle(request: VerifyRequest): Promise<VerifyResult> {
    const [trusted, policy] = await Promise.all([loadTrustedKeys(this.paths), readStationPolicy(this.paths)]);
    const result = await checkBundle({
      bundlePath: request.bundlePath,
      trusted,
      limits: policy.limits,
      ...(request.now ? { now: request.now } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    });
    const { payload: _payload, ...report } = result;
    return report;
  }
}

/** `airlock-000042-20261128`: unique per station, sorts by sequence, safe on every file system. */
export function defaultBundleName(sequence: number, now: Date): string {
  return `airlock-${String(sequence).padStart(6, '0')}-${now.toISOString().slice(0, 10).replace(/-/g, '')}`;
}
