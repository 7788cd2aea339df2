/**
 * The registry client's HTTP layer over undici's fetch: one connection pool per endpoint (with the
 * endpoint's CA file added to the system's), authentication (Basic, or Bearer tokens cached per
 * scope set), and bounded retries with backoff on 5xx, 429 and dropped connections. Bodies are
 * factories, called again for every attempt, so a stream is never replayed half-read. Every wait
 * honours the AbortSignal. Credentials go only to the registry's own origin and to the token
 * realm it names (checked by checkRealm).
 */
import { rootCertificates } from 'node:tls';
// undici is loaded when a registry is first contacted (create()), not when the CLI starts: it is
// a fifth of the start-up of every other command (docs/design-notes.md, CLI start-up).
import type { Agent, Response } from 'undici';

type Undici = typeof import('undici');
import { AirlockError, throwIfAborted, toAirlockError } from '../../errors.js';
import { checkRealm, parseChallenges, scopeKey, TokenCache, tokenFromAnswer, type Challenge } from './registry-auth.js';
import { endpointOrigin } from './registry-endpoint.js';
import { isTlsTrustFailure, registryNetworkError, registryResponseError } from './registry-errors.js';
import type { RegistryEndpoint } from './registry-api.js';
import { readRegularFile } from '../../fs/open-regular.js';

export interface RegistryHttpOptions {
  /** Retries after the first attempt on 5xx/429/connection errors (default 4). */
  retries?: number | undefined;
  /** First backoff in ms, doubled each retry up to maxBackoffMs (defaults 250 and 8000). */
  backoffMs?: number | undefined;
  maxBackoffMs?: number | undefined;
  /** Per-request time limit without an answer's headers, ms (default 120000). */
  headersTimeoutMs?: number | undefined;
}

export type RequestBody = Uint8Array | AsyncIterable<Uint8Array> | undefined;

export interface RegistryRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  /** A path below the origin (`/v2/...`) or an absolute URL the registry gave (Location). */
  url: string;
  headers?: Record<string, string> | undefined;
  body?: (() => RequestBody) | undefined;
  /** Token scopes this request needs (`repository:NAME:pull,push`). */
  scopes: readonly string[];
  /** Retry on 5xx/429/dropped connection (only for requests that are safe to repeat). */
  retry: boolean;
  signal?: AbortSignal | undefined;
  /** Follow redirects (blob GETs may be sent to storage elsewhere); otherwise answers are returned as they are. */
  follow?: boolean | undefined;
  /** What the request does, for error messages. */
  what: string;
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const USER_AGENT = 'airlock-registry-client/1';

/** Waits `ms`, or rejects with CANCELLED as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AirlockError('CANCELLED'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AirlockError('CANCELLED'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Reads at most `cap` bytes of a response body; REGISTRY_REFUSED when it is longer. */
export async function readCapped(response: Response, cap: number, what: string): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > cap) {
    await response.body?.cancel();
    throw new AirlockError('REGISTRY_REFUSED', `${what}: the answer is ${declared} bytes, over the ${cap}-byte limit.`, { data: { registryCode: null } });
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.length;
    if (size > cap) {
      await response.body.cancel().catch(() => undefined);
      throw new AirlockError('REGISTRY_REFUSED', `${what}: the answer is over the ${cap}-byte limit.`, { data: { registryCode: null } });
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** Error bodies are read for their code only: a few KiB at most. */
export async function errorText(response: Response): Promise<string> {
  try {
    return (await readCapped(response, 64 * 1024, 'error')).toString('utf8');
  } catch {
    return '';
  }
}

export class RegistryHttp {
  readonly origin: string;
  private readonly tokens = new TokenCache();
  /** Learned from the first 401: how this registry wants to be authenticated. */
  private authScheme: 'basic' | 'bearer' | null = null;
  private bearer: Challenge | null = null;
  private pinged = false;

  private constructor(
    private readonly undici: Undici,
    readonly endpoint: RegistryEndpoint,
    private readonly dispatcher: Agent,
    private readonly options: RegistryHttpOptions,
  ) {
    this.origin = endpointOrigin(endpoint);
  }

  /** Reads the endpoint's CA file (if any) and opens a connection pool that trusts it besides the system's CAs. */
  static async create(endpoint: RegistryEndpoint, options: RegistryHttpOptions = {}): Promise<RegistryHttp> {
    let ca: string[] | undefined;
    if (endpoint.caFile !== undefined) {
      let pem: string;
      try {
        pem = await readRegularFile(endpoint.caFile, 'utf8');
      } catch (error) {
        throw toAirlockError(error, endpoint.caFile);
      }
      if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new AirlockError('USAGE', 'The CA file holds no PEM certificate.', { path: endpoint.caFile });
      ca = [...rootCertificates, pem];
    }
    const headersTimeout = options.headersTimeoutMs ?? 120_000;
    const undici = await import('undici');
    const dispatcher = new undici.Agent({ connect: ca ? { ca } : {}, headersTimeout, bodyTimeout: headersTimeout });
    return new RegistryHttp(undici, endpoint, dispatcher, options);
  }

  /**
   * GET /v2/: is this a distribution-API registry, and how does it authenticate? Learning the
   * scheme first means an upload's first PATCH already carries credentials instead of being sent
   * twice. Idempotent; cheap after the first call.
   */
  async ping(signal?: AbortSignal): Promise<void> {
    if (this.pinged) return;
    let response: Response;
    for (let attempt = 0; ; attempt++) {
      try {
        response = await this.fetchOnce(this.resolve('/v2/'), { method: 'GET', url: '/v2/', scopes: [], retry: true, what: 'GET /v2/', signal }, undefined);
      } catch (error) {
        const failure = registryNetworkError(error, `GET ${this.origin}/v2/`);
        if (failure.code !== 'REGISTRY_UNREACHABLE' || attempt >= (this.options.retries ?? 4) || isTlsTrustFailure(error)) throw failure;
        await sleep(this.backoff(attempt), signal);
        continue;
      }
      if (!RETRY_STATUS.has(response.status) || attempt >= (this.options.retries ?? 4)) break;
      await response.body?.cancel().catch(() => undefined);
      await sleep(this.backoff(attempt, response.headers.get('retry-after')), signal);
    }
    const text = await errorText(response);
    if (response.status === 401) {
      const challenges = parseChallenges(response.headers.get('www-authenticate') ?? '');
      const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
      if (bearer) {
        this.authScheme = 'bearer';
        this.bearer = bearer;
      } else if (challenges.some((c) => c.scheme === 'basic')) {
        if (!this.endpoint.credentials) throw registryResponseError(401, text, `GET ${this.origin}/v2/ (no credentials given)`, 'REGISTRY_AUTH_FAILED');
        this.authScheme = 'basic';
      }
    } else if (response.status !== 200) {
      throw registryResponseError(response.status, text, `GET ${this.origin}/v2/ (is this a container registry?)`);
    }
    this.pinged = true;
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  /** Resolves a path or a registry-given Location against the origin. */
  resolve(url: string): URL {
    let resolved: URL;
    try {
      resolved = new URL(url, this.origin);
    } catch {
      throw new AirlockError('REGISTRY_REFUSED', `The registry gave a location that is not a URL.`, { data: { registryCode: null } });
    }
    if (resolved.protocol !== 'https:' && resolved.protocol !== 'http:') {
      throw new AirlockError('REGISTRY_REFUSED', 'The registry gave a location that is not HTTP.', { data: { registryCode: null } });
    }
    // Never from TLS down to plain HTTP.
    if (!this.endpoint.insecure && resolved.protocol === 'http:') {
      throw new AirlockError('REGISTRY_REFUSED', 'The registry sent the client to a plain-HTTP location; refused.', { data: { registryCode: null } });
    }
    return resolved;
  }

  /**
   * Sends a request; answers come back whatever their status, except 401 after authenticating
   * (REGISTRY_AUTH_FAILED) and, for retried requests, 5xx/429 that outlast the retries (returned).
   */
  async send(request: RegistryRequest): Promise<Response> {
    const retries = request.retry ? (this.options.retries ?? 4) : 0;
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(request.signal);
      let response: Response;
      try {
        response = await this.sendAuthenticated(request);
      } catch (error) {
        const failure = registryNetworkError(error, request.what);
        if (failure.code !== 'REGISTRY_UNREACHABLE' || attempt >= retries || isTlsTrustFailure(error)) throw failure;
        await sleep(this.backoff(attempt), request.signal);
        continue;
      }
      if (!RETRY_STATUS.has(response.status) || attempt >= retries) return response;
      await response.body?.cancel().catch(() => undefined);
      await sleep(this.backoff(attempt, response.headers.get('retry-after')), request.signal);
    }
  }

  /** Delay before retry `attempt` (0-based): exponential with jitter, or the registry's Retry-After, capped. */
  backoff(attempt: number, retryAfter?: string | null): number {
    const base = this.options.backoffMs ?? 250;
    const max = this.options.maxBackoffMs ?? 8000;
    const seconds = retryAfter ? Number(retryAfter) : NaN;
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(max, seconds * 1000);
    // Full jitter: two stations retrying against one registry do not march in step.
    return Math.min(max, base * 2 ** attempt) * (0.5 + Math.random() / 2);
  }

  private async sendAuthenticated(request: RegistryRequest): Promise<Response> {
    const url = this.resolve(request.url);
    const sameOrigin = url.origin === this.origin;
    let authorization = sameOrigin ? await this.authorization(request.scopes, request.signal) : undefined;
    for (let round = 0; ; round++) {
      const response = await this.fetchOnce(url, request, authorization);
      if (response.status !== 401 || !sameOrigin) return response;
      const text = await errorText(response);
      if (round > 0) throw registryResponseError(401, text, request.what, 'REGISTRY_AUTH_FAILED');
      const challenges = parseChallenges(response.headers.get('www-authenticate') ?? '');
      const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
      if (bearer) {
        this.authScheme = 'bearer';
        this.bearer = bearer;
        const scopes = [...request.scopes, ...(bearer.params.scope ?? '').split(' ').filter(Boolean)];
        this.tokens.drop(scopeKey(scopes));
        authorization = `Bearer ${await this.fetchToken(scopes, request.signal)}`;
      } else if (challenges.some((c) => c.scheme === 'basic') && this.endpoint.credentials) {
        this.authScheme = 'basic';
        authorization = this.basic();
      } else {
        throw registryResponseError(401, text, request.what, 'REGISTRY_AUTH_FAILED');
      }
    }
  }

  private async fetchOnce(url: URL, request: RegistryRequest, authorization: string | undefined): Promise<Response> {
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...request.headers };
    if (authorization !== undefined) headers.authorization = authorization;
    const body = request.body?.();
    if (body !== undefined && !(body instanceof Uint8Array)) return this.streamOnce(url, request, headers, body);
    return this.undici.fetch(url, {
      method: request.method,
      headers,
      body: body as never,
      duplex: body === undefined ? undefined : 'half',
      redirect: request.follow ? 'follow' : 'manual',
      signal: request.signal,
      dispatcher: this.dispatcher,
    } as Parameters<Undici['fetch']>[1]);
  }

  /**
   * A streamed upload body goes through the dispatcher's request() rather than fetch: fetch wraps
   * an async iterable in a byte ReadableStream that copies every piece, which doubled the garbage
   * of a push (peak RSS over 200 MB with three uploads at once) and its CPU cost. request() writes
   * each piece to the socket as it is, waiting for drain. The answer is returned as a fetch
   * Response so callers read it one way.
   */
  private async streamOnce(url: URL, request: RegistryRequest, headers: Record<string, string>, body: AsyncIterable<Uint8Array>): Promise<Response> {
    const answer = await this.dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers,
      // undici writes an async iterable body piece by piece (its typings list only Readable).
      body: body as never,
      signal: request.signal,
    });
    const responseHeaders = new this.undici.Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (Array.isArray(value)) for (const one of value) responseHeaders.append(name, one);
      else if (typeof value === 'string') responseHeaders.append(name, value);
    }
    // A Response with status 204/205/304 may have no body; upload answers carry a few bytes at most.
    if (answer.statusCode === 204 || answer.statusCode === 205 || answer.statusCode === 304) {
      await answer.body.dump();
      return new this.undici.Response(null, { status: answer.statusCode, headers: responseHeaders });
    }
    return new this.undici.Response(answer.body as AsyncIterable<Uint8Array> as never, { status: answer.statusCode, headers: responseHeaders });
  }

  private basic(): string {
    const credentials = this.endpoint.credentials;
    if (!credentials)
      throw new AirlockError('REGISTRY_AUTH_FAILED', 'The registry asks for credentials and none were given.', { data: { registryCode: null } });
    return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
  }

  private async authorization(scopes: readonly string[], signal: AbortSignal | undefined): Promise<string | undefined> {
    if (this.authScheme === 'basic') return this.basic();
    if (this.authScheme === 'bearer') return `Bearer ${await this.fetchToken(scopes, signal)}`;
    return undefined;
  }

  /** A token for `scopes` from the realm of the last Bearer challenge (cached until it expires). */
  private async fetchToken(scopes: readonly string[], signal: AbortSignal | undefined): Promise<string> {
    const key = scopeKey(scopes);
    const cached = this.tokens.get(key);
    if (cached !== undefined) return cached;
    const challenge = this.bearer;
    if (!challenge?.params.realm)
      throw new AirlockError('REGISTRY_AUTH_FAILED', 'The registry asked for a token without saying where to get one.', { data: { registryCode: null } });
    const realm = checkRealm(challenge.params.realm, this.origin);
    if (challenge.params.service !== undefined) realm.searchParams.set('service', challenge.params.service);
    for (const scope of key.split(' ').filter(Boolean)) realm.searchParams.append('scope', scope);
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'application/json' };
    if (this.endpoint.credentials) headers.authorization = this.basic();
    let response: Response;
    try {
      response = await this.undici.fetch(realm, { headers, redirect: 'manual', signal: signal ?? null, dispatcher: this.dispatcher });
    } catch (error) {
      throw registryNetworkError(error, `token request to ${realm.host}`);
    }
    if (response.status !== 200) {
      const text = await errorText(response);
      throw registryResponseError(
        response.status,
        text,
        `token request to ${realm.host}`,
        response.status >= 500 ? 'REGISTRY_UNREACHABLE' : 'REGISTRY_AUTH_FAILED',
      );
    }
    const answer = tokenFromAnswer((await readCapped(response, 256 * 1024, 'token')).toString('utf8'));
    this.tokens.set(key, answer.token, answer.expiresIn);
    return answer.token;
  }
}
