/**
 * Push on import (issue #15.4): every image of a fully verified bundle into the registry, from
 * the staged bytes. First the blobs the bundle was exported without (expected-present): all must
 * be in the registry, or nothing is pushed (REGISTRY_BLOB_ABSENT). Then image by image; a failed
 * image does not stop the others. The push journal (push-journal.ts) lets a killed push resume.
 */
import type { ImagePushResult } from '../../../../shared/images.js';
import type { ProgressListener } from '../../../../shared/progress.js';
import type { StationDb } from '../../db/station-db.js';
import { AirlockError } from '../../errors.js';
import { ProgressTracker } from '../../jobs/progress-tracker.js';
import { planImage, type ImagePushPlan } from '../graph/push-plan.js';
import type { ExpectedPresentBlob } from '../images-file.js';
import { receiptRegistrySection, type ReceiptRegistrySection } from '../registry-receipt.js';
import type { RegistryClientApi, RegistryEndpoint } from '../registry/registry-api.js';
import { pushImage, targetRepository } from './push-image.js';
import { PushJournal } from './push-journal.js';
import type { BundleBlobs } from './bundle-blobs.js';
import { StagedLayout } from './staged-layout.js';

export interface PushImagesOptions {
  /** The staged, verified `data/oci` folder. */
  layoutDir: string;
  /** Large blobs a push-only import left in the bundle file (bundle-blobs.ts); null when all are staged. */
  inBundle?: BundleBlobs | null | undefined;
  endpoint: RegistryEndpoint;
  client: RegistryClientApi;
  db: StationDb;
  /** The bundle's tagmanifest SHA-256 (the journal's key). */
  bundle: string;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
}

export interface PushImagesResult {
  pushes: ImagePushResult[];
  /** The receipt's `registry` section. */
  registry: ReceiptRegistrySection;
}

/** `HOST[:PORT][/PREFIX]`: the journal's and the receipt's name for a target. */
export function endpointTarget(endpoint: RegistryEndpoint): string {
  return endpoint.prefix === '' ? endpoint.host : `${endpoint.host}/${endpoint.prefix}`;
}

export async function pushImages(options: PushImagesOptions): Promise<PushImagesResult> {
  const layout = new StagedLayout(options.layoutDir, options.inBundle ?? null);
  const images = await layout.readImagesFile();
  const target = endpointTarget(options.endpoint);
  const journal = new PushJournal(options.db, options.bundle, target);
  const { client, signal } = options;

  await requireExpectedPresent(client, images.expectedPresent, signal);

  const plans: ImagePushPlan[] = [];
  for (const entry of images.images) plans.push(await planImage(entry, (digest) => layout.readJson(digest)));
  let item: string | undefined;
  const progress = new ProgressTracker(options.onProgress ? (p) => options.onProgress?.({ ...p, item }) : undefined);
  progress.startPhase('pushing-images', { bytes: totalBytes(plans), files: plans.length });

  const placed = new Map<string, string>();
  const expectedPresent = new Map(images.expectedPresent.map((blob) => [blob.digest, blob.repository]));
  const pushes: ImagePushResult[] = [];
  for (const plan of plans) {
    if (signal?.aborted) throw new AirlockError('CANCELLED');
    const repository = targetRepository(options.endpoint.prefix, plan.repository);
    item = `${repository}${plan.tag === null ? `@${plan.digest}` : `:${plan.tag}`}`;
    progress.flush();
    pushes.push(await pushImage(plan, repository, { client, layout, journal, placed, expectedPresent, signal, onBytes: (n) => progress.addBytes(n) }));
    progress.addFiles(1);
  }
  progress.flush();
  // The journal stays until the event naming these pushes is recorded (push-on-import.ts
  // `eventRecorded`): killed before that, recovery reads the manifests put from it (reconcile.ts).
  const registry = { target, images: pushes, blobsPresent: blobsPresent(plans, pushes, images.expectedPresent, options.endpoint.prefix) };
  // The far side reads this section with the same schema (export --skip-blobs-in): never write one it would refuse.
  const checked = receiptRegistrySection().safeParse(registry);
  if (!checked.success)
    throw new AirlockError('INTERNAL', `The receipt's registry section does not match its schema: ${checked.error.issues[0]?.message ?? ''}`);
  return { pushes, registry };
}

/** Fail closed before any push: every blob the sender left out must be in the registry with its size. */
async function requireExpectedPresent(client: RegistryClientApi, blobs: readonly ExpectedPresentBlob[], signal: AbortSignal | undefined): Promise<void> {
  const absent: string[] = [];
  for (const blob of blobs) {
    const head = await client.hasBlob(blob.repository, blob.digest, signal);
    if (!head.present || (head.size !== null && head.size !== blob.size)) absent.push(`${blob.repository}@${blob.digest}`);
  }
  if (absent.length > 0) {
    throw new AirlockError('REGISTRY_BLOB_ABSENT', `${absent.length} blob(s): ${absent.slice(0, 5).join(', ')}${absent.length > 5 ? ', ...' : ''}.`, {
      data: { absent: absent.length, first: absent[0] ?? null },
    });
  }
}

/** Blob bytes of all images, each blob counted once per image (what progress moves through). */
function totalBytes(plans: readonly ImagePushPlan[]): number {
  return plans.reduce((sum, plan) => sum + plan.blobs.reduce((s, blob) => s + blob.size, 0), 0);
}

/** Blobs the registry holds now, in the repository of each image that ended pushed or already present. */
function blobsPresent(
  plans: readonly ImagePushPlan[],
  pushes: readonly ImagePushResult[],
  expected: readonly ExpectedPresentBlob[],
  prefix: string,
): ReceiptRegistrySection['blobsPresent'] {
  const seen = new Set<string>();
  const out: ReceiptRegistrySection['blobsPresent'] = [];
  plans.forEach((plan, i) => {
    if (pushes[i]?.outcome === 'failed') return;
    const repository = targetRepository(prefix, plan.repository);
    for (const blob of plan.blobs) {
      const key = `${repository}\n${blob.digest}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ digest: blob.digest, size: blob.size, mediaType: blob.mediaType, repository });
    }
  });
  for (const blob of expected) {
    const key = `${blob.repository}\n${blob.digest}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ digest: blob.digest, size: blob.size, mediaType: blob.mediaType, repository: blob.repository });
  }
  return out;
}
