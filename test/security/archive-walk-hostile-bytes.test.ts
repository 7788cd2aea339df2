/**
 * Hostile bytes never crash, hang or slip through the archive walk (issue #16.3): seeded random
 * damage (flipped bytes, cuts, spliced blocks) to honest zip, tar, tar.gz and nested archives.
 * Every walk must end in time with findings or a clean reading, never a rejection, and whatever
 * it shows is bytes it read.
 */
import { describe, expect, it } from 'vitest';
import { makeArchive, walk, type ArchiveSpec } from '../helpers/archive-maker.js';
import { seededRandom } from '../helpers/seeded-random.js';

const SEED = 1603;
const CASES_PER_BASE = 40;

const BASES: Array<{ label: string; spec: ArchiveSpec; kind: 'zip' | 'tar' | 'gzip' }> = [
  {
    label: 'zip',
    kind: 'zip',
    spec: {
      kind: 'zip',
      members: [
        { name: 'a.txt', data: { text: 'alpha '.repeat(50) } },
        { name: 'b.bin', compress: 'stored', data: { random: 3000, seed: 5 } },
        { name: 'c/d.txt', data: { zeros: 20_000 } },
      ],
    },
  },
  {
    label: 'tar',
    kind: 'tar',
    spec: {
      kind: 'tar',
      format: 'pax',
      members: [
        { name: 'x'.repeat(120), data: { random: 1500 } },
        { name: 'y', data: { text: 'y' } },
      ],
    },
  },
  {
    label: 'tar.gz',
    kind: 'gzip',
    spec: {
      kind: 'tgz',
      members: [
        { name: 'a', data: { random: 5000 } },
        { name: 'b', data: { zeros: 40_000 } },
      ],
    },
  },
  {
    label: 'zip in tar.gz',
    kind: 'gzip',
    spec: { kind: 'tgz', members: [{ name: 'in.zip', data: { archive: { kind: 'zip', members: [{ name: 'deep.txt', data: { text: 'deep' } }] } } }] },
  },
];

function damage(bytes: Buffer, rand: () => number): Buffer {
  const out = Buffer.from(bytes);
  const how = Math.floor(rand() * 3);
  if (how === 0) {
    for (let i = 0, n = 1 + Math.floor(rand() * 6); i < n; i += 1) out[Math.floor(rand() * out.length)] = Math.floor(rand() * 256);
    return out;
  }
  if (how === 1) return out.subarray(0, Math.floor(rand() * out.length));
  const from = Math.floor(rand() * out.length);
  const to = Math.floor(rand() * out.length);
  const length = Math.min(512, out.length - Math.max(from, to));
  out.copy(out, to, from, from + length);
  return out;
}

describe('damaged archives', () => {
  for (const base of BASES) {
    it(`${base.label}: ${CASES_PER_BASE} damaged copies each end in a reading or findings`, { timeout: 120_000 }, async () => {
      const honest = makeArchive(base.spec);
      const rand = seededRandom(SEED + base.label.length);
      const failures: string[] = [];
      for (let n = 0; n < CASES_PER_BASE; n += 1) {
        const bytes = damage(honest, rand);
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<string>((resolve) => {
          timer = setTimeout(() => resolve('no verdict in 20 s'), 20_000);
        });
        const outcome = await Promise.race([
          walk(bytes, base.kind).then(
            ({ findings, seen }) => {
              const codes = new Set(findings.map((f) => f.code));
              if ([...codes].some((c) => !['ARCHIVE_LIMIT', 'ARCHIVE_UNREADABLE', 'ARCHIVE_ENCRYPTED'].includes(c))) return `odd codes ${[...codes].join(',')}`;
              if (seen.some((s) => s.bytes > 100_000)) return 'showed more bytes than the archive can hold';
              return null;
            },
            (error: unknown) => `rejected: ${String(error)}`,
          ),
          late,
        ]);
        clearTimeout(timer);
        if (outcome !== null) failures.push(`#${n}: ${outcome}`);
      }
      expect(failures).toEqual([]);
    });
  }
});

describe('empty and tiny inputs', () => {
  for (const [kind, bytes] of [
    ['zip', Buffer.alloc(0)],
    ['tar', Buffer.alloc(0)],
    ['gzip', Buffer.alloc(0)],
    ['zip', Buffer.from('PK\u0003\u0004')],
    ['tar', Buffer.alloc(1024)],
    ['gzip', Buffer.from([0x1f, 0x8b])],
  ] as const) {
    it(`${kind} of ${bytes.length} bytes is ARCHIVE_UNREADABLE`, async () => {
      const { findings, seen } = await walk(bytes, kind);
      expect(findings.map((f) => f.code)).toEqual(['ARCHIVE_UNREADABLE']);
      expect(seen).toEqual([]);
    });
  }
});
