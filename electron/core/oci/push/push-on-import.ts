/**
 * The import's side of the push (issue #15.4): what importBundle runs between "every byte
 * verified and durable in staging" and the commit, and how a re-run of an import whose push was
 * left unfinished is told apart from a replay.
 *
 * - The push reads the staged bytes (`<staging>/payload/oci`), so nothing unverified reaches the
 *   registry and nothing is read twice from the medium. A push-only import of a bundle file
 *   leaves the large blobs in the bundle instead and reads them again from there, hashed again
 *   as they are sent (bundle-blobs.ts). A kill during the push leaves the staging
 *   folder (swept by the next import) and a pending claim (settled failed at the next start): the
 *   re-run is a fresh import, and the journal lets its push resume.
 * - When some image failed, the files still commit and the receipt says which image failed;
 *   `push_unfinished` then records the bundle and target, and a re-run with the same --push-to is
 *   a push retry (import-bundle.ts `pushRetry`): verified again, pushed, no file imported twice.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProgressListener } from '../../../../shared/progress.js';
import type { StationDb } from '../../db/station-db.js';
import { AirlockError } from '../../errors.js';
import type { ImportIdentity } from '../../import/replay-guard.js';
import type { RegistryClientApi, RegistryEndpoint } from '../registry/registry-api.js';
import type { PayloadSink } from '../../verify/check-bundle.js';
import { BundleBlobSink } from './bundle-blobs.js';
import { endpointTarget, pushImages, type PushImagesResult } from './push-images.js';
import { PushJournal } from './push-journal.js';

export interface PushOnImportOptions {
  endpoint: RegistryEndpoint;
  client: RegistryClientApi;
  db: StationDb;
  /** False when the payload is staged in the station's spool (no --dest): then it may hold images only. */
  destGiven: boolean;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
}

export class PushOnImport {
  private result: PushImagesResult | null = null;
  private readonly target: string;
  private inBundle: BundleBlobSink | null = null;
  /** The bundle the push ran for (the journal's key), once it ran. */
  private bundle: string | null = null;

  constructor(private readonly options: PushOnImportOptions) {
    this.target = endpointTarget(options.endpoint);
  }

  /** What the push did; null when it did not run (the import stopped before). */
  outcome(): PushImagesResult | null {
    return this.result;
  }

  /** For importBundle's pushRetry: an earlier import of this bundle left this target's push unfinished. */
  readonly pushRetry = (identity: ImportIdentity): boolean =>
    this.options.db.prepare('SELECT 1 AS one FROM push_unfinished WHERE tagmanifest_sha256 = ? AND target = ?').get(identity.tagmanifestSha256, this.target) !==
    undefined;

  /**
   * For importBundle's payloadSink, when the import only pushes and its bundle is one plain file
   * (not parts, not standard input): the large blobs stay in `bundlePath` (bundle-blobs.ts).
   * Undefined (stage everything) when the path is not a regular file: a pipe or a device named
   * as the bundle (`<(cat ...)`, /dev/fd/N) cannot be read again by offset.
   */
  async leaveBlobsIn(bundlePath: string): Promise<((staging: PayloadSink) => PayloadSink) | undefined> {
    if (!(await isFile(bundlePath))) return undefined;
    return (staging) => {
      this.inBundle = new BundleBlobSink(staging, bundlePath);
      return this.inBundle;
    };
  }

  /** For importBundle's beforeCommit. */
  readonly beforeCommit = async (staged: { payloadDir: string; tagmanifestSha256: string }): Promise<void> => {
    const entries = await readdir(staged.payloadDir);
    if (!this.options.destGiven && entries.some((name) => name !== 'oci')) {
      throw new AirlockError(
        'USAGE',
        'This bundle holds files besides its images, and no destination folder was given for them; nothing was imported or pushed.',
        {
          data: { reason: 'push-needs-dest' },
        },
      );
    }
    const layoutDir = join(staged.payloadDir, 'oci');
    if (!(await isFile(join(layoutDir, 'index.json')))) {
      this.result = { pushes: [], registry: { target: this.target, images: [], blobsPresent: [] } };
      return;
    }
    const result = await pushImages({
      layoutDir,
      inBundle: this.inBundle,
      endpoint: this.options.endpoint,
      client: this.options.client,
      db: this.options.db,
      bundle: staged.tagmanifestSha256,
      signal: this.options.signal,
      onProgress: this.options.onProgress,
    });
    const failed = result.pushes.filter((p) => p.outcome === 'failed').length;
    this.recordUnfinished(staged.tagmanifestSha256, failed);
    this.bundle = staged.tagmanifestSha256;
    this.result = result;
  };

  /**
   * Call inside the transaction that records the import's ok event (it names the pushes): now the
   * journal may go. Not before: a kill between the commit and that event is settled by recovery,
   * which names the pushed manifests from the journal (recovery/reconcile.ts). Kept when an
   * image failed: the re-run resumes from it.
   */
  readonly eventRecorded = (): void => {
    if (this.result === null || this.bundle === null) return;
    if (this.result.pushes.some((p) => p.outcome === 'failed')) return;
    new PushJournal(this.options.db, this.bundle, this.target).clear();
  };

  private recordUnfinished(bundle: string, failed: number): void {
    const { db } = this.options;
    if (failed === 0) {
      db.prepare('DELETE FROM push_unfinished WHERE tagmanifest_sha256 = ? AND target = ?').run(bundle, this.target);
      return;
    }
    db.prepare(
      `INSERT INTO push_unfinished (tagmanifest_sha256, target, failed_images, recorded_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (tagmanifest_sha256, target) DO UPDATE SET failed_images = excluded.failed_images, recorded_at = excluded.recorded_at`,
    ).run(bundle, this.target, failed, new Date().toISOString());
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
