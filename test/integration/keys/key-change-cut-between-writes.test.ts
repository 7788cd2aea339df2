/**
 * Hazard: a key change cut between its writes, or between its last write and its audit event (a
 * power cut after a durable write is what kill -9 right after that rename leaves). Before the
 * journal (core/keys/key-change-journal.ts): `keys trust` killed after writing the store left the
 * key trusted with no `key-trust` event; `keys rotate` killed after writing the new private key
 * left the public key file the old key (export-public handing out a key that does not sign), no
 * event (found by the fault harness's crash-state scenario). Now the next open puts the files back
 * unless the change's event is recorded, and keeps the change when it is.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readKey, readPrivateKey } from 'openpgp';
import { describe, expect, it } from 'vitest';
import { homePaths } from '../../../electron/core/home/station-home.js';
import { describeResult, parseJson, REPO_ROOT } from '../../helpers/cli-runner.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
const CRASH_CHILD = join(REPO_ROOT, 'test', 'fault', 'crash-child.ts');

function killedAt(point: string, home: string, args: string[]): Promise<{ signal: NodeJS.Signals | null; out: string }> {
  const env = { ...process.env };
  for (const name of ['AIRLOCK_HOME', 'NODE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CRASH_CHILD, point, '--home', home, ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ signal, out }));
  });
}

async function otherKey(): Promise<{ file: string; fpr: string }> {
  const other = await createStation(await tempDir('other-'), 'Other Station');
  const file = join(await tempDir('pub-'), 'other.asc');
  await writeFile(file, (await other.run(['keys', 'export-public'])).stdout);
  return { file, fpr: other.fingerprint };
}

async function trusted(station: TestStation): Promise<string[]> {
  const result = await station.run(['keys', 'list', '--json']);
  expect(result.code, describeResult(result)).toBe(0);
  return parseJson<{ trusted: Array<{ fingerprint: string }> }>(result)
    .trusted.map((t) => t.fingerprint)
    .sort();
}

async function events(station: TestStation, type: string): Promise<Array<{ details: Record<string, unknown> }>> {
  return parseJson<{ events: Array<{ details: Record<string, unknown> }> }>(await station.run(['audit', 'list', '--type', type, '--outcome', 'ok', '--json']))
    .events;
}

describe('a key change cut between its writes', () => {
  it('keys trust killed after writing the store, before its event: the next command finds the key not trusted and no event', async () => {
    const station = await createStation(await tempDir('trust-'));
    const other = await otherKey();
    const killed = await killedAt('after-rename-of-trusted-signers.json', station.home, ['keys', 'trust', other.file, '--fingerprint', other.fpr]);
    expect(killed.signal, killed.out).toBe('SIGKILL');
    expect(await trusted(station)).toEqual([station.fingerprint]);
    expect(await events(station, 'key-trust')).toEqual([]);
    expect(existsSync(join(homePaths(station.home).keysDir, 'key-change.json'))).toBe(false);
    // And the change can be made again.
    const again = await station.run(['keys', 'trust', other.file, '--fingerprint', other.fpr]);
    expect(again.code, describeResult(again)).toBe(0);
    expect(await trusted(station)).toEqual([station.fingerprint, other.fpr].sort());
    expect(await events(station, 'key-trust')).toHaveLength(1);
  }, 60_000);

  it('keys trust killed after its event, before removing its journal: kept, recorded once', async () => {
    const station = await createStation(await tempDir('trust-done-'));
    const other = await otherKey();
    const killed = await killedAt('before-journal-unlink', station.home, ['keys', 'trust', other.file, '--fingerprint', other.fpr]);
    expect(killed.signal, killed.out).toBe('SIGKILL');
    expect(await trusted(station)).toEqual([station.fingerprint, other.fpr].sort());
    expect(await events(station, 'key-trust')).toHaveLength(1);
    expect(existsSync(join(homePaths(station.home).keysDir, 'key-change.json'))).toBe(false);
  }, 60_000);

  it('keys rotate killed after writing the new private key: the next command finds the old key in both files, trusted, no rotation recorded', async () => {
    const station = await createStation(await tempDir('rotate-'));
    const paths = homePaths(station.home);
    const killed = await killedAt('after-rename-of-station-key.private.asc', station.home, [
      'keys',
      'rotate',
      '--name',
      'Rotated',
      '--passphrase-file',
      station.passFile,
      '--new-passphrase-file',
      station.passFile,
    ]);
    expect(killed.signal, killed.out).toBe('SIGKILL');
    expect(await trusted(station)).toEqual([station.fingerprint]);
    const pub = (await readKey({ armoredKey: await readFile(paths.stationPublicKey, 'utf8') })).getFingerprint().toUpperCase();
    const priv = (await readPrivateKey({ armoredKey: await readFile(paths.stationPrivateKey, 'utf8') })).getFingerprint().toUpperCase();
    expect({ pub, priv }).toEqual({ pub: station.fingerprint, priv: station.fingerprint });
    expect((await events(station, 'key-generate')).filter((e) => e.details.rotatedFrom !== undefined)).toEqual([]);
    const keyList = await station.run(['keys', 'list', '--json']);
    expect(JSON.stringify(parseJson(keyList))).not.toContain('retired');
  }, 60_000);
});
