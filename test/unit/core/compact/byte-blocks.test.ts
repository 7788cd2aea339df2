import { describe, expect, it } from 'vitest';
import { ByteBlocks, grown } from '../../../../electron/core/compact/byte-blocks.js';

describe('ByteBlocks', () => {
  it('gives every reservation its own bytes, across block boundaries and for runs longer than a block', () => {
    const bytes = new ByteBlocks();
    const placed: { block: number; start: number; text: string }[] = [];
    const sizes = [10, 1 << 19, (1 << 19) - 5, 7, 3 << 20, 1, 0, 1000];
    sizes.forEach((size, i) => {
      const text = String.fromCharCode(97 + i).repeat(size);
      const block = bytes.reserve(size);
      block.write(text, bytes.start, size, 'latin1');
      placed.push({ block: bytes.blockIndex, start: bytes.start, text });
    });
    for (const { block, start, text } of placed) {
      expect(bytes.block(block).toString('latin1', start, start + text.length)).toBe(text);
    }
    // 10 + 512 KiB fit the first block; 512 KiB - 5 does not (1 MiB + 5): a second; the 3 MiB run a block of its own.
    expect(placed.map((p) => p.block)).toEqual([0, 0, 1, 1, 2, 3, 3, 3]);
  });

  it('refuses a block it does not have', () => {
    expect(() => new ByteBlocks().block(0)).toThrow(RangeError);
  });

  it('grown keeps the values at the start of the larger array', () => {
    expect(Array.from(grown(Uint32Array.of(1, 2), new Uint32Array(4)))).toEqual([1, 2, 0, 0]);
  });
});
