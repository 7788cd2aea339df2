/**
 * Registry authentication: the WWW-Authenticate challenge (Basic, or Bearer with realm, service
 * and scope), the token request to the realm, and a cache of tokens per scope set so a push of a
 * hundred blobs asks the token server once per repository, not once per request.
 */
import { AirlockError } from '../../errors.js';
import { isLoopbackHost } from './registry-endpoint.js';

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `Bearer realm="...",service="...",scope="..."` (several challenges allowed). */
export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  const token = /\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)(?:\s+|$)/uy;
  const param = /\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*,?/uy;
  let index = 0;
  while (index < header.length) {
    token.lastIndex = index;
    const scheme = token.exec(header);
    if (!scheme) break;
    index = token.lastIndex;
    const params: Record<string, string> = {};
    for (;;) {
      param.lastIndex = index;
      const match = param.exec(header);
      if (!match) break;
      // A bare word followed by '=' is a parameter; a following scheme name is not.
      params[match[1]!.toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/gu, '$1') : (match[3] ?? '');
      index = param.lastIndex;
    }
    challenges.push({ scheme: scheme[1]!.toLowerCase(), params });
    while (index < header.length && (header[index] === ',' || header[index] === ' ')) index++;
  }
  return challenges;
}

/** Scopes as a stable key: sorted, deduplicated. */
export function scopeKey(scopes: readonly string[]): string {
  return [...new Set(scopes)].sort().join(' ');
}

/**
 * The realm gets the credentials: it must be HTTPS, or plain HTTP on this machine, or on the
 * very host of a plain-HTTP (loopback) registry.
 */
export function checkRealm(realm: string, registryOrigin: string): URL {
  let url: URL;
  try {
    url = new URL(realm);
  } catch {
    throw new AirlockError('REGISTRY_AUTH_FAILED', 'The registry named a token service that is not a URL.', { data: { registryCode: null } });
  }
  const httpOk = url.protocol === 'http:' && (isLoopbackHost(url.hostname) || url.origin === registryOrigin);
  if (url.protocol !== 'https:' && !httpOk) {
    throw new AirlockError('REGISTRY_AUTH_FAILED', `The registry asked for credentials to be sent over plain HTTP to ${url.host}; refused.`, {
      data: { registryCode: null },
    });
  }
  if (url.username !== '' || url.password !== '')
    throw new AirlockError('REGISTRY_AUTH_FAILED', 'The token service URL carries credentials; refused.', { data: { registryCode: null } });
  return url;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>();

  get(key: string, now = Date.now()): string | undefined {
    const cached = this.tokens.get(key);
    if (!cached || cached.expiresAt <= now) return undefined;
    return cached.token;
  }

  /** `expiresIn` seconds as the token service said (60 when it did not: the spec's default); kept 10 s short. */
  set(key: string, token: string, expiresIn: number | undefined, now = Date.now()): void {
    const seconds = expiresIn !== undefined && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 60;
    this.tokens.set(key, { token, expiresAt: now + Math.max(1, seconds - 10) * 1000 });
  }

  drop(key: string): void {
    this.tokens.delete(key);
  }
}

/** The token from a token service's JSON answer (`token`, or OAuth2's `access_token`). */
export function tokenFromAnswer(body: string): { token: string; expiresIn: number | undefined } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === 'object' && parsed !== null) {
    const record = parsed as Record<string, unknown>;
    const token = typeof record.token === 'string' ? record.token : typeof record.access_token === 'string' ? record.access_token : undefined;
    // A token goes into a header line: printable ASCII only.
    if (token !== undefined && /^[\x21-\x7e]{1,16384}$/u.test(token)) {
      return { token, expiresIn: typeof record.expires_in === 'number' ? record.expires_in : undefined };
    }
  }
  throw new AirlockError('REGISTRY_AUTH_FAILED', 'The token service answered without a usable token.', { data: { registryCode: null } });
}
