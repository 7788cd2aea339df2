/**
 * groupedCount writes what toLocaleString('en-US') writes, without ICU (its first use costs
 * 20-60 ms on every verify's serial tail): compared with ICU itself on the edges of each group
 * length, the policy limits' range and random integers of every size up to the largest safe one.
 */
import { describe, expect, it } from 'vitest';
import { groupedCount } from '../../../../electron/core/policy/policy-findings.js';

function randomInteger(digits: number): number {
  let value = 0;
  for (let i = 0; i < digits; i += 1) value = value * 10 + Math.floor(Math.random() * 10);
  return Math.min(value, Number.MAX_SAFE_INTEGER);
}

describe('groupedCount', () => {
  it('groups digits as toLocaleString("en-US") does, at every group boundary and sign', () => {
    const edges = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 9999, 10_000, 99_999, 100_000, 999_999, 1_000_000, 1_000_001, 12_345_678, Number.MAX_SAFE_INTEGER];
    for (const value of [...edges, ...edges.map((v) => -v).filter((v) => v !== 0)])
      expect(groupedCount(value), String(value)).toBe(value.toLocaleString('en-US'));
    expect(groupedCount(1_000_000)).toBe('1,000,000');
    expect(groupedCount(-1234)).toBe('-1,234');
  });

  it('matches ICU on random integers of every length', () => {
    for (let digits = 1; digits <= 16; digits += 1)
      for (let n = 0; n < 200; n += 1) {
        const value = randomInteger(digits) * (n % 2 === 0 ? 1 : -1);
        expect(groupedCount(value), String(value)).toBe(value.toLocaleString('en-US'));
      }
  });

  it('leaves what is not a safe integer to ICU', () => {
    for (const value of [-0, 0.5, 1234.5678, 2 ** 60, Number.NaN, Number.POSITIVE_INFINITY]) expect(groupedCount(value)).toBe(value.toLocaleString('en-US'));
  });
});
