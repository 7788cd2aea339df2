import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { AirlockError } from '../errors.js';
import { fsyncDirectory } from '../fs/durable.js';
import { EarlyWriteback } from '../fs/early-writeback.js';
import type { PayloadFileWriter, PayloadSink } from '../verify/check-bundle.js';

const STAGING_PREFIX = '.airlock-staging-';
const OWNER_FILE = 'owner.json';
const run = promisify(execFile);

interface StagingOwner {
  pid: number;
  host: string;
  startedAt: string;
  bundle: string;
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
    const root = await mkdtemp(join(destDir, STAGING_PREFIX));
    const owner: StagingOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), bundle: bundlePath };
    await writeFile(join(root, OWNER_FILE), JSON.stringify(owner), { mode: 0o600 });
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

  async discard(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Staging directories left by an import that was killed: removed when their owner process is
 * gone; reported (and left) when it may still be running or when ownership is unclear.
 */
export async function cleanLeftoverStaging(destDir: string, now: Date = new Date()): Promise<{ removed: string[]; leftAlone: string[] }> {
  const removed: string[] = [];
  const leftAlone: string[] = [];
  for (const name of await readdir(destDir)) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const dir = join(destDir, name);
    let owner: StagingOwner | null;
    try {
      owner = JSON.parse(await readFile(join(dir, OWNER_FILE), 'utf8')) as StagingOwner;
    } catch {
      owner = null;
    }
    let stale: boolean;
    if (owner && typeof owner.pid === 'number') {
      stale = owner.host !== hostname() ? false : !isAlive(owner.pid);
    } else {
      // Killed between mkdtemp and owner.json: ours by its name; wait a while to be sure.
      const age = now.getTime() - (await stat(dir)).mtimeMs;
      stale = age > 10 * 60_000;
    }
    if (stale) {
      await rm(dir, { recursive: true, force: true });
      removed.push(dir);
    } else {
      leftAlone.push(dir);
    }
  }
  if (removed.length > 0) await fsyncDirectory(destDir);
  return { removed, leftAlone };
}
