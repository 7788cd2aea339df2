/**
 * One reading of every archive (issue #12): a seeded grammar of tar archives (honest ones, and
 * the header tricks tar readers disagree on) is read by GNU tar, Python's tarfile and Airlock's
 * reader (TarGuard + node-tar). Wherever any two readings differ in the set of (path, type,
 * size, sha256), Airlock must have refused the archive; honest archives (Airlock's own writer,
 * GNU tar's formats) must be accepted. Airlock's reading must not depend on how the bytes are
 * chunked.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateArchives, type GeneratedArchive } from '../helpers/tar-grammar.js';
import { airlockReading, describeReading, gnuTarReading, NO_VERDICT, pythonReadings, sameReading, type Reading } from '../helpers/tar-readers.js';

const SEED = 20261202;
const COUNT = 300;

interface Compared {
  archive: GeneratedArchive;
  gnu: Reading;
  python: Reading;
  airlock: Reading;
  airlockSmallChunks: Reading;
}

let dir: string;
const compared: Compared[] = [];

/** Archives GNU tar itself writes in its three formats, with long names and directories. */
async function gnuTarMade(): Promise<GeneratedArchive[]> {
  const tree = join(dir, 'tree');
  const deep = join(tree, 'b', 'data', 'd'.repeat(60), 'e'.repeat(60));
  await mkdir(deep, { recursive: true });
  await writeFile(join(tree, 'b', 'bagit.txt'), 'BagIt-Version: 1.0\n');
  await writeFile(join(deep, `${'f'.repeat(120)}.txt`), Buffer.alloc(3000, 7));
  await writeFile(join(tree, 'b', 'data', 'caf\u00e9 \u00fcml.txt'), 'non-ascii');
  const made: GeneratedArchive[] = [];
  for (const format of ['gnu', 'pax', 'ustar', 'posix']) {
    const out = join(dir, `gnu-${format}.tar`);
    try {
      execFileSync('tar', ['--create', `--format=${format}`, '--file', out, '-C', tree, 'b'], { stdio: 'pipe' });
    } catch {
      continue; // ustar cannot hold the 120-byte leaf name: GNU tar refuses to write it
    }
    const { readFileSync } = await import('node:fs');
    made.push({ label: `GNU tar --format=${format}`, bytes: readFileSync(out), honest: true });
  }
  return made;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-tar-diff-'));
  const archives = [...(await gnuTarMade()), ...generateArchives(SEED, COUNT)];
  const paths = archives.map((_a, i) => join(dir, `a${i}.tar`));
  await Promise.all(archives.map((a, i) => writeFile(paths[i] as string, a.bytes)));
  const python = await pythonReadings(paths);
  for (let i = 0; i < archives.length; i += 4) {
    const batch = archives.slice(i, i + 4).map(async (archive, j) => {
      const path = paths[i + j] as string;
      const [gnu, airlock, airlockSmallChunks] = await Promise.all([
        gnuTarReading(path),
        airlockReading(path),
        airlockReading(path, [1, 511, 7, 1024, 513, 4096]),
      ]);
      return { archive, gnu, python: python.get(path) ?? { error: 'no Python reading' }, airlock, airlockSmallChunks };
    });
    compared.push(...(await Promise.all(batch)));
  }
}, 240_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function report(c: Compared): string {
  return `${c.archive.label}\n  GNU tar: ${describeReading(c.gnu)}\n  Python:  ${describeReading(c.python)}\n  Airlock: ${describeReading(c.airlock)}`;
}

describe('tar differential: GNU tar, Python tarfile and Airlock read every archive alike, or Airlock refuses it', () => {
  it('wherever two readers disagree, Airlock refused the archive', () => {
    const accepted = compared.filter((c) => !('error' in c.airlock));
    const disagreements = accepted.filter((c) => !sameReading(c.gnu, c.python) || !sameReading(c.gnu, c.airlock));
    expect(disagreements.map(report)).toEqual([]);
  });

  it("accepts every honest archive: Airlock's own writer (long, non-ASCII and CR/LF names, pax size before a GNU long name) and GNU tar's formats", () => {
    const refused = compared.filter((c) => c.archive.honest && 'error' in c.airlock);
    expect(refused.map(report)).toEqual([]);
  });

  it('gives every archive a verdict: no reading hangs, whatever the chunking', () => {
    const hung = compared.filter((c) => [c.airlock, c.airlockSmallChunks].some((r) => 'error' in r && r.error.startsWith(NO_VERDICT)));
    expect(hung.map((c) => c.archive.label)).toEqual([]);
  });

  it('reads the same whatever the chunking of the byte stream', () => {
    const differ = compared.filter((c) => !sameReading(c.airlock, c.airlockSmallChunks));
    expect(differ.map((c) => `${report(c)}\n  Airlock, small chunks: ${describeReading(c.airlockSmallChunks)}`)).toEqual([]);
  });

  it('is not vacuous: hundreds of archives, both accepted and refused, and real disagreements among the refused', () => {
    expect(compared.length).toBeGreaterThanOrEqual(COUNT);
    const accepted = compared.filter((c) => !('error' in c.airlock)).length;
    expect(accepted).toBeGreaterThan(COUNT / 4);
    expect(compared.length - accepted).toBeGreaterThan(COUNT / 4);
    const contested = compared.filter((c) => !sameReading(c.gnu, c.python)).length;
    expect(contested).toBeGreaterThan(10);
  });
});
