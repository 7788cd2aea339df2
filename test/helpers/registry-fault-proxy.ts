/**
 * An HTTP proxy in front of a test registry that misbehaves on request, the way real registries
 * and networks do (issue #15.7): drop the connection in the middle of a PATCH after N bytes, answer
 * 5xx N times then recover, refuse a manifest PUT on a tag that exists (an immutable tag, as
 * distribution's TAG_INVALID or Harbor's 412), hide or serve the referrers API, and record every
 * request so tests can prove "every blob skipped". The Host header passes unchanged, so the
 * registry's Location URLs point back at the proxy.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, request as httpRequest, type RequestOptions, type Server, type ServerResponse } from 'node:http';

export interface RecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: string;
  status: number;
  /** Request body bytes the proxy passed on. */
  bytesIn: number;
  /** The proxy cut the connection. */
  dropped: boolean;
}

export type RequestMatch = (request: { method: string; path: string; query: string }) => boolean;

export interface ImmutableTagStyle {
  /** 400 with TAG_INVALID (distribution-like) or 412 with PRECONDITION (Harbor's immutable tag rule). */
  status: 400 | 412;
  code: string;
}

export const DISTRIBUTION_IMMUTABLE: ImmutableTagStyle = { status: 400, code: 'TAG_INVALID' };
export const HARBOR_IMMUTABLE: ImmutableTagStyle = { status: 412, code: 'PRECONDITION' };

interface DropRule {
  afterBytes: number;
  times: number;
  match: RequestMatch;
  registrySees: DropVisibility;
}

/**
 * What the registry gets of a request cut in the middle. 'partial': the bytes before the cut, as
 * on a plain broken TCP path (distribution 2.8 then invalidates the upload session: its state
 * offset no longer matches, so the client must start the blob again). 'nothing': a buffering front
 * proxy (nginx's default) lost it all, and the session's Range still stands for a resume.
 */
export type DropVisibility = 'partial' | 'nothing';

interface FailRule {
  times: number;
  status: number;
  match: RequestMatch;
}

interface ReferrerEntry {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

const MANIFEST_PATH = /^\/v2\/(.+)\/manifests\/([^/]+)$/u;
const REFERRERS_PATH = /^\/v2\/(.+)\/referrers\/(sha256:[0-9a-f]{64})$/u;
const DIGEST_REF = /^sha256:[0-9a-f]{64}$/u;
const MANIFEST_CAP = 4 * 1024 * 1024;

export const isPatch: RequestMatch = (r) => r.method === 'PATCH';
export const isBlobRequest: RequestMatch = (r) => /\/blobs\//u.test(r.path);
export const isAny: RequestMatch = () => true;

export class RegistryFaultProxy {
  readonly requests: RecordedRequest[] = [];
  /** `referrers`: 'hide' answers 404 (as distribution 2.8 does anyway); 'serve' answers the referrers API from manifests pushed through the proxy. */
  referrersApi: 'hide' | 'serve' = 'hide';
  private drops: DropRule[] = [];
  private failures: FailRule[] = [];
  private responseDrops: { afterBytes: number; times: number; match: RequestMatch }[] = [];
  private immutable: ImmutableTagStyle | null = null;
  private readonly referrers = new Map<string, ReferrerEntry[]>();

  private constructor(
    private readonly server: Server,
    private readonly target: URL,
    readonly port: number,
  ) {}

  static async start(targetUrl: string): Promise<RegistryFaultProxy> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const proxy = new RegistryFaultProxy(server, new URL(targetUrl), port);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      proxy.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(502).end(String(error));
        else res.destroy();
      });
    });
    return proxy;
  }

  /** `127.0.0.1:PORT`. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  get url(): string {
    return `http://${this.host}`;
  }

  /** Cut the connection of the next `times` matching requests (default: PATCH) after `afterBytes` of their body. */
  dropAfter(afterBytes: number, options: { times?: number; match?: RequestMatch; registrySees?: DropVisibility } = {}): void {
    this.drops.push({ afterBytes, times: options.times ?? 1, match: options.match ?? isPatch, registrySees: options.registrySees ?? 'partial' });
  }

  /** Cut the answer of the next `times` matching requests (default: blob GETs) after `afterBytes` of its body. */
  dropResponseAfter(afterBytes: number, options: { times?: number; match?: RequestMatch } = {}): void {
    this.responseDrops.push({ afterBytes, times: options.times ?? 1, match: options.match ?? ((r) => r.method === 'GET' && /\/blobs\/sha256:/u.test(r.path)) });
  }

  /** Answer the next `times` matching requests with `status` (default 500) without passing them on. */
  failNext(times: number, options: { status?: number; match?: RequestMatch } = {}): void {
    this.failures.push({ times, status: options.status ?? 500, match: options.match ?? isAny });
  }

  /** Refuse a manifest PUT by tag when the tag exists already; null lets them through again. */
  immutableTags(style: ImmutableTagStyle | null): void {
    this.immutable = style;
  }

  /** Drop every drop and failure rule not used up yet. */
  clearRules(): void {
    this.drops = [];
    this.failures = [];
    this.responseDrops = [];
  }

  /** Forget the recorded requests (rules stay). */
  clearLog(): void {
    this.requests.length = 0;
  }

  /** Recorded requests that match. */
  count(match: (request: RecordedRequest) => boolean): number {
    return this.requests.filter((r) => match(r)).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private takeRule<T extends { times: number; match: RequestMatch }>(rules: T[], request: { method: string; path: string; query: string }): T | undefined {
    const rule = rules.find((r) => r.times > 0 && r.match(request));
    if (rule) rule.times--;
    return rule;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const request = { method: req.method ?? 'GET', path: url.pathname, query: url.search };
    const record: RecordedRequest = { ...request, status: 0, bytesIn: 0, dropped: false };
    this.requests.push(record);

    const failure = this.takeRule(this.failures, request);
    if (failure) {
      req.resume();
      record.status = failure.status;
      res.writeHead(failure.status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'injected failure' }] }));
      return;
    }

    const referrers = REFERRERS_PATH.exec(url.pathname);
    if (referrers && req.method === 'GET') {
      req.resume();
      if (this.referrersApi === 'hide') {
        record.status = 404;
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found');
        return;
      }
      record.status = 200;
      const body = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: this.referrers.get(referrers[2]!) ?? [],
      });
      res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.index.v1+json' }).end(body);
      return;
    }

    const manifest = MANIFEST_PATH.exec(url.pathname);
    if (manifest && req.method === 'PUT') {
      await this.putManifest(req, res, record, manifest[1]!, manifest[2]!);
      return;
    }

    const drop = this.takeRule(this.drops, request);
    const responseDrop = this.takeRule(this.responseDrops, request);
    if (drop?.registrySees === 'nothing') await this.dropBuffered(req, res, record, drop.afterBytes);
    else await this.forward(req, res, record, drop?.afterBytes, responseDrop?.afterBytes);
  }

  /** Manifest PUTs are buffered (small, capped): the immutable-tag rule and the referrers index need them. */
  private async putManifest(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, repository: string, reference: string): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MANIFEST_CAP) {
        record.status = 413;
        res.writeHead(413).end();
        return;
      }
      chunks.push(chunk);
    }
    const body = Buffer.concat(chunks);
    record.bytesIn = body.length;
    if (this.immutable && !DIGEST_REF.test(reference)) {
      const exists = await this.upstreamStatus('HEAD', `/v2/${repository}/manifests/${reference}`, req);
      if (exists === 200) {
        record.status = this.immutable.status;
        const message = `tag ${reference} in ${repository} is immutable and exists already`;
        res.writeHead(this.immutable.status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errors: [{ code: this.immutable.code, message }] }));
        return;
      }
    }
    const status = await this.forwardBuffered(req, res, body);
    record.status = status;
    if (status === 201) this.noteReferrer(body, req.headers['content-type']);
  }

  private noteReferrer(body: Buffer, contentType: string | undefined): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    const manifest = parsed as {
      subject?: { digest?: unknown };
      artifactType?: unknown;
      config?: { mediaType?: unknown };
      annotations?: Record<string, string>;
    };
    const subject = manifest.subject?.digest;
    if (typeof subject !== 'string') return;
    const entry: ReferrerEntry = {
      mediaType: contentType ?? 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${createHash('sha256').update(body).digest('hex')}`,
      size: body.length,
    };
    const artifactType = typeof manifest.artifactType === 'string' ? manifest.artifactType : manifest.config?.mediaType;
    if (typeof artifactType === 'string') entry.artifactType = artifactType;
    if (manifest.annotations) entry.annotations = manifest.annotations;
    const list = this.referrers.get(subject) ?? [];
    if (!list.some((e) => e.digest === entry.digest)) list.push(entry);
    this.referrers.set(subject, list);
  }

  private upstreamOptions(req: IncomingMessage, method: string, path: string): RequestOptions {
    return { host: this.target.hostname, port: this.target.port, method, path, headers: { ...req.headers } };
  }

  private async upstreamStatus(method: string, path: string, req: IncomingMessage): Promise<number> {
    const headers = { ...req.headers };
    delete headers['content-length'];
    delete headers['content-type'];
    // Distribution answers 404 for an OCI manifest the request does not accept.
    headers.accept = [
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.docker.distribution.manifest.v2+json',
    ].join(', ');
    const upstream = httpRequest({ host: this.target.hostname, port: this.target.port, method, path, headers });
    upstream.end();
    const [response] = (await once(upstream, 'response')) as [IncomingMessage];
    response.resume();
    return response.statusCode ?? 0;
  }

  private async forwardBuffered(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<number> {
    const headers: Record<string, string | string[] | undefined> = { ...req.headers, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    const upstream = httpRequest({ ...this.upstreamOptions(req, req.method ?? 'PUT', req.url ?? '/'), headers });
    upstream.end(body);
    const [response] = (await once(upstream, 'response')) as [IncomingMessage];
    const answer = { ...response.headers };
    if (this.referrersApi === 'serve' && response.statusCode === 201) {
      const subject = subjectOf(body);
      if (subject) answer['oci-subject'] = subject;
    }
    res.writeHead(response.statusCode ?? 502, answer);
    for await (const chunk of response as AsyncIterable<Buffer>) res.write(chunk);
    res.end();
    return response.statusCode ?? 502;
  }

  /** Holds the body back; cuts the client after `afterBytes` with nothing sent on, or forwards a shorter body whole. */
  private async dropBuffered(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, afterBytes: number): Promise<void> {
    const chunks: Buffer[] = [];
    req.on('error', () => undefined);
    for await (const chunk of req as AsyncIterable<Buffer>) {
      if (record.bytesIn + chunk.length >= afterBytes) {
        record.bytesIn = afterBytes;
        record.dropped = true;
        req.socket.destroy();
        return;
      }
      record.bytesIn += chunk.length;
      chunks.push(chunk);
    }
    record.status = await this.forwardBuffered(req, res, Buffer.concat(chunks));
  }

  /** Streams the request through; with `dropAfter`, cuts both connections once that many body bytes went up. */
  private async forward(
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest,
    dropAfter: number | undefined,
    dropResponseAfter?: number,
  ): Promise<void> {
    const upstream = httpRequest(this.upstreamOptions(req, req.method ?? 'GET', req.url ?? '/'));
    // A cut connection is this proxy's doing, not a failure of the test.
    upstream.on('error', () => undefined);
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const responded = once(upstream, 'response') as Promise<[IncomingMessage]>;
    responded.catch(() => undefined);
    try {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        if (dropAfter !== undefined && record.bytesIn + chunk.length >= dropAfter) {
          const part = chunk.subarray(0, dropAfter - record.bytesIn);
          record.bytesIn += part.length;
          record.dropped = true;
          // Let the part reach the registry, then cut both sides as a broken network would.
          await new Promise<void>((resolve) => upstream.write(part, () => resolve()));
          await new Promise((resolve) => setTimeout(resolve, 50));
          upstream.destroy();
          req.socket.destroy();
          return;
        }
        record.bytesIn += chunk.length;
        if (!upstream.write(chunk)) await once(upstream, 'drain');
      }
    } catch {
      upstream.destroy();
      return;
    }
    upstream.end();
    const [response] = await responded;
    record.status = response.statusCode ?? 0;
    res.writeHead(response.statusCode ?? 502, response.headers);
    let sent = 0;
    for await (const chunk of response as AsyncIterable<Buffer>) {
      if (dropResponseAfter !== undefined && sent + chunk.length >= dropResponseAfter) {
        const part = chunk.subarray(0, dropResponseAfter - sent);
        record.dropped = true;
        await new Promise<void>((resolve) => res.write(part, () => resolve()));
        response.destroy();
        res.destroy();
        return;
      }
      sent += chunk.length;
      if (!res.write(chunk)) await once(res, 'drain');
    }
    res.end();
  }
}

function subjectOf(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { subject?: { digest?: unknown } };
    return typeof parsed.subject?.digest === 'string' ? parsed.subject.digest : undefined;
  } catch {
    return undefined;
  }
}

/** Starts a proxy to `targetUrl` (http only: put it in front of a plain test registry). */
export async function startFaultProxy(targetUrl: string): Promise<RegistryFaultProxy> {
  return RegistryFaultProxy.start(targetUrl);
}
