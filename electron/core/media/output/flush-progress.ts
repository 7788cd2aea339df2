/**
 * The flush of a part to the medium as a phase of its own (`syncing`), with progress: writing
 * fills the page cache at memory speed, and on a USB stick most of the time is spent in the
 * fsync that follows. Linux counts the sectors written to each block device
 * (/sys/dev/block/MAJ:MIN/stat, field 7, in 512-byte units whatever the device's block size);
 * their growth while fsync runs is the flush's progress, capped at the part's size (other
 * writers to the same device count too, so it is an estimate; the phase ends at the part's size
 * only when fsync has returned). Where there is no such file (FUSE file systems like fusefat,
 * macOS, Windows) the phase is reported at its start and its end.
 */
import type { FileHandle } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import type { ProgressTracker } from '../../jobs/progress-tracker.js';

const POLL_MS = 250;

/** Linux's encoding of st_dev (glibc's gnu_dev_major/minor). */
export function majorMinor(dev: number): { major: number; minor: number } {
  const d = BigInt(dev);
  const major = Number(((d >> 8n) & 0xfffn) | ((d >> 32n) & ~0xfffn));
  const minor = Number((d & 0xffn) | ((d >> 12n) & ~0xffn));
  return { major, minor };
}

/** Bytes written to the block device `dev` since boot; null where the kernel does not say. */
export async function deviceBytesWritten(dev: number): Promise<number | null> {
  if (process.platform !== 'linux') return null;
  const { major, minor } = majorMinor(dev);
  const text = await readFile(`/sys/dev/block/${major}:${minor}/stat`, 'utf8').catch(() => null);
  const sectors = text?.trim().split(/\s+/u)[6];
  return sectors !== undefined && /^\d+$/u.test(sectors) ? Number(sectors) * 512 : null;
}

/** fsync `handle` as the `syncing` phase over `bytes`, with the device's write counter as its progress where there is one. */
export async function flushWithProgress(handle: FileHandle, bytes: number, dev: number, tracker: ProgressTracker | null): Promise<void> {
  if (!tracker) {
    await handle.sync();
    return;
  }
  tracker.flush();
  tracker.startPhase('syncing', { bytes, files: null });
  const start = await deviceBytesWritten(dev);
  let reported = 0;
  let polling: Promise<void> = Promise.resolve();
  const poll = async (): Promise<void> => {
    const now = await deviceBytesWritten(dev);
    if (start === null || now === null) return;
    // Never the whole part before fsync has returned: the last bytes are reported then.
    const done = Math.min(bytes - 1, Math.max(0, now - start));
    if (done > reported) {
      tracker.addBytes(done - reported);
      reported = done;
    }
  };
  const timer =
    start === null
      ? null
      : setInterval(() => {
          polling = polling.then(poll, poll);
        }, POLL_MS);
  try {
    await handle.sync();
  } finally {
    if (timer) clearInterval(timer);
    await polling.catch(() => undefined);
  }
  if (bytes > reported) tracker.addBytes(bytes - reported);
  tracker.flush();
}
