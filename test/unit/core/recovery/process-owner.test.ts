import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { currentOwner, ownerState, processStartTicks } from '../../../../electron/core/recovery/process-owner.js';

describe('ownerState: whether the process holding an intent can still be running', () => {
  const me = currentOwner();

  it('this process is alive', () => {
    expect(ownerState(me)).toBe('alive');
  });

  it('a pid that does not exist is dead', () => {
    expect(ownerState({ ...me, pid: 2 ** 22 + 777 })).toBe('dead');
  });

  it('a process that exited is dead', () => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    expect(ownerState({ ...me, pid: Number(child.stdout) })).toBe('dead');
  });

  it.runIf(process.platform === 'linux')('another boot of this host is dead, whatever the pid', () => {
    expect(me.boot).toMatch(/^[0-9a-f-]{36}$/u);
    expect(ownerState({ ...me, boot: '00000000-0000-0000-0000-000000000000' })).toBe('dead');
  });

  it.runIf(process.platform === 'linux')('a reused pid (a live process started at another time) is dead', () => {
    expect(processStartTicks(process.pid)).toBe(me.start);
    expect(ownerState({ ...me, pid: process.ppid, start: '1' })).toBe('dead');
    expect(ownerState({ ...me, pid: process.ppid, start: processStartTicks(process.ppid) })).toBe('alive');
  });

  it.runIf(process.platform === 'linux')('a killed child not yet reaped by its parent (a zombie) is dead', async () => {
    // A shell that starts a child, kills it and keeps running without waiting for it.
    const child = spawn('sh', ['-c', 'sleep 60 & echo $!; kill -9 $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number(await new Promise<string>((resolve) => child.stdout.once('data', (c: Buffer) => resolve(c.toString()))));
      // The shell kills it right away; on a loaded machine "right away" can take seconds. The
      // deadline only guards against a hang: the wait ends the moment the state is Z.
      const deadline = Date.now() + 30_000;
      while (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0]).toBe('Z');
      expect(ownerState({ ...me, pid, start: processStartTicks(pid) })).toBe('dead');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('another host is unknown, never settled from here', () => {
    expect(ownerState({ ...me, host: `${me.host}-elsewhere`, pid: 2 ** 22 + 1 })).toBe('unknown');
  });
});
