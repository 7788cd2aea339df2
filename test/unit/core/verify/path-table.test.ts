/**
 * The manifest's path table (hash table over UTF-8 bytes) against the obvious model, a Map keyed
 * by collision key: the same answers for random and hostile names (case folding, normalisation,
 * expansion, astral characters, lone surrogates), across table growth and block boundaries.
 */
import { describe, expect, it } from 'vitest';
import { collisionKey } from '../../../../electron/core/bundle/path-rules.js';
import { PathTable } from '../../../../electron/core/verify/path-table.js';
import { seededRandom } from '../../../helpers/seeded-random.js';

/** Pieces that fold, normalise or expand into one another, and plain ones. */
const PIECES = [
  'a', 'A', 'b', 'B', 'k', 'K', '\u212a', 'ss', 'SS', 'ß', 'ẞ', 'ﬁ', 'fi', 'FI', 'é', 'e\u0301', 'É', 'E\u0301', 'İ', 'i', 'I', 'ı',
  'σ', 'ς', 'Σ', 'Å', '\u212b', 'A\u030a', '😀', '𝔄', '/', '.', '-', ' ', '\u00a0', '\u200d', 'ǅ', 'ǆ', 'Ǆ', '\u0345', 'ι', 'Ι',
]; // prettier-ignore

function hostileName(next: () => number): string {
  let name = 'data/';
  const pieces = 1 + Math.floor(next() * 4);
  for (let i = 0; i < pieces; i += 1) name += PIECES[Math.floor(next() * PIECES.length)] as string;
  return name;
}

/** The model: what a Map of collision key to first path says. */
class ModelTable {
  readonly byKey = new Map<string, number>();
  readonly paths: string[] = [];
  add(path: string): number {
    const key = collisionKey(path);
    if (this.byKey.has(key)) return -1;
    this.byKey.set(key, this.paths.length);
    this.paths.push(path);
    return this.paths.length - 1;
  }
  ordinalOfKey(key: string): number {
    return this.byKey.get(key) ?? -1;
  }
  ordinalOf(path: string): number {
    const ordinal = this.ordinalOfKey(collisionKey(path));
    return ordinal >= 0 && this.paths[ordinal] === path ? ordinal : -1;
  }
}

function expectSame(table: PathTable, model: ModelTable, probes: readonly string[]): void {
  expect(table.size).toBe(model.paths.length);
  for (let ordinal = 0; ordinal < model.paths.length; ordinal += 1) expect(table.pathAt(ordinal)).toBe(model.paths[ordinal]);
  for (const probe of probes) {
    expect(table.ordinalOf(probe), probe).toBe(model.ordinalOf(probe));
    expect(table.ordinalOfKey(collisionKey(probe)), probe).toBe(model.ordinalOfKey(collisionKey(probe)));
  }
}

describe('PathTable', () => {
  for (const seed of [1, 2, 3, 0xdecaf]) {
    it(`answers as a Map keyed by collision key does, on hostile names (seed ${seed}), growing from one slot`, () => {
      const next = seededRandom(seed);
      const table = new PathTable(1);
      const model = new ModelTable();
      const probes: string[] = [];
      for (let i = 0; i < 3000; i += 1) {
        const name = hostileName(next);
        expect(table.add(name), name).toBe(model.add(name));
        probes.push(hostileName(next));
      }
      // Some names were refused as colliding, or the test proves nothing about collisions.
      expect(model.paths.length).toBeLessThan(3000);
      expect(model.paths.length).toBeGreaterThan(100);
      expectSame(table, model, [...probes, ...model.paths, ...model.paths.map((p) => p.toUpperCase()), ...model.paths.map((p) => p.normalize('NFD'))]);
    });
  }

  for (const seed of [4, 5]) {
    it(`answers as a Map does when lookups and adds interleave as verify makes them (seed ${seed}): no remembered lookup goes stale`, () => {
      const next = seededRandom(seed);
      const table = new PathTable(1);
      const model = new ModelTable();
      for (let i = 0; i < 3000; i += 1) {
        const name = hostileName(next);
        const other = next() < 0.5 ? hostileName(next) : (model.paths[Math.floor(next() * model.paths.length)] ?? name);
        // The registry's check, a lookup of another name (scratch then holds its bytes) or of the
        // same name again, the add, and the lookups after it (the seen mark, the payload check).
        const key = collisionKey(name);
        expect(table.ordinalOfKey(key), name).toBe(model.ordinalOfKey(key));
        if (next() < 0.3) expect(table.ordinalOf(other), other).toBe(model.ordinalOf(other));
        if (next() < 0.3) expect(table.ordinalOf(name), name).toBe(model.ordinalOf(name));
        expect(table.add(name, key), name).toBe(model.add(name));
        expect(table.ordinalOfKey(key), name).toBe(model.ordinalOfKey(key));
        expect(table.ordinalOf(name), name).toBe(model.ordinalOf(name));
        expect(table.ordinalOf(other), other).toBe(model.ordinalOf(other));
      }
      expect(model.paths.length).toBeLessThan(3000);
      expectSame(table, model, model.paths);
    });
  }

  it('answers as a Map does on many plain names (a bundle-like tree), across table and row growth', () => {
    const table = new PathTable(16);
    const model = new ModelTable();
    for (let folder = 0; folder < 40; folder += 1) {
      for (let file = 0; file < 500; file += 1) {
        const path = `data/d${folder}/f${file}.txt`;
        expect(table.add(path)).toBe(model.add(path));
      }
    }
    expect(table.add('data/D7/F3.TXT')).toBe(-1);
    expect(table.add('data/d7/f3.txt')).toBe(-1);
    expectSame(table, model, ['data/d7/f3.txt', 'data/D7/f3.txt', 'data/d39/f499.txt', 'data/d40/f0.txt', 'data/d1/f1.tx', 'data/d1/f1.txt/', '']);
  });

  it('tells apart keys of one length and one FNV-1a hash (no hash is stored: the bytes decide), before and after a rehash', () => {
    // 'data/000pwu' and 'data/00b5fa' share their 32-bit FNV-1a hash, so they share a slot at every table size.
    const table = new PathTable(1);
    const model = new ModelTable();
    expect(table.add('data/000pwu')).toBe(model.add('data/000pwu'));
    expect(table.ordinalOf('data/00b5fa')).toBe(-1);
    expect(table.add('data/00b5fa')).toBe(model.add('data/00b5fa'));
    expect(table.add('data/00B5FA')).toBe(-1);
    // Many keys of that length, so most probes meet occupied slots holding other keys of the same length.
    const names = Array.from({ length: 3000 }, (_, i) => `data/${i.toString(36).padStart(6, '0')}`);
    for (const name of names) expect(table.add(name)).toBe(model.add(name));
    expect(table.ordinalOf('data/000pwu')).toBe(0);
    expect(table.ordinalOf('data/00b5fa')).toBe(1);
    expectSame(table, model, [...names, 'data/000pwu', 'data/00b5fa', 'data/00B5FA', 'data/zzzzzz', 'data/000pwv']);
  });

  it('keeps paths longer than a block, and paths that straddle where a block would end', () => {
    const table = new PathTable(4);
    const model = new ModelTable();
    const long = `data/${'ä'.repeat(700_000)}`; // 1.4 MB of UTF-8: more than one block.
    const names = [long, `data/${'x'.repeat(600_000)}`, `data/${'y'.repeat(600_000)}`, `data/${'Z'.repeat(65_536)}`, 'data/short'];
    for (const name of names) expect(table.add(name)).toBe(model.add(name));
    expect(table.add(long.toUpperCase())).toBe(-1);
    expectSame(table, model, [...names, long.toUpperCase(), `data/${'z'.repeat(65_536)}`, `${long}x`]);
  });

  it('tells apart paths that differ only in case or normalisation (same key, not the same path)', () => {
    const table = new PathTable();
    expect(table.add('data/Straße')).toBe(0);
    expect(table.ordinalOfKey(collisionKey('data/STRASSE'))).toBe(0);
    expect(table.ordinalOf('data/STRASSE')).toBe(-1);
    expect(table.ordinalOf('data/straße')).toBe(-1);
    expect(table.ordinalOf('data/Straße')).toBe(0);
    expect(table.add('data/strasse')).toBe(-1);
    expect(table.add('data/e\u0301')).toBe(1);
    expect(table.ordinalOf('data/é')).toBe(-1);
    expect(table.ordinalOf('data/e\u0301')).toBe(1);
  });

  it('never takes a name with a lone surrogate for the listed name with U+FFFD (UTF-8 cannot hold a lone surrogate)', () => {
    const table = new PathTable();
    expect(table.add('data/\ufffd')).toBe(0);
    expect(table.ordinalOf('data/\ud800')).toBe(-1);
    expect(table.ordinalOfKey('data/\udc00')).toBe(-1);
    expect(() => table.add('data/\ud800x')).toThrow(/lone surrogate/u);
    expect(table.size).toBe(1);
    expect(table.ordinalOf('data/\ufffd')).toBe(0);
  });

  it('refuses an ordinal it does not hold', () => {
    const table = new PathTable();
    table.add('data/a');
    for (const ordinal of [-1, 1, 0.5, Number.NaN]) expect(() => table.pathAt(ordinal)).toThrow(RangeError);
  });
});
