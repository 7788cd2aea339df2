/**
 * Owner-marked temp files: the next run removes the ones whose writer is provably gone, and
 * nothing else: not a live writer's, not another host's, not this process's while in hand,
 * not a symlink or folder named like one, not a file that merely ends in .partial.
 */
import { spawnSync } from 'node:child_process';
import { chown, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentStamp, ownerState, parseStamp, processStartTicks, type ProcessStamp } from '../../../../electron/core/fs/process-owner.js';
import { ownedTempPath, parseOwnedTempName, releaseTemp, sweepDeadTemps } from '../../../../electron/core/fs/owned-temp.js';

let root: string;
let dead: ProcessStamp;

function tempName(final: string, owner: ProcessStamp): string {
  return `.${final}.al-${owner.host}-${owner.boot ?? 'x'}-${owner.pid}-${owner.start ?? 'x'}-${owner.thread}-0badc0de.partial`;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-owned-temp-'));
  const out = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const pid = Number(out.stdout);
  dead = { ...currentStamp(), pid, start: '12345' };
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('process stamps', () => {
  it('this process is self; its parent is alive; an exited pid, an earlier boot and a reused pid are dead; another host is unknown', () => {
    const me = currentStamp();
    expect(ownerState(me)).toBe('self');
    expect(ownerState({ ...me, pid: process.ppid, start: processStartTicks(process.ppid) })).toBe('alive');
    expect(ownerState(dead)).toBe('dead');
    expect(ownerState({ ...me, boot: me.boot === 'ffffffff' ? 'eeeeeeee' : 'ffffffff' })).toBe(me.boot === null ? 'self' : 'dead');
    expect(ownerState({ ...me, pid: process.ppid, start: '1' })).toBe('dead');
    // Another worker thread of this process (the app runs jobs in worker threads): alive, never self.
    expect(ownerState({ ...me, thread: me.thread + 1 })).toBe('alive');
    expect(ownerState({ ...dead, host: me.host === '00000000' ? '00000001' : '00000000' })).toBe('unknown');
  });

  it('only the right shape parses', () => {
    const me = currentStamp();
    expect(parseStamp(JSON.parse(JSON.stringify(me)))).toEqual(me);
    for (const bad of [
      null,
      1,
      'x',
      {},
      { ...me, thread: -1 },
      { ...me, thread: undefined },
      { ...me, pid: -1 },
      { ...me, pid: 1.5 },
      { ...me, host: 'HOST' },
      { ...me, boot: 'zz' },
      { ...me, start: '1e3' },
    ])
      expect(parseStamp(bad)).toBeNull();
  });
});

describe('owner-marked temp names', () => {
  it('carry the final name and the owner, and parse back', () => {
    const path = ownedTempPath(join(root, 'q3.airlock.tar'));
    const parsed = parseOwnedTempName(basename(path));
    expect(parsed).toEqual({ final: 'q3.airlock.tar', owner: currentStamp() });
    releaseTemp(path);
    expect(parseOwnedTempName('.q3.airlock.tar.0a1b2c3d4e5f.partial')).toBeNull();
    expect(parseOwnedTempName('notes.partial')).toBeNull();
  });

  it.skipIf(process.getuid?.() !== 0 && !process.env['CI'])('the sweep removes only provably dead writers’ regular files of our user', async () => {
    const dir = join(root, 'sweep');
    await mkdir(dir);
    const me = currentStamp();
    const names = {
      dead: tempName('a.airlock.tar', dead),
      rebooted: tempName('b.airlock.tar', { ...me, boot: me.boot === 'ffffffff' ? 'eeeeeeee' : 'ffffffff', start: '1' }),
      alive: tempName('c.airlock.tar', { ...me, pid: process.ppid, start: processStartTicks(process.ppid) }),
      otherHost: tempName('d.airlock.tar', { ...dead, host: me.host === '00000000' ? '00000001' : '00000000' }),
      mineReleased: tempName('e.airlock.tar', me),
      otherThread: tempName('k.airlock.tar', { ...me, thread: me.thread + 1 }),
      symlink: tempName('f.airlock.tar', dead),
      folder: tempName('g.airlock.tar', dead),
      otherUser: tempName('j.airlock.tar', dead),
      lookalike: '.h.airlock.tar.0a1b2c3d4e5f.partial',
      usersOwn: 'report.partial',
    };
    for (const [key, name] of Object.entries(names)) {
      if (key === 'symlink') await symlink('/etc/hostname', join(dir, name));
      else if (key === 'folder') await mkdir(join(dir, name));
      else await writeFile(join(dir, name), 'x');
      if (key === 'otherUser') await chown(join(dir, name), (process.getuid?.() ?? 0) + 4242, 4242);
    }
    const inHand = ownedTempPath(join(dir, 'i.airlock.tar'));
    await writeFile(inHand, 'being written');

    const sweep = await sweepDeadTemps(dir);
    expect(sweep.removed.map((p) => basename(p)).sort()).toEqual([names.dead, names.rebooted, names.mineReleased].sort());
    expect((await readdir(dir)).sort()).toEqual(
      [names.alive, names.otherHost, names.otherThread, names.symlink, names.folder, names.otherUser, names.lookalike, names.usersOwn, basename(inHand)].sort(),
    );
    releaseTemp(inHand);
    expect((await sweepDeadTemps(dir)).removed).toEqual([inHand]);
  });

  it('a folder that cannot be listed is no error', async () => {
    expect(await sweepDeadTemps(join(root, 'absent'))).toEqual({ removed: [], leftAlone: [] });
  });
});
