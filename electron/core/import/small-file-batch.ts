import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Files up to this size are gathered in memory and created in batches. */
export const SMALL_FILE_BYTES = 256 * 1024;
/** A batch is written when it holds this many files ... */
const BATCH_FILES = 512;
/** ... or this many bytes. */
const BATCH_BYTES = 8 << 20;

interface PendingFile {
  path: string;
  chunks: Buffer[];
}

/**
 * Small staged files, created in batches with synchronous calls instead of one asynchronous
 * open, write and close each. Each asynchronous call is a round trip through libuv's thread
 * pool; for an empty file that round trip is the whole cost, and on a busy machine 200,000
 * empty files spent minutes waiting for it. A batch of 512 files blocks the thread for a few
 * milliseconds (the import runs in a worker in the app, and in its own process from the CLI).
 *
 * Files are created with O_EXCL ('wx') and mode 0644, as every staged file is; a failure (no
 * space, a name that exists) throws from the call that wrote the batch, so the import fails
 * before its commit point, never after.
 */
export class SmallFileBatch {
  private pending: PendingFile[] = [];
  private pendingBytes = 0;
  /** The folder the last file went into: files of one folder arrive together, so one mkdir each. */
  private lastParent: string | null = null;

  /**
   * @param root files are only created below this folder, which exists.
   * @param madeDirectory told of every folder this batch created (for fsyncs where syncfs is not used).
   */
  constructor(
    private readonly root: string,
    private readonly madeDirectory: (dir: string) => void = () => undefined,
  ) {}

  /** Queue a whole small file (`chunks` are copied: the caller may reuse its buffers). */
  add(path: string, chunks: readonly Buffer[]): void {
    const copies = chunks.map((chunk) => Buffer.from(chunk));
    for (const chunk of copies) this.pendingBytes += chunk.length;
    this.pending.push({ path, chunks: copies });
    if (this.pending.length >= BATCH_FILES || this.pendingBytes >= BATCH_BYTES) this.flush();
  }

  /** Create every queued file now. */
  flush(): void {
    const files = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    for (const file of files) this.create(file);
  }

  private create(file: PendingFile): void {
    this.ensureParent(dirname(file.path));
    const fd = openSync(file.path, 'wx', 0o644);
    try {
      for (const chunk of file.chunks) {
        for (let offset = 0; offset < chunk.length; ) offset += writeSync(fd, chunk, offset, chunk.length - offset);
      }
    } finally {
      closeSync(fd);
    }
  }

  private ensureParent(parent: string): void {
    if (parent === this.root || parent === this.lastParent) return;
    const first = mkdirSync(parent, { recursive: true, mode: 0o755 });
    if (first !== undefined) {
      // mkdir -p made `first` and everything under it down to `parent`.
      for (let dir = parent; dir.length >= first.length; dir = dirname(dir)) this.madeDirectory(dir);
    }
    this.lastParent = parent;
  }
}
