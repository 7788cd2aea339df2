/**
 * A bundle of a million empty files must not be parsed whole, every entry queued, ahead of a
 * consumer that is still authenticating or writing the first of them: entries without data
 * (one 512-byte header each) must hold the source back as entries with data do.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readTarEntries } from '../../../../electron/core/bundle/tar-entries.js';
import { tarOf } from '../../../helpers/hostile-tar.js';

const ENTRIES = 20_000;
const CHUNK = 64 * 1024;

/** The archive in CHUNK-sized pieces, counting what the reader pulled. */
function countingSource(archive: Buffer): { source: Readable; pulled: () => number } {
  let offset = 0;
  const source = new Readable({
    highWaterMark: CHUNK,
    read() {
      if (offset >= archive.length) {
        this.push(null);
        return;
      }
      this.push(archive.subarray(offset, offset + CHUNK));
      offset += CHUNK;
    },
  });
  return { source, pulled: () => offset };
}

/**
 * What the reader has pulled once it stops pulling. The source is in memory, so the reader runs
 * on event-loop turns alone: when a round of turns pulls nothing more it has stopped (held back,
 * or at the end). A wall-clock pause would let a busy machine hide a reader that runs ahead.
 */
async function whenReaderStops(pulled: () => number): Promise<number> {
  let last = -1;
  while (pulled() !== last) {
    last = pulled();
    for (let turn = 0; turn < 50; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  }
  return last;
}

describe('readTarEntries on entries without data', () => {
  it('reads only a bounded distance ahead of a consumer that stops, and delivers every entry in order', async () => {
    const archive = tarOf(Array.from({ length: ENTRIES }, (_, i) => ({ path: `bag/data/f${i}.txt`, body: '' })));
    const { source, pulled } = countingSource(archive);
    const entries = readTarEntries(source);
    let seen = 0;
    let aheadWhilePaused = 0;
    for await (const entry of entries) {
      expect(entry.path).toBe(`bag/data/f${seen}.txt`);
      seen += 1;
      if (seen === 100) {
        // The consumer is busy (authenticating, writing): the reader must not run on to the end.
        aheadWhilePaused = await whenReaderStops(pulled);
      }
    }
    expect(seen).toBe(ENTRIES);
    // Each empty entry is one 512-byte header: 10 MB for all of them, a few chunks of queue at most.
    expect(aheadWhilePaused).toBeLessThan(8 * CHUNK);
    expect(pulled()).toBeGreaterThanOrEqual(archive.length);
  });
});
