import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openpgpSigner } from '../../../../electron/core/crypto/bundle-signer.js';
import { DefaultLimitTally, TAG_FILE_ENTRIES } from '../../../../electron/core/export/default-limit-warnings.js';
import { writeBundle } from '../../../../electron/core/export/write-bundle.js';
import { DEFAULT_LIMITS } from '../../../../electron/core/policy/limits.js';
import { checkBundle } from '../../../../electron/core/verify/check-bundle.js';
import { makeSigner, type TestSigner } from '../../../helpers/hostile-tar.js';

let root: string;
let signer: TestSigner;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-default-limits-'));
  signer = await makeSigner('Limits');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const small = { maxEntries: 8, maxTotalBytes: 100, maxFileBytes: 40, maxManifestBytes: 1000 };

function tally(files: Array<[string, number]>, limits = small): { perFile: string[]; whole: string[] } {
  const t = new DefaultLimitTally(limits);
  const perFile = files.flatMap(([path, size]) => t.add(`/src/${path}`, `data/${path}`, size)?.message ?? []);
  return { perFile, whole: t.finish('/src').map((w) => w.message) };
}

describe('export warns of what the default receiving policy refuses', () => {
  it('counts the archive entries as verify does: files plus the five tag files', () => {
    expect(TAG_FILE_ENTRIES).toBe(5);
    expect(
      tally([
        ['a', 1],
        ['b', 1],
        ['c', 1],
      ]).whole,
    ).toEqual([]);
    const over = tally([
      ['a', 1],
      ['b', 1],
      ['c', 1],
      ['d', 1],
    ]).whole;
    expect(over).toHaveLength(1);
    expect(over[0]).toMatch(
      /9 archive entries \(4 files and 5 tag files\), over the default limit of 8: stations with the default policy will refuse the bundle\. Split the selection into bundles of at most 3 files/u,
    );
  });

  it('warns of a file over the per-file limit, a payload over the total and a manifest over its size', () => {
    const { perFile, whole } = tally([
      ['big', 41],
      ['x'.repeat(1000), 60],
    ]);
    expect(perFile).toEqual([
      '41 bytes, over the default limit of 40 bytes a file: stations with the default policy will refuse the bundle',
      '60 bytes, over the default limit of 40 bytes a file: stations with the default policy will refuse the bundle',
    ]);
    expect(whole.some((m) => m.startsWith('the payload is 101 bytes, over the default limit of 100 bytes a bundle'))).toBe(true);
    expect(whole.some((m) => m.startsWith('the manifest will be about'))).toBe(true);
  });

  it('is silent at the real defaults for an ordinary selection', () => {
    expect(
      tally(
        [
          ['a.txt', 10],
          ['b/c.pdf', 2 ** 30],
        ],
        DEFAULT_LIMITS,
      ),
    ).toEqual({ perFile: [], whole: [] });
  });

  it('the warning and verify agree at the edge: verify with the same limit refuses exactly what the tally warns of', async () => {
    for (const count of [3, 4]) {
      const src = join(root, `src-${count}`);
      await mkdir(src, { recursive: true });
      for (let i = 0; i < count; i += 1) await writeFile(join(src, `f${i}`), 'x');
      const out = join(root, `out-${count}`);
      await mkdir(out);
      const result = await writeBundle({
        selection: [src],
        outDir: out,
        name: 'edge',
        sequence: 1,
        identity: { station: 'st', operator: 'op', organization: 'Org' },
        signers: [openpgpSigner(signer.privateKey)],
      });
      const warned = tally(Array.from({ length: count }, (_, i) => [`f${i}`, 1] as [string, number])).whole.length > 0;
      const check = await checkBundle({
        bundlePath: result.bundlePath,
        trusted: [signer.trusted],
        limits: { ...DEFAULT_LIMITS, maxEntries: small.maxEntries },
      });
      const refused = check.problems.some((p) => p.code === 'LIMIT_EXCEEDED');
      expect({ count, refused }).toEqual({ count, refused: warned });
    }
  });
});
