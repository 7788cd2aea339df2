import { describe, expect, it } from 'vitest';
import { WholeBlocks } from '../../../../electron/core/bundle/whole-blocks.js';
import { seededRandom } from '../../../helpers/seeded-random.js';

describe('WholeBlocks', () => {
  it('hands on the bytes in order, in whole 512-byte blocks only, and holds back the part of a block', () => {
    const random = seededRandom(3);
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 251));
    const blocks = new WholeBlocks();
    const out: Buffer[] = [];
    for (let at = 0; at < bytes.length;) {
      const pieces: Buffer[] = [];
      for (let k = Math.floor(random() * 3); k >= 0 && at < bytes.length; k -= 1) {
        const size = Math.floor(random() * 900);
        pieces.push(bytes.subarray(at, at + size));
        at += size;
      }
      for (const block of blocks.whole(pieces)) {
        expect(block.length % 512).toBe(0);
        out.push(block);
      }
      expect(blocks.held).toBe(Math.min(at, bytes.length) % 512);
    }
    expect(Buffer.concat(out)).toEqual(bytes.subarray(0, bytes.length - (bytes.length % 512)));
  });

  it('passes a piece of whole blocks through as it is (no copy), and keeps no view of a piece it holds part of', () => {
    const blocks = new WholeBlocks();
    const piece = Buffer.alloc(1024, 1);
    expect(blocks.whole([piece])[0]).toBe(piece);
    const source = Buffer.alloc(700, 2);
    blocks.whole([source]);
    source.fill(9);
    expect(blocks.whole([Buffer.alloc(324, 3)])).toEqual([Buffer.concat([Buffer.alloc(188, 2), Buffer.alloc(324, 3)])]);
  });
});
