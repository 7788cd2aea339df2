/**
 * The contract between the distribution-API client (registry-client.ts, issue #15.4) and its
 * users: the push on import, the docker:// source on export and the bench. Types only, so both
 * sides can be built at once. Errors are AirlockErrors with a REGISTRY_* code; `data.registryCode`
 * carries the registry's own error code (MANIFEST_INVALID, DENIED, TAG_INVALID ...) when it sent one.
 */
import type { Readable } from 'node:stream';

/** `--push-to HOST[:PORT][/PREFIX]` (or a docker:// source's host), with how to reach it. */
export interface RegistryEndpoint {
  /** `host[:port]`, as given. */
  host: string;
  /** Repository prefix under which images are pushed (`mirror/team`), '' for none. */
  prefix: string;
  /** Plain HTTP; only ever allowed for a loopback host (--insecure-registry). */
  insecure: boolean;
  /** PEM file of the CA(s) to trust besides the system's. */
  caFile?: string | undefined;
  /** Basic credentials, also used to obtain Bearer tokens (Harbor, distribution with token auth). */
  credentials?: { username: string; password: string } | undefined;
}

export interface BlobDescriptor {
  digest: string;
  size: number;
  mediaType: string;
}

/**
 * A blob's bytes by position (a file): read into the caller's buffer. An upload given one reads
 * into a few buffers it reuses instead of a new buffer per read (blob-upload.ts says why).
 */
export interface BlobReader {
  /** Reads up to `buffer.length` bytes of the blob from `position`; 0 at its end. */
  read(buffer: Uint8Array, position: number): Promise<number>;
  close(): Promise<void>;
}

export interface UploadProgress {
  /** Bytes of this blob accepted by the registry so far. */
  bytes: number;
  /** The upload session's current URL: keep it (the push journal) to pass as `resumeUrl` after a restart. */
  location?: string | undefined;
}

export interface RegistryClientApi {
  /** Whether `repository` holds the blob (HEAD); size as the registry reports it. */
  hasBlob(repository: string, digest: string, signal?: AbortSignal): Promise<{ present: boolean; size: number | null }>;
  /** Cross-repository mount; false when the registry declined (then upload). */
  mountBlob(repository: string, digest: string, fromRepository: string, signal?: AbortSignal): Promise<boolean>;
  /**
   * Upload a blob: monolithic when small, chunked otherwise; after a dropped connection it asks the
   * registry for the upload's Range and resumes there, reading again from `open(offset)`. The
   * registry's final digest must be the blob's.
   */
  uploadBlob(
    repository: string,
    blob: BlobDescriptor,
    open: (offset: number) => Readable,
    options?: {
      signal?: AbortSignal | undefined;
      onProgress?: ((progress: UploadProgress) => void) | undefined;
      resumeUrl?: string | undefined;
      /** Read the bytes through this rather than `open` (same bytes; fewer allocations). */
      reader?: (() => Promise<BlobReader>) | undefined;
    },
  ): Promise<void>;
  /** PUT a manifest by tag or digest; returns the digest the registry computed (Docker-Content-Digest), checked by the caller. */
  putManifest(repository: string, reference: string, mediaType: string, body: Buffer, signal?: AbortSignal): Promise<{ digest: string }>;
  /** HEAD a manifest: its digest if present. */
  headManifest(repository: string, reference: string, signal?: AbortSignal): Promise<{ digest: string; mediaType: string; size: number } | null>;
  /** GET a manifest (bounded in size), with the media types accepted. */
  getManifest(
    repository: string,
    reference: string,
    accept: readonly string[],
    signal?: AbortSignal,
  ): Promise<{ digest: string; mediaType: string; body: Buffer } | null>;
  /** GET a blob as a stream (the caller hashes it). */
  getBlob(repository: string, digest: string, signal?: AbortSignal): Promise<Readable>;
  /** Referrers of a manifest: the referrers API, or the `sha256-<hex>` tag schema when it answers 404. */
  listReferrers(repository: string, digest: string, signal?: AbortSignal): Promise<BlobDescriptor[]>;
}
