import { describe, expect, it } from 'vitest';
import { hostileText, UNSAFE_IN_VALUE } from '../../../../helpers/hostile-text.js';
import { cleanRegistryText, parseRegistryErrors, registryResponseError } from '../../../../../electron/core/oci/registry/registry-errors.js';

describe('registry errors', () => {
  it("carries the registry's own code in data.registryCode", () => {
    const error = registryResponseError(400, '{"errors":[{"code":"TAG_INVALID","message":"tag is immutable"}]}', 'PUT manifest a:1');
    expect(error.code).toBe('REGISTRY_REFUSED');
    expect(error.data).toEqual({ status: 400, registryCode: 'TAG_INVALID' });
    expect(error.detail).toContain('TAG_INVALID: tag is immutable');
  });

  it('maps statuses: 401 auth, 5xx and 429 unreachable, other 4xx refused', () => {
    expect(registryResponseError(401, '', 'x').code).toBe('REGISTRY_AUTH_FAILED');
    expect(registryResponseError(403, '{"errors":[{"code":"DENIED","message":"no"}]}', 'x')).toMatchObject({
      code: 'REGISTRY_REFUSED',
      data: { registryCode: 'DENIED' },
    });
    expect(registryResponseError(503, '', 'x').code).toBe('REGISTRY_UNREACHABLE');
    expect(registryResponseError(429, '', 'x').code).toBe('REGISTRY_UNREACHABLE');
    expect(registryResponseError(412, '', 'x')).toMatchObject({ code: 'REGISTRY_REFUSED', data: { registryCode: null } });
  });

  it('keeps only well-formed codes and cleans what the registry says', () => {
    expect(parseRegistryErrors('{"errors":[{"code":"lower"},{"code":"A B"},{"code":"OK_1","message":"fine"}]}')).toEqual([{ code: 'OK_1', message: 'fine' }]);
    expect(parseRegistryErrors('<html>')).toEqual([]);
    expect(parseRegistryErrors('{"errors":"x"}')).toEqual([]);
    const hostile = `bad\u001b[31m red\r\nFAKE LINE\u202e${'x'.repeat(1000)}`;
    const clean = cleanRegistryText(hostile);
    expect([...clean].some((c) => c.charCodeAt(0) < 0x20 || c === '\u202e')).toBe(false);
    expect(clean.length).toBeLessThanOrEqual(301);
  });

  it('registry replies under the shared rule (terminal-escape-injection): 500 seeded hostile replies keep nothing unsafe, line breaks read as spaces', () => {
    for (let seed = 3300; seed < 3300 + 500; seed += 1) {
      const clean = cleanRegistryText(hostileText(seed, 30));
      expect(UNSAFE_IN_VALUE.test(clean), `seed ${seed}: ${JSON.stringify(clean)}`).toBe(false);
    }
    expect(cleanRegistryText('denied\r\nfor repo\u200b x\u200f')).toBe('denied for repo\\u200b x\\u200f');
  });
});
