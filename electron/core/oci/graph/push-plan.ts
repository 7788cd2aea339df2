/**
 * The order in which one image of a verified bundle goes into a registry (issue #15.4), as pure
 * data: a registry refuses a manifest whose blobs it lacks, and an index whose manifests it lacks,
 * and a referrer is meaningful only once its subject is there. So, per image: each manifest's
 * blobs (config, layers) right before that manifest, manifests bottom-up (platform manifests
 * before the index listing them), the image's top manifest or index last of the image (that step
 * carries the tag), then the referrers, each after its subject (a referrer of a referrer after it).
 *
 * It reads only manifest and index documents (through `readBlobJson`), which verification has
 * already proven (graph-check.ts): a document that does not parse here is an internal error.
 */
import type { BlobDescriptor } from '../registry/registry-api.js';
import type { ImageEntry } from '../images-file.js';
import { INDEX_TYPES, MEDIA_TYPES } from '../layout-format.js';
import { AirlockError } from '../../errors.js';
import { isManifestType, parseDocumentAs, type OciDocument } from './documents.js';

/** Reads a manifest or index blob of the verified layout and parses its JSON. */
export type ReadBlobJson = (digest: string) => unknown;

export interface BlobStep {
  kind: 'blob';
  blob: BlobDescriptor;
}

export interface ManifestStep {
  kind: 'manifest';
  digest: string;
  mediaType: string;
  /** Set on the image's top manifest or index only: the tag to put it under (else it goes by digest). */
  tag: string | null;
  /** A referrer (signature, SBOM, attestation): the manifest it refers to. */
  subject: string | null;
}

export type PushStep = BlobStep | ManifestStep;

export interface ImagePushPlan {
  repository: string;
  tag: string | null;
  /** The top manifest or index: what the registry must report after the push. */
  digest: string;
  /** Every step in push order; each blob and manifest once. */
  steps: PushStep[];
  /** The blobs among the steps (configs, layers), in push order. */
  blobs: BlobDescriptor[];
  /** The manifests among the steps, in push order (the image's, then its referrers'). */
  manifests: ManifestStep[];
}

/** Nesting deeper than this is refused by verification; the plan stops there too. */
const MAX_DEPTH = 8;

export async function planImage(entry: ImageEntry, readBlobJson: ReadBlobJson): Promise<ImagePushPlan> {
  const steps: PushStep[] = [];
  const done = new Set<string>();
  const read = async (digest: string, mediaType: string): Promise<OciDocument> => {
    const parsed = parseDocumentAs(await readBlobJson(digest), mediaType, digest);
    if (typeof parsed === 'string') throw new AirlockError('INTERNAL', `A verified image manifest does not parse: ${parsed}`);
    return parsed;
  };

  const visit = async (digest: string, mediaType: string, tag: string | null, subject: string | null, depth: number): Promise<void> => {
    if (done.has(digest)) return;
    if (depth > MAX_DEPTH) throw new AirlockError('INTERNAL', `The image ${entry.digest} nests indexes deeper than ${MAX_DEPTH}.`);
    const doc = await read(digest, mediaType);
    if (doc.kind === 'index') {
      for (const child of doc.manifests) await visit(child.digest, child.mediaType, null, null, depth + 1);
    } else {
      for (const blob of [doc.config, ...doc.layers]) {
        if (done.has(blob.digest)) continue;
        done.add(blob.digest);
        steps.push({ kind: 'blob', blob: { digest: blob.digest, size: blob.size, mediaType: blob.mediaType } });
      }
    }
    done.add(digest);
    steps.push({ kind: 'manifest', digest, mediaType, tag, subject });
  };

  await visit(entry.digest, entry.mediaType, entry.tag, null, 1);
  // Referrers after their subjects: those whose subject is already pushed go first, in digest order; repeat.
  const pending = new Map<string, { mediaType: string; subject: string }>();
  for (const digest of [...new Set(entry.referrers)].sort()) {
    const json = await readBlobJson(digest);
    const mediaType = documentType(json);
    const doc = await read(digest, mediaType);
    if (!doc.subject) throw new AirlockError('INTERNAL', `The referrer ${digest} of ${entry.digest} names no subject.`);
    pending.set(digest, { mediaType, subject: doc.subject.digest });
  }
  while (pending.size > 0) {
    const ready = [...pending].filter(([, r]) => done.has(r.subject));
    if (ready.length === 0)
      throw new AirlockError('INTERNAL', `Referrers of ${entry.digest} name subjects outside the image: ${[...pending.keys()].join(', ')}.`);
    for (const [digest, r] of ready) {
      pending.delete(digest);
      await visit(digest, r.mediaType, null, r.subject, 1);
    }
  }
  return {
    repository: entry.repository,
    tag: entry.tag,
    digest: entry.digest,
    steps,
    blobs: steps.filter((s): s is BlobStep => s.kind === 'blob').map((s) => s.blob),
    manifests: steps.filter((s): s is ManifestStep => s.kind === 'manifest'),
  };
}

/** A document's media type: its own field, else what its shape says (an OCI document may leave the field out). */
function documentType(json: unknown): string {
  if (typeof json === 'object' && json !== null) {
    const own = (json as { mediaType?: unknown }).mediaType;
    if (typeof own === 'string' && isManifestType(own)) return own;
    if (Array.isArray((json as { manifests?: unknown }).manifests)) return MEDIA_TYPES.ociIndex;
  }
  return MEDIA_TYPES.ociManifest;
}

/** Whether a plan's manifest step is an index (pushed after the manifests it lists). */
export function isIndexStep(step: ManifestStep): boolean {
  return INDEX_TYPES.has(step.mediaType);
}
