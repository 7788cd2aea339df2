/**
 * Export and import share one collision rule (path-rules collisionKey through EntryRegistry):
 * a pair of names the importer refuses as DUPLICATE_ENTRY is a pair the exporter refuses to
 * put in a bundle (SOURCE_NAME_CONFLICT), so Airlock never writes a bundle it would refuse.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanSources } from '../../../../electron/core/export/source-scan.js';
import { DEFAULT_LIMITS } from '../../../../electron/core/policy/limits.js';
import { readPayloadManifest } from '../../../../electron/core/verify/tag-checks.js';
import { formatManifest } from '../../../../electron/core/bundle/manifest.js';

let root: string;
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-scan-collisions-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** What the exporter says about a folder holding these names, and what the importer says about a manifest listing them. */
async function bothSides(names: readonly string[]): Promise<{ exporter: string; importer: string }> {
  n += 1;
  const dir = join(root, `sel${n}`, 'folder');
  await mkdir(dir, { recursive: true });
  for (const name of names) await writeFile(join(dir, name), name);
  const exporter = await scanSources([dir]).then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? 'error',
  );
  const manifest = formatManifest(names.map((name) => ({ path: `data/folder/${name}`, sha256: '0'.repeat(64) })));
  const read = readPayloadManifest(Buffer.from(manifest), DEFAULT_LIMITS);
  return { exporter, importer: 'problem' in read ? read.problem.code : 'ok' };
}

describe('the exporter refuses exactly the name pairs the importer refuses', () => {
  it.each([
    ['capital sharp s and ss', '\u1E9E.txt', 'ss.txt'],
    ['sharp s and SS', '\u00DF.txt', 'SS.txt'],
    ['fi ligature and FI', '\uFB01.txt', 'FI.txt'],
    ['Kelvin sign and k', '\u212A.txt', 'k.txt'],
    ['final sigma and capital sigma', '\u03C2.txt', '\u03A3.txt'],
    ['NFD and NFC e-acute', 'cafe\u0301.txt', 'caf\u00E9.txt'],
    ['plain case', 'Readme.TXT', 'README.txt'],
  ])('%s: both refuse', async (_label, a, b) => {
    expect(await bothSides([a, b])).toEqual({ exporter: 'SOURCE_NAME_CONFLICT', importer: 'DUPLICATE_ENTRY' });
  });
  it('names no file system folds together: both accept', async () => {
    expect(await bothSides(['a.txt', 'b.txt', '\uFF21.txt', 'A\u0308.txt'])).toEqual({ exporter: 'ok', importer: 'ok' });
  });
});
