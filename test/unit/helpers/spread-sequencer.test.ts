/** The test order's spreading (test/helpers/spread-sequencer.ts): the `alone` files evenly among the parallel ones, none lost or doubled. */
import { describe, expect, it } from 'vitest';
import { spreadEvenly } from '../../helpers/spread-sequencer.js';

describe('spreadEvenly', () => {
  it('places the spread items evenly, the first before the first host item, both in their order', () => {
    const host = Array.from({ length: 12 }, (_, i) => `p${i}`);
    expect(spreadEvenly(host, ['a0', 'a1', 'a2'])).toEqual(['a0', 'p0', 'p1', 'p2', 'p3', 'a1', 'p4', 'p5', 'p6', 'p7', 'a2', 'p8', 'p9', 'p10', 'p11']);
  });

  it('keeps every item once when there are more spread items than host items, or none of either', () => {
    expect(spreadEvenly(['p0', 'p1'], ['a0', 'a1', 'a2', 'a3', 'a4'])).toEqual(['a0', 'a1', 'a2', 'p0', 'a3', 'a4', 'p1']);
    expect(spreadEvenly([], ['a0', 'a1'])).toEqual(['a0', 'a1']);
    expect(spreadEvenly(['p0'], [])).toEqual(['p0']);
  });
});
