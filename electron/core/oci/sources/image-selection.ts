/**
 * One image out of an OCI layout: which entry the reference names, the platforms kept, every blob
 * it reaches, and the referrers (signatures, SBOMs) found beside it. Nothing is copied: blobs are
 * named by where they lie; only a platform subset index is generated (into the work folder).
 */
import type { ImageEntry } from '../images-file.js';
import { IMAGE_MANIFEST_TYPES, INDEX_TYPES, MEDIA_TYPES, REF_NAME_ANNOTATION } from '../layout-format.js';
import { AirlockError } from '../../errors.js';
import { printable } from './image-reference.js';
import type { BlobSource, Descriptor, LayoutDir } from './layout-reader.js';
import { normalizeRepository, normalizeTag, targetFromRefName, type TargetName } from './target-name.js';
import type { ImageWorkDir } from './work-dir.js';
import { platformMatches, platformText, type PlatformChoice } from './platform-choice.js';

/** One image as it goes into the bundle's layout. */
export interface ResolvedImage {
  entry: ImageEntry;
  /** Its descriptor in the bundle's index.json (ref name added by the layout writer). */
  top: { mediaType: string; digest: string; size: number };
  /** Every blob of the image and of its referrers, each once. */
  blobs: BlobSource[];
  /** Descriptors of its referrers, listed in index.json too (as the image layout spec's referrers are). */
  referrerDescriptors: Descriptor[];
}

/** Nested indexes deeper than this are refused (a loop, or a document built to exhaust the walk). */
const MAX_DEPTH = 4;

export interface SelectOptions {
  /** The ref name asked for (`oci:DIR:TAG`); null: the layout's only image. */
  tag: string | null;
  platforms: readonly PlatformChoice[];
  /** Path whose name is the repository when the ref name gives none. */
  namePath: string;
  /** Overrides the target the ref name would give (docker:// keeps the registry's names). */
  target?: TargetName | undefined;
  work: ImageWorkDir;
}

export async function selectImage(layout: LayoutDir, options: SelectOptions): Promise<ResolvedImage> {
  const index = await layout.readIndex();
  const chosen = chooseEntry(layout, index.manifests, options.tag);
  const refName = chosen.annotations?.[REF_NAME_ANNOTATION] ?? null;
  const walk = new GraphWalk(layout);
  const picked = await pickPlatforms(layout, chosen, options, walk);
  // A Helm chart in a layout or registry travels as a chart under its own name and version, as --chart's do (chart-entry.ts).
  const chart = picked.chartMeta ? chartTarget(options.target ?? targetFromRefName(refName, options.namePath), picked.chartMeta) : null;
  const target = chart ?? options.target ?? targetFromRefName(refName, options.namePath);
  const imageBlobs = [...walk.blobs.values()];
  const size = imageBlobs.reduce((sum, b) => sum + b.size, 0);
  const referrers = await findReferrers(layout, index.manifests, walk.manifestDigests, walk);
  return {
    entry: {
      kind: chart ? 'chart' : 'image',
      source: layout.source,
      repository: target.repository,
      tag: target.tag,
      digest: picked.top.digest,
      mediaType: picked.top.mediaType,
      size,
      platforms: picked.platforms,
      referrers: referrers.map((r) => r.digest),
    },
    top: picked.top,
    blobs: [...walk.blobs.values()],
    referrerDescriptors: referrers,
  };
}

/** The chart's name as the repository's last component (its namespace kept) and its version as the tag (null stays null: by digest). */
function chartTarget(target: TargetName, meta: { name: string; version: string }): TargetName {
  const name = normalizeRepository(meta.name);
  const version = normalizeTag(meta.version);
  if (name === null || version === null)
    throw new AirlockError(
      'IMAGE_SOURCE_INVALID',
      `Helm chart "${printable(meta.name)}" ${printable(meta.version)}: its name and version are not usable as repository and tag.`,
    );
  const slash = target.repository.lastIndexOf('/');
  const repository = slash < 0 ? name : `${target.repository.slice(0, slash)}/${name}`;
  return { repository, tag: target.tag === null ? null : version };
}

function chooseEntry(layout: LayoutDir, manifests: Descriptor[], tag: string | null): Descriptor {
  const named = manifests.filter((m) => m.annotations?.[REF_NAME_ANNOTATION] !== undefined);
  const names = named.map((m) => m.annotations?.[REF_NAME_ANNOTATION] ?? '');
  if (tag !== null) {
    const hits = named.filter((m) => m.annotations?.[REF_NAME_ANNOTATION] === tag);
    if (hits.length === 1) return hits[0] as Descriptor;
    if (hits.length > 1)
      throw new AirlockError('IMAGE_SOURCE_CORRUPT', `${printable(layout.source)}: index.json names ${hits.length} images "${printable(tag)}".`);
    throw new AirlockError('IMAGE_NOT_FOUND', `${printable(layout.source)}: no image named "${printable(tag)}"; the layout holds: ${choices(names)}.`, {
      data: { reference: printable(layout.source) },
    });
  }
  if (named.length === 1) return named[0] as Descriptor;
  if (named.length === 0 && manifests.length === 1) return manifests[0] as Descriptor;
  throw new AirlockError(
    'IMAGE_SOURCE_INVALID',
    `${printable(layout.source)}: the layout holds ${named.length || manifests.length} images; add :TAG to choose one of: ${choices(names)}.`,
    { data: { reference: printable(layout.source) } },
  );
}

function choices(names: string[]): string {
  if (names.length === 0) return '(no named images)';
  const shown = names.slice(0, 20).map((n) => printable(n));
  return names.length > 20 ? `${shown.join(', ')} and ${names.length - 20} more` : shown.join(', ');
}

/** Collects an image's blobs (each once) and the digests of its manifests. */
class GraphWalk {
  readonly blobs = new Map<string, BlobSource>();
  readonly manifestDigests = new Set<string>();
  constructor(private readonly layout: LayoutDir) {}

  async add(descriptor: Descriptor, depth: number, onIndexChild?: (children: Descriptor[]) => Descriptor[]): Promise<void> {
    if (depth > MAX_DEPTH) throw new AirlockError('IMAGE_SOURCE_CORRUPT', `${printable(this.layout.source)}: indexes nest deeper than ${MAX_DEPTH} (a loop?).`);
    if (this.manifestDigests.has(descriptor.digest)) return;
    if (!INDEX_TYPES.has(descriptor.mediaType) && !IMAGE_MANIFEST_TYPES.has(descriptor.mediaType)) {
      throw new AirlockError(
        'IMAGE_SOURCE_INVALID',
        `${printable(this.layout.source)}: ${descriptor.digest} has media type "${printable(descriptor.mediaType)}", not an image manifest or index.`,
      );
    }
    const doc = await this.layout.readManifest(descriptor);
    this.manifestDigests.add(descriptor.digest);
    this.blobs.set(descriptor.digest, await this.layout.statBlob(descriptor));
    if (doc.kind === 'index') {
      if (!INDEX_TYPES.has(descriptor.mediaType))
        throw new AirlockError(
          'IMAGE_SOURCE_CORRUPT',
          `${printable(this.layout.source)}: ${descriptor.digest} is an index but its descriptor says ${descriptor.mediaType}.`,
        );
      const children = onIndexChild ? onIndexChild(doc.doc.manifests) : doc.doc.manifests;
      for (const child of children) await this.add(child, depth + 1);
      return;
    }
    if (!IMAGE_MANIFEST_TYPES.has(descriptor.mediaType))
      throw new AirlockError(
        'IMAGE_SOURCE_CORRUPT',
        `${printable(this.layout.source)}: ${descriptor.digest} is a manifest but its descriptor says ${descriptor.mediaType}.`,
      );
    for (const blob of [doc.doc.config, ...doc.doc.layers]) {
      if (!this.blobs.has(blob.digest)) this.blobs.set(blob.digest, await this.layout.statBlob(blob));
    }
  }
}

interface Picked {
  top: { mediaType: string; digest: string; size: number };
  platforms: ImageEntry['platforms'];
  /** A Helm chart's name and version (its config), when the one manifest picked is a chart. */
  chartMeta?: { name: string; version: string };
}

/**
 * All platforms: the entry as it is. One platform of an index: that platform's manifest itself,
 * digest preserved. Several (not all): a new index of them, generated, with a new digest.
 */
async function pickPlatforms(layout: LayoutDir, chosen: Descriptor, options: SelectOptions, walk: GraphWalk): Promise<Picked> {
  const wanted = options.platforms;
  if (!INDEX_TYPES.has(chosen.mediaType)) {
    await walk.add(chosen, 0);
    const manifest = await layout.readManifest(chosen);
    if (manifest.kind === 'manifest' && manifest.doc.config.mediaType === MEDIA_TYPES.helmConfig) {
      const chartMeta = await layout.readChartMeta(manifest.doc.config);
      if (!chartMeta) throw new AirlockError('IMAGE_SOURCE_INVALID', `${printable(layout.source)}: its Helm chart config has no name and version.`);
      return { top: descriptorOf(chosen), platforms: [], chartMeta };
    }
    const platform = manifest.kind === 'manifest' ? await layout.readConfigPlatform(manifest.doc.config) : null;
    // --platform picks from multi-platform indexes; a single-platform image travels as it is.
    return { top: descriptorOf(chosen), platforms: platform ? [{ ...platform, variant: platform.variant, digest: chosen.digest }] : [] };
  }
  const top = await layout.readManifest(chosen);
  if (top.kind !== 'index')
    throw new AirlockError('IMAGE_SOURCE_CORRUPT', `${printable(layout.source)}: ${chosen.digest} is labelled an index but is not one.`);
  const all = top.doc.manifests;
  const kept =
    wanted.length === 0
      ? all
      : all.filter((m) => m.platform !== undefined && wanted.some((w) => platformMatches(w, m.platform as NonNullable<Descriptor['platform']>)));
  if (kept.length === 0) {
    const offered = all.flatMap((m) => (m.platform ? [platformText(m.platform)] : []));
    throw new AirlockError(
      'IMAGE_NOT_FOUND',
      `${printable(layout.source)} has none of the platforms asked for (${wanted.map(platformText).join(', ')}); it has: ${offered.join(', ') || 'none named'}.`,
    );
  }
  const platforms = kept.flatMap((m) =>
    m.platform ? [{ os: m.platform.os, architecture: m.platform.architecture, variant: m.platform.variant, digest: m.digest }] : [],
  );
  // One platform asked for and found: that platform's manifest itself (digest preserved), even from an index of one.
  if (kept.length === 1 && wanted.length > 0) {
    const only = kept[0] as Descriptor;
    await walk.add(only, 0);
    return { top: descriptorOf(only), platforms };
  }
  if (kept.length === all.length) {
    await walk.add(chosen, 0);
    return { top: descriptorOf(chosen), platforms };
  }
  // A subset: a new index of the kept manifests (its digest is not the source's).
  const mediaType = top.doc.mediaType ?? chosen.mediaType;
  const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, manifests: kept }));
  const generated = await options.work.writeBlob(body, mediaType === MEDIA_TYPES.dockerManifestList ? mediaType : MEDIA_TYPES.ociIndex);
  walk.blobs.set(generated.digest, generated);
  walk.manifestDigests.add(generated.digest);
  for (const child of kept) await walk.add(child, 1);
  return { top: { mediaType: generated.mediaType, digest: generated.digest, size: generated.size }, platforms };
}

function descriptorOf(d: Descriptor): { mediaType: string; digest: string; size: number } {
  return { mediaType: d.mediaType, digest: d.digest, size: d.size };
}

/** index.json entries whose manifest's subject is one of the image's manifests (and, in turn, theirs). */
async function findReferrers(layout: LayoutDir, manifests: Descriptor[], subjects: ReadonlySet<string>, walk: GraphWalk): Promise<Descriptor[]> {
  const candidates = manifests.filter((m) => IMAGE_MANIFEST_TYPES.has(m.mediaType) && m.annotations?.[REF_NAME_ANNOTATION] === undefined);
  const found: Descriptor[] = [];
  const wanted = new Set(subjects);
  let grew = true;
  while (grew) {
    grew = false;
    for (const candidate of candidates) {
      if (found.some((f) => f.digest === candidate.digest) || wanted.has(candidate.digest)) continue;
      const doc = await layout.readManifest(candidate);
      if (doc.kind !== 'manifest' || !doc.doc.subject || !wanted.has(doc.doc.subject.digest)) continue;
      found.push(candidate);
      wanted.add(candidate.digest);
      await walk.add(candidate, 0);
      grew = true;
    }
  }
  return found.map((d) => ({ mediaType: d.mediaType, digest: d.digest, size: d.size, ...(d.artifactType ? { artifactType: d.artifactType } : {}) }));
}
