import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpilledDigests, WINDOW_DIGESTS } from '../../../../electron/core/compact/digest-column.js';
import { ownCopy, PayloadIndex, SeenPaths, VerifiedPayload } from '../../../../electron/core/verify/payload-index.js';

const hexOf = (text: string): string => createHash('sha256').update(text).digest('hex');
const digestOf = (text: string): Buffer => createHash('sha256').update(text).digest();

function indexOf(entries: Map<string, string>): PayloadIndex {
  const index = new PayloadIndex();
  for (const [path, hex] of entries) index.add(ownCopy(path), hex);
  return index;
}

function manifestOf(count: number): Map<string, string> {
  const entries = new Map<string, string>();
  for (let i = 0; i < count; i += 1) entries.set(`data/d${i % 7}/f${i}.txt`, hexOf(`content ${i}`));
  return entries;
}

describe('PayloadIndex', () => {
  it('answers for every listed path what the manifest said, in manifest order', () => {
    const manifest = manifestOf(3000);
    const expected = [...manifest];
    const index = indexOf(manifest);
    expect(index.size).toBe(3000);
    expect(index.paths()).toEqual(expected.map(([path]) => path));
    expect(index.seenCount).toBe(0);
    expected.forEach(([path, hex], ordinal) => {
      expect(index.ordinalOf(path)).toBe(ordinal);
      expect(index.pathAt(ordinal)).toBe(path);
      expect(index.expectedHex(ordinal)).toBe(hex);
    });
  });

  it('grows past its first capacity when filled line by line', () => {
    const index = new PayloadIndex(1);
    for (let i = 0; i < 5000; i += 1) index.add(`data/f${i}`, hexOf(String(i)));
    expect(index.size).toBe(5000);
    expect(index.expectedHex(4999)).toBe(hexOf('4999'));
    expect(index.expectedHex(0)).toBe(hexOf('0'));
    index.markSeen(4999);
    expect(index.seen(4999)).toBe(true);
  });

  it('matches only the exact 32-byte digest', () => {
    const index = indexOf(new Map([['data/a', hexOf('a')]]));
    expect(index.matches(0, digestOf('a'))).toBe(true);
    expect(index.matches(0, digestOf('b'))).toBe(false);
    const flipped = digestOf('a');
    flipped[31] = (flipped[31] as number) ^ 1;
    expect(index.matches(0, flipped)).toBe(false);
    expect(index.matches(0, digestOf('a').subarray(0, 31))).toBe(false);
  });

  it('does not list what the manifest did not, and refuses a path twice or a checksum that is not lowercase hex', () => {
    const index = indexOf(new Map([['data/a', hexOf('a')]]));
    expect(index.has('data/a')).toBe(true);
    expect(index.has('data/b')).toBe(false);
    expect(index.ordinalOf('data/b')).toBe(-1);
    expect(index.ordinalOf('data/A')).toBe(-1);
    expect(() => index.pathAt(1)).toThrow(RangeError);
    expect(() => index.add('data/a', hexOf('x'))).toThrow(/twice/u);
    expect(() => index.add('data/c', hexOf('x').toUpperCase())).toThrow(/hex/u);
    expect(() => index.add('data/c', 'zz'.repeat(32))).toThrow(/hex/u);
    expect(() => index.add('data/c', hexOf('x').slice(2))).toThrow(/hex/u);
  });

  it('marks each file seen once, and lists the unseen ones in manifest order', () => {
    const index = indexOf(manifestOf(20));
    expect(index.markSeen(3)).toBe(true);
    expect(index.markSeen(3)).toBe(false);
    for (const ordinal of [0, 8, 9, 16, 19]) index.markSeen(ordinal);
    expect(index.seenCount).toBe(6);
    const unseen = [...index.unseen()];
    expect(unseen).toHaveLength(14);
    expect(unseen).toEqual(index.paths().filter((_, ordinal) => ![0, 3, 8, 9, 16, 19].includes(ordinal)));
  });

  it("makes a path its own copy (a slice would keep the whole text alive) and hands out the index's copy", () => {
    const text = `${'x'.repeat(1000)}data/some/long/path/name.txt${'y'.repeat(1000)}`;
    const slice = text.slice(1000, 1000 + 'data/some/long/path/name.txt'.length);
    const copy = ownCopy(slice);
    expect(copy).toBe(slice);
    const index = indexOf(new Map([[slice, hexOf('a')]]));
    expect(index.held(slice)).toBe(slice);
    expect(index.held('data/other')).toBe('data/other');
  });
});

describe('SeenPaths', () => {
  it('keeps paths added before the manifest is known and counts only listed ones after', () => {
    const seen = new SeenPaths();
    seen.add('data/early');
    seen.add('data/unlisted-early');
    expect(seen.has('data/early')).toBe(true);
    expect(seen.size).toBe(2);
    const index = indexOf(
      new Map([
        ['data/early', hexOf('1')],
        ['data/late', hexOf('2')],
        ['data/never', hexOf('3')],
      ]),
    );
    seen.attach(index);
    expect(seen.size).toBe(1);
    seen.add('data/late');
    seen.add('data/unlisted-late');
    seen.add('data/late');
    expect(seen.size).toBe(2);
    expect(seen.has('data/early')).toBe(true);
    expect(seen.has('data/late')).toBe(true);
    expect(seen.has('data/never')).toBe(false);
    expect([...index.unseen()]).toEqual(['data/never']);
  });
});

describe('VerifiedPayload', () => {
  it('yields path, size and checksum rows in the order files were added, as often as it is read', () => {
    const index = indexOf(manifestOf(5000));
    const payload = new VerifiedPayload(index);
    const order = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000);
    order.forEach((ordinal, i) => payload.add(ordinal, i * 1024 ** 3));
    expect(payload.length).toBe(5000);
    const rows = [...payload];
    expect(rows).toHaveLength(5000);
    rows.forEach((row, i) => {
      const ordinal = order[i] as number;
      expect(row).toEqual({ path: index.pathAt(ordinal), size: i * 1024 ** 3, sha256: hexOf(`content ${ordinal}`) });
    });
    expect([...payload]).toEqual(rows);
  });

  it('keeps no ordinals while files come in manifest order, and the right rows when the order departs later, across growth', () => {
    const index = indexOf(manifestOf(3000));
    const payload = new VerifiedPayload(index, 10);
    const order = [...Array.from({ length: 1500 }, (_, i) => i), ...Array.from({ length: 1500 }, (_, i) => 2999 - i)];
    const sizes = order.map((_, i) => (i % 3 === 0 ? 2 ** 32 - 1 + i : i % 3 === 1 ? 2 ** 32 - 2 : i));
    order.forEach((ordinal, i) => payload.add(ordinal, sizes[i] as number));
    const rows = [...payload];
    expect(rows).toHaveLength(3000);
    rows.forEach((row, i) => {
      const ordinal = order[i] as number;
      expect(row).toEqual({ path: index.pathAt(ordinal), size: sizes[i], sha256: hexOf(`content ${ordinal}`) });
    });
  });

  it('in manifest order throughout: every row, sizes 0 and up to 2^53 - 1', () => {
    const index = indexOf(manifestOf(100));
    const payload = new VerifiedPayload(index, 100);
    for (let i = 0; i < 100; i += 1) payload.add(i, i === 99 ? Number.MAX_SAFE_INTEGER : i);
    expect([...payload].map((row) => row.size)).toEqual([...Array.from({ length: 99 }, (_, i) => i), Number.MAX_SAFE_INTEGER]);
    expect([...payload].map((row) => row.path)).toEqual(index.paths());
  });
});

describe('PayloadIndex with its checksums spilled (compact/digest-column.ts)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-index-spill-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers as the in-memory index does, rows included, and keeps the checksums out of memory while read in manifest order', () => {
    const manifest = manifestOf(3 * WINDOW_DIGESTS + 5);
    const inMemory = indexOf(manifest);
    const spilled = new PayloadIndex(1, SpilledDigests.open(dir));
    for (const [path, hex] of manifest) spilled.add(path, hex);
    expect(spilled.digestsSpilled).toBe(true);
    expect(spilled.size).toBe(inMemory.size);
    const payload = new VerifiedPayload(spilled, spilled.size);
    const memoryPayload = new VerifiedPayload(inMemory, inMemory.size);
    for (let ordinal = 0; ordinal < spilled.size; ordinal += 1) {
      expect(spilled.matches(ordinal, digestOf(`content ${ordinal}`))).toBe(true);
      expect(spilled.matches(ordinal, digestOf(`content ${ordinal + 1}`))).toBe(false);
      payload.add(ordinal, ordinal);
      memoryPayload.add(ordinal, ordinal);
    }
    expect([...payload]).toEqual([...memoryPayload]);
    // The walk and the audit rows read the spill front to back: it stays a spill.
    expect(spilled.digestsSpilled).toBe(true);
    payload.release();
    expect(spilled.digestsSpilled).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(() => spilled.expectedHex(0)).toThrow(expect.objectContaining({ code: 'INTERNAL' }) as Error);
  });
});
