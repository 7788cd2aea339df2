/**
 * `airlock feed import` against a real clamd (issue #16.6): a feed bundle signed by a key trusted
 * with the feeds role replaces a stale database, clamd reloads, the age drops, the audit log
 * records versions before and after. Every other feed changes nothing in the database folder.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { daysAgo, markerBytes, buildDatabaseContainer } from '../../helpers/clamav-database.js';
import { clamdSay, useClamdServer } from '../../helpers/clamd-server.js';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { ClamdScanner } from '../../../electron/core/inspect/clamd/clamd-scanner.js';

const tempDir = useTempDirs();
const clamd = useClamdServer({ database: { builtAt: daysAgo(40), version: 26_500 } });

interface FeedJson {
  ok: boolean;
  problems: Array<{ code: string }>;
  installed: Array<{ name: string; version: number }>;
  superseded: string[];
  before: { version: number | null; ageDays: number | null } | null;
  after: { version: number | null; ageDays: number | null; source: string } | null;
  reloaded: boolean | null;
  auditEvent: number | null;
}

let sender: TestStation;
let receiver: TestStation;

async function publicKeyFile(station: TestStation): Promise<string> {
  const file = join(await tempDir(), 'key.asc');
  await writeFile(file, (await station.run(['keys', 'export-public'])).stdout);
  return file;
}

/** A feed bundle made the documented way: a plain export of the database files. */
async function feedBundle(station: TestStation, files: Record<string, Buffer | string>, name = 'clamav-feed'): Promise<string> {
  const dir = await tempDir();
  const src = join(dir, 'src');
  await mkdir(src);
  for (const [file, body] of Object.entries(files)) await writeFile(join(src, file), body);
  const out = join(dir, 'out');
  await mkdir(out);
  const exported = await station.exportBundle(
    out,
    name,
    Object.keys(files).map((f) => join(src, f)),
  );
  return exported.bundle.bundlePath;
}

async function databaseSnapshot(): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  for (const name of await readdir(clamd().databaseDir)) snapshot[name] = (await readFile(join(clamd().databaseDir, name))).toString('base64');
  return snapshot;
}

beforeAll(async () => {
  sender = await createStation(await tempDir(), 'Feed Station');
  receiver = await createStation(await tempDir(), 'Receiving Station');
  await writeFile(join(receiver.home, 'policy.json'), JSON.stringify({ inspect: { scan: { clamd: clamd().unixAddress, databaseDir: clamd().databaseDir } } }));
});

describe('feed import', () => {
  it('refuses a feed signed by a key trusted without the feeds role: SIGNER_UNTRUSTED, database unchanged', async () => {
    expect((await receiver.run(['keys', 'trust', await publicKeyFile(sender), '--fingerprint', sender.fingerprint])).code).toBe(0);
    const bundle = await feedBundle(sender, { 'daily.cud': await buildDatabaseContainer({ version: 27_001 }) });
    const before = await databaseSnapshot();
    const result = await receiver.run(['feed', 'import', bundle, '--json']);
    expect(result.code, describeResult(result)).toBe(1);
    expect(parseJson<FeedJson>(result).problems.map((p) => p.code)).toContain('SIGNER_UNTRUSTED');
    expect(await databaseSnapshot()).toEqual(before);
    expect((await receiver.run(['keys', 'untrust', sender.fingerprint])).code).toBe(0);
    expect((await receiver.run(['keys', 'trust', await publicKeyFile(sender), '--fingerprint', sender.fingerprint, '--role', 'feeds'])).code).toBe(0);
  });

  it('refuses a feed holding anything but database containers, or a container sigtool rejects: FEED_INVALID, database unchanged', async () => {
    const before = await databaseSnapshot();
    const good = await buildDatabaseContainer({ version: 27_001 });
    // sigtool --info passes an unsigned container whatever its body holds: these would make clamd refuse the database at RELOAD.
    const broken = Buffer.concat([good.subarray(0, 512), Buffer.from('not a tar.gz at all')]);
    const lyingHeader = Buffer.concat([Buffer.from(good.subarray(0, 512).toString('latin1').replace(':27001:', ':99999:'), 'latin1'), good.subarray(512)]);
    const otherBody = Buffer.concat([
      good.subarray(0, 512),
      (await buildDatabaseContainer({ version: 27_001, files: { 'daily.ndb': 'Other.Sig:0:*:414243\n' } })).subarray(512),
    ]);
    const cases: Array<[Record<string, Buffer | string>, RegExp]> = [
      [{ 'daily.cud': good, 'notes.txt': 'hello' }, /notes\.txt.*is not a ClamAV database container/u],
      [{ 'daily.cud': broken }, /MD5/u],
      [{ 'daily.cud': lyingHeader }, /Corrupted CVD header|does not match its header/u],
      [{ 'daily.cud': otherBody }, /MD5/u],
      [{ 'daily.ndb': 'x:0:*:41' }, /is not a ClamAV database container/u],
      // sigtool checks a .cld as signed: an unsigned body under that name is refused.
      [{ 'daily.cld': good }, /sigtool --info refused daily\.cld/u],
    ];
    for (const [files, why] of cases) {
      const result = await receiver.run(['feed', 'import', await feedBundle(sender, files), '--json']);
      expect(result.code, describeResult(result)).toBe(3);
      const error = parseJson<{ error: { code: string; detail: string } }>(result).error;
      expect(error.code).toBe('FEED_INVALID');
      expect(error.detail).toMatch(why);
      const audit = parseJson<{ events: Array<{ seq: number; type: string; outcome: string; errorCode: string | null }> }>(
        await receiver.run(['audit', 'list', '--json']),
      );
      const latest = audit.events.filter((e) => e.type === 'feed-import').sort((a, b) => b.seq - a.seq)[0];
      expect(latest).toMatchObject({ outcome: 'failed', errorCode: 'FEED_INVALID' });
      expect(await databaseSnapshot()).toEqual(before);
    }
  });

  it('installs a current database from a feeds-signed bundle: clamd reloads, the age drops, the audit log has both versions', async () => {
    const statusBefore = await new ClamdScanner(clamd().unixAddress, { timeoutMs: 30_000, databaseDir: clamd().databaseDir }).status(new Date());
    expect(statusBefore.databaseAgeDays).toBeGreaterThanOrEqual(39);

    const bundle = await feedBundle(sender, { 'daily.cud': await buildDatabaseContainer({ version: 27_001 }) });
    const result = await receiver.run(['feed', 'import', bundle, '--json']);
    expect(result.code, describeResult(result)).toBe(0);
    const feed = parseJson<FeedJson>(result);
    expect(feed.installed).toEqual([expect.objectContaining({ name: 'daily.cud', version: 27_001 })]);
    expect(feed.before).toMatchObject({ version: 26_500 });
    expect(feed.before?.ageDays).toBeGreaterThanOrEqual(39);
    expect(feed.after).toMatchObject({ version: 27_001, ageDays: 0, source: 'version-command' });
    expect(feed.reloaded).toBe(true);

    expect(await clamdSay(clamd().socketPath, 'VERSION')).toMatch(/^ClamAV [0-9.]+\/27001\//u);
    const statusAfter = await new ClamdScanner(clamd().unixAddress, { timeoutMs: 30_000, databaseDir: clamd().databaseDir }).status(new Date());
    expect(statusAfter.databaseAgeDays).toBe(0);
    // Nothing of the staging is left where clamd reads, and the new database still finds the marker.
    expect((await readdir(clamd().databaseDir)).sort()).toEqual(['daily.cud']);
    const scan = await new ClamdScanner(clamd().unixAddress, { timeoutMs: 30_000, databaseDir: null }).begin();
    await scan.write(markerBytes());
    expect((await scan.finish()).outcome).toBe('found');

    const audit = parseJson<{ events: Array<{ seq: number; type: string; outcome: string; details: Record<string, unknown> }> }>(
      await receiver.run(['audit', 'list', '--json']),
    );
    const event = audit.events.find((e) => e.seq === feed.auditEvent);
    expect(event).toMatchObject({ type: 'feed-import', outcome: 'ok' });
    expect(event?.details).toMatchObject({ databaseVersionBefore: 26_500, databaseVersionAfter: 27_001, reloaded: true });
  });

  it('refuses an older feed (a replayed one) unless the rollback is asked for, and records it', async () => {
    const before = await databaseSnapshot();
    const old = await feedBundle(sender, { 'daily.cud': await buildDatabaseContainer({ version: 26_900, builtAt: daysAgo(2) }) }, 'old-feed');
    const refused = await receiver.run(['feed', 'import', old, '--json']);
    expect(refused.code, describeResult(refused)).toBe(3);
    expect(parseJson<{ error: { code: string; message: string } }>(refused).error.message).toMatch(/older than the installed daily\.cud/u);
    expect(await databaseSnapshot()).toEqual(before);

    const rolledBack = await receiver.run(['feed', 'import', old, '--allow-downgrade', '--json']);
    expect(rolledBack.code, describeResult(rolledBack)).toBe(0);
    expect(parseJson<FeedJson>(rolledBack).after).toMatchObject({ version: 26_900 });
  });
});
