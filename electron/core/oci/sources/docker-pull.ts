/**
 * `docker://HOST[:PORT]/REPO:TAG|@DIGEST`: the image pulled from the sending side's registry into
 * a fresh OCI layout in the export's work folder, over the registry client (registry-client.ts).
 * Every manifest and blob is checked against its digest and size as it arrives (a registry or a
 * proxy that serves other bytes is IMAGE_SOURCE_CORRUPT); only the platforms asked for are fetched;
 * referrers the registry lists come along. The layout is then read like any `oci:` source.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AirlockError } from '../../errors.js';
import type { ProgressTracker } from '../../jobs/progress-tracker.js';
import { INDEX_TYPES, MEDIA_TYPES, OCI_LAYOUT_CONTENT, REF_NAME_ANNOTATION, SHA256_DIGEST } from '../layout-format.js';
import type { RegistryClientApi } from '../registry/registry-api.js';
import { printable } from './image-reference.js';
import { DESCRIPTOR, INDEX_DOC, MANIFEST_DOC, type Descriptor } from './layout-reader.js';
import { platformMatches, type PlatformChoice } from './platform-choice.js';

/** The ref name the pulled image gets in its work layout. */
export const PULLED_REF_NAME = 'pulled';

const MANIFEST_ACCEPT = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifestList, MEDIA_TYPES.dockerManifest];
const MAX_MANIFESTS = 1024;

export interface PullRequest {
  client: RegistryClientApi;
  /** The reference as given, for messages. */
  source: string;
  repository: string;
  /** Tag or digest. */
  reference: string;
  destDir: string;
  platforms: readonly PlatformChoice[];
  tracker?: ProgressTracker | undefined;
  signal?: AbortSignal | undefined;
}

function corrupt(source: string, why: string): AirlockError {
  return new AirlockError('IMAGE_SOURCE_CORRUPT', `${printable(source)}: ${why}`, { data: { reference: printable(source) } });
}

export async function pullToLayout(request: PullRequest): Promise<{ refName: string }> {
  const pull = new Puller(request);
  const top = await pull.manifest(request.reference, null);
  const referrers: Descriptor[] = [];
  for (const digest of [...pull.manifests]) {
    for (const referrer of await request.client.listReferrers(request.repository, digest, request.signal)) {
      const parsed = DESCRIPTOR.safeParse(referrer);
      if (!parsed.success || pull.manifests.has(parsed.data.digest)) continue;
      await pull.manifest(parsed.data.digest, parsed.data);
      referrers.push({
        mediaType: parsed.data.mediaType,
        digest: parsed.data.digest,
        size: parsed.data.size,
        ...(parsed.data.artifactType ? { artifactType: parsed.data.artifactType } : {}),
      });
    }
  }
  await writeFile(join(request.destDir, 'oci-layout'), OCI_LAYOUT_CONTENT);
  const index = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociIndex,
    manifests: [{ ...top, annotations: { [REF_NAME_ANNOTATION]: PULLED_REF_NAME } }, ...referrers],
  };
  await writeFile(join(request.destDir, 'index.json'), JSON.stringify(index));
  return { refName: PULLED_REF_NAME };
}

class Puller {
  readonly manifests = new Set<string>();
  private readonly blobs = new Set<string>();
  constructor(private readonly request: PullRequest) {}

  private path(digest: string): string {
    return join(this.request.destDir, 'blobs', 'sha256', digest.slice('sha256:'.length));
  }

  /** A manifest or index by tag or digest, its children (the platforms asked for) and blobs. */
  async manifest(reference: string, expected: Descriptor | null, depth = 0): Promise<{ mediaType: string; digest: string; size: number }> {
    const { client, repository, source, signal } = this.request;
    if (depth > 4 || this.manifests.size >= MAX_MANIFESTS) throw corrupt(source, 'the image nests too many manifests.');
    const got = await client.getManifest(repository, reference, MANIFEST_ACCEPT, signal);
    if (!got)
      throw new AirlockError('IMAGE_NOT_FOUND', `${printable(source)}: the registry has no manifest ${printable(reference)} in ${repository}.`, {
        data: { reference: printable(source) },
      });
    const digest = `sha256:${createHash('sha256').update(got.body).digest('hex')}`;
    if (got.digest !== digest || (SHA256_DIGEST.test(reference) && reference !== digest))
      throw corrupt(source, `the registry sent a manifest that hashes to ${digest}, not ${printable(reference)}.`);
    if (expected && expected.size !== got.body.length)
      throw corrupt(source, `manifest ${digest} has ${got.body.length} bytes; its descriptor says ${expected.size}.`);
    const mediaType = expected?.mediaType ?? got.mediaType;
    if (!this.manifests.has(digest)) {
      this.manifests.add(digest);
      await writeFile(this.path(digest), got.body, { mode: 0o600 });
      this.request.tracker?.addFiles(1);
      const value = parseJson(got.body, source, digest);
      if (INDEX_TYPES.has(mediaType)) {
        const index = INDEX_DOC.safeParse(value);
        if (!index.success) throw corrupt(source, `${digest} is not a valid image index.`);
        const wanted = this.request.platforms;
        const children =
          depth === 0 && wanted.length > 0
            ? index.data.manifests.filter((m) => m.platform && wanted.some((w) => platformMatches(w, m.platform as PlatformChoice)))
            : index.data.manifests;
        for (const child of children) await this.manifest(child.digest, child, depth + 1);
      } else {
        const manifest = MANIFEST_DOC.safeParse(value);
        if (!manifest.success) throw corrupt(source, `${digest} is not a valid image manifest.`);
        for (const blob of [manifest.data.config, ...manifest.data.layers]) await this.blob(blob);
      }
    }
    return { mediaType, digest, size: got.body.length };
  }

  /** A blob streamed to its file, hashed on the way; a digest or size other than the descriptor's is refused. */
  private async blob(descriptor: Descriptor): Promise<void> {
    if (this.blobs.has(descriptor.digest)) return;
    this.blobs.add(descriptor.digest);
    const { client, repository, source, signal, tracker } = this.request;
    const stream = await client.getBlob(repository, descriptor.digest, signal);
    const hash = createHash('sha256');
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback): void {
        size += chunk.length;
        if (size > descriptor.size) {
          callback(corrupt(source, `blob ${descriptor.digest} is longer than its descriptor's ${descriptor.size} bytes.`));
          return;
        }
        hash.update(chunk);
        tracker?.addBytes(chunk.length);
        callback(null, chunk);
      },
    });
    await pipeline(stream, tap, createWriteStream(this.path(descriptor.digest), { flags: 'wx', mode: 0o600 }), { signal });
    const digest = `sha256:${hash.digest('hex')}`;
    if (digest !== descriptor.digest || size !== descriptor.size)
      throw corrupt(source, `the registry sent ${size} bytes hashing to ${digest} for blob ${descriptor.digest} (${descriptor.size} bytes).`);
    tracker?.addFiles(1);
  }
}

function parseJson(body: Buffer, source: string, digest: string): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw corrupt(source, `manifest ${digest} is not JSON.`);
  }
}
