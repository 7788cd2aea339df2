/**
 * readTarEntries past its `headersByGuard` switch (guard-entries.ts) against node-tar's reading of
 * the same bytes: the grammar's archives (honest and hostile), cut short at every kind of edge, in
 * chunks of odd sizes, switched at the start or part-way. What a consumer sees must be the same:
 * the entries, their kind, size, data offset and bytes, which entry's read fails, and the refusal.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BlockEntry } from '../../../../electron/core/bundle/guard-entries.js';
import { entryDataOffset, entryKind, readTarEntries } from '../../../../electron/core/bundle/tar-entries.js';
import { END_OF_ARCHIVE } from '../../../../electron/core/bundle/tar-header.js';
import { generateArchives, header, octal, withData } from '../../../helpers/tar-grammar.js';

interface Seen {
  entries: string[];
  error: string | null;
  byGuard: number;
}

/** What a consumer sees; `skip` leaves every third entry unread (readTarEntries drains it). */
async function read(bytes: Buffer, chunk: number, switchAfter: number | null): Promise<Seen> {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunk) chunks.push(bytes.subarray(at, at + chunk));
  let asked = 0;
  const options = switchAfter === null ? {} : { headersByGuard: (): boolean => (asked += 1) > switchAfter };
  const seen: Seen = { entries: [], error: null, byGuard: 0 };
  try {
    for await (const entry of readTarEntries(Readable.from(chunks), undefined, options)) {
      if (entry instanceof BlockEntry) seen.byGuard += 1;
      const label = `${entry.path} ${entryKind(entry)} ${entry.size} @${entryDataOffset(entry)}`;
      if (seen.entries.length % 3 === 2) {
        seen.entries.push(`${label} unread`);
        continue;
      }
      const hash = createHash('sha256');
      let got = 0;
      try {
        for await (const piece of entry) {
          hash.update(piece);
          got += piece.length;
        }
        seen.entries.push(`${label} ${got} ${hash.digest('hex')}`);
      } catch (error) {
        seen.entries.push(`${label} read failed: ${(error as Error).message}`);
      }
    }
  } catch (error) {
    seen.error = (error as Error).message;
  }
  return seen;
}

/** Each archive whole and cut at block edges and inside blocks near its end and middle. */
function cuts(bytes: Buffer): Buffer[] {
  const at = [bytes.length, bytes.length - 1, bytes.length - 512, bytes.length - 1024, bytes.length - 1100, bytes.length >> 1, (bytes.length >> 1) + 7];
  return [...new Set(at.filter((n) => n > 0 && n <= bytes.length))].map((n) => bytes.subarray(0, n));
}

describe('readTarEntries past the guard switch', () => {
  const archives = generateArchives(1804, 40);

  it.each([
    [512, 0],
    [1000, 0],
    [700, 3],
  ])('reads what node-tar reads, in chunks of %i bytes, switched after %i chunks', async (chunk, switchAfter) => {
    let byGuard = 0;
    for (const archive of archives)
      for (const bytes of cuts(archive.bytes)) {
        const guarded = await read(bytes, chunk, switchAfter);
        const { byGuard: none, ...tar } = await read(bytes, chunk, null);
        byGuard += guarded.byGuard;
        expect(none).toBe(0);
        expect({ label: archive.label, entries: guarded.entries, error: guarded.error }).toEqual({ label: archive.label, ...tar });
      }
    // The switch happened: most entries came from the guard's reading.
    expect(byGuard).toBeGreaterThan(archives.length / 2);
  });

  it.each([
    ['a large entry', [withData(header({ name: Buffer.from('b/big'), size: octal(6 << 20, 12), typeflag: 0x30 }), Buffer.alloc(6 << 20, 7))]],
    ['many empty files', Array.from({ length: 12000 }, (_, i) => header({ name: Buffer.from(`b/e${i}`), size: octal(0, 12), typeflag: 0x30 }))],
  ])('holds about a megabyte for a consumer that has not read %s yet', async (_, entries) => {
    const archive = Buffer.concat([...entries, END_OF_ARCHIVE]);
    let pulled = 0;
    let first = true;
    const source = new Readable({
      highWaterMark: 0,
      read() {
        const piece = archive.subarray(pulled, pulled + 64 * 1024);
        pulled += piece.length;
        this.push(piece.length > 0 ? piece : null);
      },
    });
    for await (const entry of readTarEntries(source, undefined, { headersByGuard: () => true })) {
      if (first) {
        first = false;
        await new Promise((resolve) => setTimeout(resolve, 30));
        expect(pulled).toBeLessThan(2 << 20);
      }
      for await (const piece of entry) expect(piece.every((byte) => byte === 7)).toBe(true);
    }
    expect(pulled).toBe(archive.length);
  });
});
