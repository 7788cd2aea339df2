/**
 * A tiny Bearer-token server for docker-registry's `auth: token` (the flow Harbor and most
 * registries use): GET /token?service=S&scope=repository:NAME:pull,push answers a JWT signed
 * ES256 with a throwaway key, its certificate in the x5c header (distribution checks that chain
 * against its rootcertbundle). Users authenticate with Basic; anonymous callers get pull only
 * when allowed. It counts what it was asked, so tests can prove tokens are cached per scope.
 */
import { createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { makeTestCa } from './registry-certs.js';

export interface TokenServerOptions {
  users: Record<string, string>;
  /** Anonymous callers may pull. */
  anonymousPull?: boolean | undefined;
  /** Seconds a token lives (default 300). */
  expiresIn?: number | undefined;
}

export interface TokenRequest {
  user: string | null;
  scopes: string[];
  /** Status answered: 200, or 401 for bad credentials. */
  status: number;
}

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  certFile: string;
  requests: TokenRequest[];
  close(): Promise<void>;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

function basicUser(request: IncomingMessage, users: Record<string, string>): string | null | false {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const match = /^Basic ([A-Za-z0-9+/=]+)$/u.exec(header);
  if (!match) return false;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = decoded.slice(0, colon);
  return colon > 0 && Object.hasOwn(users, user) && users[user] === decoded.slice(colon + 1) ? user : false;
}

export async function startTokenServer(dir: string, options: TokenServerOptions): Promise<TokenServer> {
  const signer = await makeTestCa(dir, 'Airlock Test Token Signer');
  const key = createPrivateKey(signer.keyPem);
  const x5c = [new X509Certificate(signer.certPem).raw.toString('base64')];
  const service = 'airlock-test-registry';
  const issuer = 'airlock-test-issuer';
  const requests: TokenRequest[] = [];

  function token(user: string | null, scopes: string[]): string {
    const access = scopes.flatMap((scope) => {
      const parts = scope.split(':');
      if (parts.length < 3 || parts[0] !== 'repository') return [];
      const actions = parts[parts.length - 1]!.split(',');
      const name = parts.slice(1, -1).join(':');
      const granted = user === null ? actions.filter((a) => a === 'pull') : actions;
      return granted.length > 0 ? [{ type: 'repository', name, actions: granted }] : [];
    });
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'ES256', x5c };
    const claims = { iss: issuer, sub: user ?? '', aud: service, exp: now + (options.expiresIn ?? 300), nbf: now - 60, iat: now, jti: randomUUID(), access };
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    return `${input}.${base64url(signature)}`;
  }

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ').filter(Boolean));
    const user = basicUser(request, options.users);
    if (url.pathname !== '/token' || url.searchParams.get('service') !== service) {
      response.writeHead(404).end();
      return;
    }
    if (user === false || (user === null && !options.anonymousPull)) {
      requests.push({ user: null, scopes, status: 401 });
      response.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }));
      return;
    }
    requests.push({ user, scopes, status: 200 });
    const issued = token(user, scopes);
    response
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ token: issued, access_token: issued, expires_in: options.expiresIn ?? 300, issued_at: new Date().toISOString() }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certFile: signer.certFile,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
