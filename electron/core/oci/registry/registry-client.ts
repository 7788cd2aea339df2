/**
 * The distribution-API client (issue #15.4) behind RegistryClientApi: blobs (HEAD, cross-repo
 * mount, upload in blob-upload.ts, GET as a stream), manifests (PUT, HEAD, GET capped at 4 MiB and
 * checked against the digest asked for and the one the registry reports), referrers (referrers.ts).
 * Every repository, reference and digest is checked before it enters a URL; every answer is
 * treated as hostile. Create with createRegistryClient(endpoint) and close() when done.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { AirlockError } from '../../errors.js';
import { MEDIA_TYPES } from '../layout-format.js';
import { BlobUpload, DEFAULT_UPLOAD_TUNING, type UploadOptions, type UploadTuning } from './blob-upload.js';
import type { BlobDescriptor, RegistryClientApi, RegistryEndpoint } from './registry-api.js';
import { cleanRegistryText, registryResponseError } from './registry-errors.js';
import type { Response } from 'undici';
import { errorText, readCapped, RegistryHttp, type RegistryHttpOptions } from './registry-http.js';
import { checkDigest, checkReference, checkRepository, isDigest } from './registry-names.js';
import { listReferrers } from './referrers.js';

/** Manifests larger than this are refused (the distribution spec suggests registries accept at least 4 MiB). */
export const MANIFEST_SIZE_CAP = 4 * 1024 * 1024;

/** What GET/HEAD of a manifest accepts by default: every manifest and index type Airlock carries. */
export const MANIFEST_ACCEPT: readonly string[] = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifestList, MEDIA_TYPES.dockerManifest];

export interface RegistryClientOptions extends RegistryHttpOptions {
  upload?: Partial<UploadTuning> | undefined;
}

function sha256(body: Buffer): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

function mediaTypeOf(header: string | null): string {
  return (header ?? '').split(';')[0]!.trim();
}

function pull(repository: string): string[] {
  return [`repository:${repository}:pull`];
}

function pushPull(repository: string): string[] {
  return [`repository:${repository}:pull,push`];
}

export class RegistryClient implements RegistryClientApi {
  private readonly tuning: UploadTuning;

  private constructor(
    private readonly http: RegistryHttp,
    options: RegistryClientOptions,
  ) {
    this.tuning = { ...DEFAULT_UPLOAD_TUNING, ...options.upload };
  }

  static async create(endpoint: RegistryEndpoint, options: RegistryClientOptions = {}): Promise<RegistryClient> {
    return new RegistryClient(await RegistryHttp.create(endpoint, options), options);
  }

  get endpoint(): RegistryEndpoint {
    return this.http.endpoint;
  }

  /** GET /v2/: reachable, a registry, and which authentication it wants (REGISTRY_* otherwise). */
  async ping(signal?: AbortSignal): Promise<void> {
    await this.http.ping(signal);
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  /** HEAD or GET of one blob, names checked first, redirects to storage followed, retried on a dropped connection. */
  private async sendBlobRequest(method: 'HEAD' | 'GET', repository: string, digest: string, what: string, signal: AbortSignal | undefined): Promise<Response> {
    checkRepository(repository);
    checkDigest(digest);
    await this.http.ping(signal);
    return this.http.send({ method, url: `/v2/${repository}/blobs/${digest}`, scopes: pull(repository), retry: true, signal, follow: true, what });
  }

  async hasBlob(repository: string, digest: string, signal?: AbortSignal): Promise<{ present: boolean; size: number | null }> {
    const what = `HEAD blob ${digest} in ${repository}`;
    const response = await this.sendBlobRequest('HEAD', repository, digest, what, signal);
    await response.body?.cancel();
    if (response.status === 404) return { present: false, size: null };
    if (response.status !== 200) throw registryResponseError(response.status, '', what);
    const reported = response.headers.get('docker-content-digest');
    if (reported !== null && reported !== digest)
      throw new AirlockError('REGISTRY_DIGEST_MISMATCH', `${what}: the registry answered for ${cleanRegistryText(reported)}.`);
    const size = Number(response.headers.get('content-length') ?? NaN);
    return { present: true, size: Number.isSafeInteger(size) && size >= 0 ? size : null };
  }

  async mountBlob(repository: string, digest: string, fromRepository: string, signal?: AbortSignal): Promise<boolean> {
    checkRepository(repository);
    checkRepository(fromRepository);
    checkDigest(digest);
    await this.http.ping(signal);
    const what = `mount of ${digest} from ${fromRepository} into ${repository}`;
    const query = new URLSearchParams({ mount: digest, from: fromRepository });
    const response = await this.http.send({
      method: 'POST',
      url: `/v2/${repository}/blobs/uploads/?${query.toString()}`,
      headers: { 'content-length': '0' },
      scopes: [...pushPull(repository), ...pull(fromRepository)],
      retry: true,
      signal,
      what,
    });
    const text = await errorText(response);
    if (response.status === 201) {
      const reported = response.headers.get('docker-content-digest');
      if (reported !== null && reported !== digest)
        throw new AirlockError('REGISTRY_DIGEST_MISMATCH', `${what}: the registry mounted ${cleanRegistryText(reported)}.`);
      return true;
    }
    if (response.status === 202) {
      // The registry opened an upload session instead; close it rather than leave it to expire.
      const location = response.headers.get('location');
      if (location !== null) {
        const url = this.http.resolve(location);
        if (url.origin === this.http.origin) {
          await this.http
            .send({ method: 'DELETE', url: url.toString(), scopes: pushPull(repository), retry: false, signal, what: `cancel of ${what}` })
            .then((r) => r.body?.cancel())
            .catch(() => undefined);
        }
      }
      return false;
    }
    throw registryResponseError(response.status, text, what);
  }

  async uploadBlob(repository: string, blob: BlobDescriptor, open: (offset: number) => Readable, options: UploadOptions = {}): Promise<void> {
    checkRepository(repository);
    checkDigest(blob.digest);
    if (!Number.isSafeInteger(blob.size) || blob.size < 0) throw new AirlockError('IMAGE_SOURCE_INVALID', `Blob ${blob.digest} has no valid size.`);
    await this.http.ping(options.signal);
    await new BlobUpload(this.http, repository, blob, open, options, this.tuning).run();
  }

  async putManifest(
    repository: string,
    reference: string,
    mediaType: string,
    body: Buffer,
    signal?: AbortSignal,
  ): Promise<{ digest: string; subject?: string | undefined }> {
    checkRepository(repository);
    checkReference(reference);
    if (body.length > MANIFEST_SIZE_CAP)
      throw new AirlockError('IMAGE_SOURCE_INVALID', `The manifest is ${body.length} bytes, over the ${MANIFEST_SIZE_CAP}-byte limit.`);
    if (!/^[a-z0-9][a-z0-9.+/_-]{0,254}$/iu.test(mediaType)) throw new AirlockError('IMAGE_SOURCE_INVALID', 'The manifest has no valid media type.');
    await this.http.ping(signal);
    const what = `PUT manifest ${repository}:${reference}`;
    const response = await this.http.send({
      method: 'PUT',
      url: `/v2/${repository}/manifests/${reference}`,
      headers: { 'content-type': mediaType, 'content-length': String(body.length) },
      body: () => body,
      scopes: pushPull(repository),
      retry: true,
      signal,
      what,
    });
    const text = await errorText(response);
    if (response.status !== 201) throw registryResponseError(response.status, text, what);
    const local = sha256(body);
    const digest = response.headers.get('docker-content-digest') ?? local;
    // The registry stored other bytes than were sent, or names them otherwise: not what was approved.
    if (digest !== local || (isDigest(reference) && digest !== reference)) {
      throw new AirlockError('REGISTRY_DIGEST_MISMATCH', `${what}: sent ${local}, the registry reports ${cleanRegistryText(digest)}.`, {
        data: { registryCode: null },
      });
    }
    const subject = response.headers.get('oci-subject');
    return { digest, subject: subject !== null && isDigest(subject) ? subject : undefined };
  }

  async headManifest(repository: string, reference: string, signal?: AbortSignal): Promise<{ digest: string; mediaType: string; size: number } | null> {
    checkRepository(repository);
    checkReference(reference);
    await this.http.ping(signal);
    const what = `HEAD manifest ${repository}:${reference}`;
    const response = await this.http.send({
      method: 'HEAD',
      url: `/v2/${repository}/manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT.join(', ') },
      scopes: pull(repository),
      retry: true,
      signal,
      what,
    });
    await response.body?.cancel();
    if (response.status === 404) return null;
    if (response.status !== 200) throw registryResponseError(response.status, '', what);
    const digest = response.headers.get('docker-content-digest');
    const size = Number(response.headers.get('content-length') ?? NaN);
    if (digest === null || !isDigest(digest) || !Number.isSafeInteger(size) || size < 0) {
      throw new AirlockError('REGISTRY_REFUSED', `${what}: the registry did not say the manifest's digest and size.`, { data: { registryCode: null } });
    }
    if (isDigest(reference) && digest !== reference) throw new AirlockError('REGISTRY_DIGEST_MISMATCH', `${what}: the registry answered for ${digest}.`);
    return { digest, mediaType: mediaTypeOf(response.headers.get('content-type')), size };
  }

  async getManifest(
    repository: string,
    reference: string,
    accept: readonly string[] = MANIFEST_ACCEPT,
    signal?: AbortSignal,
  ): Promise<{ digest: string; mediaType: string; body: Buffer } | null> {
    checkRepository(repository);
    checkReference(reference);
    await this.http.ping(signal);
    const what = `GET manifest ${repository}:${reference}`;
    const response = await this.http.send({
      method: 'GET',
      url: `/v2/${repository}/manifests/${reference}`,
      headers: { accept: accept.join(', ') },
      scopes: pull(repository),
      retry: true,
      signal,
      what,
    });
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (response.status !== 200) throw registryResponseError(response.status, await errorText(response), what);
    const body = await readCapped(response, MANIFEST_SIZE_CAP, what);
    const digest = sha256(body);
    const reported = response.headers.get('docker-content-digest');
    if ((isDigest(reference) && digest !== reference) || (reported !== null && reported !== digest)) {
      throw new AirlockError('REGISTRY_DIGEST_MISMATCH', `${what}: the bytes received hash to ${digest}.`, { data: { registryCode: null } });
    }
    let mediaType = mediaTypeOf(response.headers.get('content-type'));
    if (mediaType === '' || mediaType === 'application/json') mediaType = declaredMediaType(body) ?? mediaType;
    return { digest, mediaType, body };
  }

  async getBlob(repository: string, digest: string, signal?: AbortSignal): Promise<Readable> {
    const what = `GET blob ${digest} from ${repository}`;
    const response = await this.sendBlobRequest('GET', repository, digest, what, signal);
    if (response.status === 404) {
      const text = await errorText(response);
      throw registryResponseError(404, text, what, 'IMAGE_NOT_FOUND');
    }
    if (response.status !== 200 || response.body === null) throw registryResponseError(response.status, await errorText(response), what);
    return Readable.fromWeb(response.body);
  }

  async listReferrers(repository: string, digest: string, signal?: AbortSignal): Promise<BlobDescriptor[]> {
    checkRepository(repository);
    checkDigest(digest);
    await this.http.ping(signal);
    return listReferrers(this.http, this, repository, digest, signal);
  }
}

/** The `mediaType` a manifest body declares, when it is JSON and has one. */
export function declaredMediaType(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null && 'mediaType' in parsed && typeof parsed.mediaType === 'string') return parsed.mediaType;
  } catch {
    // Not JSON: no declared type.
  }
  return undefined;
}

/** A client for `endpoint` (reads its CA file); close() it when done. */
export function createRegistryClient(endpoint: RegistryEndpoint, options: RegistryClientOptions = {}): Promise<RegistryClient> {
  return RegistryClient.create(endpoint, options);
}
