/**
 * One forwarder per home: the lease is an exclusive SQLite lock, held by one connection in one
 * process at a time, and the kernel drops it when the holder dies, kill -9 included, so the next
 * forwarder takes over without any stale-lock guessing.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ForwardLease } from '../../../../electron/core/forward/forward-lease.js';
import { killOnExit } from '../../../helpers/test-daemons.js';
import { useTempDirs } from '../../../helpers/temp-dirs.js';

const tempDir = useTempDirs();

describe('the forwarding lease', () => {
  it('is held once in a process, and free again after release', async () => {
    const home = await tempDir('airlock-lease-');
    const first = ForwardLease.tryTake(home);
    expect(first).not.toBeNull();
    expect(ForwardLease.tryTake(home)).toBeNull();
    first?.release();
    const again = ForwardLease.tryTake(home);
    expect(again).not.toBeNull();
    again?.release();
  });

  it('is refused while another process holds it, and free once that process is killed -9', async () => {
    const home = await tempDir('airlock-lease-');
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'hold-lease-process.ts'), home], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    killOnExit(child);
    const [said] = (await once(child.stdout, 'data')) as [Buffer];
    expect(said.toString()).toBe('held\n');
    expect(ForwardLease.tryTake(home)).toBeNull();
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    const lease = ForwardLease.tryTake(home);
    expect(lease).not.toBeNull();
    lease?.release();
  });
});
