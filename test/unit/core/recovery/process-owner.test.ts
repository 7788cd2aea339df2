import { spawnSync } from 'node:child_process';
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

  it('another host is unknown, never settled from here', () => {
    expect(ownerState({ ...me, host: `${me.host}-elsewhere`, pid: 2 ** 22 + 1 })).toBe('unknown');
  });
});
