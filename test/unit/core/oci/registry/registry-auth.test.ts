import { describe, expect, it } from 'vitest';
import { checkRealm, parseChallenges, scopeKey, TokenCache, tokenFromAnswer } from '../../../../../electron/core/oci/registry/registry-auth.js';

describe('parseChallenges', () => {
  it("reads distribution's and Harbor's Bearer challenge", () => {
    expect(parseChallenges('Bearer realm="https://harbor.example/service/token",service="harbor-registry",scope="repository:lib/app:pull,push"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://harbor.example/service/token', service: 'harbor-registry', scope: 'repository:lib/app:pull,push' } },
    ]);
  });

  it('reads Basic, unquoted values, escapes, and several challenges in one header', () => {
    expect(parseChallenges('Basic realm="Registry Realm"')).toEqual([{ scheme: 'basic', params: { realm: 'Registry Realm' } }]);
    expect(parseChallenges('Bearer realm=https://t.example/token, service=reg')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://t.example/token', service: 'reg' } },
    ]);
    expect(parseChallenges('Bearer realm="a\\"b"')[0]!.params.realm).toBe('a"b');
    const both = parseChallenges('Basic realm="r", Bearer realm="https://t.example/token",service="s"');
    expect(both.map((c) => c.scheme)).toEqual(['basic', 'bearer']);
    expect(both[1]!.params.service).toBe('s');
  });

  it('gives nothing usable for garbage', () => {
    expect(parseChallenges('')).toEqual([]);
    expect(parseChallenges('"""').every((c) => c.params.realm === undefined)).toBe(true);
  });
});

describe('checkRealm', () => {
  it('sends credentials only over HTTPS, to loopback, or to the plain-HTTP registry itself', () => {
    expect(checkRealm('https://auth.example/token', 'https://r.example').host).toBe('auth.example');
    expect(checkRealm('http://127.0.0.1:9000/token', 'https://r.example').port).toBe('9000');
    expect(checkRealm('http://localhost:5000/token', 'http://localhost:5000').pathname).toBe('/token');
    for (const realm of ['http://auth.example/token', 'ftp://auth.example/token', 'not a url', 'https://user:pw@auth.example/token', 'file:///etc/passwd']) {
      expect(() => checkRealm(realm, 'https://r.example'), realm).toThrow(expect.objectContaining({ code: 'REGISTRY_AUTH_FAILED' }));
    }
  });
});

describe('tokens', () => {
  it('caches per scope set, in any order, until shortly before expiry', () => {
    const cache = new TokenCache();
    const key = scopeKey(['repository:b:pull', 'repository:a:pull,push', 'repository:b:pull']);
    expect(key).toBe(scopeKey(['repository:a:pull,push', 'repository:b:pull']));
    cache.set(key, 'T', 300, 1_000_000);
    expect(cache.get(key, 1_000_000 + 289_000)).toBe('T');
    expect(cache.get(key, 1_000_000 + 291_000)).toBeUndefined();
    cache.set(key, 'U', undefined, 0);
    expect(cache.get(key, 49_000)).toBe('U');
    expect(cache.get(key, 51_000)).toBeUndefined();
  });

  it('takes token or access_token, and refuses one that could break a header line', () => {
    expect(tokenFromAnswer('{"token":"abc","expires_in":60}')).toEqual({ token: 'abc', expiresIn: 60 });
    expect(tokenFromAnswer('{"access_token":"xyz"}')).toEqual({ token: 'xyz', expiresIn: undefined });
    for (const body of ['{"token":"a\\r\\nX-Evil: 1"}', '{"token":""}', '{"token":5}', 'not json', '[]']) {
      expect(() => tokenFromAnswer(body), body).toThrow(expect.objectContaining({ code: 'REGISTRY_AUTH_FAILED' }));
    }
  });
});
