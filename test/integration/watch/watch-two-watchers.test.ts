/**
 * Two watchers on one inbox. Of one station home: the second is refused (WATCH_ALREADY_RUNNING)
 * while the first runs, and takes over once the first is dead. Of two stations (two homes, both
 * trusting the sender): both take bundles at once, and the claim's rename decides, so each bundle
 * is imported by exactly one of them and lies once in accepted/. (Each test has its own bundles: a
 * home that imported a bundle once quarantines it as a replay the next time, as it must.)
 */
import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStation, type TestStation } from '../../helpers/station.js';
import { settledNames, startWatch, stopWatch, waitUntil, type WatchChild } from '../../helpers/watch-process.js';

const COUNT = 24;
let root: string;
let sender: TestStation;
let other: TestStation;
const bundles: Array<{ name: string; bytes: Buffer }> = [];
// The first test's own bundle: were it one of `bundles`, the sender's home would have imported it
// already when the second test runs, and a watcher of that home would rightly quarantine it as a replay.
let solo: Buffer;
const running: WatchChild[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-watch-two-'));
  await mkdir(join(root, 'a'));
  await mkdir(join(root, 'b'));
  sender = await createStation(join(root, 'a'), 'Watch A');
  other = await createStation(join(root, 'b'), 'Watch B');
  const key = join(root, 'a.asc');
  await writeFile(key, (await sender.run(['keys', 'export-public'])).stdout);
  expect((await other.run(['keys', 'trust', key, '--fingerprint', sender.fingerprint])).code).toBe(0);
  const out = join(root, 'out');
  await mkdir(out);
  for (let i = 0; i < COUNT; i += 1) {
    const name = `t${String(i).padStart(2, '0')}`;
    const src = join(root, 'src', name);
    await mkdir(src, { recursive: true });
    await writeFile(join(src, 'x.txt'), `bundle ${name}\n`);
    await sender.exportBundle(out, name, [src]);
    bundles.push({ name, bytes: await readFile(join(out, `${name}.airlock.tar`)) });
  }
  await mkdir(join(root, 'src', 'solo'), { recursive: true });
  await writeFile(join(root, 'src', 'solo', 'x.txt'), 'bundle solo\n');
  await sender.exportBundle(out, 'solo', [join(root, 'src', 'solo')]);
  solo = await readFile(join(out, 'solo.airlock.tar'));
}, 240_000);

afterEach(async () => {
  for (const w of running.splice(0)) await stopWatch(w, 'SIGKILL');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function importedNames(home: string, dest: string): string[] {
  const db = new Database(join(home, 'airlock.db'), { readonly: true });
  try {
    return (db.prepare("SELECT bundle_name AS name, destination FROM imports WHERE status = 'imported'").all() as Array<{ name: string; destination: string }>)
      .filter((r) => r.destination.startsWith(`${dest}/`))
      .map((r) => r.name);
  } finally {
    db.close();
  }
}

describe('two watchers on one inbox', () => {
  it('of one station: the second is refused while the first runs', async () => {
    const inbox = join(root, 'inbox-same');
    await mkdir(inbox);
    const first = startWatch(sender.home, inbox, join(root, 'dest-same'));
    running.push(first);
    await waitUntil('the first watcher running', async () => (await readdir(join(sender.home, 'watch')).catch(() => [])).some((n) => n.endsWith('.lock')));
    const second = await sender.spawn(['watch', inbox, '--dest', join(root, 'dest-same-2'), '--json']);
    expect(second.code).toBe(3);
    expect(JSON.parse(second.stdout)).toMatchObject({ ok: false, error: { code: 'WATCH_ALREADY_RUNNING' } });
    expect(first.child.exitCode).toBeNull();
    // Once the first is dead (kill -9 leaves its lock behind), a new one takes over.
    first.child.kill('SIGKILL');
    await first.ended;
    const third = startWatch(sender.home, inbox, join(root, 'dest-same'));
    running.push(third);
    await writeFile(join(inbox, 'solo.airlock.tar'), solo);
    await writeFile(join(inbox, 'solo.airlock.tar.done'), '');
    await waitUntil('solo accepted', async () => (await settledNames(inbox, 'accepted')).includes('solo'));
  }, 180_000);

  it('of two stations: each bundle is imported by exactly one of them', async () => {
    const inbox = join(root, 'inbox-shared');
    await mkdir(inbox);
    const a = startWatch(sender.home, inbox, join(root, 'dest-a'), ['--settle', '600', '--rescan', '0.05']);
    const b = startWatch(other.home, inbox, join(root, 'dest-b'), ['--settle', '600', '--rescan', '0.05']);
    running.push(a, b);
    await waitUntil('both watchers running', async () =>
      [sender.home, other.home].every((home) => {
        try {
          return readdirSync(join(home, 'watch')).some((n) => n.endsWith('.lock'));
        } catch {
          return false;
        }
      }),
    );
    for (const { name, bytes } of bundles) {
      await writeFile(join(inbox, `${name}.airlock.tar`), bytes);
      await writeFile(join(inbox, `${name}.airlock.tar.done`), '');
    }
    const all = bundles.map((b) => b.name).sort();
    // Only the markers complete a file here (the settle time is far longer than the test).
    await waitUntil(
      'every bundle taken',
      async () => (await settledNames(inbox, 'accepted')).length + (await settledNames(inbox, 'quarantine')).length >= COUNT,
      240_000,
    );
    expect(await settledNames(inbox, 'accepted')).toEqual(all);
    expect(await settledNames(inbox, 'quarantine')).toEqual([]);
    for (const w of running.splice(0)) expect(await stopWatch(w)).toEqual({ code: 0, signal: null });
    // Only this inbox's imports count (the first test imported its own bundle into the sender's home).
    const byA = importedNames(sender.home, join(root, 'dest-a'));
    const byB = importedNames(other.home, join(root, 'dest-b'));
    expect([...byA, ...byB].sort()).toEqual(all);
  }, 300_000);
});
