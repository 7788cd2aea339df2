/**
 * Verified bytes read again (contract.ts ByteSource), for what content inspection cannot do in the
 * one payload pass: a zip's central directory, an Office file's parts. Where the pass put the bytes
 * decides the source: the staged copy in an import, the bundle file at the entry's data offset in
 * verify, memory for a small staged file; a bundle with no file to read back (stdin, a split
 * bundle's chained parts) gets a private spool file written during the pass (SpoolFile).
 */
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ByteSource } from './contract.js';

/** A ByteSource over a file, holding one read handle from its first read until `close()`. */
export interface FileByteSource extends ByteSource {
  close(): Promise<void>;
}

/**
 * `size` bytes of the file at `path`, starting at `offset` (a tar entry's data inside the bundle,
 * or a whole staged file). One handle serves every read (a zip walk makes thousands of small
 * ones) until `close()`; streams open their own.
 */
export function fileRangeSource(path: string, offset: number, size: number): FileByteSource {
  const clamp = (position: number, length: number): number => Math.max(0, Math.min(length, size - position));
  let handle: Promise<FileHandle> | null = null;
  return {
    size,
    read: async (position, length, signal) => {
      signal?.throwIfAborted();
      const want = clamp(position, length);
      if (want === 0) return Buffer.alloc(0);
      handle ??= open(path, 'r');
      const file = await handle;
      const buffer = Buffer.alloc(want);
      let got = 0;
      while (got < want) {
        const { bytesRead } = await file.read(buffer, got, want - got, offset + position + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return buffer.subarray(0, got);
    },
    stream: (start = 0, end = size): ReadStream | Readable => {
      const from = Math.max(0, Math.min(start, size));
      const to = Math.max(from, Math.min(end, size));
      // createReadStream's `end` is inclusive, and an empty range must not read the whole file.
      if (to === from) return Readable.from([], { objectMode: false });
      return createReadStream(path, { start: offset + from, end: offset + to - 1, highWaterMark: 1 << 18 });
    },
    close: async () => {
      const opened = handle;
      handle = null;
      if (opened) await (await opened.catch(() => null))?.close();
    },
  };
}

/** Closes a source that holds a handle (fileRangeSource); nothing for one in memory. */
export async function closeSource(source: ByteSource | null): Promise<void> {
  const closable = source as Partial<FileByteSource> | null;
  await closable?.close?.().catch(() => undefined);
}

/** Bytes already in memory (a small staged file, at most a few hundred KiB); joined on first use. */
export function bufferSource(chunks: readonly Buffer[]): ByteSource {
  let joined: Buffer | null = null;
  const whole = (): Buffer => (joined ??= chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
  const size = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const slice = (start: number, end: number): Buffer => whole().subarray(Math.min(Math.max(0, start), size), Math.min(Math.max(0, end), size));
  return {
    size,
    read: async (position, length) => slice(position, position + length),
    stream: (start = 0, end = size) => {
      const bytes = slice(start, end);
      return Readable.from(bytes.length > 0 ? [bytes] : [], { objectMode: false });
    },
  };
}

/**
 * A private copy of one payload file, written as its chunks pass (never a second read of the
 * bundle), in a folder of its own under the OS temp dir (mode 0700 by mkdtemp). Removed by
 * `remove()`, which the inspector calls once the file is inspected, whatever the outcome.
 */
export class SpoolFile {
  private constructor(
    private readonly dir: string,
    private readonly path: string,
    private handle: FileHandle | null,
    private size = 0,
  ) {}

  static async create(): Promise<SpoolFile> {
    const dir = await mkdtemp(join(tmpdir(), 'airlock-inspect-'));
    const path = join(dir, 'spooled');
    try {
      return new SpoolFile(dir, path, await open(path, 'wx', 0o600));
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  async write(chunk: Buffer): Promise<void> {
    if (!this.handle) throw new Error('spool file already closed');
    let written = 0;
    while (written < chunk.length) {
      const { bytesWritten } = await this.handle.write(chunk, written, chunk.length - written);
      written += bytesWritten;
    }
    this.size += chunk.length;
  }

  private reader: FileByteSource | null = null;

  /** Everything written so far, readable again. */
  async source(): Promise<ByteSource> {
    await this.handle?.close();
    this.handle = null;
    this.reader ??= fileRangeSource(this.path, 0, this.size);
    return this.reader;
  }

  async remove(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => undefined);
    await this.reader?.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
