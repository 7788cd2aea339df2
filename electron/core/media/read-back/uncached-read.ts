/**
 * Reading a file back from the medium, not from the page cache (SECURITY-NOTES, "Media and
 * files"). On Linux the reading is O_DIRECT in this process (direct-read.ts finds aligned
 * buffers); where no aligned buffer can be found it is done by `dd iflag=direct` (dd aligns
 * its own buffer) and Node hashes dd's stdout.
 *
 * - Local file systems (ext4, vfat, exfat, ...): O_DIRECT on the file. Where the kernel refuses
 *   O_DIRECT (EINVAL, e.g. tmpfs), `dd iflag=nocache` drops the file's cached pages before and
 *   while reading (posix_fadvise DONTNEED; the pages are clean after the fsync).
 * - FUSE (fusefat): O_DIRECT on the FUSE file only skips FUSE's own cache; the daemon reads
 *   the block device through the device's buffer cache, which still holds what was written.
 *   So the device's buffers are dropped first (BLKFLSBUF via `blockdev --flushbufs`, root
 *   only), then the file is read with O_DIRECT. Without the device or the privilege the
 *   result says the cache was not bypassed.
 * - macOS: `dd` has no cache flag and Node has no F_NOCACHE; the plan is to unmount and
 *   mount the volume again (diskutil), which drops its cached pages, then read.
 * - Windows: unbuffered reads (FILE_FLAG_NO_BUFFERING) need sector-aligned buffers Node cannot
 *   give; until a native helper exists the read is buffered and reported as such.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { relative, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { ReadBackMethod } from '../../../../shared/media.js';
import type { BackgroundSha256 } from '../../crypto/background-sha256.js';
import { sha256 } from '../../crypto/sha256.js';
import { AirlockError } from '../../errors.js';
import { DIRECT_READ_BYTES, DirectReader, readDirect } from './direct-read.js';
import { isFuse, mountDevice, mountOfPath } from '../os/mount-table.js';
import { runTool } from '../os/run-tool.js';

export interface ReadPlan {
  method: ReadBackMethod;
  bypassesCache: boolean;
  detail: string;
  /** The block device whose buffers are dropped before each read (flushbufs+o-direct). */
  device: string | null;
  /** macOS remount: the device and mount point to remount. */
  remount?: { device: string; mountPoint: string };
}

const DD_BLOCK = '4M';

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** dd exits non-zero with "Invalid argument" when the file system refuses O_DIRECT. */
async function directRefused(sample: string): Promise<string | null> {
  const out = await runTool('dd', [`if=${sample}`, 'of=/dev/null', 'iflag=direct', 'bs=4096', 'count=1', 'status=none']).catch(() => null);
  if (out === null) return 'dd is not available';
  return out.code === 0 ? null : out.stderr.trim() || `dd exited ${out.code}`;
}

/**
 * Decide how to read files under the mount that holds `sample` (a file just written there):
 * which method, whether it really bypasses caches, and why.
 */
export async function planUncachedRead(
  sample: string,
  platform: NodeJS.Platform = process.platform,
  volume?: { device: string | null; mountPoint: string | null },
): Promise<ReadPlan> {
  if (platform === 'win32') {
    return {
      method: 'buffered',
      bypassesCache: false,
      detail: 'Windows: unbuffered reads need a native helper (FILE_FLAG_NO_BUFFERING with aligned buffers); read through the cache.',
      device: null,
    };
  }
  if (platform === 'darwin') {
    if (volume?.device && volume.mountPoint) return remountPlan(volume.device, volume.mountPoint);
    return {
      method: 'buffered',
      bypassesCache: false,
      detail: 'macOS: dd has no cache flag and F_NOCACHE is not reachable from Node; use remount (diskutil unmount/mount) to read past the cache.',
      device: null,
    };
  }
  const mount = await mountOfPath(sample);
  if (mount && isFuse(mount)) {
    const device = await mountDevice(mount);
    const isBlock =
      device !== null &&
      (await stat(device).then(
        (s) => s.isBlockDevice(),
        () => false,
      ));
    if (isBlock && isRoot()) {
      const flushed = await runTool('blockdev', ['--flushbufs', device]).catch(() => null);
      if (flushed && flushed.code === 0 && (await directRefused(sample)) === null) {
        return {
          method: 'flushbufs+o-direct',
          bypassesCache: true,
          detail: `${mount.fstype}: dropped ${device}'s buffer cache (BLKFLSBUF), then O_DIRECT reads through the FUSE daemon.`,
          device,
        };
      }
    }
    const why = device === null ? 'the device behind it is unknown' : !isBlock ? `${device} is not a block device` : 'dropping the device buffers needs root';
    return {
      method: 'fadvise-dontneed',
      bypassesCache: false,
      detail: `${mount.fstype}: ${why}; the FUSE daemon may answer from the device's cache.`,
      device: null,
    };
  }
  const refused = await directRefused(sample);
  if (refused === null)
    return {
      method: 'o-direct',
      bypassesCache: true,
      detail: `${mount?.fstype ?? 'file system'}: O_DIRECT reads (aligned buffers, ${DIRECT_READ_BYTES >> 20} MiB per read; dd iflag=direct where no aligned buffer is found).`,
      device: null,
    };
  return {
    method: 'fadvise-dontneed',
    bypassesCache: true,
    detail: `${mount?.fstype ?? 'file system'} refused O_DIRECT (${refused}); cached pages dropped before and while reading (posix_fadvise DONTNEED).`,
    device: null,
  };
}

/** macOS plan: remount, then read. Not run on Linux. */
export function remountPlan(device: string, mountPoint: string): ReadPlan {
  return {
    method: 'remount',
    bypassesCache: true,
    detail: `unmounted and mounted ${device} again (diskutil), then read.`,
    device: null,
    remount: { device, mountPoint },
  };
}

async function prepare(path: string, plan: ReadPlan): Promise<string> {
  if (plan.method === 'flushbufs+o-direct' && plan.device) {
    const out = await runTool('blockdev', ['--flushbufs', plan.device]);
    if (out.code !== 0) throw new AirlockError('IO_ERROR', `blockdev --flushbufs ${plan.device}: ${out.stderr.trim()}`, { path });
  }
  if (plan.method === 'fadvise-dontneed') {
    // count=0 with nocache: drop every cached page of the file before reading it.
    await runTool('dd', [`if=${path}`, 'iflag=nocache', 'count=0', 'status=none']).catch(() => null);
  }
  if (plan.method === 'remount' && plan.remount) {
    const { device, mountPoint } = plan.remount;
    const off = await runTool('diskutil', ['unmount', device]);
    const on = off.code === 0 ? await runTool('diskutil', ['mount', device]) : off;
    if (on.code !== 0) throw new AirlockError('IO_ERROR', `diskutil could not remount ${device}: ${on.stderr.trim()}`, { path });
    return join(mountPoint, relative(mountPoint, path));
  }
  return path;
}

/**
 * O_DIRECT reads go by segment: one dd per 32 MiB (a single O_DIRECT read the kernel splits
 * into many requests), two in flight, so the next segment comes off the medium while the
 * previous one is still flowing through the pipe and being hashed. One dd for the whole file
 * would alternate: read 4 MiB, wait for the pipe, read again.
 */
const SEGMENT_BYTES = 32 << 20;
const SEGMENTS_IN_FLIGHT = 2;

interface Segment {
  child: ChildProcess;
  /**
   * dd's output, taken from its pipe at once: Node discards what an exited child wrote to a
   * stdout nobody reads (a short last segment is often done before its turn comes).
   */
  output: PassThrough;
  done: Promise<void>;
}

function ddSegment(path: string, offset: number, length: number, signal: AbortSignal | undefined): Segment {
  const child = spawn('dd', [`if=${path}`, 'iflag=direct,skip_bytes,count_bytes', `skip=${offset}`, `count=${length}`, `bs=${SEGMENT_BYTES}`, 'status=none'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    signal,
  });
  const errors: Buffer[] = [];
  child.stderr?.on('data', (chunk: Buffer) => errors.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new AirlockError('IO_ERROR', `Reading ${path} back failed: ${Buffer.concat(errors).toString('utf8').trim() || `dd exited ${String(code)}`}`, {
            path,
          }),
        );
    });
  });
  done.catch(() => undefined);
  const output = new PassThrough({ highWaterMark: 1 << 20 });
  child.stdout?.pipe(output);
  return { child, output, done };
}

async function pumpSegments(path: string, out: PassThrough, signal: AbortSignal | undefined): Promise<void> {
  const size = await stat(path).then(
    (s) => s.size,
    (error: unknown) => {
      throw new AirlockError('IO_ERROR', `Reading ${path} back failed: ${(error as Error).message}`, { path, cause: error });
    },
  );
  const offsets: number[] = [];
  for (let at = 0; at < size; at += SEGMENT_BYTES) offsets.push(at);
  const running: Segment[] = [];
  const start = (): void => {
    const at = offsets.shift();
    // A whole segment is asked for even at the end: O_DIRECT needs aligned lengths, and dd stops at end of file.
    if (at !== undefined) running.push(ddSegment(path, at, SEGMENT_BYTES, signal));
  };
  const stopAll = (): void => {
    for (const segment of running) if (segment.child.exitCode === null) segment.child.kill('SIGTERM');
  };
  out.once('close', stopAll);
  try {
    for (let i = 0; i < SEGMENTS_IN_FLIGHT; i += 1) start();
    while (running.length > 0) {
      const segment = running[0] as Segment;
      for await (const chunk of segment.output) {
        if (!out.write(chunk)) {
          await new Promise<void>((resolve) => {
            out.once('drain', resolve);
            out.once('close', resolve);
          });
        }
        if (out.destroyed) return;
      }
      await segment.done;
      running.shift();
      start();
    }
    out.end();
  } finally {
    stopAll();
  }
}

function usesDirectIo(plan: ReadPlan): boolean {
  return plan.method === 'o-direct' || plan.method === 'flushbufs+o-direct';
}

/** A failed read-back names the file; the errno stays reachable as the cause (a vanished medium is told apart). */
function readBackError(path: string, error: unknown): AirlockError {
  if (error instanceof AirlockError) return error;
  return new AirlockError('IO_ERROR', `Reading ${path} back failed: ${error instanceof Error ? error.message : String(error)}`, { path, cause: error });
}

/**
 * Kernel file systems get two reads queued ahead (a device delivers more with requests queued).
 * Through FUSE the reads stay strictly one after another on the descriptor: fusefat walks the
 * cluster chain from the start for a read that does not follow the previous one, which turned a
 * 4 GiB read-back into a crawl (about 2 MB/s) with two reads in flight.
 */
function openDirect(path: string, plan: ReadPlan): DirectReader | null {
  try {
    return DirectReader.open(path, plan.method === 'flushbufs+o-direct' ? 2 : 3);
  } catch (error) {
    throw readBackError(path, error);
  }
}

/** The file's bytes as the plan reads them. A failed read (EIO, a vanished medium) errors the stream. */
export function openUncached(path: string, plan: ReadPlan, signal?: AbortSignal): Readable {
  const out = new PassThrough({ highWaterMark: 4 << 20 });
  void (async () => {
    const target = await prepare(path, plan);
    const direct = usesDirectIo(plan) ? openDirect(target, plan) : null;
    if (direct) {
      // Copies: the stream's consumer may hold a chunk past the next read.
      const source = Readable.from(readDirect(direct, { copy: true, signal }), { objectMode: false });
      source.once('close', () => direct.close());
      source.on('error', (error) => out.destroy(readBackError(path, error)));
      source.pipe(out);
      return;
    }
    if (usesDirectIo(plan)) {
      await pumpSegments(target, out, signal);
      return;
    }
    if (plan.method !== 'fadvise-dontneed') {
      const plain = createReadStream(target, { highWaterMark: 1 << 20 });
      plain.on('error', (error) => out.destroy(error));
      plain.pipe(out);
      return;
    }
    const child = spawn('dd', [`if=${target}`, 'iflag=nocache', `bs=${DD_BLOCK}`, 'status=none'], { stdio: ['ignore', 'pipe', 'pipe'], signal });
    const errors: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
    child.stdout.pipe(out, { end: false });
    child.on('error', (error) => out.destroy(error));
    child.on('close', (code) => {
      if (code === 0) out.end();
      else
        out.destroy(
          new AirlockError('IO_ERROR', `Reading ${path} back failed: ${Buffer.concat(errors).toString('utf8').trim() || `dd exited ${String(code)}`}`, {
            path,
          }),
        );
    });
    out.on('close', () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    });
  })().catch((error: unknown) => out.destroy(error as Error));
  return out;
}

/** Where the read-back's bytes are hashed: here, or on another core. */
interface ReadBackHash {
  /** Resolves once `chunk` is hashed or copied (its buffer may then be reused). */
  update(chunk: Buffer): Promise<void> | void;
  digest(): Promise<string>;
  /** Let go of a hash that will not be finished (the read failed). */
  release(): void;
}

function readBackHash(hasher: BackgroundSha256 | null | undefined): ReadBackHash {
  if (!hasher) {
    const hash = sha256();
    return { update: (chunk) => void hash.update(chunk), digest: () => Promise.resolve(hash.digest('hex')), release: () => undefined };
  }
  const id = hasher.start();
  let done = false;
  return {
    update: (chunk) => hasher.update([id], chunk),
    digest: () => {
      done = true;
      return hasher.digest(id);
    },
    release: () => {
      if (!done) void hasher.digest(id).catch(() => undefined);
    },
  };
}

/** SHA-256 and size of the file as read back past the cache. */
export async function hashUncached(
  path: string,
  plan: ReadPlan,
  options: {
    signal?: AbortSignal | undefined;
    onBytes?: (n: number) => void;
    /** Sees each piece read, before the next read may reuse its buffer (do not keep it). */
    onData?: ((chunk: Buffer) => void) | undefined;
    /**
     * Hash on another core (the export's BackgroundSha256): this thread then only reads, copies
     * and runs onData, so a read-back is not held to one core's SHA-256 speed.
     */
    hasher?: BackgroundSha256 | null | undefined;
  } = {},
): Promise<{ sha256: string; size: number }> {
  const hash = readBackHash(options.hasher);
  let size = 0;
  const take = async (chunk: Buffer): Promise<void> => {
    await hash.update(chunk);
    options.onData?.(chunk);
    size += chunk.length;
    options.onBytes?.(chunk.length);
  };
  try {
    if (usesDirectIo(plan)) {
      const target = await prepare(path, plan);
      const direct = openDirect(target, plan);
      if (direct) {
        try {
          // Views into the reader's buffers: each is hashed (or copied to the hasher) before the next read lands in it.
          for await (const chunk of readDirect(direct, options.signal ? { signal: options.signal } : {})) await take(chunk);
        } catch (error) {
          throw readBackError(path, error);
        } finally {
          direct.close();
        }
        return { sha256: await hash.digest(), size };
      }
    }
    for await (const chunk of openUncached(path, plan, options.signal)) await take(chunk as Buffer);
    return { sha256: await hash.digest(), size };
  } finally {
    hash.release();
  }
}
