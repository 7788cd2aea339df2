import { hostname } from 'node:os';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { AirlockError } from '../errors.js';
import { fsyncDirectory } from '../fs/durable.js';
import { EarlyWriteback } from '../fs/early-writeback.js';
import { removeTree } from '../fs/remove-tree.js';
import type { PayloadFileWriter, PayloadSink } from '../verify/check-bundle.js';
import { SMALL_FILE_BYTES, SmallFileStager } from './small-file.js';
import { durabilityMethodFor, StagedDurability } from './staged-durability.js';

const STAGING_PREFIX = '.airlock-staging-';
const OWNER_FILE = 'owner.json';

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
  /** The folder the last large file went into (files of one folder arrive together). */
  private lastParent: string | null = null;
  private durabilityReady: Promise<StagedDurability> | null = null;
  private small: SmallFileStager | null = null;

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

  /** How this file system is made durable, decided once (it costs a statfs). */
  private durability(): Promise<StagedDurability> {
    this.durabilityReady ??= durabilityMethodFor(this.payloadDir).then((method) => new StagedDurability(method));
    return this.durabilityReady;
  }

  private async ensureParent(full: string, durability: StagedDurability): Promise<void> {
    const parent = dirname(full);
    if (parent === this.payloadDir || parent === this.lastParent) return;
    const first = await mkdir(parent, { recursive: true, mode: 0o755 });
    // mkdir -p made `first` and everything under it down to `parent`.
    if (first !== undefined) for (let dir = parent; dir.length >= first.length; dir = dirname(dir)) durability.directoryCreated(dir);
    this.lastParent = parent;
  }

  async openFile(payloadPath: string, size: number): Promise<PayloadFileWriter> {
    const full = this.target(payloadPath);
    const durability = await this.durability();
    if (size <= SMALL_FILE_BYTES) return this.smallFile(full, durability);
    await this.ensureParent(full, durability);
    // 'wx': a second entry for one path can never overwrite the first; 0644 whatever the archive said.
    const handle: FileHandle = await open(full, 'wx', 0o644);
    const writeback = new EarlyWriteback(handle);
    durability.fileCreated(full);
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

  /** A small file is created now and written when whole, with synchronous calls (small-file.ts). */
  private smallFile(full: string, durability: StagedDurability): PayloadFileWriter {
    this.small ??= new SmallFileStager(this.payloadDir, (dir) => durability.directoryCreated(dir));
    const file = this.small.create(full);
    durability.fileCreated(full);
    const chunks: Buffer[] = [];
    return {
      write: async (chunk) => {
        chunks.push(chunk);
      },
      // A file that failed its checksum fails the import: its bytes are never written.
      close: async (verified) => file.finish(verified ? chunks : []),
    };
  }

  /**
   * Make every staged byte durable before the rename publishes it: on Linux one syncfs(2) of
   * the staging file system, elsewhere (and on FUSE and network file systems) an fsync per file
   * and folder (staged-durability.ts).
   */
  async makeDurable(): Promise<void> {
    await (await this.durability()).flush(this.payloadDir);
  }

  /** The commit point: payload/ becomes `target` in one rename. */
  async commitTo(target: string): Promise<void> {
    await rename(this.payloadDir, target);
    await fsyncDirectory(dirname(target));
  }

  async discard(): Promise<void> {
    // Not fs.rm: it starts the removal of every staged file at once (420 MB for 200,000 files).
    await removeTree(this.root);
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
