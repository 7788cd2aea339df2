import { describe, expect, it } from 'vitest';
import { AirlockError } from '../../../../../electron/core/errors.js';
import { hostileText, UNSAFE_IN_VALUE } from '../../../../helpers/hostile-text.js';
import { parseImageList, parseImageReference, printable } from '../../../../../electron/core/oci/sources/image-reference.js';
import { parsePlatform, platformMatches } from '../../../../../electron/core/oci/sources/platform-choice.js';

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    return error instanceof AirlockError ? error.code : 'OTHER';
  }
}

describe('parseImageReference', () => {
  it('splits oci: at the first colon after the transport, as skopeo does', () => {
    expect(parseImageReference('oci:/srv/layout:app-1.0')).toMatchObject({ transport: 'oci', dir: '/srv/layout', tag: 'app-1.0' });
    expect(parseImageReference('oci:./layout')).toMatchObject({ transport: 'oci', dir: './layout', tag: null });
    expect(parseImageReference('oci:/bag/data/oci:team/app:1.0')).toMatchObject({ dir: '/bag/data/oci', tag: 'team/app:1.0' });
    expect(parseImageReference('oci-archive:/x/app.tar:v1')).toMatchObject({ transport: 'oci-archive', file: '/x/app.tar', tag: 'v1' });
    expect(parseImageReference('docker-archive:/x/app.tar')).toMatchObject({ transport: 'docker-archive', file: '/x/app.tar' });
  });

  it('reads docker:// with host, port, repository, tag or digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseImageReference('docker://127.0.0.1:5000/team/app:1.0')).toMatchObject({
      host: '127.0.0.1:5000',
      repository: 'team/app',
      tag: '1.0',
      digest: null,
    });
    expect(parseImageReference(`docker://reg.example.org/app@${digest}`)).toMatchObject({ host: 'reg.example.org', repository: 'app', tag: null, digest });
    expect(parseImageReference(`docker://[::1]:5000/app:2@${digest}`)).toMatchObject({ host: '[::1]:5000', tag: '2', digest });
  });

  const invalid = [
    '',
    'app:1.0',
    'oci:',
    'oci::tag',
    'oci:/x:bad tag',
    'oci:/x:\u0000',
    'docker-archive:',
    'docker:reg/app:1',
    'docker://reg.example.org/app',
    'docker://reg.example.org/App:1',
    'docker://reg.example.org/app:-bad',
    'docker://reg.example.org/app@sha256:ABC',
    'docker://-host/app:1',
    'docker:///app:1',
    'docker://reg.example.org/../app:1',
    `oci:${'x'.repeat(5000)}`,
    'oci:/x\n:tag',
  ];
  for (const text of invalid) {
    it(`refuses ${JSON.stringify(text.slice(0, 40))} as IMAGE_SOURCE_INVALID`, () => {
      expect(codeOf(() => parseImageReference(text))).toBe('IMAGE_SOURCE_INVALID');
    });
  }
});

describe('parseImageList', () => {
  it('skips comments and blank lines, trims, and names the line of a bad reference', () => {
    expect(parseImageList('# head\n\n  oci:/a:1  \r\n#oci:/b\noci:/c\n', 'list.txt').map((r) => r.text)).toEqual(['oci:/a:1', 'oci:/c']);
    try {
      parseImageList('oci:/a\n\nnope\n', 'list.txt');
      throw new Error('not refused');
    } catch (error) {
      expect(error).toBeInstanceOf(AirlockError);
      expect((error as AirlockError).message).toContain('list.txt line 3');
      expect((error as AirlockError).data).toMatchObject({ line: '3', reference: 'nope' });
    }
  });
});

describe('platforms', () => {
  it('parses OS/ARCH[/VARIANT] and matches variant-less choices to every variant', () => {
    expect(parsePlatform('linux/arm64/v8')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(platformMatches(parsePlatform('linux/arm64'), { os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe(true);
    expect(platformMatches(parsePlatform('linux/arm64/v7'), { os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe(false);
    expect(platformMatches(parsePlatform('linux/amd64'), { os: 'windows', architecture: 'amd64' })).toBe(false);
    for (const bad of ['amd64', 'linux/', '/amd64', 'linux/amd64/v8/x', 'Linux/AMD64', 'linux/amd 64']) {
      expect(codeOf(() => parsePlatform(bad))).toBe('IMAGE_SOURCE_INVALID');
    }
  });
});

describe('printable: a reference quoted in a message (terminal-escape-injection)', () => {
  it('500 seeded hostile references: nothing unsafe, marks and zero-width characters shown', () => {
    for (let seed = 2200; seed < 2200 + 500; seed += 1) {
      const shown = printable(hostileText(seed, 30));
      expect(UNSAFE_IN_VALUE.test(shown), `seed ${seed}: ${JSON.stringify(shown)}`).toBe(false);
    }
    expect(printable('reg.example/app\u200f:1\u061c')).toBe('reg.example/app\\u200f:1\\u061c');
  });
});
