import { execFile, type ExecFileOptionsWithStringEncoding } from 'node:child_process';
import { open, statfs } from 'node:fs/promises';
import { promisify } from 'node:util';
import { AirlockError } from '../errors.js';
import { fsyncDirectory } from '../fs/durable.js';

// promisify() per call, not when the module loads: reading execFile then would load child_process for every command that evaluates this module (scripts/cli-bundle.mjs, LAZY_BUILTINS).
const run = (
  file: string,
  args: readonly string[],
  options: Omit<ExecFileOptionsWithStringEncoding, 'encoding'> = {},
): Promise<{ stdout: string; stderr: string }> => promisify(execFile)(file, args, { ...options, encoding: 'utf8' });

/**
 * File systems whose syncfs(2) does not reach stable storage: FUSE (the kernel has nothing to
 * ask the daemon), NFS, CIFS/SMB. There every file and folder is fsynced instead.
 */
const SYNCFS_NOT_ENOUGH = new Set([0x65735546 /* FUSE */, 0x6969 /* NFS */, 0xff534d42 /* CIFS */, 0xfe534d42 /* SMB2 */]);

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

  constructor(readonly method: DurabilityMethod) {}

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

  /** Flush everything staged under `root` (which is fsynced last). */
  async flush(root: string): Promise<void> {
    if (this.method === 'none') return;
    if (this.method === 'syncfs') {
      try {
        await run('sync', ['--file-system', root]);
      } catch (error) {
        throw new AirlockError('IO_ERROR', `Flushing the staged files to disk failed: ${(error as Error).message}`, { cause: error });
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
