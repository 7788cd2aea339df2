/** The header walk the scout and the warm lane share: entries from headers only, data skipped unread, payload files told apart. */
import { describe, expect, it } from 'vitest';
import { TarHeaderWalk } from '../../../../../electron/core/verify/parallel/header-walk.js';
import { tarOf } from '../../../../helpers/hostile-tar.js';

/** Walk `archive` reading `piece` bytes at a time, skipping pending data as the scout does; the bytes it read. */
function walkAll(archive: Buffer, piece: number): { walk: TarHeaderWalk; paths: string[]; payload: string[]; bytesRead: number } {
  const walk = new TarHeaderWalk();
  const paths: string[] = [];
  const payload: string[] = [];
  let bytesRead = 0;
  while (!walk.ended && !walk.failed && walk.offset < archive.length) {
    const bytes = archive.subarray(walk.offset, walk.offset + piece);
    bytesRead += bytes.length;
    for (const entry of walk.read(bytes)) {
      paths.push(entry.path);
      if (walk.isPayloadFile(entry)) payload.push(entry.path);
    }
    walk.skipPendingData();
  }
  return { walk, paths, payload, bytesRead };
}

describe('tar header walk', () => {
  const big = Buffer.alloc(64 << 10, 7);
  const archive = tarOf([
    { path: 'bag/bagit.txt', body: 'BagIt-Version: 1.0\n' },
    { path: 'bag/data/', type: 'Directory' },
    { path: 'bag/data/big.bin', body: big },
    { path: 'bag/data/small.txt', body: 'x' },
    { path: 'bag/other/data/not-payload.txt', body: 'y' },
  ]);

  it('finds every entry, reads headers and not the large data, and tells payload files from the rest', () => {
    const { walk, paths, payload, bytesRead } = walkAll(archive, 1024);
    expect(paths).toEqual(['bag/bagit.txt', 'bag/data/', 'bag/data/big.bin', 'bag/data/small.txt', 'bag/other/data/not-payload.txt']);
    expect(payload).toEqual(['bag/data/big.bin', 'bag/data/small.txt']);
    expect(walk.ended).toBe(true);
    expect(bytesRead).toBeLessThan(big.length);
  });

  it('finds the same entries whatever the size of the pieces read', () => {
    for (const piece of [512, 700, 4096, archive.length]) expect(walkAll(archive, piece).paths).toHaveLength(5);
  });

  it('stops at a header the guard refuses, returning nothing from it', () => {
    const bad = Buffer.from(archive);
    bad.write('garbage!', 148, 'latin1'); // the first header's checksum field
    const { walk, paths } = walkAll(bad, 1024);
    expect(walk.failed).toBe(true);
    expect(paths).toEqual([]);
  });
});
