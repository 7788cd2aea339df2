/**
 * Issue #16.2, bounded cost of looking inside Office containers: a compound file or a package
 * is hostile input that claims its own sizes. Whatever it claims (a directory chain through
 * every sector, a FAT or DIFAT that loops, counts near 2^32, tens of thousands of parts), the
 * macro check reads a bounded number of bytes and ends with an answer, and a damaged container
 * is never `none`. Bytes read are counted, not timed.
 */
import { describe, expect, it } from 'vitest';
import type { ByteSource } from '../../electron/core/inspect/contract.js';
import { bufferSource } from '../../electron/core/inspect/types/buffer-source.js';
import { MAX_DIRECTORY_SECTORS } from '../../electron/core/inspect/types/compound-file.js';
import { officeMacros, MAX_BYTES_READ } from '../../electron/core/inspect/types/office-macros.js';
import { MAX_PACKAGE_PARTS } from '../../electron/core/inspect/types/zip-parts.js';
import * as corpus from '../helpers/type-corpus.js';

const SECTOR = 512;
const compoundFile = corpus.sparseCompoundFile;

/** A source counting the bytes handed out by read() and stream(). */
function counted(bytes: Buffer): ByteSource & { bytesRead: () => number } {
  const inner = bufferSource(bytes);
  let total = 0;
  return {
    size: inner.size,
    bytesRead: () => total,
    read: async (position, length, signal) => {
      const b = await inner.read(position, length, signal);
      total += b.length;
      return b;
    },
    stream: (start, end) => {
      const s = inner.stream(start, end);
      s.on('data', (chunk: Buffer) => (total += chunk.length));
      return s;
    },
  };
}

describe('compound files: bounded whatever they claim', () => {
  it('finds VBA in a directory that lies past the 109 FAT sectors of the header (through the DIFAT)', async () => {
    const sectors = 14_200;
    const source = counted(compoundFile(sectors, [sectors - 1], ['VBA']));
    expect(await officeMacros(source)).toMatchObject({ kind: 'found' });
    // Header, one DIFAT sector, one FAT sector, one directory sector: a few KiB of a 7 MB file.
    expect(source.bytesRead()).toBeLessThan(8 * SECTOR);
  });

  it('stops a directory chain through every sector at the cap: unreadable, bounded reads', async () => {
    const sectors = 12_000;
    const chain = Array.from({ length: sectors - 100 }, (_, i) => 100 + i);
    const source = counted(compoundFile(sectors, chain, ['WordDocument']));
    expect(await officeMacros(source)).toMatchObject({ kind: 'unreadable' });
    expect(source.bytesRead()).toBeLessThan((MAX_DIRECTORY_SECTORS + 200) * SECTOR);
  });

  it.each([
    ['a chain that loops back', (_h: Buffer, fat: (s: number, n: number) => void) => fat(201, 200)],
    ['a chain into a sector past the end', (_h: Buffer, fat: (s: number, n: number) => void) => fat(201, 0xfffffff0)],
    ['a FAT sector count near 2^32', (h: Buffer) => h.writeUInt32LE(0xfffffff0, 0x2c)],
    ['a first directory sector past the end', (h: Buffer) => h.writeUInt32LE(5_000_000, 0x30)],
    ['a header FAT entry past the end', (h: Buffer) => h.writeUInt32LE(9_999_999, 0x4c + 1 * 4)],
    ['version 4 with 512-byte sectors', (h: Buffer) => h.writeUInt16LE(4, 0x1a)],
  ])('refuses %s as unreadable after a bounded read', async (_what, patch) => {
    const source = counted(compoundFile(300, [200, 201, 202], ['WordDocument'], patch));
    expect(await officeMacros(source)).toMatchObject({ kind: 'unreadable' });
    expect(source.bytesRead()).toBeLessThan(16 * SECTOR);
  });

  it('a DIFAT chain that loops on itself is unreadable', async () => {
    const sectors = 14_200;
    const file = compoundFile(sectors, [sectors - 1], ['VBA']);
    const fatSectors = Math.ceil(sectors / 128);
    file.writeUInt32LE(fatSectors, (fatSectors + 1) * SECTOR + 508); // the DIFAT sector points at itself
    file.writeUInt32LE(fatSectors + 1000, (fatSectors + 1) * SECTOR + (110 - 109) * 4); // and lacks the entry asked for
    file.writeUInt32LE(5, 0x48); // while the header claims more DIFAT sectors than there are
    expect(await officeMacros(counted(file))).toMatchObject({ kind: 'unreadable' });
  });

  it('random damage to a compound file ends in an answer within the bound, never an exception', async () => {
    const original = corpus.ole({ fillerSectors: 12, entries: Array.from({ length: 9 }, (_, i) => ({ name: `S${i}`, type: 2 as const })) });
    let x = 42;
    const random = (n: number): number => {
      x = (x * 1103515245 + 12345) >>> 0;
      return x % n;
    };
    for (let round = 0; round < 400; round++) {
      const damaged = Buffer.from(original);
      for (let k = 0; k < 1 + random(6); k++) damaged.writeUInt32LE(random(2) === 0 ? random(0x100000000) : random(64), random(damaged.length - 4));
      const source = counted(damaged);
      const result = await officeMacros(source);
      expect(['none', 'found', 'unreadable']).toContain(result.kind);
      expect(source.bytesRead()).toBeLessThanOrEqual((MAX_DIRECTORY_SECTORS + 64 + 4) * 4096);
    }
  });
});

describe('packages: bounded whatever they claim', () => {
  it(`a package listing more than ${MAX_PACKAGE_PARTS} parts is unreadable without reading them`, async () => {
    const parts = Array.from({ length: MAX_PACKAGE_PARTS + 1 }, (_, i) => ({ name: `p/${i}`, data: '', deflate: false }));
    const bytes = corpus.zip([{ name: '[Content_Types].xml', data: corpus.contentTypes(corpus.DOCX_MAIN) }, ...parts]);
    const source = counted(bytes);
    expect(await officeMacros(source)).toMatchObject({ kind: 'unreadable' });
    expect(source.bytesRead()).toBeLessThan(200_000);
  });

  it('an entry count in the end record that lies is unreadable, not a short clean listing', async () => {
    const bytes = Buffer.from(corpus.ooxml({ macros: true }));
    const end = bytes.length - 22;
    bytes.writeUInt16LE(60_000, end + 8);
    bytes.writeUInt16LE(60_000, end + 10);
    expect(await officeMacros(counted(bytes))).toMatchObject({ kind: 'unreadable' });
  });

  it('the bytes inflated for one document stay within the budget however many large parts it lists', async () => {
    const rels = Array.from({ length: 80 }, (_, i) => ({ name: `word/_rels/p${i}.xml.rels`, data: ' '.repeat(1_000_000) }));
    const source = counted(corpus.zip([{ name: '[Content_Types].xml', data: corpus.contentTypes(corpus.DOCX_MAIN) }, ...rels]));
    expect(await officeMacros(source)).toMatchObject({ kind: 'unreadable' });
    expect(source.bytesRead()).toBeLessThan(MAX_BYTES_READ);
  });

  it('random damage to a package ends in an answer, never an exception', async () => {
    const original = corpus.ooxml({ macros: true, parts: [{ name: 'word/embeddings/oleObject1.bin', data: corpus.ole() }] });
    let x = 7;
    const random = (n: number): number => {
      x = (x * 1103515245 + 12345) >>> 0;
      return x % n;
    };
    for (let round = 0; round < 300; round++) {
      const damaged = Buffer.from(original);
      for (let k = 0; k < 1 + random(4); k++) damaged[random(damaged.length)] = random(256);
      const result = await officeMacros(counted(damaged));
      expect(['none', 'found', 'unreadable']).toContain(result.kind);
    }
  });
});
