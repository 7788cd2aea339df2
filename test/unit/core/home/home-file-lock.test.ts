/**
 * The home's settings-file lock (home-file-lock.ts; the trust store's is trust-store-lock.ts):
 * changes in one process queue; a nested take given the holder's live hold runs at once; a
 * change waits for another process that holds the lock, and a holder killed with -9 releases it
 * by dying (the kernel's lock), with nothing left to sweep; a holder that hangs ends the wait
 * with HOME_FILE_BUSY.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { homeFileLockPath, withHomeFileLock } from '../../../../electron/core/home/home-file-lock.js';
import { homePaths } from '../../../../electron/core/home/station-home.js';
import { trustStoreLockPath, withTrustStoreLock } from '../../../../electron/core/keys/trust-store-lock.js';
import { useTempDirs } from '../../../helpers/temp-dirs.js';

const tempDir = useTempDirs();

async function paths() {
  const p = homePaths(await tempDir('trust-lock-'));
  await mkdir(p.keysDir, { recursive: true });
  return p;
}

describe('home file lock', () => {
  it('queues changes in one process: each runs alone, in order', async () => {
    const p = await paths();
    const log: string[] = [];
    const change = (name: string) => async () => {
      log.push(`${name} in`);
      await new Promise((r) => setTimeout(r, 20));
      log.push(`${name} out`);
      return name;
    };
    expect(await Promise.all([withTrustStoreLock(p, change('a')), withTrustStoreLock(p, change('b')), withTrustStoreLock(p, change('c'))])).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect(log).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
  });

  it('a change fails, the next one still runs (the queue is not poisoned)', async () => {
    const p = await paths();
    const failing = withTrustStoreLock(p, async () => {
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    expect(await withTrustStoreLock(p, async () => 'next')).toBe('next');
  });

  it('waits while another process holds the lock, and goes on once that process is killed with -9', async () => {
    const p = await paths();
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.exec('BEGIN IMMEDIATE'); process.stdout.write('held\\n'); setInterval(() => {}, 1000);`,
        trustStoreLockPath(p),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: join(import.meta.dirname, '..', '..', '..', '..') },
    );
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    let ran = false;
    const waiting = withTrustStoreLock(p, async () => {
      ran = true;
    });
    // The kill comes while the change waits (it polls, so this timer runs meanwhile).
    const killer = setTimeout(() => holder.kill('SIGKILL'), 300);
    await waiting;
    clearTimeout(killer);
    expect(ran).toBe(true);
    // The lock is free when the kernel ends the process; Node reports the exit a moment later.
    expect(holder.signalCode ?? (await once(holder, 'exit'))[1]).toBe('SIGKILL');
  });

  it('a nested take given the live hold runs at once; another lock file is its own queue', async () => {
    const p = await paths();
    const log: string[] = [];
    const outer = withTrustStoreLock(p, async (held) => {
      log.push('outer in');
      await withTrustStoreLock(p, async () => log.push('nested'), held);
      await new Promise((r) => setTimeout(r, 20));
      log.push('outer out');
    });
    const other = withHomeFileLock(homeFileLockPath(p.config), async () => log.push('config'));
    const next = withTrustStoreLock(p, async () => log.push('next'));
    await Promise.all([outer, other, next]);
    expect(log.indexOf('nested')).toBe(1);
    expect(log.indexOf('config')).toBeLessThan(log.indexOf('outer out'));
    expect(log.at(-1)).toBe('next');
  });

  it('a holder that hangs: the wait ends with HOME_FILE_BUSY and the change never runs', async () => {
    const p = await paths();
    const file = homeFileLockPath(p.config);
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.exec('BEGIN IMMEDIATE'); process.stdout.write('held\\n'); setInterval(() => {}, 1000);`,
        file,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: join(import.meta.dirname, '..', '..', '..', '..') },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      let ran = false;
      await expect(
        withHomeFileLock(
          file,
          async () => {
            ran = true;
          },
          { waitMs: 200 },
        ),
      ).rejects.toMatchObject({ code: 'HOME_FILE_BUSY' });
      expect(ran).toBe(false);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('a hold handed on past its release is not honoured: the late take queues like anyone else', async () => {
    const p = await paths();
    const log: string[] = [];
    let late: Promise<unknown> = Promise.resolve();
    await withTrustStoreLock(p, async (held) => {
      late = new Promise((r) => setTimeout(r, 30)).then(() => withTrustStoreLock(p, async () => log.push('late'), held));
    });
    const other = withTrustStoreLock(p, async () => {
      log.push('other in');
      await new Promise((r) => setTimeout(r, 60));
      log.push('other out');
    });
    await Promise.all([late, other]);
    expect(log).toEqual(['other in', 'other out', 'late']);
  });
});
