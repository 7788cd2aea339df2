import { execFile } from 'node:child_process';
import { closeSync, fsyncSync, mkdtempSync, openSync, renameSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { AirlockError } from '../errors.js';
import { fsyncDirectory } from '../fs/durable.js';
import { EarlyWriteback } from '../fs/early-writeback.js';
import { currentStamp } from '../fs/process-owner.js';
import type { PayloadFileWriter, PayloadSink } from '../verify/check-bundle.js';
import { OWNER_FILE, removeOwnedDirectory, STAGING_PREFIX, stagingInUse, type StagingOwner } from './staging-owner.js';

const run = promisify(execFile);

/**
 * mkdtemp and the owner file in one synchronous step: a JavaScript signal handler (the CLI's
 * second Ctrl-C exits) cannot run between the two, so a staging folder without its owner file
 * can only come from a kill -9 in that instant (and is then left alone, never deleted). The
 * owner file goes in under a temp name and is renamed, so it is whole or absent.
 */
function makeOwnedDirectory(destDir: string, bundlePath: string): string {
  const root = mkdtempSync(join(destDir, STAGING_PREFIX));
  const owner: StagingOwner = {
    airlock: 'staging-owner',
    version: 2,
    token: basename(root).slice(STAGING_PREFIX.length),
    owner: currentStamp(),
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    bundle: bundlePath,
  };
  const temp = join(root, `${OWNER_FILE}.tmp`);
  try {
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, JSON.stringify(owner));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, join(root, OWNER_FILE));
  } catch (error) {
    // A full disk, say: take the folder back rather than leave one without proof of whose it is.
    try {
      rmSync(temp, { force: true });
      rmdirSync(root);
    } catch {
      // The first failure is the one to report.
    }
    throw error;
  }
  return root;
}

/**
 * A private directory beside the destination (same file system, so the final rename is atomic):
 * `DIR/.airlock-staging-XXXXXX/` (mode 0700) holding owner.json and `payload/`. Payload files
 * are created here only by us, with fixed modes, never with the archive's modes or owners.
 */
export class StagingDirectory implements PayloadSink {
  private readonly createdDirs = new Set<string>();
  private readonly files: string[] = [];

  private constructor(
    readonly root: string,
    readonly payloadDir: string,
  ) {}

  static async create(destDir: string, bundlePath: string): Promise<StagingDirectory> {
    const root = makeOwnedDirectory(destDir, bundlePath);
    stagingInUse.add(root);
    // The owner file's name must survive a power cut before anything else lands here.
    await fsyncDirectory(root);
    const payloadDir = join(root, 'payload');
    await mkdir(payloadDir, { mode: 0o755 });
    return new StagingDirectory(root, payloadDir);
  }

  /** Resolve a payload path inside payload/, refusing anything that would land elsewhere. */
  private target(payloadPath: string): string {
    const full = resolve(this.payloadDir, payloadPath);
    if (!full.startsWith(this.payloadDir + sep)) throw new AirlockError('INTERNAL', `Refused to write outside staging: ${payloadPath}`);
    return full;
  }

  private async ensureParent(full: string): Promise<void> {
    const parent = dirname(full);
    if (parent === this.payloadDir || this.createdDirs.has(parent)) return;
    await mkdir(parent, { recursive: true, mode: 0o755 });
    for (let dir = parent; dir !== this.payloadDir && !this.createdDirs.has(dir); dir = dirname(dir)) this.createdDirs.add(dir);
  }

  async openFile(payloadPath: string): Promise<PayloadFileWriter> {
    const full = this.target(payloadPath);
    await this.ensureParent(full);
    // 'wx': a second entry for one path can never overwrite the first; 0644 whatever the archive said.
    const handle: FileHandle = await open(full, 'wx', 0o644);
    const writeback = new EarlyWriteback(handle);
    this.files.push(full);
    return {
      write: async (chunk) => {
        await handle.write(chunk);
        writeback.wrote(chunk.length);
      },
      close: async () => {
        try {
          await writeback.settle();
        } finally {
          await handle.close();
        }
      },
    };
  }

  /**
   * Make every staged byte durable before the rename publishes it. node-tar never fsyncs and
   * neither did our writes: on Linux one syncfs(2) (`sync --file-system`) flushes the whole
   * file system at once, far cheaper than an fsync per file for many small files; elsewhere
   * each file is fsynced. Directories are fsynced deepest first.
   */
  async makeDurable(): Promise<void> {
    if (process.platform === 'linux') {
      try {
        await run('sync', ['--file-system', this.payloadDir]);
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
    }
    const dirs = [...this.createdDirs].sort((a, b) => b.length - a.length);
    for (const dir of dirs) await fsyncDirectory(dir);
    await fsyncDirectory(this.payloadDir);
  }

  /** The commit point: payload/ becomes `target` in one rename. */
  async commitTo(target: string): Promise<void> {
    await rename(this.payloadDir, target);
    await fsyncDirectory(dirname(target));
  }

  /**
   * The owner file goes last (removeOwnedDirectory): a process stopped at any point in between
   * (a second Ctrl-C) leaves a folder that still proves whose it is, so the next import removes it.
   */
  async discard(): Promise<void> {
    try {
      await removeOwnedDirectory(this.root);
    } finally {
      // Also when rm failed: what is left is then a leftover a later sweep by this process may remove.
      stagingInUse.delete(this.root);
    }
  }
}

export { cleanLeftoverStaging } from './staging-owner.js';
