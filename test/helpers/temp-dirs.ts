/**
 * Temporary directories for tests, each removed again when the suite ends.
 * useTempDirs() registers the cleanup with vitest's afterAll; TempDirs can be driven by hand.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export class TempDirs {
  private readonly dirs: string[] = [];

  /** A fresh, empty directory (mode 0700) under the OS temp directory. */
  async make(prefix = 'airlock-it-'): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  /** Remove every directory made so far (read-only contents too: tests run as root or own them). */
  async cleanup(): Promise<void> {
    const dirs = this.dirs.splice(0);
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}

/** A `make(prefix?)` function whose directories are removed in afterAll of the calling test file. */
export function useTempDirs(): (prefix?: string) => Promise<string> {
  const dirs = new TempDirs();
  afterAll(async () => {
    await dirs.cleanup();
  });
  return (prefix?: string) => dirs.make(prefix);
}
