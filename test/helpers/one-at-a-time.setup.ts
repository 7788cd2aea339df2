/**
 * The setup file of vitest.config.ts's `alone` project: each of its files holds one machine-wide
 * lock from before its first hook to after its last, so no two of them ever run at once (loop
 * devices and lsblk, the fault harness's power cuts), while the parallel group's files go on beside
 * them on the other worker. The lock is flock(1)'s (util-linux) on a file in the temp folder: the
 * kernel drops it when its holder exits, so a test run killed part-way leaves nothing to clean, and
 * two test runs on one machine (a shared development host) also take their turns.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

const LOCK_FILE = join(tmpdir(), 'airlock-tests-one-at-a-time.lock');
/** Long enough to wait for every other file of the project on a loaded machine: the wait is for their end, not a bound on it. */
const WAIT_MS = 60 * 60 * 1000;

/** Resolves once the lock is held; the returned function lets it go (the holder's stdin ends, flock exits). */
async function holdLock(file: string): Promise<() => Promise<void>> {
  const holder = spawn('flock', ['--exclusive', file, 'sh', '-c', 'echo held; exec cat'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(holder, 'exit');
  const held = new Promise<void>((resolve, reject) => {
    holder.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('held')) resolve();
    });
    holder.on('error', reject);
    void exited.then(([code]) => reject(new Error(`flock ${file} exited with ${String(code)} before it held the lock`)));
  });
  await held;
  return async () => {
    holder.stdin.end();
    await exited;
  };
}

let release: (() => Promise<void>) | undefined;

beforeAll(async () => {
  release = await holdLock(LOCK_FILE);
}, WAIT_MS);

// Hooks run as a stack: this one, registered before the file's own, runs after its cleanup.
afterAll(async () => {
  await release?.();
});
