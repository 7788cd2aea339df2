import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, sep } from 'node:path';

/** Whole small files on their way to staging: their absolute paths and sizes; their bytes lie back to back in one slot. */
export interface SmallFileBatch {
  paths: string[];
  sizes: number[];
}

/** The worker's shared buffer: `slots` slots of `slotBytes`, each holding one batch's bytes. */
export interface SmallFileWorkerData {
  slots: SharedArrayBuffer;
  slotBytes: number;
}

/** The messages between SmallFileQueue (small-file-queue.ts) and its worker (workers/small-file-worker.ts). */
export type SmallFileRequest = { op: 'batch'; slot: number; root: string; batch: SmallFileBatch };
export type SmallFileReply = { op: 'done'; slot: number } | { op: 'failed'; slot: number; path: string; code: string | undefined; message: string };

/**
 * Creates whole small files below `root`, each with O_EXCL and mode 0644 (as every staged file),
 * one synchronous open, write and close each: the work of one batch, on whichever thread runs it.
 */
export class SmallFileWriter {
  /** The folder the last file went into: files of one folder arrive together, so one mkdir each. */
  private lastParent: string | null = null;

  constructor(private readonly root: string) {}

  /** Create every file of `batch`, its bytes read from `bytes` in order; the first failure throws, naming its file (error.path). */
  writeBatch(batch: SmallFileBatch, bytes: Buffer): void {
    let at = 0;
    batch.paths.forEach((path, i) => {
      const size = batch.sizes[i] ?? 0;
      this.write(path, bytes.subarray(at, at + size));
      at += size;
    });
  }

  write(path: string, content: Buffer): void {
    // The host resolved and checked every path; this is the last line, not the first.
    if (!path.startsWith(this.root + sep)) throw Object.assign(new Error(`Refused to write outside staging: ${path}`), { path });
    const parent = dirname(path);
    if (parent !== this.root && parent !== this.lastParent) {
      mkdirSync(parent, { recursive: true, mode: 0o755 });
      this.lastParent = parent;
    }
    const fd = openSync(path, 'wx', 0o644);
    try {
      for (let offset = 0; offset < content.length;) offset += writeSync(fd, content, offset, content.length - offset);
    } finally {
      closeSync(fd);
    }
  }
}
