/**
 * The app's feed import and heartbeat jobs under plain Node with a real worker thread and the real
 * core (issue #16.6, #17.1): the worker runs the station functions the CLI runs. A heartbeat takes
 * the channel's next number (and an export on the channel the one after), which the next-stamp
 * lookup then reports; a feeds-signed bundle installs its database, the report carries the
 * version before and after, and a clamd that cannot be told to reload is a warning; an older
 * database is FEED_INVALID unless the downgrade is allowed, and then recorded as a warning.
 */
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Station } from '../../../electron/core/index.js';
import { JobHost } from '../../../electron/main/jobs/job-host.js';
import { buildDatabaseContainer, daysAgo } from '../../helpers/clamav-database.js';

const WORKER = new URL('../../helpers/job-worker-tsx.mjs', import.meta.url);
const PASSPHRASE = 'feed and heartbeat passphrase';

let base: string;
let senderHome: string;
let receiverHome: string;
let databaseDir: string;

async function withStation<T>(home: string, action: (station: Station) => Promise<T>): Promise<T> {
  const station = await Station.open({ home });
  try {
    return await action(station);
  } finally {
    station.close();
  }
}

/** A feed bundle made the documented way: a plain export of the database files, signed by the sender. */
async function feedBundle(version: number, builtAt: Date): Promise<string> {
  const src = await mkdtemp(join(base, 'feed-src-'));
  await writeFile(join(src, 'daily.cud'), await buildDatabaseContainer({ version, builtAt }));
  const out = await mkdtemp(join(base, 'feed-out-'));
  return withStation(senderHome, async (s) => (await s.exportBundle({ selection: [join(src, 'daily.cud')], outDir: out, passphrase: PASSPHRASE })).bundlePath);
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'airlock-jobhost-feed-'));
  senderHome = join(base, 'sender');
  receiverHome = join(base, 'receiver');
  databaseDir = join(base, 'clamav-db');
  await mkdir(databaseDir);
  await writeFile(join(databaseDir, 'daily.cud'), await buildDatabaseContainer({ version: 26_000, builtAt: daysAgo(40) }));
  const keyFile = join(base, 'sender.asc');
  const fingerprint = await withStation(senderHome, async (s) => {
    const key = await s.generateKey({ name: 'Feed Sender', passphrase: PASSPHRASE });
    await writeFile(keyFile, await s.exportPublicKey());
    return key.fingerprint;
  });
  await withStation(receiverHome, (s) => s.trustKeyFile(keyFile, { expectedFingerprint: fingerprint, role: 'feeds' }));
  // A clamd nobody listens on: the install goes ahead, the reload cannot be asked for.
  await writeFile(
    join(receiverHome, 'policy.json'),
    JSON.stringify({ inspect: { scan: { clamd: `unix:${join(base, 'no-clamd.sock')}`, databaseDir, onError: 'warn' } } }),
  );
}, 60_000);

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('JobHost heartbeat', () => {
  it('writes a heartbeat that takes the channel’s next number; an export on the channel takes the one after', async () => {
    const host = new JobHost({ workerScript: WORKER, station: { home: senderHome } });
    const out = await mkdtemp(join(base, 'hb-'));
    const job = await host.whenFinished(host.start('heartbeat', { channel: 'diode-a', outDir: out, passphrase: PASSPHRASE }));
    if (job.kind !== 'heartbeat' || !job.result) throw new Error(`no heartbeat result: ${JSON.stringify(job.error)}`);
    expect(job.result.channel).toMatchObject({ channel: 'diode-a', sequence: 1, previousTagManifestSha256: null, heartbeat: true });
    expect(job.result.name).toMatch(/^heartbeat-diode-a-\d{6}-\d{8}$/u);
    expect((await stat(job.result.bundlePath)).isFile()).toBe(true);
    expect(JSON.stringify(job)).not.toContain(PASSPHRASE);

    const next = await withStation(senderHome, (s) => s.nextChannelStamp('diode-a'));
    expect(next).toEqual({ channel: 'diode-a', sequence: 2, previousTagManifestSha256: job.result.tagmanifestSha256, heartbeat: false });

    const src = await mkdtemp(join(base, 'src-'));
    await writeFile(join(src, 'a.txt'), 'alpha\n');
    const exported = await host.whenFinished(
      host.start('export', { selection: [src], destination: { kind: 'folder', path: out }, passphrase: PASSPHRASE, channel: 'diode-a' }),
    );
    if (exported.kind !== 'export' || !exported.result) throw new Error(`no export result: ${JSON.stringify(exported.error)}`);
    expect(exported.result.channel).toMatchObject({
      channel: 'diode-a',
      sequence: 2,
      previousTagManifestSha256: job.result.tagmanifestSha256,
      heartbeat: false,
    });
  }, 60_000);

  it('fails a wrong passphrase with PASSPHRASE_WRONG and writes nothing', async () => {
    const host = new JobHost({ workerScript: WORKER, station: { home: senderHome } });
    const out = await mkdtemp(join(base, 'hb-wrong-'));
    const job = await host.whenFinished(host.start('heartbeat', { channel: 'diode-a', outDir: out, passphrase: 'not-the-passphrase' }));
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('PASSPHRASE_WRONG');
    expect(await readdir(out)).toEqual([]);
  }, 60_000);
});

describe('JobHost feed import', () => {
  it('installs a feeds-signed database: versions before and after, clamd not reachable to reload is a warning', async () => {
    const host = new JobHost({ workerScript: WORKER, station: { home: receiverHome } });
    const job = await host.whenFinished(host.start('feed-import', { bundlePath: await feedBundle(27_001, new Date()) }));
    if (job.kind !== 'feed-import' || !job.result) throw new Error(`no feed result: ${JSON.stringify(job.error)}`);
    const report = job.result;
    expect(report.ok).toBe(true);
    expect(report.installed.map((f) => [f.name, f.version])).toEqual([['daily.cud', 27_001]]);
    expect(report.before?.version).toBe(26_000);
    expect(report.after?.version).toBe(27_001);
    expect(report.after?.ageDays).toBe(0);
    expect(report.reloaded).toBe(false);
    expect(report.warnings.join('\n')).toMatch(/clamd was not told to reload/u);
    const events = await withStation(receiverHome, async (s) => s.listAudit({ type: 'feed-import', limit: 5 }));
    expect(events[0]).toMatchObject({ seq: report.auditEvent, outcome: 'ok' });
  }, 60_000);

  it('refuses an older database with FEED_INVALID; allowed on purpose, installs it with a warning', async () => {
    const host = new JobHost({ workerScript: WORKER, station: { home: receiverHome } });
    const older = await feedBundle(26_500, daysAgo(10));
    const refused = await host.whenFinished(host.start('feed-import', { bundlePath: older }));
    expect(refused.state).toBe('failed');
    expect(refused.error?.code).toBe('FEED_INVALID');
    const allowed = await host.whenFinished(host.start('feed-import', { bundlePath: older, allowDowngrade: true }));
    if (allowed.kind !== 'feed-import' || !allowed.result) throw new Error(`no feed result: ${JSON.stringify(allowed.error)}`);
    expect(allowed.result.installed.map((f) => f.version)).toEqual([26_500]);
    expect(allowed.result.warnings.join('\n')).toMatch(/Installed an older database on purpose/u);
  }, 60_000);
});
