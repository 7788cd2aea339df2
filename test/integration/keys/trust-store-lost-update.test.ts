/**
 * Hazard: a lost update of the trust store. `keys trust`, `keys untrust` and `keys revoke-import`
 * read trusted-signers.json, change it and write it back whole; two at once on one home (two
 * operators, a script and an operator, or the app and a script) each wrote what it had read, so
 * one trust or one untrust vanished while its command said done and the audit log recorded it:
 * the log and the trust store disagreed (found by the fault harness's race-home scenario).
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { homePaths } from '../../../electron/core/home/station-home.js';
import { CLI_BIN, describeResult, parseJson, REPO_ROOT } from '../../helpers/cli-runner.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
const OTHERS = 4;

async function others(): Promise<Array<{ file: string; fpr: string }>> {
  return Promise.all(
    Array.from({ length: OTHERS }, async (_, i) => {
      const station = await createStation(await tempDir(`other-${i}-`), `Other ${i}`);
      const file = join(await tempDir('pub-'), 'key.asc');
      await writeFile(file, (await station.run(['keys', 'export-public'])).stdout);
      return { file, fpr: station.fingerprint };
    }),
  );
}

async function stored(receiver: TestStation): Promise<string[]> {
  const text = await readFile(homePaths(receiver.home).trustStore, 'utf8');
  return (JSON.parse(text) as { signers: Array<{ fingerprint: string }> }).signers.map((s) => s.fingerprint).sort();
}

async function logged(receiver: TestStation, type: string): Promise<string[]> {
  const result = await receiver.run(['audit', 'list', '--type', type, '--outcome', 'ok', '--json']);
  return parseJson<{ events: Array<{ signers: string[] }> }>(result)
    .events.map((e) => e.signers[0] ?? '')
    .sort();
}

function cli(home: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    for (const name of ['AIRLOCK_HOME', 'NODE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) delete env[name];
    const child = spawn(process.execPath, [CLI_BIN, '--home', home, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('trust store: concurrent changes on one home', () => {
  it('several keys trusted at once (in one process, as the app runs commands): every one is in the store, as the log says', async () => {
    const receiver = await createStation(await tempDir('receiver-'));
    const keys = await others();
    const results = await Promise.all(keys.map((k) => receiver.run(['keys', 'trust', k.file, '--fingerprint', k.fpr, '--json'])));
    for (const r of results) expect(r.code, describeResult(r)).toBe(0);
    expect(await stored(receiver)).toEqual([receiver.fingerprint, ...keys.map((k) => k.fpr)].sort());
    expect(await logged(receiver, 'key-trust')).toEqual(keys.map((k) => k.fpr).sort());
  }, 120_000);

  it('trusts and untrusts in separate processes at once: the store ends as the log says', async () => {
    const receiver = await createStation(await tempDir('receiver-'));
    const keys = await others();
    // Two already trusted, to be untrusted while the other two are trusted.
    for (const k of keys.slice(0, 2)) expect((await receiver.run(['keys', 'trust', k.file, '--fingerprint', k.fpr])).code).toBe(0);
    const results = await Promise.all([
      ...keys.slice(0, 2).map((k) => cli(receiver.home, ['keys', 'untrust', k.fpr, '--json'])),
      ...keys.slice(2).map((k) => cli(receiver.home, ['keys', 'trust', k.file, '--fingerprint', k.fpr, '--json'])),
    ]);
    for (const r of results) expect(r.code, r.out).toBe(0);
    expect(await stored(receiver)).toEqual([receiver.fingerprint, ...keys.slice(2).map((k) => k.fpr)].sort());
    expect(await logged(receiver, 'key-untrust')).toEqual(
      keys
        .slice(0, 2)
        .map((k) => k.fpr)
        .sort(),
    );
  }, 120_000);
});
