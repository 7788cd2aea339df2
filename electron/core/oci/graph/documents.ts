/**
 * The OCI documents a graph is made of (image-spec descriptor, image manifest, image index, and
 * their Docker v2 schema 2 twins), parsed from hostile JSON into plain records. Every field the
 * graph check relies on is checked here; anything else in the document is left alone (annotations,
 * extra fields the specs allow). Errors are short details for an OCI_GRAPH_INVALID problem.
 */
import { IMAGE_MANIFEST_TYPES, INDEX_TYPES, MEDIA_TYPES, REF_NAME_ANNOTATION, SHA256_DIGEST } from '../layout-format.js';

export interface OciPlatform {
  os: string;
  architecture: string;
  variant?: string | undefined;
}

export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: OciPlatform | undefined;
  artifactType?: string | undefined;
  /** `org.opencontainers.image.ref.name`, when the descriptor carries it (index.json's tags). */
  refName?: string | undefined;
}

export interface ImageManifestDoc {
  kind: 'manifest';
  mediaType: string | undefined;
  config: OciDescriptor;
  layers: OciDescriptor[];
  subject: OciDescriptor | undefined;
  artifactType: string | undefined;
}

export interface ImageIndexDoc {
  kind: 'index';
  mediaType: string | undefined;
  manifests: OciDescriptor[];
  subject: OciDescriptor | undefined;
  artifactType: string | undefined;
}

export type OciDocument = ImageManifestDoc | ImageIndexDoc;

/** RFC 6838 type/subtype (the image-spec's grammar for media types), bounded. */
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/u;
/** The image-spec's digest grammar: any algorithm; only sha256 is carried. */
const ANY_DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/u;

export function isWellFormedMediaType(value: unknown): value is string {
  return typeof value === 'string' && MEDIA_TYPE.test(value);
}

/** Config media types of an image (or chart) manifest that is not an artifact. */
export const CONFIG_TYPES: ReadonlySet<string> = new Set([MEDIA_TYPES.ociConfig, MEDIA_TYPES.dockerConfig, MEDIA_TYPES.helmConfig, MEDIA_TYPES.ociEmpty]);
/** Layer media types of an image (or chart) manifest that is not an artifact. */
export const LAYER_TYPES: ReadonlySet<string> = new Set([
  MEDIA_TYPES.ociLayerTar,
  MEDIA_TYPES.ociLayerGzip,
  MEDIA_TYPES.ociLayerZstd,
  MEDIA_TYPES.ociLayerNondistributableTar,
  MEDIA_TYPES.ociLayerNondistributableGzip,
  MEDIA_TYPES.dockerLayerGzip,
  MEDIA_TYPES.dockerLayerForeign,
  MEDIA_TYPES.helmChart,
  MEDIA_TYPES.helmProvenance,
]);

export function isManifestType(mediaType: string): boolean {
  return IMAGE_MANIFEST_TYPES.has(mediaType) || INDEX_TYPES.has(mediaType);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shortText(value: unknown): string {
  // Never JSON.stringify a hostile value: a deeply nested one overflows the stack (JSON.parse does not).
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined
        ? String(value)
        : Array.isArray(value)
          ? 'a list'
          : 'an object';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A descriptor, or why it is not one. `where` names it in the detail ("layers[2] of sha256:..."). */
export function parseDescriptor(value: unknown, where: string): OciDescriptor | string {
  if (!isRecord(value)) return `${where} is not a descriptor object.`;
  const { mediaType, digest, size, platform, artifactType, annotations } = value;
  if (!isWellFormedMediaType(mediaType)) return `${where} has no well-formed mediaType (${shortText(mediaType)}).`;
  if (typeof digest !== 'string' || !ANY_DIGEST.test(digest)) return `${where} has no well-formed digest (${shortText(digest)}).`;
  if (!SHA256_DIGEST.test(digest)) return `${where} names ${shortText(digest)}: Airlock carries sha256 blobs only (lower-case hex).`;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return `${where} has no valid size (${shortText(size)}).`;
  if (artifactType !== undefined && !isWellFormedMediaType(artifactType)) return `${where} has a malformed artifactType.`;
  let parsedPlatform: OciPlatform | undefined;
  if (platform !== undefined) {
    if (!isRecord(platform) || typeof platform.os !== 'string' || typeof platform.architecture !== 'string') return `${where} has a malformed platform.`;
    if (platform.variant !== undefined && typeof platform.variant !== 'string') return `${where} has a malformed platform variant.`;
    parsedPlatform = { os: platform.os, architecture: platform.architecture, variant: platform.variant };
  }
  let refName: string | undefined;
  if (annotations !== undefined) {
    if (!isRecord(annotations) || !Object.values(annotations).every((v) => typeof v === 'string')) return `${where} has malformed annotations.`;
    const ref = annotations[REF_NAME_ANNOTATION];
    refName = typeof ref === 'string' ? ref : undefined;
  }
  return { mediaType, digest, size, platform: parsedPlatform, artifactType, refName };
}

function parseDescriptors(value: unknown, where: string): OciDescriptor[] | string {
  if (!Array.isArray(value)) return `${where} is not a list.`;
  const out: OciDescriptor[] = [];
  for (const [i, item] of value.entries()) {
    const parsed = parseDescriptor(item, `${where}[${i}]`);
    if (typeof parsed === 'string') return parsed;
    out.push(parsed);
  }
  return out;
}

/** A layout's index.json: an image index (its own mediaType, when present, says so). */
export function parseLayoutIndex(json: unknown): ImageIndexDoc | string {
  const parsed = parseDocumentAs(json, MEDIA_TYPES.ociIndex, 'index.json');
  if (typeof parsed === 'string') return parsed;
  if (parsed.kind !== 'index') return 'index.json is not an image index.';
  return parsed;
}

/**
 * A manifest or index blob as its descriptor's media type says it is. The document's own
 * mediaType, when present, must be that same type: a registry serves it by that field, so a
 * disagreement would push something other than what was verified.
 */
export function parseDocumentAs(json: unknown, descriptorType: string, where: string): OciDocument | string {
  if (!isRecord(json)) return `${where} is not a JSON object.`;
  if (json.schemaVersion !== 2) return `${where} has schemaVersion ${shortText(json.schemaVersion)}; 2 is required.`;
  const own = json.mediaType;
  if (own !== undefined && own !== descriptorType) return `${where} says its mediaType is ${shortText(own)}, but it is referenced as ${descriptorType}.`;
  if (descriptorType === MEDIA_TYPES.dockerManifest || descriptorType === MEDIA_TYPES.dockerManifestList) {
    if (own === undefined) return `${where} has no mediaType; Docker manifests must state theirs.`;
  }
  const artifactType = json.artifactType;
  if (artifactType !== undefined && !isWellFormedMediaType(artifactType)) return `${where} has a malformed artifactType.`;
  let subject: OciDescriptor | undefined;
  if (json.subject !== undefined) {
    const parsed = parseDescriptor(json.subject, `the subject of ${where}`);
    if (typeof parsed === 'string') return parsed;
    subject = parsed;
  }
  if (INDEX_TYPES.has(descriptorType)) {
    const manifests = parseDescriptors(json.manifests, `manifests of ${where}`);
    if (typeof manifests === 'string') return manifests;
    return { kind: 'index', mediaType: own, manifests, subject, artifactType };
  }
  if (IMAGE_MANIFEST_TYPES.has(descriptorType)) {
    const config = parseDescriptor(json.config, `the config of ${where}`);
    if (typeof config === 'string') return config;
    const layers = parseDescriptors(json.layers ?? [], `layers of ${where}`);
    if (typeof layers === 'string') return layers;
    return { kind: 'manifest', mediaType: own, config, layers, subject, artifactType };
  }
  return `${where} is referenced as ${descriptorType}, which is not a manifest or index type.`;
}

/** An artifact manifest (a signature, an SBOM): it may carry any well-formed config and layer types. */
export function isArtifact(doc: OciDocument): boolean {
  return doc.artifactType !== undefined || doc.subject !== undefined;
}

/** Parses a blob's bytes as JSON, or says why not. */
export function parseJsonBytes(bytes: Buffer, where: string): { json: unknown } | string {
  try {
    return { json: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    return `${where} is not valid JSON.`;
  }
}
