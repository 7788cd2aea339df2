import { open, statfs } from 'node:fs/promises';
import { AirlockError } from '../errors.js';
import { fsyncDirectory } from '../fs/durable.js';
import { SyncfsHelper } from './syncfs-helper.js';

/**
 * File systems whose syncfs(2) does not reach stable storage: FUSE (the kernel has nothing to
 * ask the daemon), NFS, CIFS/SMB. There every file and folder is fsynced instead.
 */
const SYNCFS_NOT_ENOUGH = new Set([0x65735546 /* FUSE */, 0x6969 /* NFS */, 0xff534d42 /* CIFS */, 0xfe534d42 /* SMB2 */]);

/** Staged between two background syncfs calls (StagedDurability.staged); about 0.1 s of this disk's writing. */
export const EARLY_SYNCFS_BYTES = 32 << 20;
/** What a small file counts besides its bytes: its inode, its folder entry, their journal blocks. */
const FILE_COST = 4096;

function flushFailed(error: unknown): AirlockError {
  return new AirlockError('IO_ERROR', `Flushing the staged files to disk failed: ${(error as Error).message}`, { cause: error });
}

/**
 * 'none': nothing is flushed, for staging that never outlives the process's own use of it (a
 * push-only import's spool, docs/design-notes.md "Push speed"): a power cut loses only what the
 * next run verifies again from the bundle.
 */
export type DurabilityMethod = 'syncfs' | 'fsync-each' | 'none';

/** How staged files are made durable on the file system holding `dir`. */
export async function durabilityMethodFor(dir: string, platform: NodeJS.Platform = process.platform): Promise<DurabilityMethod> {
  if (platform !== 'linux') return 'fsync-each';
  const { type } = await statfs(dir);
  return SYNCFS_NOT_ENOUGH.has(type) ? 'fsync-each' : 'syncfs';
}

/**
 * Everything staged under one folder made durable before the commit rename. With 'syncfs' one
 * syncfs(2) (`sync --file-system`) writes back every dirty file, folder and journal of the file
 * system and nothing is remembered per file, so a million staged files cost no memory here
 * (docs/design-notes.md §7 says why that is enough). With 'fsync-each' every created file and
 * folder is remembered and fsynced, folders deepest first.
 */
export class StagedDurability {
  private readonly files: string[] = [];
  private readonly directories = new Set<string>();
  /** The background syncfs in flight (one at a time), its first failure, and what was staged since the last one began. */
  private early: Promise<void> | null = null;
  private earlyFailure: unknown = null;
  private sinceEarly = 0;
  /** Background syncfs calls started so far. */
  earlyFlushes = 0;
  /** The syncfs helper per path (in practice the staging root's one), started on the first syncfs (syncfs-helper.ts). */
  private readonly helpers = new Map<string, SyncfsHelper>();

  constructor(
    readonly method: DurabilityMethod,
    private readonly earlyEvery = EARLY_SYNCFS_BYTES,
  ) {}

  /** Whether writes should start their writeback early (EarlyWriteback): not when nothing is flushed. */
  get flushes(): boolean {
    return this.method !== 'none';
  }

  fileCreated(path: string): void {
    if (this.method === 'fsync-each') this.files.push(path);
  }

  directoryCreated(dir: string): void {
    if (this.method === 'fsync-each') this.directories.add(dir);
  }

  /**
   * A small file of `bytes` staged under `root` (written whole, or queued to be). With 'syncfs',
   * every EARLY_SYNCFS_BYTES staged (a file counting FILE_COST more for its inode and folder
   * entry) one syncfs starts in the background, so the disk writes what is staged while this
   * process reads and hashes on: left alone, Linux keeps it all dirty until the final syncfs,
   * which then waits for every byte. Like EarlyWriteback for a large file: one at a time, and a
   * failed one fails the flush (a later syncfs need not report an error an earlier one met).
   */
  staged(root: string, bytes: number): void {
    if (this.method !== 'syncfs') return;
    this.sinceEarly += bytes + FILE_COST;
    if (this.sinceEarly < this.earlyEvery || this.early !== null) return;
    this.sinceEarly = 0;
    this.earlyFlushes += 1;
    this.early = this.syncFileSystem(root)
      .catch((error: unknown) => {
        this.earlyFailure ??= error;
      })
      .finally(() => {
        this.early = null;
      });
  }

  /** syncfs(2) of the file system holding `path`: Node has no call for it, coreutils' sync has; run by one helper per path. */
  private syncFileSystem(path: string): Promise<void> {
    let helper = this.helpers.get(path);
    if (helper === undefined) {
      helper = new SyncfsHelper(path);
      this.helpers.set(path, helper);
    }
    return helper.sync();
  }

  /** Nothing more will be flushed (the staging folder was committed or discarded): the syncfs helpers end. */
  close(): void {
    for (const helper of this.helpers.values()) helper.close();
    this.helpers.clear();
  }

  /** Flush everything staged under `root` (which is fsynced last). */
  async flush(root: string): Promise<void> {
    if (this.method === 'none') return;
    if (this.method === 'syncfs') {
      try {
        await this.early;
        if (this.earlyFailure !== null) throw flushFailed(this.earlyFailure);
        await this.syncFileSystem(root).catch((error: unknown) => {
          throw flushFailed(error);
        });
      } finally {
        // The last syncfs this staging folder asks for: its helper ends with it.
        this.close();
      }
    } else {
      for (const file of this.files) {
        const handle = await open(file, 'r');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
      const deepestFirst = [...this.directories].sort((a, b) => b.length - a.length);
      for (const dir of deepestFirst) await fsyncDirectory(dir);
    }
    await fsyncDirectory(root);
  }
}
