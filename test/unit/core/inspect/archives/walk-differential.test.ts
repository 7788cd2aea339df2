/**
 * Differential (issue #16.3): for seeded random archives written by Python's zipfile, tarfile and
 * gzip, the members and sizes the walk reports, in order, are Python's own listing of them, and
 * each member's bytes are exactly its declared size.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeArchive, pythonListing, walk, type ArchiveSpec, type MemberSpec } from '../../../../helpers/archive-maker.js';
import { seededRandom } from '../../../../helpers/seeded-random.js';

const SEED = 163;
const PER_KIND = 8;
const SEGMENTS = ['a', 'docs', 'Q3 report', 'caf\u00e9', '\u65e5\u672c', 'x'.repeat(40), 'dir.with.dots', '-dash', 'UPPER'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-walk-diff-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function randomMembers(rand: () => number, maxName: number): MemberSpec[] {
  const count = 1 + Math.floor(rand() * 12);
  const members: MemberSpec[] = [];
  for (let i = 0; i < count; i += 1) {
    const depth = 1 + Math.floor(rand() * 3);
    let name = Array.from({ length: depth }, () => SEGMENTS[Math.floor(rand() * SEGMENTS.length)] as string).join('/');
    name = `${name.slice(0, maxName - 8)}-${i}.bin`;
    const size = [0, 1, 511, 512, 513, 4096, 70_000][Math.floor(rand() * 7)] as number;
    const data = rand() < 0.5 ? { random: size, seed: Math.floor(rand() * 1e6) } : { zeros: size };
    if (rand() < 0.15) members.push({ name: `folder${i}`, type: 'dir' });
    members.push({ name, data, compress: rand() < 0.5 ? 'stored' : 'deflated' });
  }
  return members;
}

function randomArchives(): Array<{ label: string; spec: ArchiveSpec; kind: 'zip' | 'tar' | 'gzip' }> {
  const rand = seededRandom(SEED);
  const out: Array<{ label: string; spec: ArchiveSpec; kind: 'zip' | 'tar' | 'gzip' }> = [];
  for (let i = 0; i < PER_KIND; i += 1) {
    out.push({ label: `zip #${i}`, kind: 'zip', spec: { kind: 'zip', zip64: rand() < 0.3, members: randomMembers(rand, 200) } });
    const format = (['pax', 'gnu', 'ustar'] as const)[i % 3] as 'pax' | 'gnu' | 'ustar';
    const maxName = format === 'ustar' ? 90 : 200;
    out.push({ label: `tar ${format} #${i}`, kind: 'tar', spec: { kind: 'tar', format, members: randomMembers(rand, maxName) } });
    out.push({ label: `tar.gz ${format} #${i}`, kind: 'gzip', spec: { kind: 'tgz', format, members: randomMembers(rand, maxName) } });
  }
  return out;
}

describe('the walk lists what Python lists', () => {
  for (const { label, spec, kind } of randomArchives()) {
    it(label, async () => {
      const archive = makeArchive(spec);
      const python = pythonListing(archive, dir);
      const { findings, seen } = await walk(archive, kind, { maxDepth: 1, maxRatio: 100_000 });
      expect(findings).toEqual([]);
      expect(seen.map((s) => ({ name: s.members.join(' > '), size: s.size }))).toEqual(python);
      expect(seen.map((s) => s.bytes)).toEqual(python.map((p) => p.size));
    });
  }
});
