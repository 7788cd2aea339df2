/**
 * The only place an archive walk writes (issue #16.3): a nested zip needs random access (its
 * central directory is at the end), so its bytes are spooled to a private temp folder (mkdtemp,
 * 0700, files 0600, created on first use, removed when the walk ends, whatever happened) and read
 * back as a ByteSource. Spooled bytes count against the tree's expanded-byte budget, so the folder
 * never holds more than the limits allow.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ByteSource } from '../contract.js';

/** Thrown inside the spool pipeline when the budget is spent (the finding is already recorded). */
class SpoolLimit extends Error {}

export class Spool {
  private dir: string | null = null;
  private files = 0;

  constructor(private readonly parent: string) {}

  /**
   * Writes `bytes` to a new file; each chunk is admitted first. Null when `admit` refused a
   * chunk (a limit: the partial file is removed).
   */
  async write(bytes: Readable, admit: (length: number) => boolean, signal: AbortSignal | undefined): Promise<string | null> {
    this.dir ??= await mkdtemp(join(this.parent, 'airlock-archive-'));
    const path = join(this.dir, `${++this.files}.zip`);
    const gate = new Transform({
      transform(chunk: Buffer, _encoding, callback): void {
        callback(admit(chunk.length) ? null : new SpoolLimit(), chunk);
      },
    });
    try {
      await pipeline(bytes, gate, createWriteStream(path, { flags: 'wx', mode: 0o600 }), signal ? { signal } : {});
      return path;
    } catch (error) {
      await rm(path, { force: true });
      if (error instanceof SpoolLimit) return null;
      throw error;
    }
  }

  async remove(path: string): Promise<void> {
    await rm(path, { force: true });
  }

  /** Removes the folder and everything in it. */
  async close(): Promise<void> {
    if (this.dir === null) return;
    const dir = this.dir;
    this.dir = null;
    await rm(dir, { recursive: true, force: true });
  }
}

/** A spooled file as a ByteSource (and its handle, to close). */
export async function fileByteSource(path: string): Promise<ByteSource & { close(): Promise<void> }> {
  const handle: FileHandle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    size,
    async read(position: number, length: number): Promise<Buffer> {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
      let done = 0;
      while (done < buffer.length) {
        const { bytesRead } = await handle.read(buffer, done, buffer.length - done, position + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buffer.subarray(0, done);
    },
    stream(start = 0, end = size): Readable {
      if (end <= start) return Readable.from([]);
      return createReadStream(path, { start, end: end - 1 });
    },
    close: () => handle.close(),
  };
}
