/**
 * One image into the registry, in the order planImage() gives (graph/push-plan.ts): each blob
 * before the manifest that lists it (HEAD to skip, mount from a repository this push already
 * filled or the receipt named, else a streamed upload from the verified staged file, a few at a
 * time), platform manifests before their index, the tagged top last, referrers after their
 * subject. Every manifest's Docker-Content-Digest must be the bundle's digest.
 */
import type { ImagePushResult } from '../../../../shared/images.js';
import { AirlockError, isAbortError, toAirlockError } from '../../errors.js';
import type { ImagePushPlan, ManifestStep } from '../graph/push-plan.js';
import type { BlobDescriptor, RegistryClientApi } from '../registry/registry-api.js';
import { updateReferrersTag, type ReferrerDescriptor } from '../registry/referrers.js';
import type { PushJournal } from './push-journal.js';
import type { StagedLayout } from './staged-layout.js';

/** Blobs of one image sent at once: enough to hide round trips, few enough for a 2-core station and a small registry. */
export const PARALLEL_BLOBS = 3;

export interface ImagePushContext {
  client: RegistryClientApi;
  layout: StagedLayout;
  journal: PushJournal;
  /** Blobs this run put into some repository (digest -> repository): mounted rather than sent again. */
  placed: Map<string, string>;
  /** Blobs left out of the bundle as expected-present (digest -> repository holding them). */
  expectedPresent: ReadonlyMap<string, string>;
  signal?: AbortSignal | undefined;
  /** Bytes sent, or skipped as present (progress only). */
  onBytes: (bytes: number) => void;
}

/** The full repository path at the registry: the --push-to prefix, then the image's repository. */
export function targetRepository(prefix: string, repository: string): string {
  return prefix === '' ? repository : `${prefix}/${repository}`;
}

/**
 * Push one image; never throws for a registry failure (the image is `failed` with the registry's
 * code and the caller goes on with the next image). Cancellation and internal errors do throw.
 */
export async function pushImage(plan: ImagePushPlan, repository: string, context: ImagePushContext): Promise<ImagePushResult> {
  const result: ImagePushResult = {
    repository,
    tag: plan.tag,
    digest: plan.digest,
    outcome: 'pushed',
    blobs: { uploaded: 0, mounted: 0, skipped: 0 },
    bytesSent: 0,
  };
  try {
    if (await alreadyPresent(plan, repository, context)) {
      result.outcome = 'already-present';
      result.blobs.skipped = plan.blobs.length;
      context.onBytes(plan.blobs.reduce((sum, blob) => sum + blob.size, 0));
      return result;
    }
    await eachLimited(plan.blobs, PARALLEL_BLOBS, async (blob) => {
      const how = await placeBlob(blob, repository, context, (sent) => {
        result.bytesSent += sent;
      });
      result.blobs[how] += 1;
    });
    for (const step of plan.manifests) await putManifest(step, repository, context);
    return result;
  } catch (error) {
    if (isAbortError(error) || context.signal?.aborted) throw new AirlockError('CANCELLED', undefined, { cause: error });
    const failure = toAirlockError(error);
    if (!failure.code.startsWith('REGISTRY_')) throw failure;
    const registryCode = failure.data?.['registryCode'];
    // Bounded as the receipt's schema wants them (registry-receipt.ts): a registry's text is hostile input too.
    return {
      ...result,
      outcome: 'failed',
      errorCode: (typeof registryCode === 'string' && registryCode !== '' ? registryCode : failure.code).slice(0, 128),
      message: failure.message.slice(0, 4000),
    };
  }
}

/** Present when every manifest of the plan is there by digest and the tag names the top one: then no blob is even asked about. */
async function alreadyPresent(plan: ImagePushPlan, repository: string, context: ImagePushContext): Promise<boolean> {
  const top = await context.client.headManifest(repository, plan.tag ?? plan.digest, context.signal);
  if (top?.digest !== plan.digest) return false;
  for (const step of plan.manifests) {
    if (step.digest === plan.digest) continue;
    const found = await context.client.headManifest(repository, step.digest, context.signal);
    if (found?.digest !== step.digest) return false;
  }
  return true;
}

async function placeBlob(
  blob: BlobDescriptor,
  repository: string,
  context: ImagePushContext,
  onSent: (bytes: number) => void,
): Promise<'uploaded' | 'mounted' | 'skipped'> {
  const { client, journal, signal } = context;
  const head = await client.hasBlob(repository, blob.digest, signal);
  if (head.present && (head.size === null || head.size === blob.size)) {
    journal.markDone('blob', repository, blob.digest);
    context.placed.set(blob.digest, repository);
    context.onBytes(blob.size);
    return 'skipped';
  }
  const from = context.placed.get(blob.digest) ?? context.expectedPresent.get(blob.digest);
  if (from !== undefined && from !== repository && (await client.mountBlob(repository, blob.digest, from, signal))) {
    journal.markDone('blob', repository, blob.digest);
    context.placed.set(blob.digest, repository);
    context.onBytes(blob.size);
    return 'mounted';
  }
  if (!(await context.layout.hasBlob(blob.digest))) {
    throw new AirlockError(
      'REGISTRY_BLOB_ABSENT',
      `The blob ${blob.digest} was left out of the bundle as present${from === undefined ? '' : ` in ${from}`}, but the registry could not mount it into ${repository}.`,
    );
  }
  await uploadBlob(blob, repository, context, onSent);
  journal.markDone('blob', repository, blob.digest);
  context.placed.set(blob.digest, repository);
  return 'uploaded';
}

async function uploadBlob(blob: BlobDescriptor, repository: string, context: ImagePushContext, onSent: (bytes: number) => void): Promise<void> {
  const { client, journal, layout, signal } = context;
  const resume = journal.upload(repository, blob.digest);
  // Bytes the registry had acknowledged: a resumed upload counts only what it sends from there.
  let acked = 0;
  const attempt = async (resumeUrl: string | undefined): Promise<void> => {
    acked = resumeUrl === undefined ? 0 : (resume?.bytesAcked ?? 0);
    await client.uploadBlob(repository, blob, (offset) => layout.open(blob.digest, offset), {
      signal,
      resumeUrl,
      reader: () => layout.reader(blob.digest),
      onProgress: (progress) => {
        if (progress.bytes > acked) {
          const delta = progress.bytes - acked;
          acked = progress.bytes;
          onSent(delta);
          context.onBytes(delta);
        }
        if (progress.location !== undefined) journal.noteUpload(repository, blob.digest, progress.location, progress.bytes);
      },
    });
  };
  try {
    if (resume === null) return await attempt(undefined);
    try {
      await attempt(resume.uploadUrl);
    } catch (error) {
      // The registry forgot the upload (expired, garbage-collected, restarted): send the blob afresh once.
      const failure = toAirlockError(error);
      if (signal?.aborted || failure.code === 'REGISTRY_DIGEST_MISMATCH' || failure.code === 'REGISTRY_AUTH_FAILED' || failure.code === 'IMAGE_SOURCE_CORRUPT')
        throw error;
      journal.forgetUpload(repository, blob.digest);
      await attempt(undefined);
    }
  } catch (error) {
    // The upload hashes what it reads (from the bundle or the spool) and refused bytes that are not the verified ones.
    if (error instanceof AirlockError && error.code === 'IMAGE_SOURCE_CORRUPT')
      throw new AirlockError('BUNDLE_CHANGED', `${error.message} Read again for ${repository}.`, { cause: error, data: error.data });
    throw error;
  }
}

async function putManifest(step: ManifestStep, repository: string, context: ImagePushContext): Promise<void> {
  const body = await context.layout.manifestBytes(step.digest);
  const reference = step.tag ?? step.digest;
  const put = await context.client.putManifest(repository, reference, step.mediaType, body, context.signal);
  const { digest } = put;
  if (digest !== step.digest) {
    throw new AirlockError('REGISTRY_DIGEST_MISMATCH', `${repository}:${reference} was stored as ${digest}; the signed bundle says ${step.digest}.`, {
      data: { expected: step.digest, reported: digest },
    });
  }
  // distribution 2.8 and older Harbor have no referrers API (no OCI-Subject in the answer): list the referrer in its subject's `sha256-<hex>` tag index.
  const answered = (put as { subject?: unknown }).subject;
  if (step.subject !== null && typeof answered !== 'string') {
    await updateReferrersTag(context.client, repository, step.subject, referrerDescriptor(step, body), context.signal);
  }
  context.journal.markDone('manifest', repository, step.digest);
}

/** The descriptor a referrers index lists for a referrer manifest: its artifact type (or config type) and annotations. */
function referrerDescriptor(step: ManifestStep, body: Buffer): ReferrerDescriptor {
  const doc = JSON.parse(body.toString('utf8')) as { artifactType?: unknown; config?: { mediaType?: unknown }; annotations?: unknown };
  const artifactType = typeof doc.artifactType === 'string' ? doc.artifactType : typeof doc.config?.mediaType === 'string' ? doc.config.mediaType : undefined;
  const annotations =
    typeof doc.annotations === 'object' && doc.annotations !== null && Object.values(doc.annotations).every((v) => typeof v === 'string')
      ? (doc.annotations as Record<string, string>)
      : undefined;
  return { mediaType: step.mediaType, digest: step.digest, size: body.length, artifactType, annotations };
}

/** Run `work` over `items`, at most `limit` at once; the first failure stops new starts and is thrown once the running ones end. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (failed === null && next < items.length) {
      const item = items[next] as T;
      next += 1;
      try {
        await work(item);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, () => worker()));
  if (failed !== null) throw (failed as { error: unknown }).error;
}
