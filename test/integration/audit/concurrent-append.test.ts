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
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'append-events-process.ts'), file, worker, String(count)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.startsWith('ready\n')) resolve();
    }),
  );
  const exited = new Promise<{ code: number | null; window: { startedAt: number; finishedAt: number } }>((resolve) =>
    child.on('exit', (code) => resolve({ code, window: JSON.parse(output.split('\n')[1] ?? '{}') as { startedAt: number; finishedAt: number } })),
  );
  return { ready, exited, go: () => child.stdin.end('go\n') };
}

it('two processes appending at once keep the chain valid and complete', async () => {
  const paths = homePaths(dir);
  openStationDb(paths.database).close();
  const COUNT = 1000;
  const children = [startChild(paths.database, 'a', COUNT), startChild(paths.database, 'b', COUNT)];
  await Promise.all(children.map((c) => c.ready));
  for (const child of children) child.go();
  const results = await Promise.all(children.map((c) => c.exited));
  expect(results.map((r) => r.code)).toEqual([0, 0]);
  // Both were writing at the same time (SQLite may let one writer run ahead while the other
  // waits in its busy handler; what matters is that they contended and nothing was lost).
  const [a, b] = results.map((r) => r.window);
  expect(a && b && a.startedAt < b.finishedAt && b.startedAt < a.finishedAt).toBe(true);
  const db = openStationDb(paths.database);
  const result = await verifyAuditLog(db, paths, []);
  expect(result).toMatchObject({ ok: true, events: 2 * COUNT, firstBroken: null });
  const events = listAuditEvents(db, { limit: 10_000 });
  for (const worker of ['a', 'b']) {
    const mine = events
      .filter((e) => e.details.worker === worker)
      .map((e) => e.details.i as number)
      .sort((x, y) => x - y);
    expect(mine).toEqual(Array.from({ length: COUNT }, (_, i) => i));
  }
  db.close();
}, 120_000);
