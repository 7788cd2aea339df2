import { describe, expect, it } from 'vitest';
import { isLoopbackHost, parseRegistryEndpoint, repositoryAt } from '../../../../../electron/core/oci/registry/registry-endpoint.js';

describe('parseRegistryEndpoint', () => {
  it('reads host, port and prefix as given', () => {
    expect(parseRegistryEndpoint('harbor.example.org')).toEqual({
      host: 'harbor.example.org',
      prefix: '',
      insecure: false,
      caFile: undefined,
      credentials: undefined,
    });
    expect(parseRegistryEndpoint('harbor.example.org:8443/mirror/team')).toMatchObject({ host: 'harbor.example.org:8443', prefix: 'mirror/team' });
    expect(parseRegistryEndpoint('10.1.2.3:5000')).toMatchObject({ host: '10.1.2.3:5000', prefix: '' });
    expect(parseRegistryEndpoint('[fd00::5]:5000/p')).toMatchObject({ host: '[fd00::5]:5000', prefix: 'p' });
    const credentials = { username: 'u', password: 'p' };
    expect(parseRegistryEndpoint('r.example:5000', { caFile: '/etc/ca.pem', credentials })).toMatchObject({ caFile: '/etc/ca.pem', credentials });
  });

  it('allows plain HTTP for loopback hosts only', () => {
    for (const host of ['127.0.0.1:5000', '127.8.9.10', 'localhost:5000', 'LOCALHOST', '[::1]:5000']) {
      expect(parseRegistryEndpoint(host, { insecure: true }).insecure).toBe(true);
    }
    for (const host of ['10.0.0.1:5000', 'registry.local', '[fd00::1]:5000', '128.0.0.1', 'localhost.example.com', '127.0.0.1.nip.io']) {
      expect(() => parseRegistryEndpoint(host, { insecure: true })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    }
  });

  it('refuses what is not HOST[:PORT][/PREFIX]', () => {
    for (const spec of [
      '',
      'https://r.example',
      'http://127.0.0.1:5000',
      'r.example:',
      'r.example:0',
      'r.example:65536',
      'r.example:50a',
      ':5000',
      'r..example',
      '-r.example',
      'r.example/',
      'r.example//x',
      'r.example/Upper',
      'r.example/../x',
      'r.example/a?b',
      'r.example/a%2fb',
      'user@r.example',
      '[::1',
      '[not-v6]:5000',
      'r.example:5000 /x',
    ]) {
      expect(() => parseRegistryEndpoint(spec), spec).toThrow(expect.objectContaining({ code: 'USAGE' }));
    }
  });

  it('puts the prefix in front of a repository', () => {
    expect(repositoryAt(parseRegistryEndpoint('r.example/mirror'), 'team/app')).toBe('mirror/team/app');
    expect(repositoryAt(parseRegistryEndpoint('r.example'), 'team/app')).toBe('team/app');
  });

  it('knows loopback addresses', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('0:0:0:0:0:0:0:1')).toBe(true);
    expect(isLoopbackHost('::2')).toBe(false);
    expect(isLoopbackHost('192.168.0.1')).toBe(false);
  });
});
