import { describe, expect, it } from 'vitest';
import { sortByUtf8 } from '../../../../electron/core/bundle/utf8-order.js';

const byBytes = (names: string[]): string[] => [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe('sortByUtf8', () => {
  it('orders plain and accented names as their UTF-8 bytes', () => {
    const names = ['b', 'a', 'B', 'é', 'e', 'z', '10', '9', 'ä', '\u00ff', '\u0100', '日本', '\uffff', 'a b', 'a%20b'];
    expect(sortByUtf8(names, (n) => n)).toEqual(byBytes(names));
  });

  it('orders names with characters beyond U+FFFF by bytes, where UTF-16 order differs', () => {
    // UTF-16 puts U+10000 (a surrogate pair, 0xD800...) before U+FFFF; UTF-8 puts it after.
    const names = ['\uffff', '\u{10000}', '\ue000', '😀', 'a', '\u{1F600}b'];
    expect(sortByUtf8(names, (n) => n)).toEqual(byBytes(names));
    expect([...names].sort()).not.toEqual(byBytes(names));
  });

  it('agrees with byte order on random names', () => {
    const pool = ['a', 'Z', '~', 'ß', 'ü', '\u2028', '中', '\ufffd', '😀', '\u{10FFFF}', '\ue000', '0'];
    for (let round = 0; round < 50; round += 1) {
      const names = Array.from({ length: 20 }, (_, i) =>
        Array.from({ length: 1 + ((i * 7 + round) % 4) }, (_, j) => pool[(i * 31 + j * 17 + round * 13) % pool.length]).join(''),
      );
      expect(sortByUtf8(names, (n) => n)).toEqual(byBytes(names));
    }
  });
});
