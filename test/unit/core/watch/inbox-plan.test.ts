/**
 * When the watcher takes a file (electron/core/watch/inbox-plan.ts): a newer `.done` marker or a
 * settled file; a split bundle only with every part its index names, at the index's size; hostile
 * entries moved aside (links at once, folders and unknown names once settled), hidden temp files
 * never; oldest first. The clock is passed in: no timers.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planInbox } from '../../../../electron/core/watch/inbox-plan.js';
import { scanInbox, SettleTracker } from '../../../../electron/core/watch/inbox-scan.js';
import { useTempDirs } from '../../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
const SETTLE = 5000;

async function at(path: string, when: number): Promise<void> {
  await utimes(path, new Date(when), new Date(when));
}

/** Scan, observe at `now`, plan. */
async function look(inbox: string, tracker: SettleTracker, now: number) {
  const entries = await scanInbox(inbox);
  tracker.observe(entries, now);
  return planInbox(inbox, entries, tracker, now);
}

describe('planInbox', () => {
  it('takes a bundle with a newer .done marker at once, and one without only after it settles', async () => {
    const inbox = await tempDir('airlock-plan-');
    const t = Date.now();
    await writeFile(join(inbox, 'a.airlock.tar'), 'x');
    await at(join(inbox, 'a.airlock.tar'), t - 10_000);
    await writeFile(join(inbox, 'a.airlock.tar.done'), '');
    await writeFile(join(inbox, 'b.airlock.tar'), 'y');
    const tracker = new SettleTracker(SETTLE);
    const first = await look(inbox, tracker, t);
    expect(first.ready.map((r) => [r.primary, r.others])).toEqual([['a.airlock.tar', ['a.airlock.tar.done']]]);
    expect(first.arriving).toBe(1);
    expect((await look(inbox, tracker, t + SETTLE - 1)).ready.map((r) => r.primary)).toEqual(['a.airlock.tar']);
    expect((await look(inbox, tracker, t + SETTLE)).ready.map((r) => r.primary).sort()).toEqual(['a.airlock.tar', 'b.airlock.tar']);
  });

  it('ignores a marker older than its file (a leftover), and restarts the settle time when a file changes', async () => {
    const inbox = await tempDir('airlock-plan-');
    const t = Date.now();
    await writeFile(join(inbox, 'c.airlock.tar.done'), '');
    await at(join(inbox, 'c.airlock.tar.done'), t - 60_000);
    await writeFile(join(inbox, 'c.airlock.tar'), 'part');
    const tracker = new SettleTracker(SETTLE);
    expect((await look(inbox, tracker, t)).ready).toEqual([]);
    await writeFile(join(inbox, 'c.airlock.tar'), 'part and more');
    expect((await look(inbox, tracker, t + SETTLE)).ready).toEqual([]); // changed since: watched again from here
    expect((await look(inbox, tracker, t + 2 * SETTLE)).ready.map((r) => r.primary)).toEqual(['c.airlock.tar']);
  });

  it('orders by mtime, then by name', async () => {
    const inbox = await tempDir('airlock-plan-');
    const t = Date.now();
    for (const [name, age] of [
      ['z', 300],
      ['b', 100],
      ['a', 100],
      ['m', 200],
    ] as const) {
      await writeFile(join(inbox, `${name}.airlock.tar`), name);
      await at(join(inbox, `${name}.airlock.tar`), t - age * 1000);
      await writeFile(join(inbox, `${name}.airlock.tar.done`), '');
    }
    expect((await look(inbox, new SettleTracker(SETTLE), t)).ready.map((r) => r.name)).toEqual(['z', 'm', 'a', 'b']);
  });

  it('moves links and special entries aside at once, folders and unknown names once settled, never hidden files', async () => {
    const inbox = await tempDir('airlock-plan-');
    const t = Date.now();
    await symlink('/etc/passwd', join(inbox, 'evil.airlock.tar'));
    await writeFile(join(inbox, 'evil.airlock.tar.done'), '');
    await mkdir(join(inbox, 'folder.airlock.tar'));
    await writeFile(join(inbox, 'ctl\u001b[2J.airlock.tar'), 'x');
    await writeFile(Buffer.from([...Buffer.from(`${inbox}/`), 0x66, 0xff, 0x2e, 0x74]), 'x');
    await writeFile(join(inbox, `${'n'.repeat(101)}.airlock.tar`), 'x');
    await writeFile(join(inbox, '.x.airlock.tar.partial'), 'x');
    const tracker = new SettleTracker(SETTLE);
    const now = await look(inbox, tracker, t);
    expect(now.refuse.map((e) => e.name)).toEqual(['evil.airlock.tar']);
    expect(now.ready).toEqual([]);
    const later = await look(inbox, tracker, t + SETTLE);
    expect(later.refuse.map((e) => e.raw.toString('hex')).sort()).toEqual(
      [
        Buffer.from('evil.airlock.tar'),
        Buffer.from('folder.airlock.tar'),
        Buffer.from('ctl\u001b[2J.airlock.tar'),
        Buffer.from([0x66, 0xff, 0x2e, 0x74]),
        Buffer.from(`${'n'.repeat(101)}.airlock.tar`),
      ]
        .map((b) => b.toString('hex'))
        .sort(),
    );
    expect(later.refuse.some((e) => e.name.startsWith('.'))).toBe(false);
    expect(later.arriving).toBe(1); // the hidden temp file
  });

  it('takes a split bundle only when every part the index names is there at its size', async () => {
    const inbox = await tempDir('airlock-plan-');
    const t = Date.now();
    const parts = [1, 2, 3].map((n) => ({ file: `q.airlock.tar.part-00${n}-of-003`, size: 1024, number: n }));
    await writeFile(join(inbox, 'q.airlock-index.json'), JSON.stringify({ airlockIndex: 1, name: 'q', parts }));
    await writeFile(join(inbox, 'q.airlock-index.json.asc'), 'sig');
    await writeFile(join(inbox, parts[0]!.file), Buffer.alloc(1024));
    await writeFile(join(inbox, parts[1]!.file), Buffer.alloc(512)); // still being written
    await writeFile(join(inbox, 'q.airlock-index.json.done'), '');
    const tracker = new SettleTracker(SETTLE);
    expect((await look(inbox, tracker, t)).ready).toEqual([]);
    await writeFile(join(inbox, parts[1]!.file), Buffer.alloc(1024));
    expect((await look(inbox, tracker, t)).ready).toEqual([]); // part 3 missing
    await writeFile(join(inbox, parts[2]!.file), Buffer.alloc(1024));
    await writeFile(join(inbox, 'q.airlock-index.json.done'), ''); // newer than every part
    const ready = (await look(inbox, tracker, t)).ready;
    expect(ready).toEqual([
      {
        kind: 'split',
        name: 'q',
        primary: 'q.airlock-index.json',
        others: ['q.airlock-index.json.asc', ...parts.map((p) => p.file), 'q.airlock-index.json.done'],
        mtimeMs: expect.any(Number) as number,
      },
    ]);
  });

  it('does not wait on a split index swapped for a FIFO after the scan (the loop would hang for good)', async () => {
    const inbox = await tempDir('airlock-plan-');
    const t = Date.now();
    const parts = [{ file: 'f.airlock.tar.part-001-of-001', size: 16, number: 1 }];
    await writeFile(join(inbox, 'f.airlock-index.json'), JSON.stringify({ airlockIndex: 1, name: 'f', parts }));
    await writeFile(join(inbox, 'f.airlock-index.json.asc'), 'sig');
    await writeFile(join(inbox, parts[0]!.file), Buffer.alloc(16));
    const tracker = new SettleTracker(SETTLE);
    const entries = await scanInbox(inbox);
    tracker.observe(entries, t);
    // The sender swaps the index for a FIFO (no writer) between the scan and the plan's read.
    await rm(join(inbox, 'f.airlock-index.json'));
    expect(spawnSync('mkfifo', [join(inbox, 'f.airlock-index.json')]).status).toBe(0);
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), 20_000)));
    const plan = await Promise.race([planInbox(inbox, entries, tracker, t + SETTLE), hung]);
    clearTimeout(timer);
    expect(plan).not.toBe('hung');
    // Unreadable as an index: the parts present under its name go with it, and the import says why.
    expect(plan !== 'hung' && plan.ready.map((r) => r.primary)).toEqual(['f.airlock-index.json']);
  });

  it('says what a split set waits for, and takes a part of the wrong size only once it has settled (never by a marker)', async () => {
    const inbox = await tempDir('airlock-plan-');
    const t = Date.now();
    const parts = [1, 2, 3].map((n) => ({ file: `w.airlock.tar.part-00${n}-of-003`, size: 1024, number: n }));
    await writeFile(join(inbox, 'w.airlock-index.json'), JSON.stringify({ airlockIndex: 1, name: 'w', parts }));
    await writeFile(join(inbox, parts[0]!.file), Buffer.alloc(1024));
    await writeFile(join(inbox, parts[1]!.file), Buffer.alloc(1000)); // cut short, or still arriving
    await at(join(inbox, parts[1]!.file), t - 60_000); // an old mtime (cp -p) proves nothing
    await writeFile(join(inbox, 'w.airlock-index.json.done'), '');
    // Parts of another set whose index has not come.
    await writeFile(join(inbox, 'v.airlock.tar.part-001-of-002'), Buffer.alloc(10));
    const tracker = new SettleTracker(SETTLE);
    const first = await look(inbox, tracker, t);
    expect(first.ready).toEqual([]);
    expect(first.waiting).toEqual([
      { name: 'v', missing: ['v.airlock-index.json', 'v.airlock-index.json.asc'], incomplete: [] },
      { name: 'w', missing: ['w.airlock-index.json.asc', parts[2]!.file], incomplete: [parts[1]!.file] },
    ]);
    await writeFile(join(inbox, 'w.airlock-index.json.asc'), 'sig');
    await writeFile(join(inbox, parts[2]!.file), Buffer.alloc(1024));
    await utimes(join(inbox, 'w.airlock-index.json.done'), new Date(t + 1000), new Date(t + 1000)); // newer than every file
    const marked = await look(inbox, tracker, t + SETTLE - 1);
    expect(marked.ready).toEqual([]);
    expect(marked.waiting.find((w) => w.name === 'w')).toEqual({ name: 'w', missing: [], incomplete: [parts[1]!.file] });
    // Settled at the wrong size: it will not change any more; the set is taken and the import refuses it whole.
    const settled = await look(inbox, tracker, t + SETTLE);
    expect(settled.ready.map((r) => r.name)).toEqual(['w']);
    expect(settled.waiting.map((w) => w.name)).toEqual(['v']);
  });

  it('takes along parts an index does not name (the import reports them), and waits for a split set without its index', async () => {
    const inbox = await tempDir('airlock-plan-');
    const t = Date.now();
    await writeFile(join(inbox, 'r.airlock.tar.part-001-of-002'), Buffer.alloc(512));
    await writeFile(join(inbox, 'r.airlock.tar.part-002-of-002'), Buffer.alloc(512));
    const tracker = new SettleTracker(SETTLE);
    const waiting = await look(inbox, tracker, t + SETTLE);
    expect(waiting.ready).toEqual([]);
    expect(waiting.arriving).toBe(2);
    // An index that names another bundle's parts is not believed: the parts present under its own name go with it.
    await writeFile(join(inbox, 'r.airlock-index.json'), JSON.stringify({ parts: [{ file: 'other.airlock.tar.part-001-of-001', size: 512 }] }));
    await writeFile(join(inbox, 'r.airlock-index.json.asc'), 'sig');
    await writeFile(join(inbox, 'r.airlock-index.json.done'), '');
    const ready = await look(inbox, tracker, t + SETTLE);
    expect(ready.ready.map((r) => r.others)).toEqual([
      ['r.airlock-index.json.asc', 'r.airlock.tar.part-001-of-002', 'r.airlock.tar.part-002-of-002', 'r.airlock-index.json.done'],
    ]);
  });
});

describe('SettleTracker', () => {
  it('forgets entries gone from the inbox, so it holds only what is there now', async () => {
    const inbox = await tempDir('airlock-plan-');
    const tracker = new SettleTracker(SETTLE);
    for (let i = 0; i < 50; i += 1) await writeFile(join(inbox, `f${i}.airlock.tar`), 'x');
    tracker.observe(await scanInbox(inbox), 0);
    expect(tracker.size).toBe(50);
    const { rm } = await import('node:fs/promises');
    for (let i = 0; i < 45; i += 1) await rm(join(inbox, `f${i}.airlock.tar`));
    tracker.observe(await scanInbox(inbox), 1);
    expect(tracker.size).toBe(5);
  });
});
