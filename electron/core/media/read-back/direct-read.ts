import { closeSync, constants, fstatSync, openSync, read, readSync } from 'node:fs';
import { AirlockError, errnoOf } from '../../errors.js';

/**
 * O_DIRECT reads in this process (Linux), so a read-back goes to the medium and not to the page
 * cache, without a dd child and a pipe in between (that pipe cost about a second per GiB).
 *
 * O_DIRECT wants the buffer's address, the length and the file offset aligned to the device's
 * logical block size (512 or 4096 bytes). Lengths and offsets are ours to choose; Node gives no
 * control over a buffer's address, so each buffer is allocated a page larger than needed and
 * the aligned window inside it is found by asking the kernel: a read into a misaligned window
 * fails with EINVAL, the first window that reads is aligned for this device. No window found
 * means no O_DIRECT here, and the caller falls back to dd.
 *
 * Reads never ask for more than the file's length rounded up to a page: fusefat answers EPERM
 * to a large O_DIRECT read of a small file it has just written.
 */

/**
 * Bytes per read: large enough that the per-request cost vanishes (the kernel splits it into the
 * device's own request size anyway), small enough that three buffers stay at 12 MiB resident.
 */
export const DIRECT_READ_BYTES = 4 << 20;
const PAGE = 4096;
/** Backing stores are at least 8-byte aligned: 8-byte steps reach every 512- and 4096-byte boundary. */
const PROBE_STEP = 8;

export class DirectReader {
  private constructor(
    private readonly fd: number,
    private readonly buffers: Buffer[],
    /** The file's length when opened: reading stops there. */
    readonly size: number,
  ) {}

  /**
   * Open `path` for O_DIRECT reads with `count` aligned buffers; null when this platform or
   * file system has no O_DIRECT, or no aligned window could be found.
   */
  static open(path: string, count = 3): DirectReader | null {
    const flag = constants.O_DIRECT;
    if (process.platform !== 'linux' || typeof flag !== 'number') return null;
    const openDirect = (): number | null => {
      try {
        return openSync(path, constants.O_RDONLY | flag);
      } catch (error) {
        if (errnoOf(error) === 'EINVAL') return null;
        throw error;
      }
    };
    // Probing reads the file's first block again and again: on a descriptor of its own, because
    // fusefat answers a second read of the same offset on one descriptor with wrong bytes or EPERM.
    // The descriptor that reads the file only ever reads forward, once, like dd.
    const probe = openDirect();
    if (probe === null) return null;
    let buffers: Buffer[] | null;
    try {
      buffers = alignedWindows(probe, count);
    } finally {
      closeSync(probe);
    }
    if (buffers === null) return null;
    const fd = openDirect();
    if (fd === null) return null;
    try {
      return new DirectReader(fd, buffers, fstatSync(fd).size);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  get slots(): number {
    return this.buffers.length;
  }

  /** Read into buffer `slot` at `position` (a multiple of DIRECT_READ_BYTES); the bytes read, short at the end of the file. */
  read(slot: number, position: number): Promise<Buffer> {
    const buffer = this.buffers[slot] as Buffer;
    const length = Math.min(DIRECT_READ_BYTES, Math.ceil((this.size - position) / PAGE) * PAGE);
    return new Promise((resolve, reject) => {
      read(this.fd, buffer, 0, length, position, (error, bytesRead) => {
        if (error) reject(error);
        else resolve(buffer.subarray(0, bytesRead));
      });
    });
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * `count` consecutive DIRECT_READ_BYTES windows of one allocation, at an address the kernel
 * accepts for O_DIRECT on `fd` (the windows' length is a multiple of the page, so when the
 * first is aligned all are). Probing reads the file's first block; an empty file reads as 0
 * bytes at any address, and then any window will do: there is nothing to read.
 */
function alignedWindows(fd: number, count: number): Buffer[] | null {
  const raw = Buffer.allocUnsafeSlow(count * DIRECT_READ_BYTES + PAGE);
  for (let offset = 0; offset <= PAGE; offset += PROBE_STEP) {
    try {
      readSync(fd, raw, offset, PAGE, 0);
    } catch (error) {
      if (errnoOf(error) === 'EINVAL') continue;
      throw error;
    }
    return Array.from({ length: count }, (_, i) => raw.subarray(offset + i * DIRECT_READ_BYTES, offset + (i + 1) * DIRECT_READ_BYTES));
  }
  return null;
}

/**
 * The file's bytes through O_DIRECT, in order, with the following reads already under way while
 * the consumer handles the current one (all but one of the reader's buffers in flight: a device
 * delivers more with a few requests queued). `copy`: hand out copies (for a stream whose consumer
 * may keep them); otherwise views into the reader's buffers, valid until the generator resumes.
 * Reads go up to the length the file had when the reader was opened; a short read ends it early.
 */
export async function* readDirect(reader: DirectReader, options: { signal?: AbortSignal | undefined; copy?: boolean } = {}): AsyncGenerator<Buffer> {
  const slots = reader.slots;
  const chunks = Math.ceil(reader.size / DIRECT_READ_BYTES);
  const inFlight: Array<Promise<Buffer>> = [];
  let next = 0;
  const startNext = (): void => {
    if (next >= chunks) return;
    // Chunk `next` goes into the buffer of the chunk the consumer has just finished with.
    const read = reader.read(next % slots, next * DIRECT_READ_BYTES);
    // A failure of a read ahead surfaces when it is awaited, not as an unhandled rejection.
    read.catch(() => undefined);
    inFlight.push(read);
    next += 1;
  };
  for (let i = 0; i < slots - 1; i += 1) startNext();
  try {
    while (inFlight.length > 0) {
      const data = await (inFlight.shift() as Promise<Buffer>);
      if (options.signal?.aborted) throw new AirlockError('CANCELLED');
      if (data.length === 0) break;
      // A short read before the last chunk: the file shrank since it was opened; what follows is not read.
      const short = data.length < DIRECT_READ_BYTES;
      if (!short) startNext();
      yield options.copy ? Buffer.from(data) : data;
      if (short) break;
    }
  } finally {
    // Stopped early: let the reads in flight finish before the caller closes the descriptor.
    await Promise.allSettled(inFlight);
  }
}
