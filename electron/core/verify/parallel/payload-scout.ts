/**
 * The scout of verify's parallel payload pass (claim-book.ts): it reads the bundle's tar headers
 * ahead of the walk with positional reads, through a TarGuard of its own (header-walk.ts), skipping every entry's
 * data it does not need, and claims the data of each large regular file under `TOP/data/`, so the
 * lanes can hash it while the walk reads on.
 *
 * The scout decides nothing about the bundle. Its guard is the walk's guard over the same header
 * bytes (the guard never looks inside an entry's data), so it finds the same entries; if it is
 * refused, reaches the end, or meets many small files, it stops and the walk reads the rest of the
 * archive itself, as the sequential verify does. Whatever it claimed, the walk checks that it met
 * an entry with exactly that data (ClaimBook.pass).
 */
import { BLOCK } from '../../bundle/tar-block.js';
import { readAt } from '../../crypto/range-hash.js';
import type { ClaimBook } from './claim-book.js';
import { TarHeaderWalk } from './header-walk.js';

/** Below this a bundle is verified by the sequential pass: a worker thread costs more to start than it saves. */
export const PARALLEL_MIN_BYTES = 64 << 20;
/** Files at least this large are hashed by the lanes; smaller ones stream through the walk as before. */
export const CLAIM_MIN_BYTES = 1 << 20;
/** The scout reads headers (and the small entries between them) in pieces of this size. */
const SCOUT_READ_BYTES = 64 << 10;
/** Read this much without finding a file to claim (a bundle of small files) and the scout stops: reading twice costs more than it gains. */
const GIVE_UP_BYTES = 4 << 20;

function roundUp(value: number, unit: number): number {
  return Math.ceil(value / unit) * unit;
}

export async function scoutPayload(
  fd: number,
  book: ClaimBook,
  sizes: { claimMinBytes: number; scoutReadBytes?: number | undefined },
  signal?: AbortSignal,
): Promise<void> {
  const walk = new TarHeaderWalk();
  const buffer = Buffer.allocUnsafe(sizes.scoutReadBytes ?? SCOUT_READ_BYTES);
  let readSinceClaim = 0;
  try {
    while (!book.isClosed && !signal?.aborted && !walk.ended && readSinceClaim < GIVE_UP_BYTES) {
      await book.roomAhead();
      const bytes = await readAt(fd, buffer, buffer.length, walk.offset);
      if (bytes === 0) break;
      const entries = walk.read(buffer.subarray(0, bytes));
      if (walk.failed) break;
      readSinceClaim += bytes;
      const pending = walk.pendingData;
      if (pending > 0) {
        // Data goes on past what was read: it is the last entry's (the data before it was skipped after the previous read).
        const last = entries.at(-1);
        const end = walk.offset + pending;
        if (last && walk.isPayloadFile(last) && last.size >= sizes.claimMinBytes && last.dataOffset + roundUp(last.size, BLOCK) === end) {
          if (book.offer(last.path, last.dataOffset, last.size, end)) readSinceClaim = 0;
        }
        walk.skipPendingData();
      }
      book.scanned(walk.offset);
    }
  } finally {
    book.stopScout();
  }
}
