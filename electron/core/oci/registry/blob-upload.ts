/**
 * One blob into a registry (distribution spec "pushing blobs"): POST opens an upload session;
 * a small blob goes in one PUT ?digest=, a large one in PATCH chunks read from `open(offset)` (a
 * stream per chunk, never the whole blob in memory), then PUT ?digest= closes it. When a request
 * fails (dropped connection, 5xx), the session's state is asked for (GET of its URL: the Range the
 * registry holds) and the upload goes on from there; a session the registry no longer knows (404:
 * distribution cancels one whose offset no longer matches after a cut mid-PATCH) starts again
 * from byte 0. Failures without progress are bounded; the AbortSignal is honoured at every await
 * and inside a chunk's body.
 *
 * The bytes are hashed as they are sent, and the upload is never closed with bytes that do not
 * hash to the blob's digest: the last piece is held back and the request fails instead
 * (IMAGE_SOURCE_CORRUPT). The registry checks the digest on the final PUT as well; this check
 * does not rely on it, so a source that changed after it was verified (the bundle file a
 * push-only import reads blobs from) cannot land under the verified digest.
 */
import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Response } from 'undici';
import { AirlockError, throwIfAborted } from '../../errors.js';
import type { BlobDescriptor, BlobReader, UploadProgress } from './registry-api.js';
import { registryNetworkError, registryResponseError } from './registry-errors.js';
import { errorText, type RegistryHttp, sleep } from './registry-http.js';

export interface UploadTuning {
  /** Blobs up to this size go in one PUT (default 8 MiB). */
  monolithicMax: number;
  /** PATCH size for larger blobs (default 32 MiB). */
  chunkSize: number;
  /** Failed requests in a row (no byte accepted in between) before giving up (default 6). */
  maxStalls: number;
}

export const DEFAULT_UPLOAD_TUNING: UploadTuning = { monolithicMax: 8 * 1024 * 1024, chunkSize: 32 * 1024 * 1024, maxStalls: 6 };

export interface UploadOptions {
  signal?: AbortSignal | undefined;
  /** Read the blob through this instead of `open` (see pieces()). */
  reader?: (() => Promise<BlobReader>) | undefined;
  onProgress?: ((progress: UploadProgress) => void) | undefined;
  resumeUrl?: string | undefined;
}

/** Body pieces handed to fetch: larger pieces halve its per-chunk cost (measured: 64 KiB vs 1 MiB). */
const PIECE = 1024 * 1024;

/**
 * `length` bytes of `open(offset)`, in pieces of about 1 MiB, then the source is closed;
 * IMAGE_SOURCE_CORRUPT when it ends early.
 */
async function* slice(open: (offset: number) => Readable, offset: number, length: number, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  if (length === 0) return;
  const source = open(offset);
  let left = length;
  let held: Buffer[] = [];
  let heldBytes = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      throwIfAborted(signal);
      const part = chunk.length > left ? chunk.subarray(0, left) : chunk;
      left -= part.length;
      held.push(part);
      heldBytes += part.length;
      if (heldBytes >= PIECE || left === 0) {
        yield held.length === 1 ? held[0]! : Buffer.concat(held, heldBytes);
        held = [];
        heldBytes = 0;
      }
      if (left === 0) break;
    }
  } finally {
    source.destroy();
  }
  if (left > 0) throw new AirlockError('IMAGE_SOURCE_CORRUPT', `The blob's source ended ${left} bytes short of its size.`);
}

/** Buffers one request body cycles through when reading with a BlobReader. */
const RING = 3;

/**
 * `length` bytes from `offset` read with a BlobReader into RING buffers of PIECE bytes, reused in
 * turn, then the reader is closed; IMAGE_SOURCE_CORRUPT when the blob ends early. A fresh 1 MiB
 * buffer per read made a garbage collection every 64 MiB or so (V8 collects when this much memory
 * outside its heap was allocated): seconds of a 1 GiB push. Reuse is safe because undici hands
 * each piece to the socket before it asks for the next, and waits for 'drain' when the socket
 * holds more than its high-water mark (16 KiB, less than a piece): when a buffer comes round
 * again, the piece read into it two pieces earlier is with the kernel. Even so, nothing depends
 * on it: the bytes are hashed as read, and the registry checks the digest on the closing PUT.
 * The ring is made per request body: a body abandoned on a retry can never write into the next.
 */
async function* pieces(open: () => Promise<BlobReader>, offset: number, length: number, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  if (length === 0) return;
  const reader = await open();
  const ring = Array.from({ length: Math.min(RING, Math.ceil(length / PIECE)) }, () => Buffer.allocUnsafeSlow(Math.min(PIECE, length)));
  let done = 0;
  try {
    for (let turn = 0; done < length; turn += 1) {
      throwIfAborted(signal);
      const buffer = ring[turn % ring.length] as Buffer;
      const want = Math.min(buffer.length, length - done);
      let got = 0;
      while (got < want) {
        const n = await reader.read(buffer.subarray(got, want), offset + done + got);
        if (n === 0) break;
        got += n;
      }
      if (got < want) throw new AirlockError('IMAGE_SOURCE_CORRUPT', `The blob's source ended ${length - done - got} bytes short of its size.`);
      done += want;
      yield buffer.subarray(0, want);
    }
  } finally {
    await reader.close();
  }
}

/** `Range: 0-N` → N+1; no header → 0. */
function rangeEnd(header: string | null): number | null {
  if (header === null || header === '') return 0;
  const match = /^(?:bytes=)?0-([0-9]{1,16})$/u.exec(header.trim());
  return match ? Number(match[1]) + 1 : null;
}

function withDigest(location: string, digest: string, http: RegistryHttp): string {
  const url = http.resolve(location);
  url.searchParams.set('digest', digest);
  return url.toString();
}

/** Raised inside the loop for a failure worth resuming after. */
class Resumable extends Error {
  constructor(
    readonly failure: AirlockError,
    /** The registry forgot the session: start again. */
    readonly sessionLost: boolean,
  ) {
    super(failure.message);
  }
}

export class BlobUpload {
  private location = '';
  private offset = 0;
  /** SHA-256 of the blob's bytes [0, hashedTo), as read for sending. */
  private hasher: Hash = createHash('sha256');
  private hashedTo = 0;
  /** What made the last request body fail (the source, not the network): thrown as it is, never retried. */
  private sourceFailure: unknown = null;

  constructor(
    private readonly http: RegistryHttp,
    private readonly repository: string,
    private readonly blob: BlobDescriptor,
    private readonly open: (offset: number) => Readable,
    private readonly options: UploadOptions,
    private readonly tuning: UploadTuning,
  ) {}

  private get scopes(): string[] {
    return [`repository:${this.repository}:pull,push`];
  }

  private get what(): string {
    return `upload of ${this.blob.digest} to ${this.repository}`;
  }

  async run(): Promise<void> {
    const { signal } = this.options;
    if (this.options.resumeUrl === undefined || !(await this.resume(this.options.resumeUrl))) await this.start();
    let stalls = 0;
    let restartedWhole = false;
    for (;;) {
      throwIfAborted(signal);
      const before = this.offset;
      try {
        if (this.offset === 0 && this.blob.size <= this.tuning.monolithicMax) {
          await this.finish(this.blob.size);
          return;
        }
        if (this.offset === this.blob.size) {
          await this.finish(0);
          return;
        }
        await this.patch();
        stalls = 0;
      } catch (error) {
        if (error instanceof AirlockError && error.code === 'REGISTRY_DIGEST_MISMATCH' && !restartedWhole) {
          // The registry holds other bytes than the blob's: a resume may have gone wrong (a registry
          // that misreports its Range). Send the whole blob once more in a new session; a second
          // mismatch means the bytes really differ.
          restartedWhole = true;
          await this.start();
          continue;
        }
        if (!(error instanceof Resumable)) throw error;
        if (this.offset === before) stalls++;
        if (stalls > this.tuning.maxStalls) throw error.failure;
        await sleep(this.http.backoff(stalls), signal);
        if (error.sessionLost || !(await this.resume(this.location))) await this.start();
      }
    }
  }

  private report(): void {
    this.options.onProgress?.({ bytes: this.offset, location: this.location });
  }

  /** POST: a new session at offset 0. */
  private async start(): Promise<void> {
    const response = await this.http.send({
      method: 'POST',
      url: `/v2/${this.repository}/blobs/uploads/`,
      headers: { 'content-length': '0' },
      scopes: this.scopes,
      retry: true,
      signal: this.options.signal,
      what: this.what,
    });
    const location = response.headers.get('location');
    if (response.status !== 202 || location === null) throw registryResponseError(response.status, await errorText(response), `start of ${this.what}`);
    await response.body?.cancel();
    this.location = this.http.resolve(location).toString();
    this.offset = 0;
    this.report();
  }

  /** GET the session: where does it stand? false when the registry does not know it (any more). */
  private async resume(location: string): Promise<boolean> {
    const url = this.http.resolve(location);
    if (url.origin !== this.http.origin) return false;
    const response = await this.http.send({
      method: 'GET',
      url: url.toString(),
      scopes: this.scopes,
      retry: true,
      signal: this.options.signal,
      what: `status of ${this.what}`,
    });
    const text = await errorText(response);
    if (response.status === 404 || response.status === 400) return false;
    if (response.status !== 204 && response.status !== 200) throw registryResponseError(response.status, text, `status of ${this.what}`);
    const range = response.headers.get('range');
    // Distribution answers `0-0` both for nothing and for one byte received: start again rather than guess.
    if (range?.trim() === '0-0') return false;
    const end = rangeEnd(range);
    if (end === null || end > this.blob.size)
      throw new AirlockError('REGISTRY_REFUSED', `${this.what}: the registry reports a range beyond the blob.`, { data: { registryCode: null } });
    this.location = this.http.resolve(response.headers.get('location') ?? url.toString()).toString();
    this.offset = end;
    this.report();
    return true;
  }

  /** `length` bytes from `offset`, hashed on the way; the blob's last byte is sent only if the whole blob hashes to its digest. */
  private async *body(offset: number, length: number): AsyncGenerator<Uint8Array> {
    try {
      if (this.hashedTo !== offset) await this.hashAgain(offset);
      for await (const piece of this.read(offset, length)) {
        this.hasher.update(piece);
        this.hashedTo += piece.length;
        if (this.hashedTo === this.blob.size) this.checkHashed();
        yield piece;
      }
    } catch (error) {
      this.sourceFailure = error;
      throw error;
    }
  }

  private read(offset: number, length: number): AsyncGenerator<Uint8Array> {
    const { reader, signal } = this.options;
    return reader ? pieces(reader, offset, length, signal) : slice(this.open, offset, length, signal);
  }

  /** The bytes before `offset` (sent earlier, by this run or a killed one) hashed again, not sent. */
  private async hashAgain(offset: number): Promise<void> {
    this.hasher = createHash('sha256');
    this.hashedTo = 0;
    for await (const piece of this.read(0, offset)) {
      this.hasher.update(piece);
      this.hashedTo += piece.length;
    }
  }

  private checkHashed(): void {
    const digest = `sha256:${this.hasher.copy().digest('hex')}`;
    if (digest !== this.blob.digest) {
      throw new AirlockError('IMAGE_SOURCE_CORRUPT', `The bytes read for blob ${this.blob.digest} hash to ${digest}; they were not stored as that blob.`, {
        data: { expected: this.blob.digest, actual: digest },
      });
    }
  }

  /** Sends a request that carries bytes; failures worth resuming after become Resumable. */
  private async sendBytes(method: 'PATCH' | 'PUT', url: string, headers: Record<string, string>, offset: number, length: number): Promise<Response> {
    const { signal } = this.options;
    this.sourceFailure = null;
    try {
      const response = await this.http.send({
        method,
        url,
        headers: { ...headers, 'content-length': String(length), 'content-type': 'application/octet-stream' },
        body: length === 0 ? undefined : () => this.body(offset, length),
        scopes: this.scopes,
        retry: false,
        signal,
        what: this.what,
      });
      if (response.status === 404) throw new Resumable(registryResponseError(404, await errorText(response), this.what), true);
      if (response.status === 429 || response.status >= 500)
        throw new Resumable(registryResponseError(response.status, await errorText(response), this.what), false);
      return response;
    } catch (error) {
      if (error instanceof Resumable) throw error;
      // The body's own failure, whatever the HTTP layer made of the aborted request.
      if (this.sourceFailure !== null) throw this.sourceFailure;
      const failure = registryNetworkError(error, this.what);
      if (failure.code === 'REGISTRY_UNREACHABLE' && failure.data?.tls !== true) throw new Resumable(failure, false);
      throw failure;
    }
  }

  private async patch(): Promise<void> {
    const length = Math.min(this.tuning.chunkSize, this.blob.size - this.offset);
    const end = this.offset + length - 1;
    const response = await this.sendBytes('PATCH', this.location, { 'content-range': `${this.offset}-${end}` }, this.offset, length);
    const text = await errorText(response);
    if (response.status === 416) throw new Resumable(registryResponseError(416, text, this.what), false);
    if (response.status !== 202) throw registryResponseError(response.status, text, this.what);
    const accepted = rangeEnd(response.headers.get('range'));
    if (accepted === null || accepted > this.offset + length) {
      throw new AirlockError('REGISTRY_REFUSED', `${this.what}: the registry reports a range other than what was sent.`, { data: { registryCode: null } });
    }
    const location = response.headers.get('location');
    if (location !== null) this.location = this.http.resolve(location).toString();
    this.offset = accepted;
    this.report();
  }

  /** PUT ?digest=, with the rest of the blob (`length` bytes from the current offset) or nothing. */
  private async finish(length: number): Promise<void> {
    if (length === 0) {
      // Every byte is with the registry already (sent by PATCH, or by a killed run): check them all before closing.
      if (this.hashedTo !== this.blob.size) await this.hashAgain(this.blob.size);
      this.checkHashed();
    }
    const response = await this.sendBytes('PUT', withDigest(this.location, this.blob.digest, this.http), {}, this.offset, length);
    const text = await errorText(response);
    if (response.status === 400 && /"code"\s*:\s*"(DIGEST_INVALID|SIZE_INVALID)"/u.test(text)) {
      throw registryResponseError(400, text, `${this.what}: the bytes sent do not hash to the digest`, 'REGISTRY_DIGEST_MISMATCH');
    }
    if (response.status === 416) throw new Resumable(registryResponseError(416, text, this.what), false);
    if (response.status !== 201) throw registryResponseError(response.status, text, this.what);
    const digest = response.headers.get('docker-content-digest');
    if (digest !== null && digest !== this.blob.digest) {
      throw new AirlockError('REGISTRY_DIGEST_MISMATCH', `${this.what}: the registry stored it as ${digest.slice(0, 80)}.`, { data: { registryCode: null } });
    }
    this.offset = this.blob.size;
    this.report();
  }
}
