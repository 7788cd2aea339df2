import { closeSync, fsyncSync, mkdtempSync, openSync, renameSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { AirlockError } from '../errors.js';
import { fsyncDirectory } from '../fs/durable.js';
import { EARLY_WRITEBACK_BYTES, EarlyWriteback } from '../fs/early-writeback.js';
import { currentStamp, stampTag } from '../fs/process-owner.js';
import type { AheadFile, AheadFiles, PayloadFileWriter, PayloadSink, WrittenAhead } from '../verify/check-bundle.js';
import { bufferSource, fileRangeSource } from '../inspect/byte-sources.js';
import { SMALL_FILE_BYTES, SmallFileStager } from './small-file.js';
import { SmallFileQueue } from './small-file-queue.js';
import { foldsNames } from '../fs/name-folding.js';
import { durabilityMethodFor, StagedDurability, type DurabilityMethod } from './staged-durability.js';
import { makePlaceholder, PLACEHOLDER_FILE, removeIfStillOurs, renameReplacesEmptyFolders, type PlaceholderRecord } from './destination-placeholder.js';
import { OWNER_FILE, removeOwnedDirectory, STAGING_PREFIX, stagingInUse, type StagingOwner } from './staging-owner.js';

/**
 * The folder is named `.airlock-staging-al-HOST-BOOT-PID-START-THREAD-XXXXXX` (stampTag): its name
 * proves whose it is from the instant mkdtemp makes it, so a kill -9 before the owner file is in
 * (a few system calls, but on a loaded machine the process can sit descheduled between them and a
 * random kill lands there) leaves a folder the next import can still prove dead and remove. The
 * owner file says the same for folders of earlier versions' names, and carries the bundle path for
 * the operator. It goes in under a temp name and is renamed, so it is whole or absent, in the same
 * synchronous step as the mkdtemp (no JavaScript signal handler in between); its fsync comes after
 * the rename.
 */
function makeOwnedDirectory(destDir: string, bundlePath: string): string {
  const stamp = currentStamp();
  const root = mkdtempSync(join(destDir, `${STAGING_PREFIX}${stampTag(stamp)}-`));
  const owner: StagingOwner = {
    airlock: 'staging-owner',
    version: 2,
    token: basename(root).slice(STAGING_PREFIX.length),
    owner: stamp,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    bundle: bundlePath,
  };
  const temp = join(root, `${OWNER_FILE}.tmp`);
  try {
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, JSON.stringify(owner));
      renameSync(temp, join(root, OWNER_FILE));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
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
 * `DIR/.airlock-staging-al-…-XXXXXX/` (mode 0700) holding owner.json and `payload/`. Payload files
 * are created here only by us, with fixed modes, never with the archive's modes or owners.
 */
export class StagingDirectory implements PayloadSink {
  /** The folder the last large file went into (files of one folder arrive together). */
  private lastParent: string | null = null;
  private durabilityReady: Promise<StagedDurability> | null = null;
  private small: SmallFileStager | null = null;
  private queue: SmallFileQueue | null = null;
  /** How small files are created, decided at the first one (smallFileMode). */
  private smallMode: SmallFileMode | null;
  /** The empty folder this import made at DIR/NAME for its commit, until the rename replaces it. */
  private placeholder: PlaceholderRecord | null = null;
  /** Files the verify pass's lanes write large payload files into, ahead of the walk (see writesAhead). */
  private aheadDir: Promise<string> | null = null;
  private aheadCount = 0;

  private constructor(
    readonly root: string,
    readonly payloadDir: string,
    private readonly durable: boolean,
    smallFiles: SmallFileMode | undefined,
  ) {
    this.smallMode = smallFiles ?? null;
  }

  /**
   * `durable: false` (a push-only import's spool) skips every flush of staged bytes: no early
   * writeback, no syncfs or fsyncs before the commit. The owner file is still flushed: it is what
   * lets a later import sweep the folder after a crash.
   */
  static async create(
    destDir: string,
    bundlePath: string,
    options: { durable?: boolean | undefined; smallFiles?: SmallFileMode | undefined } = {},
  ): Promise<StagingDirectory> {
    const root = makeOwnedDirectory(destDir, bundlePath);
    stagingInUse.add(root);
    // The owner file's name must survive a power cut before anything else lands here.
    await fsyncDirectory(root);
    const payloadDir = join(root, 'payload');
    await mkdir(payloadDir, { mode: 0o755 });
    return new StagingDirectory(root, payloadDir, options.durable !== false, options.smallFiles);
  }

  /** Resolve a payload path inside payload/, refusing anything that would land elsewhere. */
  private target(payloadPath: string): string {
    const full = resolve(this.payloadDir, payloadPath);
    if (!full.startsWith(this.payloadDir + sep)) throw new AirlockError('INTERNAL', `Refused to write outside staging: ${payloadPath}`);
    return full;
  }

  /** How this file system is made durable, decided once (it costs a statfs); 'none' when staged without durability. */
  private durability(): Promise<StagedDurability> {
    this.durabilityReady ??= this.durable
      ? durabilityMethodFor(this.payloadDir).then((method) => new StagedDurability(method))
      : Promise.resolve(new StagedDurability('none'));
    return this.durabilityReady;
  }

  /** How makeDurable() flushes what is staged here. */
  async durabilityMethod(): Promise<DurabilityMethod> {
    return (await this.durability()).method;
  }

  private async ensureParent(full: string, durability: StagedDurability): Promise<void> {
    const parent = dirname(full);
    if (parent === this.payloadDir || parent === this.lastParent) return;
    const first = await mkdir(parent, { recursive: true, mode: 0o755 });
    // mkdir -p made `first` and everything under it down to `parent`.
    if (first !== undefined) for (let dir = parent; dir.length >= first.length; dir = dirname(dir)) durability.directoryCreated(dir);
    this.lastParent = parent;
  }

  /**
   * Large files are written by the verify pass's lanes on both cores as they hash them
   * (verify/parallel/parallel-payload.ts), ahead of the walk, into `ahead/N` beside payload/
   * (unreachable from DIR until the commit, and never under a payload name). When the walk reaches
   * the entry, openFile creates the payload name as for any file (exclusive: a duplicate is still
   * EEXIST at that entry), and the writer's close(true), after the digest matched the signed
   * manifest, renames the written file over that empty file of ours. A file that failed its
   * checksum keeps its empty name; the import fails and the staging folder goes.
   */
  readonly writesAhead: AheadFiles = {
    minBytes: SMALL_FILE_BYTES + 1,
    create: (size) => this.createAhead(size),
  };

  private async createAhead(_size: number): Promise<AheadFile> {
    const durability = await this.durability();
    const dir = await (this.aheadDir ??= mkdir(join(this.root, 'ahead'), { mode: 0o700 }).then(() => join(this.root, 'ahead')));
    this.aheadCount += 1;
    const path = join(dir, String(this.aheadCount));
    const handle: FileHandle = await open(path, 'wx', 0o644);
    return {
      path,
      fd: handle.fd,
      flushEvery: durability.flushes ? EARLY_WRITEBACK_BYTES : 0,
      close: () => handle.close(),
    };
  }

  async openFile(payloadPath: string, size: number, _archiveOffset?: number, writtenAhead?: WrittenAhead): Promise<PayloadFileWriter> {
    const full = this.target(payloadPath);
    const durability = await this.durability();
    if (writtenAhead !== undefined) return this.adopting(full, size, durability, writtenAhead);
    if (size <= SMALL_FILE_BYTES) return this.smallFile(full, durability);
    await this.ensureParent(full, durability);
    // 'wx': a second entry for one path can never overwrite the first; 0644 whatever the archive said.
    const handle: FileHandle = await open(full, 'wx', 0o644);
    const writeback = durability.flushes ? new EarlyWriteback(handle) : null;
    durability.fileCreated(full);
    return {
      write: async (chunk) => {
        await handle.write(chunk);
        writeback?.wrote(chunk.length);
      },
      close: async () => {
        try {
          await writeback?.settle();
        } finally {
          await handle.close();
        }
      },
      written: () => fileRangeSource(full, 0, size),
    };
  }

  /** The payload name made now (exclusively, 0644, empty); the lanes' file renamed over it once verified. */
  private async adopting(full: string, size: number, durability: StagedDurability, ahead: WrittenAhead): Promise<PayloadFileWriter> {
    await this.ensureParent(full, durability);
    await (await open(full, 'wx', 0o644)).close();
    durability.fileCreated(full);
    return {
      takesBytes: false,
      write: async () => {
        throw new AirlockError('INTERNAL', `${full} is written by the verify pass's lanes, not through its writer.`);
      },
      close: async (verified) => {
        if (verified) await rename(await ahead.file, full);
      },
      written: () => fileRangeSource(full, 0, size),
    };
  }

  /**
   * 'queued' (small-file-queue.ts: created when whole, in batches on the other core) where nothing
   * is remembered per file (syncfs, or no flush) and the file system compares names byte for
   * byte; else 'at-open' (small-file.ts: created on this thread when opened, so a name the file
   * system takes for one already there is EEXIST for that entry, and fsync-each sees every file).
   */
  private smallFileMode(durability: StagedDurability): SmallFileMode {
    this.smallMode ??= durability.method === 'fsync-each' ? 'at-open' : chooseSmallFileMode(durability.method, foldsNames(this.root));
    return this.smallMode;
  }

  /** A small file is written when whole: queued for the other core, or created now and written on this thread. */
  private smallFile(full: string, durability: StagedDurability): PayloadFileWriter {
    if (this.smallFileMode(durability) === 'queued') {
      const queue = (this.queue ??= new SmallFileQueue(this.payloadDir));
      const chunks: Buffer[] = [];
      return {
        write: async (chunk) => {
          chunks.push(chunk);
        },
        // A file that failed its checksum fails the import: its name is created, none of its bytes.
        close: async (verified) => {
          await queue.add(full, verified ? chunks : []);
          durability.staged(this.payloadDir, verified ? byteLength(chunks) : 0);
        },
        written: () => bufferSource(chunks),
      };
    }
    this.small ??= new SmallFileStager(this.payloadDir, (dir) => durability.directoryCreated(dir));
    const file = this.small.create(full);
    durability.fileCreated(full);
    const chunks: Buffer[] = [];
    return {
      write: async (chunk) => {
        chunks.push(chunk);
      },
      // A file that failed its checksum fails the import: its bytes are never written.
      close: async (verified) => {
        file.finish(verified ? chunks : []);
        durability.staged(this.payloadDir, verified ? byteLength(chunks) : 0);
      },
      written: () => bufferSource(chunks),
    };
  }

  /**
   * Make every staged byte durable before the rename publishes it: on Linux one syncfs(2) of
   * the staging file system, elsewhere (and on FUSE and network file systems) an fsync per file
   * and folder (staged-durability.ts).
   */
  async makeDurable(): Promise<void> {
    // Every queued small file exists before the flush that makes it durable.
    await this.queue?.drain();
    await (await this.durability()).flush(this.payloadDir);
  }

  /**
   * The commit point: payload/ becomes `target` in one rename, over an empty folder this import
   * made there itself (destination-placeholder.ts), so no folder of anyone else's is ever
   * replaced: one made before ours is EEXIST, something put in ours is ENOTEMPTY.
   */
  async commitTo(target: string): Promise<void> {
    // One synchronous step from the placeholder to the rename: no signal handler runs in between,
    // and only a kill -9 in those few system calls leaves the empty placeholder (swept with its staging folder).
    if (renameReplacesEmptyFolders) this.placeholder = makePlaceholder(this.root, target);
    renameSync(this.payloadDir, target);
    // The placeholder is gone (replaced); its record goes at once, before its inode number can be reused.
    this.placeholder = null;
    rmSync(join(this.root, PLACEHOLDER_FILE), { force: true });
    await fsyncDirectory(dirname(target));
  }

  /**
   * The owner file goes last (removeOwnedDirectory): a process stopped at any point in between
   * (a second Ctrl-C) leaves a folder that still proves whose it is, so the next import removes it.
   */
  async discard(): Promise<void> {
    // Nothing more is flushed: the syncfs helper ends (a syncfs running finishes on its own; nothing waits for it).
    void this.durabilityReady?.then(
      (durability) => durability.close(),
      () => undefined,
    );
    try {
      // No file may be created while the folder is removed.
      await this.queue?.stop();
      // A commit that failed after making its placeholder takes it back (only if still ours and empty).
      if (this.placeholder !== null) removeIfStillOurs(this.placeholder);
      this.placeholder = null;
      await removeOwnedDirectory(this.root);
    } finally {
      // Also when rm failed: what is left is then a leftover a later sweep by this process may remove.
      stagingInUse.delete(this.root);
    }
  }
}

function byteLength(chunks: readonly Buffer[]): number {
  let bytes = 0;
  for (const chunk of chunks) bytes += chunk.length;
  return bytes;
}

/** How small staged files are created (StagingDirectory.smallFileMode); tests force one. */
export type SmallFileMode = 'queued' | 'at-open';

/** Queued only where nothing is remembered per file (fsync-each needs every name) and no two names the verify step keeps apart can meet. */
export function chooseSmallFileMode(method: DurabilityMethod, foldsNames: boolean): SmallFileMode {
  return method !== 'fsync-each' && !foldsNames ? 'queued' : 'at-open';
}

export { cleanLeftoverStaging } from './staging-owner.js';
