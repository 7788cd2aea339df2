import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Files up to this size are staged with synchronous calls, their bytes held until the file is whole. */
export const SMALL_FILE_BYTES = 256 * 1024;

/**
 * Creates small staged files with synchronous calls instead of an asynchronous open, write and
 * close each. Every asynchronous call is a round trip through libuv's thread pool; for an empty
 * file that round trip is the whole cost, and on a busy machine 200,000 empty files spent
 * minutes waiting for it. One synchronous create costs tens of microseconds, so the thread is
 * never held long (the import runs in a worker in the app, and in its own process from the CLI).
 *
 * The file is created (O_EXCL, mode 0644, as every staged file) when it is opened, so a name the
 * file system already holds is EEXIST at once, for that entry; its bytes are written when it is
 * whole and verified. A failure throws from the call that met it, before the import's commit point.
 */
export class SmallFileStager {
  /** The folder the last file went into: files of one folder arrive together, so one mkdir each. */
  private lastParent: string | null = null;

  /**
   * @param root files are only created below this folder, which exists.
   * @param madeDirectory told of every folder this made (for fsyncs where syncfs is not used).
   */
  constructor(
    private readonly root: string,
    private readonly madeDirectory: (dir: string) => void = () => undefined,
  ) {}

  /** Create `path` (exclusively); `write` the whole content later, then it is closed. */
  create(path: string): SmallFile {
    this.ensureParent(dirname(path));
    return new SmallFile(openSync(path, 'wx', 0o644));
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

export class SmallFile {
  private fd: number | null;

  constructor(fd: number) {
    this.fd = fd;
  }

  /** Write every chunk in order and close; or, with no chunks to write, just close. */
  finish(chunks: readonly Buffer[]): void {
    const fd = this.fd;
    if (fd === null) return;
    this.fd = null;
    try {
      for (const chunk of chunks) {
        for (let offset = 0; offset < chunk.length;) offset += writeSync(fd, chunk, offset, chunk.length - offset);
      }
    } finally {
      closeSync(fd);
    }
  }
}
