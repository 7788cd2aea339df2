/** The CLI and the app may append to one home at once: no lost, doubled or forked events. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listAuditEvents } from '../../../electron/core/audit/audit-store.js';
import { verifyAuditLog } from '../../../electron/core/audit/audit-verify.js';
import { openStationDb } from '../../../electron/core/db/station-db.js';
import { homePaths } from '../../../electron/core/home/station-home.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-concurrent-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function startChild(file: string, worker: string, count: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'append-events-process.ts'), file, worker, String(count)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { ready, exited, go: () => child.stdin.end('go\n') };
}

it('two processes appending at once keep the chain valid and complete', async () => {
  const paths = homePaths(dir);
  openStationDb(paths.database).close();
  const COUNT = 1000;
  const children = [startChild(paths.database, 'a', COUNT), startChild(paths.database, 'b', COUNT)];
  await Promise.all(children.map((c) => c.ready));
  for (const child of children) child.go();
  const codes = await Promise.all(children.map((c) => c.exited));
  expect(codes).toEqual([0, 0]);
  const db = openStationDb(paths.database);
  const result = await verifyAuditLog(db, paths, []);
  expect(result).toMatchObject({ ok: true, events: 2 * COUNT, firstBroken: null });
  const events = listAuditEvents(db, { limit: 10_000 });
  for (const worker of ['a', 'b']) {
    const mine = events.filter((e) => e.details.worker === worker).map((e) => e.details.i as number).sort((x, y) => x - y);
    expect(mine).toEqual(Array.from({ length: COUNT }, (_, i) => i));
  }
  // The two really interleaved (otherwise this test would prove nothing about concurrency).
  const order = events.map((e) => e.details.worker).reverse().join('');
  expect(order).not.toBe('a'.repeat(COUNT) + 'b'.repeat(COUNT));
  expect(order).not.toBe('b'.repeat(COUNT) + 'a'.repeat(COUNT));
  db.close();
}, 120_000);
