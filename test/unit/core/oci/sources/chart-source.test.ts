/**
 * `--chart FILE.tgz` given a hostile chart (a download nobody checked): readChart must refuse it
 * with a code, at a bounded cost, before any blob is written, or read it honestly. Hazards:
 * entity expansion in Chart.yaml or values.yaml (billion laughs: aliases of aliases), a Chart.yaml
 * above the size bound, a second Chart.yaml, a name or version that cannot be a repository or tag,
 * a document that is not a map, and archive entries that climb out (`..`, an absolute path) or
 * are links and devices. The honest control reads name, version and the images of the values.
 */
import { gzipSync } from 'node:zlib';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AirlockError } from '../../../../../electron/core/errors.js';
import { readChart } from '../../../../../electron/core/oci/sources/chart-source.js';
import { ImageWorkDir } from '../../../../../electron/core/oci/sources/work-dir.js';
import { tarOf, type RawEntry } from '../../../../helpers/hostile-tar.js';

let root: string;
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-chart-hostile-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const CHART_YAML = 'apiVersion: v2\nname: mychart\nversion: 0.1.0\n';

/** Aliases of aliases: `levels` levels of `fan` references each (fan^levels leaves once expanded). */
function billionLaughs(levels: number, fan: number, key: string): string {
  const lines = [`${key}:`, '  l0: &l0 "lol"'];
  for (let i = 1; i <= levels; i += 1) lines.push(`  l${i}: &l${i} [${Array.from({ length: fan }, () => `*l${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

async function chartFile(entries: RawEntry[]): Promise<string> {
  n += 1;
  const file = join(root, `chart-${n}.tgz`);
  await writeFile(file, gzipSync(tarOf(entries)));
  return file;
}

/** readChart's outcome: the AirlockError's code, or what it read; and whether its work folder holds any blob. */
async function read(
  entries: RawEntry[],
): Promise<{ code: string | null; message: string; repository?: string; tag?: string | null; images?: string[] | undefined; blobs: number }> {
  const work = await ImageWorkDir.create(join(root, 'work'));
  const file = await chartFile(entries);
  try {
    const resolved = await readChart(file, work);
    return { code: null, message: '', repository: resolved.entry.repository, tag: resolved.entry.tag, images: resolved.entry.chartImages, blobs: -1 };
  } catch (error) {
    if (!(error instanceof AirlockError)) throw error;
    const blobs = (await readdir(join(work.dir, 'blobs', 'sha256'))).length;
    return { code: error.code, message: error.message, blobs };
  } finally {
    await work.remove();
  }
}

describe('readChart given a hostile chart: refused with a code, bounded, no blob written', () => {
  it.each([
    ['Chart.yaml with nine levels of ten aliases (billion laughs)', [{ path: 'c/Chart.yaml', body: CHART_YAML + billionLaughs(9, 10, 'annotations') }]],
    [
      'values.yaml with nine levels of ten aliases (billion laughs)',
      [
        { path: 'c/Chart.yaml', body: CHART_YAML },
        { path: 'c/values.yaml', body: billionLaughs(9, 10, 'image') },
      ],
    ],
    ['Chart.yaml above 1 MiB', [{ path: 'c/Chart.yaml', body: CHART_YAML + `description: "${'x'.repeat(1024 * 1024)}"\n` }]],
    [
      'Chart.yaml twice',
      [
        { path: 'c/Chart.yaml', body: CHART_YAML },
        { path: 'c/Chart.yaml', body: 'apiVersion: v2\nname: other\nversion: 9.9.9\n' },
      ],
    ],
    ['Chart.yaml that is a list, not a map', [{ path: 'c/Chart.yaml', body: '- name: mychart\n- version: 0.1.0\n' }]],
    ['Chart.yaml whose version is no tag', [{ path: 'c/Chart.yaml', body: 'apiVersion: v2\nname: mychart\nversion: "a b/c"\n' }]],
    ['Chart.yaml that is not YAML', [{ path: 'c/Chart.yaml', body: 'name: [unclosed\n' }]],
    [
      'an entry that climbs out (..)',
      [
        { path: 'c/Chart.yaml', body: CHART_YAML },
        { path: 'c/../../evil.txt', body: 'x' },
      ],
    ],
    [
      'an absolute entry',
      [
        { path: 'c/Chart.yaml', body: CHART_YAML },
        { path: '/etc/evil.txt', body: 'x' },
      ],
    ],
    [
      'a symbolic link out of the chart',
      [
        { path: 'c/Chart.yaml', body: CHART_YAML },
        { path: 'c/templates/x.yaml', type: 'SymbolicLink', linkpath: '/etc/passwd' },
      ],
    ],
    [
      'a hard link',
      [
        { path: 'c/Chart.yaml', body: CHART_YAML },
        { path: 'c/values.yaml', type: 'Link', linkpath: 'c/Chart.yaml' },
      ],
    ],
    [
      'a device',
      [
        { path: 'c/Chart.yaml', body: CHART_YAML },
        { path: 'c/dev', type: 'CharacterDevice' },
      ],
    ],
  ] as Array<[string, RawEntry[]]>)('%s', async (_label, entries) => {
    const outcome = await read(entries);
    expect(outcome.code).toMatch(/^IMAGE_SOURCE_(CORRUPT|INVALID)$/u);
    expect(outcome.blobs).toBe(0);
  });
});

describe('readChart given an honest chart', () => {
  it('reads name, version and the images its values name; aliases within the bound are fine', async () => {
    const outcome = await read([
      { path: 'c/Chart.yaml', body: CHART_YAML },
      { path: 'c/values.yaml', body: 'base: &base { repository: nginx, tag: "1.25" }\nweb: *base\nworker:\n  image: busybox:1.36\n' },
      { path: 'c/charts/dep/Chart.yaml', body: 'apiVersion: v2\nname: dep\nversion: 1.0.0\n' },
    ]);
    expect(outcome).toMatchObject({ code: null, repository: 'mychart', tag: '0.1.0', images: ['nginx:1.25', 'busybox:1.36'] });
  });

  it('a name that climbs (../../etc) or carries controls becomes a repository in distribution grammar: nothing of the traversal survives', async () => {
    expect(await read([{ path: 'c/Chart.yaml', body: 'apiVersion: v2\nname: ../../etc\nversion: 0.1.0\n' }])).toMatchObject({ code: null, repository: 'etc' });
    expect(await read([{ path: 'c/Chart.yaml', body: 'apiVersion: v2\nname: "a\\u001b[31m/..\\u202eb"\nversion: 0.1.0\n' }])).toMatchObject({
      code: null,
      repository: 'a-31m/b',
    });
  });
});
