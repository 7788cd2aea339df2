import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DigestTable } from '../../../../electron/core/bundle/digest-table.js';

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('digest table', () => {
  it('reads back what an array of digest strings holds, set in random order, some overwritten', () => {
    for (let round = 0; round < 20; round += 1) {
      const count = 1 + Math.floor(Math.random() * 300);
      const table = new DigestTable(count);
      const reference: Array<string | undefined> = new Array<string | undefined>(count);
      for (let step = 0; step < count * 2; step += 1) {
        const index = Math.floor(Math.random() * count);
        const digest = sha(randomBytes(8));
        table.set(index, digest);
        reference[index] = digest;
      }
      for (let index = 0; index < count; index += 1) {
        const expected = reference[index];
        expect(table.has(index)).toBe(expected !== undefined);
        if (expected === undefined) expect(() => table.hexAt(index)).toThrow(RangeError);
        else expect(table.hexAt(index)).toBe(expected);
      }
      expect(table.firstMissing()).toBe(reference.findIndex((d) => d === undefined));
    }
  });

  it('tells a digest never set from one of 32 zero bytes', () => {
    const table = new DigestTable(3);
    table.set(1, '0'.repeat(64));
    expect(table.firstMissing()).toBe(0);
    expect(table.hexAt(1)).toBe('0'.repeat(64));
    expect(() => table.hexAt(0)).toThrow(/no digest for file #0/);
  });

  it('refuses what is not a lowercase SHA-256 hex digest, and indexes outside the table, leaving nothing set', () => {
    const table = new DigestTable(2);
    for (const bad of ['ab', 'G'.repeat(64), 'A'.repeat(64), `${'a'.repeat(63)}`, `${'a'.repeat(65)}`]) {
      expect(() => table.set(0, bad)).toThrow(RangeError);
    }
    expect(table.has(0)).toBe(false);
    expect(() => table.set(2, 'a'.repeat(64))).toThrow(RangeError);
    expect(() => table.set(-1, 'a'.repeat(64))).toThrow(RangeError);
    expect(() => table.has(1.5)).toThrow(RangeError);
  });
});
