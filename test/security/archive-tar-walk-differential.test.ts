/**
 * Nothing hides from the archive walk in a tar (issue #16.3). A seeded grammar of tar archives
 * (honest ones and the header tricks tar readers disagree on: test/helpers/tar-grammar.ts) is
 * read by GNU tar, Python's tarfile and the walk. Wherever the walk reports no finding, every
 * regular file GNU tar or Python would extract must be one the walk showed to `visit`, byte for
 * byte: an archive readers disagree on is ARCHIVE_UNREADABLE, never a clean pass over part of it.
 * The walk may show more than a reader that stops early (Python ends at a lone zero block or a
 * garbled header, node-tar reads on): more inspected hides nothing. The walk's reading must not
 * depend on how the bytes are chunked.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walk } from '../helpers/archive-maker.js';
import { generateArchives, type GeneratedArchive } from '../helpers/tar-grammar.js';
import { gnuTarReading, pythonReadings, type Reading } from '../helpers/tar-readers.js';

const SEED = 16_003;
const COUNT = 160;

interface Row {
  archive: GeneratedArchive;
  gnu: Reading;
  python: Reading;
  walked: Array<{ findings: string[]; files: string[] }>;
}

let dir: string;
const rows: Row[] = [];

const fileDigests = (reading: Reading): string[] | null =>
  'error' in reading
    ? null
    : reading.entries
        .filter((e) => e.type === 'file')
        .map((e) => `${e.size}:${e.sha256 ?? ''}`)
        .sort();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-archive-walk-diff-'));
  const archives = generateArchives(SEED, COUNT);
  const paths = archives.map((_a, i) => join(dir, `a${i}.tar`));
  await Promise.all(archives.map((a, i) => writeFile(paths[i] as string, a.bytes)));
  const python = await pythonReadings(paths);
  for (let i = 0; i < archives.length; i += 1) {
    const archive = archives[i] as GeneratedArchive;
    const walked = [];
    for (const chunkSize of [16 * 1024, 1, 513]) {
      const { findings, seen } = await walk(archive.bytes, 'tar', { maxDepth: 1 }, { chunkSize });
      walked.push({ findings: findings.map((f) => `${f.code} ${f.detail}`), files: seen.map((s) => `${s.bytes}:${s.sha256}`).sort() });
    }
    rows.push({ archive, gnu: await gnuTarReading(paths[i] as string), python: python.get(paths[i] as string) ?? { error: 'no reading' }, walked });
  }
}, 600_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the archive walk over the tar grammar', () => {
  it('reads every archive alike however its bytes are chunked', () => {
    const differ = rows.filter(
      (r) => JSON.stringify(r.walked[0]) !== JSON.stringify(r.walked[1]) || JSON.stringify(r.walked[0]) !== JSON.stringify(r.walked[2]),
    );
    expect(differ.map((r) => r.archive.label)).toEqual([]);
  });

  it('passes clean only archives whose every extracted file it showed to visit', () => {
    const hidden: string[] = [];
    for (const row of rows) {
      const walked = row.walked[0] as { findings: string[]; files: string[] };
      if (walked.findings.length > 0) continue;
      for (const [reader, reading] of [
        ['GNU tar', row.gnu],
        ['Python', row.python],
      ] as const) {
        const theirs = fileDigests(reading);
        const shown = [...walked.files];
        const missed = (theirs ?? []).filter((file) => {
          const at = shown.indexOf(file);
          if (at >= 0) shown.splice(at, 1);
          return at < 0;
        });
        if (missed.length > 0) hidden.push(`${row.archive.label}: ${reader} extracts ${missed.join(', ')}, which the walk did not show`);
      }
    }
    expect(hidden).toEqual([]);
  });

  it('passes the honest archives clean', () => {
    // Known and fail-closed: node-tar applies a pax header's size to a GNU long-name header that
    // follows it and then misreads the archive; the walk says ARCHIVE_UNREADABLE (docs/inspection-archives.md).
    const nodeTarMisreads = (label: string): boolean => label.includes('pax-size-then-longname');
    const refused = rows.filter((r) => r.archive.honest && !nodeTarMisreads(r.archive.label) && (r.walked[0]?.findings.length ?? 0) > 0);
    expect(refused.map((r) => `${r.archive.label}: ${r.walked[0]?.findings.join('; ') ?? ''}`)).toEqual([]);
    expect(rows.filter((r) => r.archive.honest).length).toBeGreaterThan(20);
  });
});
