/**
 * The decision lock of a quarantined bundle (two "first" approvals of a two-person release at
 * once): while one decision is being recorded, another is refused with QUARANTINE_BUSY and runs
 * nothing; after it, the next one runs; a lock left by a killed process is taken over, one held
 * by a live process never.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentStamp } from '../../../../electron/core/fs/process-owner.js';
import { DECIDING_FILE, withDecisionLock } from '../../../../electron/core/quarantine/decision-lock.js';
import { QuarantineStore } from '../../../../electron/core/quarantine/quarantine-store.js';

const ID = '20261203T100000Z-0a1b2c3d';
let root: string;
let store: QuarantineStore;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-decision-lock-'));
  store = new QuarantineStore(join(root, 'quarantine'));
  await mkdir(store.dirOf(ID), { recursive: true });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function deadStamp(): ReturnType<typeof currentStamp> {
  const out = spawnSync(
    process.execPath,
    ['-e', "const s=require('fs').readFileSync('/proc/self/stat','utf8');process.stdout.write(process.pid+' '+s.slice(s.lastIndexOf(')')+2).split(' ')[19])"],
    { encoding: 'utf8' },
  );
  const [pid, start] = out.stdout.split(' ');
  return { ...currentStamp(), pid: Number(pid), start: start ?? null };
}

describe('withDecisionLock', () => {
  it('two decisions at once: one runs, the other is QUARANTINE_BUSY and runs nothing; the lock is gone after', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ran: string[] = [];
    const first = withDecisionLock(store, ID, async () => {
      ran.push('first');
      await held;
      return 'first';
    });
    // The first holds the lock once its file is there.
    while (!(await readdir(store.dirOf(ID))).includes(DECIDING_FILE)) await new Promise((r) => setTimeout(r, 1));
    const second = withDecisionLock(store, ID, () => {
      ran.push('second');
      return Promise.resolve('second');
    });
    await expect(second).rejects.toMatchObject({ code: 'QUARANTINE_BUSY' });
    release();
    await expect(first).resolves.toBe('first');
    expect(ran).toEqual(['first']);
    expect(await readdir(store.dirOf(ID))).not.toContain(DECIDING_FILE);
    await expect(withDecisionLock(store, ID, () => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('a lock left by a killed process is taken over; one whose process is alive is not', async () => {
    await writeFile(join(store.dirOf(ID), DECIDING_FILE), JSON.stringify({ owner: deadStamp(), at: new Date().toISOString() }));
    await expect(withDecisionLock(store, ID, () => Promise.resolve('after a kill'))).resolves.toBe('after a kill');
    // This very test process stands for a live one (another thread's stamp is "alive", never "self").
    await writeFile(join(store.dirOf(ID), DECIDING_FILE), JSON.stringify({ owner: { ...currentStamp(), thread: currentStamp().thread + 1 }, at: '' }));
    await expect(withDecisionLock(store, ID, () => Promise.resolve('no'))).rejects.toMatchObject({ code: 'QUARANTINE_BUSY' });
    await rm(join(store.dirOf(ID), DECIDING_FILE));
  });
});
