import { describe, expect, it } from 'vitest';
import { parseDescriptor, parseManifestJson, parsePlatforms, platformMatches } from '../../../../../electron/core/oci/registry/manifest-parse.js';
import { checkReference, checkRepository, referrersTag } from '../../../../../electron/core/oci/registry/registry-names.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('parseDescriptor (what a registry sent)', () => {
  it('keeps a valid descriptor with platform, artifactType and annotations', () => {
    expect(
      parseDescriptor(
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: DIGEST,
          size: 5,
          platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
          annotations: { a: 'b' },
        },
        'x',
      ),
    ).toEqual({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: DIGEST,
      size: 5,
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      annotations: { a: 'b' },
    });
  });

  it('refuses hostile digests, sizes, media types and platforms with IMAGE_SOURCE_CORRUPT', () => {
    const good = { mediaType: 'application/octet-stream', digest: DIGEST, size: 1 };
    for (const bad of [
      null,
      [],
      'x',
      { ...good, digest: `sha512:${'a'.repeat(128)}` },
      { ...good, digest: `sha256:${'AB'.repeat(32)}` },
      { ...good, digest: `sha256:../../${'a'.repeat(58)}` },
      { ...good, digest: undefined },
      { ...good, size: -1 },
      { ...good, size: 1.5 },
      { ...good, size: 2 ** 60 },
      { ...good, size: '1' },
      { ...good, mediaType: '' },
      { ...good, mediaType: 'a\nb' },
      { ...good, platform: 'linux' },
      { ...good, platform: { os: 'linux' } },
    ]) {
      expect(() => parseDescriptor(bad, 'entry'), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'IMAGE_SOURCE_CORRUPT' }));
    }
  });

  it('refuses manifests that are not JSON objects', () => {
    for (const body of ['[]', 'null', '"x"', '{', ''])
      expect(() => parseManifestJson(Buffer.from(body), DIGEST)).toThrow(expect.objectContaining({ code: 'IMAGE_SOURCE_CORRUPT' }));
  });
});

describe('platforms', () => {
  it('parses os/arch[/variant] and matches any variant when none is asked for', () => {
    const [amd64, arm64, armv7] = parsePlatforms(['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
    expect(platformMatches(amd64!, { os: 'linux', architecture: 'amd64' })).toBe(true);
    expect(platformMatches(arm64!, { os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe(true);
    expect(platformMatches(armv7!, { os: 'linux', architecture: 'arm', variant: 'v6' })).toBe(false);
    expect(platformMatches(amd64!, { os: 'windows', architecture: 'amd64' })).toBe(false);
  });

  it('refuses malformed platforms with USAGE', () => {
    for (const spec of ['linux', 'linux/', '/amd64', 'linux/amd64/v8/x', 'Linux/AMD64', 'linux/amd 64']) {
      expect(() => parsePlatforms([spec]), spec).toThrow(expect.objectContaining({ code: 'USAGE' }));
    }
  });
});

describe('names that reach a URL path', () => {
  it('accepts distribution names and refuses anything that could escape the path', () => {
    expect(checkRepository('team/app')).toBe('team/app');
    expect(checkRepository('a.b_c__d-e/f--g')).toBe('a.b_c__d-e/f--g');
    for (const name of ['', 'Team/app', '../x', 'a//b', 'a/', '/a', 'a?b', 'a#b', 'a%2f', 'a b', '.a', 'a.', 'x'.repeat(256)]) {
      expect(() => checkRepository(name), name).toThrow(expect.objectContaining({ code: 'IMAGE_SOURCE_INVALID' }));
    }
    expect(checkReference('v1.0_rc-1')).toBe('v1.0_rc-1');
    expect(checkReference(DIGEST)).toBe(DIGEST);
    for (const ref of ['', '.hidden', '-x', 'a/b', 'a:b', 'x'.repeat(129), `sha256:${'A'.repeat(64)}`]) {
      expect(() => checkReference(ref), ref).toThrow(expect.objectContaining({ code: 'IMAGE_SOURCE_INVALID' }));
    }
    expect(referrersTag(DIGEST)).toBe(`sha256-${'ab'.repeat(32)}`);
  });
});
