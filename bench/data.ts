/**
 * Test data. Content comes from one random 1 MiB buffer reused for speed (generating 1 GiB of
 * real randomness would dominate the bench's run time), stamped with a running counter every
 * 4 KiB so no two blocks are equal: a filesystem or tool that compresses or deduplicates blocks
 * must not get an easier job than real payloads would give it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const CHUNK = 1024 * 1024;
const STAMP_EVERY = 4096;
/** Small files written at once: enough to keep the disk queue busy, few enough to keep fds and memory small. */
const SMALL_CONCURRENCY = 32;
const SMALL_DIRS = 100;

export interface DataSet {
  /** Directory holding the set's top directory (the cwd for hashing commands). */
  base: string;
  /** The set's top directory name under base; it becomes data/<dir>/ in a bundle. */
  dir: string;
  files: number;
  bytes: number;
}

/** Hands out distinct blocks: the shared random bytes with a fresh counter in every 4 KiB. */
class Filler {
  private readonly pattern = randomBytes(CHUNK);
  private counter = 0n;

  /** Fills buf (a fresh or reusable buffer) with the next unique bytes. */
  fill(buf: Buffer): Buffer {
    for (let at = 0; at < buf.length; at += CHUNK) this.pattern.copy(buf, at, 0, Math.min(CHUNK, buf.length - at));
    for (let at = 0; at + 8 <= buf.length; at += STAMP_EVERY) buf.writeBigUInt64LE(this.counter++, at);
    return buf;
  }
}

/** `files` files totalling exactly `bytes` (the last file takes the remainder). */
export async function generateLarge(base: string, dir: string, bytes: number, files: number): Promise<DataSet> {
  const root = join(base, dir);
  await mkdir(root, { recursive: true });
  const filler = new Filler();
  const chunk = Buffer.allocUnsafe(CHUNK);
  const each = Math.floor(bytes / files);
  for (let i = 0; i < files; i++) {
    const size = i === files - 1 ? bytes - each * (files - 1) : each;
    const handle = await open(join(root, `large-${String(i).padStart(3, '0')}.bin`), 'w');
    try {
      // One buffer, awaited write by write: memory stays at 1 MiB whatever the set size.
      for (let written = 0; written < size; written += CHUNK) {
        const n = Math.min(CHUNK, size - written);
        await handle.write(filler.fill(chunk), 0, n);
      }
    } finally {
      await handle.close();
    }
  }
  return { base, dir, files, bytes };
}

/** `files` files of `size` bytes each, round-robin over 100 directories like a real tree. */
export async function generateSmall(base: string, dir: string, files: number, size: number): Promise<DataSet> {
  const root = join(base, dir);
  const dirs = Math.min(SMALL_DIRS, files);
  for (let d = 0; d < dirs; d++) await mkdir(join(root, `d${String(d).padStart(2, '0')}`), { recursive: true });
  const filler = new Filler();
  let next = 0;
  const worker = async () => {
    while (next < files) {
      const i = next++;
      // A fresh buffer per file: writes are in flight concurrently, so one shared buffer would race.
      const content = filler.fill(Buffer.allocUnsafe(size));
      await writeFile(join(root, `d${String(i % dirs).padStart(2, '0')}`, `f${String(i).padStart(6, '0')}.bin`), content);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SMALL_CONCURRENCY, files) }, worker));
  return { base, dir, files, bytes: files * size };
}
