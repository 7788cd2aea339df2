import { describe, expect, it } from 'vitest';
import { REPOSITORY_NAME, TAG_NAME } from '../../../../../electron/core/oci/images-file.js';
import { normalizeRepository, repositoryFromPath, targetFromRefName } from '../../../../../electron/core/oci/sources/target-name.js';
import { chartImages } from '../../../../../electron/core/oci/sources/chart-source.js';

describe('target naming', () => {
  it('takes repo:tag ref names (host dropped), else the tag with the folder name as repository', () => {
    expect(targetFromRefName('team/app:1.0', '/x/layout')).toEqual({ repository: 'team/app', tag: '1.0' });
    expect(targetFromRefName('registry.example.org:5000/Team/App:1.0', '/x/layout')).toEqual({ repository: 'team/app', tag: '1.0' });
    expect(targetFromRefName('localhost/app:2', '/x/layout')).toEqual({ repository: 'app', tag: '2' });
    expect(targetFromRefName('app-1.0', '/x/My Layout/')).toEqual({ repository: 'my-layout', tag: 'app-1.0' });
    expect(targetFromRefName(null, '/x/images.tar')).toEqual({ repository: 'images', tag: null });
  });

  it('always yields names in distribution grammar, whatever the input', () => {
    const inputs = ['', '...', '__', 'A B C', 'ünïcödé', '-x-', 'a//b', 'x:y:z', '@@@', 'a/b/c:d@sha256:00', '../..', 'UPPER/lower:TAG'];
    for (const input of inputs) {
      const target = targetFromRefName(input, `/x/${input}`);
      expect(REPOSITORY_NAME.test(target.repository), `${input} -> ${target.repository}`).toBe(true);
      if (target.tag !== null) expect(TAG_NAME.test(target.tag), `${input} -> ${target.tag}`).toBe(true);
      expect(REPOSITORY_NAME.test(repositoryFromPath(input))).toBe(true);
    }
    expect(normalizeRepository('---')).toBeNull();
  });
});

describe('chartImages', () => {
  it('finds image strings and repository maps at any depth, each once', () => {
    const values = {
      image: { repository: 'nginx', tag: '1.25' },
      sidecar: { image: 'busybox:1.36' },
      list: [{ image: 'busybox:1.36' }, { image: { registry: 'reg.example.org/', repository: 'team/api', digest: `sha256:${'b'.repeat(64)}` } }],
      notAnImage: { repository: 'charts-repo' },
      numbers: { image: { repository: 'x', tag: 3 } },
    };
    expect(chartImages(values)).toEqual(['nginx:1.25', 'busybox:1.36', `reg.example.org/team/api@sha256:${'b'.repeat(64)}`, 'x:3']);
  });

  it('stays bounded on deep or huge values', () => {
    let deep: Record<string, unknown> = { image: 'bottom:1' };
    for (let i = 0; i < 1000; i++) deep = { nested: deep };
    expect(chartImages(deep)).toEqual([]);
    const many = Array.from({ length: 5000 }, (_, i) => ({ image: `img${i}:1` }));
    expect(chartImages(many)).toHaveLength(1024);
  });
});
