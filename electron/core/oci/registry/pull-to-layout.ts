/**
 * `docker://HOST/REPO:TAG|@DIGEST` into a local OCI image layout (issue #15.1, used by the export
 * of docker:// sources): the top manifest or index, the chosen platforms' manifests, their configs
 * and layers, and the referrers of what was pulled, every blob checked against its digest and
 * size as it is written (layout-sink.ts). With every platform the index travels byte for byte
 * (its digest is the registry's); with a subset, a new index lists just those platforms (a new
 * digest: the registry's index names blobs the bundle would not carry). The graph is bounded in
 * depth and count, and loops are refused: the registry is not trusted.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ImagePlatform } from '../../../../shared/images.js';
import { AirlockError, throwIfAborted } from '../../errors.js';
import { INDEX_TYPES, REF_NAME_ANNOTATION } from '../layout-format.js';
import type { RegistryClientApi } from './registry-api.js';
import {
  hasLayoutBlob,
  type LayoutDescriptor,
  layoutBlobPath,
  prepareLayout,
  updateLayoutIndex,
  withIndexEntry,
  writeLayoutBlob,
  writeLayoutBytes,
} from './layout-sink.js';
import { checkReference, checkRepository, isDigest, isTag } from './registry-names.js';
import { MANIFEST_ACCEPT } from './registry-client.js';
import { registryNetworkError } from './registry-errors.js';
import { parseDescriptor, parseManifestJson, parsePlatforms, platformMatches, type PlatformSpec } from './manifest-parse.js';

export interface PullProgress {
  /** `repository:reference` being pulled. */
  item: string;
  bytesDone: number;
  blobsDone: number;
}

export interface PullOptions {
  /** 'all', or platform strings such as 'linux/amd64', 'linux/arm64/v8'. */
  platforms: 'all' | readonly string[];
  layoutDir: string;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: PullProgress) => void) | undefined;
  /** The layout's name for it (`org.opencontainers.image.ref.name`); default the tag pulled, none for a digest. */
  refName?: string | null | undefined;
  /** Bring referrers along (default true). */
  referrers?: boolean | undefined;
}

export interface PulledImage {
  /** The descriptor index.json now holds for it. */
  descriptor: LayoutDescriptor;
  /** The top manifest's digest at the registry (differs from descriptor.digest when platforms were picked from an index). */
  sourceDigest: string;
  platforms: ImagePlatform[];
  /** Referrer manifests pulled (also listed in index.json, unnamed). */
  referrers: LayoutDescriptor[];
  blobsFetched: number;
  bytesFetched: number;
}

const MAX_DEPTH = 4;
const MAX_MANIFESTS = 2000;
const BLOB_ATTEMPTS = 3;

class Pull {
  private readonly visited = new Set<string>();
  private readonly blobsSeen = new Set<string>();
  private readonly referrers: LayoutDescriptor[] = [];
  private bytesDone = 0;
  private blobsDone = 0;
  private blobsFetched = 0;
  private bytesFetched = 0;

  constructor(
    private readonly client: RegistryClientApi,
    private readonly repository: string,
    private readonly item: string,
    private readonly options: PullOptions,
  ) {}

  private progress(): void {
    this.options.onProgress?.({ item: this.item, bytesDone: this.bytesDone, blobsDone: this.blobsDone });
  }

  /** A manifest by digest (or the top one by tag), stored in the layout; its parsed JSON. */
  async manifest(reference: string, expected: LayoutDescriptor | null): Promise<{ descriptor: LayoutDescriptor; json: Record<string, unknown> }> {
    throwIfAborted(this.options.signal);
    if (this.visited.size >= MAX_MANIFESTS) throw new AirlockError('IMAGE_SOURCE_CORRUPT', `The image has more than ${MAX_MANIFESTS} manifests.`);
    const fetched = await this.client.getManifest(this.repository, reference, MANIFEST_ACCEPT, this.options.signal);
    if (fetched === null)
      throw new AirlockError(expected ? 'IMAGE_SOURCE_CORRUPT' : 'IMAGE_NOT_FOUND', `${this.repository}:${reference} is not in the registry.`);
    if (expected && (fetched.digest !== expected.digest || fetched.body.length !== expected.size)) {
      throw new AirlockError('IMAGE_SOURCE_CORRUPT', `Manifest ${expected.digest} came back as ${fetched.digest} (${fetched.body.length} bytes).`);
    }
    const json = parseManifestJson(fetched.body, fetched.digest);
    const mediaType = expected?.mediaType ?? (typeof json.mediaType === 'string' ? json.mediaType : fetched.mediaType);
    await writeLayoutBytes(this.options.layoutDir, fetched.digest, fetched.body);
    this.bytesDone += fetched.body.length;
    this.blobsDone++;
    this.progress();
    return { descriptor: { mediaType, digest: fetched.digest, size: fetched.body.length }, json };
  }

  private async blob(descriptor: LayoutDescriptor): Promise<void> {
    const { layoutDir, signal } = this.options;
    // Layers shared by several platforms are counted once.
    if (this.blobsSeen.has(descriptor.digest)) return;
    this.blobsSeen.add(descriptor.digest);
    if (await hasLayoutBlob(layoutDir, descriptor.digest, descriptor.size)) {
      this.bytesDone += descriptor.size;
      this.blobsDone++;
      this.progress();
      return;
    }
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal);
      let sent = 0;
      try {
        const stream = await this.client.getBlob(this.repository, descriptor.digest, signal);
        await writeLayoutBlob(
          layoutDir,
          descriptor,
          stream,
          signal,
          (n) => {
            sent += n;
            this.bytesDone += n;
            this.progress();
          },
          (error) => registryNetworkError(error, `GET blob ${descriptor.digest} from ${this.repository}`),
        );
        break;
      } catch (error) {
        this.bytesDone -= sent;
        // A connection dropped mid-blob is worth another try; a wrong digest or size is not.
        const retry = error instanceof AirlockError && error.code === 'REGISTRY_UNREACHABLE' && attempt < BLOB_ATTEMPTS;
        if (!retry) throw error;
      }
    }
    this.blobsFetched++;
    this.bytesFetched += descriptor.size;
    this.blobsDone++;
    this.progress();
  }

  /** An image manifest's config and layers. */
  private async imageBlobs(json: Record<string, unknown>, digest: string): Promise<void> {
    const config = parseDescriptor(json.config, `config of ${digest}`);
    const layers = Array.isArray(json.layers) ? json.layers.map((l, i) => parseDescriptor(l, `layer ${i} of ${digest}`)) : [];
    if (!Array.isArray(json.layers)) throw new AirlockError('IMAGE_SOURCE_CORRUPT', `Manifest ${digest} lists no layers.`);
    for (const blob of [config, ...layers]) await this.blob(blob);
  }

  /** A manifest or index and everything below it. */
  async walk(descriptor: LayoutDescriptor, json: Record<string, unknown>, depth: number): Promise<void> {
    if (this.visited.has(descriptor.digest)) throw new AirlockError('IMAGE_SOURCE_CORRUPT', `The image graph loops through ${descriptor.digest}.`);
    if (depth > MAX_DEPTH) throw new AirlockError('IMAGE_SOURCE_CORRUPT', `The image graph nests deeper than ${MAX_DEPTH} levels.`);
    this.visited.add(descriptor.digest);
    if (Array.isArray(json.manifests) || INDEX_TYPES.has(descriptor.mediaType)) {
      const children = Array.isArray(json.manifests) ? json.manifests.map((m, i) => parseDescriptor(m, `entry ${i} of ${descriptor.digest}`)) : [];
      for (const child of children) {
        const fetched = await this.manifest(child.digest, child);
        await this.walk(fetched.descriptor, fetched.json, depth + 1);
      }
    } else if (typeof json.config === 'object' && json.config !== null) {
      await this.imageBlobs(json, descriptor.digest);
    } else {
      // Docker schema 1 and anything else without a config: nothing Airlock can carry as OCI.
      throw new AirlockError(
        'IMAGE_SOURCE_INVALID',
        `Manifest ${descriptor.digest} (${descriptor.mediaType}) is of a kind Airlock does not carry (no config).`,
      );
    }
  }

  /** Referrers of `subject`, their blobs, and their own referrers (a signature of an SBOM). */
  async pullReferrers(subject: string, depth = 0): Promise<void> {
    if (depth > 2 || this.options.referrers === false) return;
    const found = await this.client.listReferrers(this.repository, subject, this.options.signal);
    for (const entry of found) {
      const descriptor = parseDescriptor(entry, `referrer of ${subject}`);
      if (this.visited.has(descriptor.digest) || this.referrers.some((r) => r.digest === descriptor.digest)) continue;
      const fetched = await this.manifest(descriptor.digest, descriptor);
      await this.walk(fetched.descriptor, fetched.json, 1);
      const kept: LayoutDescriptor = { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size };
      if (descriptor.artifactType !== undefined) kept.artifactType = descriptor.artifactType;
      this.referrers.push(kept);
      await this.pullReferrers(descriptor.digest, depth + 1);
    }
  }

  result(descriptor: LayoutDescriptor, sourceDigest: string, platforms: ImagePlatform[]): PulledImage {
    return { descriptor, sourceDigest, platforms, referrers: this.referrers, blobsFetched: this.blobsFetched, bytesFetched: this.bytesFetched };
  }
}

function platformOf(entry: LayoutDescriptor): ImagePlatform | null {
  if (!entry.platform) return null;
  const { os, architecture, variant } = entry.platform;
  return { os, architecture, variant, digest: entry.digest };
}

/** Reads the platform of a single image from its config blob in the layout. */
async function configPlatform(layoutDir: string, json: Record<string, unknown>, digest: string): Promise<ImagePlatform> {
  const config = parseDescriptor(json.config, `config of ${digest}`);
  let parsed: Record<string, unknown> = {};
  if (config.size <= 4 * 1024 * 1024) {
    try {
      parsed = JSON.parse(await readFile(layoutBlobPath(layoutDir, config.digest), 'utf8')) as Record<string, unknown>;
    } catch {
      parsed = {};
    }
  }
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  return { os: text(parsed.os), architecture: text(parsed.architecture), variant: typeof parsed.variant === 'string' ? parsed.variant : undefined, digest };
}

/**
 * Pulls `repository` at `reference` (a tag or sha256 digest) from the registry behind `client`
 * into `options.layoutDir` (created if needed; other images in it stay) and names it in index.json.
 */
export async function pullToLayout(client: RegistryClientApi, repository: string, reference: string, options: PullOptions): Promise<PulledImage> {
  checkRepository(repository);
  checkReference(reference);
  const wanted: PlatformSpec[] | 'all' = options.platforms === 'all' ? 'all' : parsePlatforms(options.platforms);
  const refName = options.refName === undefined ? (isTag(reference) ? reference : null) : options.refName;
  if (refName !== null && !isTag(refName))
    throw new AirlockError('IMAGE_SOURCE_INVALID', `Not a usable image name in a layout: ${JSON.stringify(refName.slice(0, 200))}.`);
  await prepareLayout(options.layoutDir);
  const pull = new Pull(client, repository, `${repository}${isDigest(reference) ? '@' : ':'}${reference}`, options);
  const top = await pull.manifest(reference, null);
  let descriptor = top.descriptor;
  let platforms: ImagePlatform[];

  if (Array.isArray(top.json.manifests) || INDEX_TYPES.has(top.descriptor.mediaType)) {
    const entries = (Array.isArray(top.json.manifests) ? top.json.manifests : []).map((m, i) => parseDescriptor(m, `entry ${i} of ${top.descriptor.digest}`));
    const chosen = wanted === 'all' ? entries : pickPlatforms(entries, wanted);
    if (chosen.length === 0) {
      const offered = entries
        .map((e) => (e.platform ? [e.platform.os, e.platform.architecture, e.platform.variant].filter(Boolean).join('/') : '?'))
        .join(', ');
      throw new AirlockError('IMAGE_NOT_FOUND', `${repository}:${reference} has none of the platforms asked for (it has: ${offered || 'none'}).`);
    }
    if (wanted === 'all') {
      await pull.walk(top.descriptor, top.json, 0);
      await pull.pullReferrers(top.descriptor.digest);
    } else {
      const body = Buffer.from(JSON.stringify({ ...top.json, manifests: chosen }));
      const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
      await writeLayoutBytes(options.layoutDir, digest, body);
      descriptor = { mediaType: top.descriptor.mediaType, digest, size: body.length };
      await pull.walk(descriptor, { ...top.json, manifests: chosen }, 0);
    }
    for (const entry of chosen) if (!entry.platform || entry.platform.architecture !== 'unknown') await pull.pullReferrers(entry.digest);
    platforms = chosen.map(platformOf).filter((p): p is ImagePlatform => p !== null && p.architecture !== 'unknown');
  } else {
    await pull.walk(top.descriptor, top.json, 0);
    const platform = await configPlatform(options.layoutDir, top.json, top.descriptor.digest);
    if (wanted !== 'all' && !wanted.some((w) => platformMatches(w, platform))) {
      throw new AirlockError(
        'IMAGE_NOT_FOUND',
        `${repository}:${reference} is an image for ${[platform.os, platform.architecture, platform.variant].filter(Boolean).join('/')} only.`,
      );
    }
    await pull.pullReferrers(top.descriptor.digest);
    platforms = [platform];
  }

  const named: LayoutDescriptor = { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size };
  if (refName !== null) named.annotations = { [REF_NAME_ANNOTATION]: refName };
  const result = pull.result(named, top.descriptor.digest, platforms);
  await updateLayoutIndex(options.layoutDir, (manifests) => {
    let next = withIndexEntry(manifests, named);
    for (const referrer of result.referrers) next = withIndexEntry(next, referrer);
    return next;
  });
  return result;
}

/** Index entries for the platforms asked for; attestation entries (platform unknown) follow the manifest they describe. */
function pickPlatforms(entries: LayoutDescriptor[], wanted: PlatformSpec[]): LayoutDescriptor[] {
  const chosen = entries.filter(
    (e) => e.platform !== undefined && e.platform.architecture !== 'unknown' && wanted.some((w) => platformMatches(w, e.platform!)),
  );
  const digests = new Set(chosen.map((e) => e.digest));
  const attached = entries.filter((e) => e.platform?.architecture === 'unknown' && digests.has(e.annotations?.['vnd.docker.reference.digest'] ?? ''));
  return entries.filter((e) => chosen.includes(e) || attached.includes(e));
}
