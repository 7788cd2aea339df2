/**
 * Builds OCI image layouts for tests and the bench, byte for byte the same on every run and
 * machine (issue #15.7: no pulls, no downloads). A layer is a tar holding one file of seeded
 * pseudo-random bytes (test/helpers/seeded-random.ts), gzip-compressed or not; two images that
 * name the same layer spec share that blob, stored once. Streams: a 1 GiB layer never sits in
 * memory. `scripts/make-test-image.ts` is the command-line face of this module.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Header } from 'tar';
import { seededRandom } from './seeded-random.js';

export interface TestLayerSpec {
  /** Same seed and size: same bytes, same blob. */
  seed: number;
  size: number;
}

export interface TestPlatform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface TestImageSpec {
  /** The layout's tag for it (`org.opencontainers.image.ref.name`), e.g. `app-1.0` or `1.0`. */
  refName: string;
  layers: TestLayerSpec[];
  /** More than one: an image index with one manifest per platform (each adds a layer of its own). */
  platforms?: TestPlatform[];
  /** Adds a referrer (a small artifact manifest whose subject is the image's first manifest). */
  withReferrer?: boolean;
}

export interface TestLayoutSpec {
  images: TestImageSpec[];
  compression?: 'gzip' | 'none';
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: TestPlatform;
  annotations?: Record<string, string>;
  artifactType?: string;
}

export interface BuiltImage {
  refName: string;
  /** The descriptor index.json holds for it (an image manifest or an image index). */
  descriptor: Descriptor;
  /** Per platform: the image manifest's descriptor. */
  manifests: Descriptor[];
  referrers: Descriptor[];
}

export interface BuiltLayout {
  dir: string;
  images: BuiltImage[];
  /** Every blob written, digest to size. */
  blobs: Map<string, number>;
}

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
const TEST_ARTIFACT = 'application/vnd.airlock.test.signature.v1+json';
const DEFAULT_PLATFORM: TestPlatform = { os: 'linux', architecture: 'amd64' };
const CHUNK = 1024 * 1024;

function seededBytes(seed: number, size: number): Readable {
  const random = seededRandom(seed);
  let left = size;
  return new Readable({
    read(): void {
      if (left === 0) {
        this.push(null);
        return;
      }
      const n = Math.min(CHUNK, left);
      const chunk = Buffer.allocUnsafe(n);
      // Four bytes per draw: fast enough for the bench's gigabyte, and incompressible like real layers.
      let i = 0;
      for (; i + 4 <= n; i += 4) chunk.writeUInt32LE(Math.floor(random() * 4294967296) >>> 0, i);
      for (; i < n; i++) chunk[i] = Math.floor(random() * 256);
      left -= n;
      this.push(chunk);
    },
  });
}

/** A tar stream of one file `layer/<seed>.bin`, as `tar` would write it with fixed owner and time. */
function layerTar(spec: TestLayerSpec): Readable {
  const header = Buffer.alloc(512);
  new Header({ path: `layer/${spec.seed}.bin`, mode: 0o644, uid: 0, gid: 0, size: spec.size, mtime: new Date(0), type: 'File', uname: '', gname: '' }).encode(
    header,
    0,
  );
  const pad = Buffer.alloc((512 - (spec.size % 512)) % 512);
  async function* parts(): AsyncGenerator<Buffer> {
    yield header;
    for await (const chunk of seededBytes(spec.seed, spec.size)) yield chunk as Buffer;
    yield pad;
    yield Buffer.alloc(1024);
  }
  return Readable.from(parts());
}

class BlobWriter {
  readonly blobs = new Map<string, number>();
  constructor(private readonly dir: string) {}

  async json(value: unknown, mediaType: string): Promise<Descriptor> {
    return this.bytes(Buffer.from(JSON.stringify(value)), mediaType);
  }

  async bytes(body: Buffer, mediaType: string): Promise<Descriptor> {
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    if (!this.blobs.has(digest)) {
      await writeFile(this.path(digest), body);
      this.blobs.set(digest, body.length);
    }
    return { mediaType, digest, size: body.length };
  }

  /** Writes a layer and returns its descriptor and diff ID (the uncompressed tar's digest). */
  async layer(
    spec: TestLayerSpec,
    compression: 'gzip' | 'none',
    cache: Map<string, { descriptor: Descriptor; diffId: string }>,
  ): Promise<{ descriptor: Descriptor; diffId: string }> {
    const key = `${spec.seed}/${spec.size}/${compression}`;
    const known = cache.get(key);
    if (known) return known;
    const temp = join(this.dir, 'blobs', 'sha256', `.tmp-${spec.seed}-${spec.size}`);
    const uncompressed = createHash('sha256');
    const stored = createHash('sha256');
    let size = 0;
    const tee = async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
      for await (const chunk of source) {
        uncompressed.update(chunk);
        yield chunk;
      }
    };
    const count = async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
      for await (const chunk of source) {
        stored.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    };
    if (compression === 'gzip') await pipeline(layerTar(spec), tee, createGzip({ level: 1 }), count, createWriteStream(temp));
    else await pipeline(layerTar(spec), tee, count, createWriteStream(temp));
    const digest = `sha256:${stored.digest('hex')}`;
    await rename(temp, this.path(digest));
    this.blobs.set(digest, size);
    const mediaType = compression === 'gzip' ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.oci.image.layer.v1.tar';
    const result = { descriptor: { mediaType, digest, size }, diffId: `sha256:${uncompressed.digest('hex')}` };
    cache.set(key, result);
    return result;
  }

  private path(digest: string): string {
    return join(this.dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
  }
}

/** Writes the layout into `dir` (created; must not hold another layout) and says what it holds. */
export async function buildTestLayout(dir: string, spec: TestLayoutSpec): Promise<BuiltLayout> {
  const compression = spec.compression ?? 'gzip';
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const writer = new BlobWriter(dir);
  const layerCache = new Map<string, { descriptor: Descriptor; diffId: string }>();
  const index: Descriptor[] = [];
  const images: BuiltImage[] = [];

  for (const image of spec.images) {
    const platforms = image.platforms ?? [DEFAULT_PLATFORM];
    const manifests: Descriptor[] = [];
    for (const [p, platform] of platforms.entries()) {
      const layerSpecs = platforms.length > 1 ? [...image.layers, { seed: 10_000 + p, size: 4096 }] : image.layers;
      const layers = [];
      for (const layerSpec of layerSpecs) layers.push(await writer.layer(layerSpec, compression, layerCache));
      const config = await writer.json(
        {
          architecture: platform.architecture,
          os: platform.os,
          ...platformVariant(platform),
          created: '1970-01-01T00:00:00Z',
          config: {},
          rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
        },
        OCI_CONFIG,
      );
      const manifest = await writer.json({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: layers.map((l) => l.descriptor) }, OCI_MANIFEST);
      manifests.push({ ...manifest, platform });
    }
    let top: Descriptor;
    if (platforms.length > 1) top = await writer.json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }, OCI_INDEX);
    else top = { mediaType: OCI_MANIFEST, digest: manifests[0]!.digest, size: manifests[0]!.size };
    const descriptor = { ...top, annotations: { 'org.opencontainers.image.ref.name': image.refName } };
    index.push(descriptor);
    const referrers: Descriptor[] = [];
    if (image.withReferrer) {
      const empty = await writer.bytes(Buffer.from('{}'), OCI_EMPTY);
      const payload = await writer.bytes(Buffer.from(JSON.stringify({ signed: image.refName })), TEST_ARTIFACT);
      const subject = { mediaType: manifests[0]!.mediaType, digest: manifests[0]!.digest, size: manifests[0]!.size };
      const referrer = await writer.json(
        { schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: TEST_ARTIFACT, config: empty, layers: [payload], subject },
        OCI_MANIFEST,
      );
      const withType = { ...referrer, artifactType: TEST_ARTIFACT };
      referrers.push(withType);
      index.push(withType);
    }
    images.push({ refName: image.refName, descriptor, manifests, referrers });
  }

  await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: index }));
  return { dir, images, blobs: writer.blobs };
}

function platformVariant(platform: TestPlatform): { variant?: string } {
  return platform.variant === undefined ? {} : { variant: platform.variant };
}

/** The default set: two images sharing a base layer, one of them for two platforms, one with a referrer. */
export function defaultTestImages(layerBytes = 256 * 1024): TestLayoutSpec {
  const base = { seed: 1, size: layerBytes };
  return {
    images: [
      { refName: 'app-1.0', layers: [base, { seed: 2, size: layerBytes }], withReferrer: true },
      {
        refName: 'tool-1.0',
        layers: [base, { seed: 3, size: Math.max(1, Math.floor(layerBytes / 2)) }],
        platforms: [
          { os: 'linux', architecture: 'amd64' },
          { os: 'linux', architecture: 'arm64', variant: 'v8' },
        ],
      },
    ],
  };
}
