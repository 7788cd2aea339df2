/**
 * kill -9 during `airlock feed import` (issue #16.6): before the first database file is moved into
 * the scanner's folder, after the first of two, and after both (before the audit event). The next
 * command that opens the station records what happened from the feed intent: `feed-import`
 * (details.recovered) ok when every file is in place (and the superseded container removed),
 * failed INTERRUPTED naming what is and is not in place otherwise. Never no record at all.
 * The kills land at exact instants (test/fault/crash-child.ts wraps the rename), not on a timer.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDatabaseContainer } from '../../helpers/clamav-database.js';
import { describeResult, parseJson, REPO_ROOT } from '../../helpers/cli-runner.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
const CRASH_CHILD = join(REPO_ROOT, 'test', 'fault', 'crash-child.ts');

let sender: TestStation;
let receiver: TestStation;
let databaseDir: string;
let original: string;

interface FeedEvent {
  seq: number;
  type: string;
  outcome: string;
  errorCode: string | null;
  details: {
    recovered?: boolean;
    installed?: Array<{ name: string; version: number }>;
    notInstalled?: string[];
    superseded?: string[];
    databaseState?: string;
  };
}

function crashChild(point: string, args: readonly string[]): Promise<NodeJS.Signals | null> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['AIRLOCK_HOME', 'NODE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CRASH_CHILD, point, '--home', receiver.home, ...args], { cwd: REPO_ROOT, env, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (_code, signal) => resolve(signal));
  });
}

async function feedBundle(): Promise<string> {
  const dir = await tempDir();
  const src = join(dir, 'src');
  await mkdir(src);
  await writeFile(join(src, 'daily.cud'), await buildDatabaseContainer({ name: 'daily', version: 27_001 }));
  await writeFile(join(src, 'main.cud'), await buildDatabaseContainer({ name: 'main', version: 101 }));
  const out = join(dir, 'out');
  await mkdir(out);
  return (await sender.exportBundle(out, 'clamav-feed', [join(src, 'daily.cud'), join(src, 'main.cud')])).bundle.bundlePath;
}

async function feedEvents(): Promise<FeedEvent[]> {
  const result = await receiver.run(['audit', 'list', '--type', 'feed-import', '--json']);
  expect(result.code, describeResult(result)).toBe(0);
  return parseJson<{ events: FeedEvent[] }>(result).events.sort((a, b) => a.seq - b.seq);
}

beforeAll(async () => {
  sender = await createStation(await tempDir(), 'Feed Station');
  receiver = await createStation(await tempDir(), 'Receiving Station');
  const key = join(await tempDir(), 'key.asc');
  await writeFile(key, (await sender.run(['keys', 'export-public'])).stdout);
  expect((await receiver.run(['keys', 'trust', key, '--fingerprint', sender.fingerprint, '--role', 'feeds'])).code).toBe(0);
  // The installed database: daily as a .cld (superseded when daily.cud arrives), main as a .cud.
  original = await tempDir();
  await writeFile(join(original, 'daily.cld'), await buildDatabaseContainer({ name: 'daily', version: 26_500 }));
  await writeFile(join(original, 'main.cud'), await buildDatabaseContainer({ name: 'main', version: 100 }));
  databaseDir = join(await tempDir(), 'clamav');
  const policy = { inspect: { scan: { command: { argv: ['true', '{}'], cleanExitCodes: [0], infectedExitCodes: [1] }, databaseDir } } };
  await writeFile(join(receiver.home, 'policy.json'), JSON.stringify(policy));
}, 120_000);

async function resetDatabase(): Promise<void> {
  await rm(databaseDir, { recursive: true, force: true });
  await cp(original, databaseDir, { recursive: true });
}

describe('kill -9 during a feed import: the next command records it from the intent', () => {
  it('before any file moved: failed INTERRUPTED, recovered, the database as it was', async () => {
    await resetDatabase();
    const before = await feedEvents();
    expect(await crashChild('feed-before-install', ['feed', 'import', await feedBundle()])).toBe('SIGKILL');
    const events = await feedEvents();
    expect(events).toHaveLength(before.length + 1);
    const event = events.at(-1);
    expect(event).toMatchObject({ outcome: 'failed', errorCode: 'INTERRUPTED', details: { recovered: true, installed: [] } });
    expect(event?.details.notInstalled?.sort()).toEqual(['daily.cud', 'main.cud']);
    expect((await readdir(databaseDir)).filter((n) => !n.startsWith('.')).sort()).toEqual(['daily.cld', 'main.cud']);
    expect(await readFile(join(databaseDir, 'main.cud'))).toEqual(await readFile(join(original, 'main.cud')));
  }, 120_000);

  it('after the first of two files moved: failed INTERRUPTED, naming the one in place and the one not', async () => {
    await resetDatabase();
    expect(await crashChild('feed-after-rename-1', ['feed', 'import', await feedBundle()])).toBe('SIGKILL');
    const event = (await feedEvents()).at(-1);
    expect(event).toMatchObject({ outcome: 'failed', errorCode: 'INTERRUPTED', details: { recovered: true } });
    expect(event?.details.installed).toHaveLength(1);
    expect(event?.details.notInstalled).toHaveLength(1);
    expect(event?.details.databaseState).toMatch(/^partly installed/u);
  }, 120_000);

  it('after both moved, before the event: ok, recovered, both named, the superseded container removed; recorded once', async () => {
    await resetDatabase();
    expect(await crashChild('feed-after-rename-2', ['feed', 'import', await feedBundle()])).toBe('SIGKILL');
    const events = await feedEvents();
    const event = events.at(-1);
    expect(event).toMatchObject({ outcome: 'ok', details: { recovered: true, notInstalled: [], superseded: ['daily.cld'] } });
    expect(event?.details.installed?.map((f) => [f.name, f.version]).sort()).toEqual([
      ['daily.cud', 27_001],
      ['main.cud', 101],
    ]);
    expect((await readdir(databaseDir)).filter((n) => !n.startsWith('.')).sort()).toEqual(['daily.cud', 'main.cud']);
    // Settled once: opening the station again records nothing more.
    expect(await feedEvents()).toHaveLength(events.length);
    expect((await receiver.run(['audit', 'verify'])).code).toBe(0);
  }, 120_000);

  it('without a kill the intent is settled with the event: nothing is recovered later', async () => {
    await resetDatabase();
    const result = await receiver.run(['feed', 'import', await feedBundle(), '--json']);
    expect(result.code, describeResult(result)).toBe(0);
    const events = await feedEvents();
    expect(events.at(-1)).toMatchObject({ outcome: 'ok' });
    expect(events.at(-1)?.details.recovered).toBeUndefined();
    expect(await feedEvents()).toHaveLength(events.length);
  }, 120_000);
});
