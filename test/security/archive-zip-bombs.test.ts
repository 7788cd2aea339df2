/**
 * Zip bombs and friends against the archive walk (issue #16.3): ratio bombs (zip, gzip, tar.gz),
 * nested 42.zip-style trees, Fifield's overlapping-entry bomb and entries sharing one local
 * header. Each must end as a finding with only a bounded amount inflated: the walk stops
 * inflating at the limit, it never finishes a bomb.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { walkArchive } from '../../electron/core/inspect/archives/walk-archive.js';
import { RATIO_GRACE_BYTES } from '../../electron/core/inspect/archives/walk-context.js';
import { bufferSource, makeArchive, walk, WIDE_LIMITS, type ArchiveSpec } from '../helpers/archive-maker.js';

const MiB = 1024 * 1024;
const total = (seen: Array<{ bytes: number }>): number => seen.reduce((sum, s) => sum + s.bytes, 0);

describe('ratio bombs stop at the ratio, inflating no further', () => {
  const zeros = { zeros: 10 * MiB };
  const cases: Array<[string, ArchiveSpec, 'zip' | 'gzip']> = [
    ['zip', { kind: 'zip', members: [{ name: 'zeros.bin', data: zeros }] }, 'zip'],
    ['gzip', { kind: 'gzip', data: zeros, gzipName: 'zeros.bin' }, 'gzip'],
    ['tar.gz', { kind: 'tgz', members: [{ name: 'zeros.bin', data: zeros }] }, 'gzip'],
  ];
  for (const [name, spec, kind] of cases) {
    it(`${name}: 10 MiB of zeros with maxRatio 100 is ARCHIVE_LIMIT after at most ~100x its size`, async () => {
      const archive = makeArchive(spec);
      const { findings, seen } = await walk(archive, kind, { maxRatio: 100 });
      expect(findings.map((f) => [f.code, f.members])).toEqual([['ARCHIVE_LIMIT', []]]);
      expect(findings[0]?.detail).toContain('100 times');
      // Stopped near the limit: one zlib chunk past it at most, never the whole 10 MiB.
      expect(total(seen)).toBeLessThanOrEqual(Math.max(100 * archive.length, RATIO_GRACE_BYTES) + 64 * 1024);
      // With a ratio it does meet, the same archive is read whole.
      const wide = await walk(archive, kind, { maxRatio: 100_000 });
      expect(wide.findings).toEqual([]);
      expect(total(wide.seen)).toBe(10 * MiB);
    });
  }

  it('a ratio bomb nested inside a plain zip member is ARCHIVE_LIMIT naming the inner archive', async () => {
    const inner: ArchiveSpec = { kind: 'zip', members: [{ name: 'z', data: { zeros: 8 * MiB } }] };
    const outer = makeArchive({
      kind: 'tar',
      members: [
        { name: 'ok.txt', data: { text: 'fine' } },
        { name: 'bomb.zip', data: { archive: inner } },
      ],
    });
    const { findings, seen } = await walk(outer, 'tar', { maxRatio: 100 });
    expect(findings.map((f) => [f.code, f.members])).toEqual([['ARCHIVE_LIMIT', ['bomb.zip']]]);
    expect(total(seen)).toBeLessThan(2 * MiB);
  });
});

describe('42.zip-style trees stop at the tree budget', () => {
  it('16 x 16 x 1 MiB nested zips (256 MiB expanded) stop at maxExpandedBytes 16 MiB', async () => {
    const leaf: ArchiveSpec = { kind: 'zip', members: Array.from({ length: 16 }, (_, i) => ({ name: `${i}.bin`, data: { zeros: MiB } })) };
    const mid: ArchiveSpec = { kind: 'zip', members: Array.from({ length: 16 }, (_, i) => ({ name: `l${i}.zip`, data: { archive: leaf } })) };
    const top = makeArchive(mid);
    const { findings, seen } = await walk(top, 'zip', { maxRatio: 100_000, maxExpandedBytes: 16 * MiB });
    expect(findings.map((f) => f.code)).toEqual(['ARCHIVE_LIMIT']);
    expect(findings[0]?.detail).toContain('16777216 bytes');
    expect(total(seen)).toBeLessThanOrEqual(16 * MiB);
    // The default ratio alone stops it too, at the first leaf.
    // The default ratio alone stops each leaf (each is its own branch), none read whole.
    const byRatio = await walk(top, 'zip');
    expect(byRatio.findings.map((f) => [f.code, f.members])).toEqual(Array.from({ length: 16 }, (_, i) => ['ARCHIVE_LIMIT', [`l${i}.zip`]]));
    expect(total(byRatio.seen)).toBeLessThan(16 * 2 * MiB);
  });
});

describe('overlapping entries (the "better zip bomb") are refused before anything is inflated', () => {
  it('entries whose data covers the next local headers: ARCHIVE_UNREADABLE, nothing shown', async () => {
    const bomb = makeArchive({ kind: 'zip-overlap', size: 2 * MiB, count: 20 });
    const { findings, seen } = await walk(bomb, 'zip', { maxRatio: 100_000 });
    expect(findings.map((f) => [f.code, f.members])).toEqual([['ARCHIVE_UNREADABLE', []]]);
    expect(findings[0]?.detail).toContain('overlap');
    expect(seen).toEqual([]);
  });

  it('many entries sharing one local header: ARCHIVE_UNREADABLE, nothing shown', async () => {
    const bomb = makeArchive({ kind: 'zip-shared-header', size: MiB, count: 500 });
    const { findings, seen } = await walk(bomb, 'zip', { maxRatio: 100_000 });
    expect(findings.map((f) => [f.code, f.members])).toEqual([['ARCHIVE_UNREADABLE', []]]);
    expect(findings[0]?.detail).toContain('overlap');
    expect(seen).toEqual([]);
  });
});

describe('memory stays bounded while 1 GiB expands', () => {
  it('a gzip of 1 GiB of zeros streams through visit with a bounded buffer', { timeout: 300_000 }, async () => {
    const size = 1024 * MiB;
    const compressed: Buffer[] = [];
    const chunk = Buffer.alloc(MiB);
    async function* zeros(): AsyncGenerator<Buffer> {
      for (let i = 0; i < size / MiB; i += 1) yield chunk;
    }
    await pipeline(Readable.from(zeros()), createGzip({ level: 1 }), async (source: AsyncIterable<Buffer>) => {
      for await (const piece of source) compressed.push(piece);
    });
    const archive = Buffer.concat(compressed);

    let read = 0;
    let maxBuffered = 0;
    let maxMemory = 0;
    const before = process.memoryUsage();
    const findings = await walkArchive(bufferSource(archive), 'gzip', { ...WIDE_LIMITS, maxRatio: 100_000, maxExpandedBytes: 2 * size }, async ({ stream }) => {
      for await (const piece of stream as AsyncIterable<Buffer>) {
        read += piece.length;
        maxBuffered = Math.max(maxBuffered, stream.readableLength);
        if ((read & (64 * MiB - 1)) < piece.length) {
          const now = process.memoryUsage();
          maxMemory = Math.max(maxMemory, now.heapUsed + now.arrayBuffers - (before.heapUsed + before.arrayBuffers));
        }
      }
    });
    expect(findings).toEqual([]);
    expect(read).toBe(size);
    // Bytes waiting in the member stream never exceed a few chunks...
    expect(maxBuffered).toBeLessThanOrEqual(256 * 1024);
    // ...and the process does not grow with the expanded size (loose: garbage waits for the GC).
    expect(maxMemory).toBeLessThan(256 * MiB);
  });
});

describe('a central directory too large to hold', () => {
  it('entries with 64 KiB names past 32 MiB of names: ARCHIVE_LIMIT before anything is inflated', { timeout: 120_000 }, async () => {
    const members = Array.from({ length: 520 }, (_, i) => ({
      name: `${String(i).padStart(4, '0')}${'n'.repeat(65_000)}`,
      data: { text: 'x' },
      encrypted: false,
    }));
    const { findings, seen } = await walk(makeArchive({ kind: 'zip-encrypted', members }), 'zip');
    expect(findings.map((f) => [f.code, f.members])).toEqual([['ARCHIVE_LIMIT', []]]);
    expect(findings[0]?.detail).toContain('central directory');
    expect(seen).toEqual([]);
  });
});
