import { describe, expect, it } from 'vitest';
import { parseClamdAddress } from '../../../../../electron/core/inspect/clamd/address.js';
import { CLAMD_ADDRESS } from '../../../../../electron/core/policy/inspect-policy.js';

describe('parseClamdAddress: the policy.json spellings', () => {
  it('unix and tcp, IPv6 in brackets', () => {
    expect(parseClamdAddress('unix:/run/clamav/clamd.ctl')).toEqual({ kind: 'unix', path: '/run/clamav/clamd.ctl' });
    expect(parseClamdAddress('tcp:127.0.0.1:3310')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 3310 });
    expect(parseClamdAddress('tcp:scanner.internal:3310')).toEqual({ kind: 'tcp', host: 'scanner.internal', port: 3310 });
    expect(parseClamdAddress('tcp:[::1]:3310')).toEqual({ kind: 'tcp', host: '::1', port: 3310 });
  });

  it('everything the policy schema refuses is refused here too, and ports out of range', () => {
    for (const bad of [
      'unix:relative.sock',
      'tcp:127.0.0.1',
      'tcp:127.0.0.1:0',
      'tcp:127.0.0.1:65536',
      'tcp::3310',
      'http://127.0.0.1:3310',
      '/run/clamd.sock',
      'unix:/a\0b',
    ]) {
      expect(parseClamdAddress(bad)).toBeNull();
    }
  });

  it('every address the policy schema accepts parses (they agree)', () => {
    for (const good of ['unix:/x', 'tcp:a:1', 'tcp:[fe80::1]:65535', 'tcp:10.0.0.1:3310']) {
      expect(CLAMD_ADDRESS.test(good)).toBe(true);
      expect(parseClamdAddress(good)).not.toBeNull();
    }
  });
});
