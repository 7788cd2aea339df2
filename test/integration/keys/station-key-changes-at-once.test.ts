/**
 * Hazard: two changes of the station key at once on one home. `keys generate`, `rotate` and
 * `restore` looked for an existing key, made or unlocked one (slow), then wrote the key files and
 * trusted the key, and recorded their event outside the trust store's lock. Two generates at once
 * both passed the look: both said done, both events were recorded, both keys were trusted as this
 * station's, and one key's private half was gone. Two rotates at once both retired the same old
 * key, and the earlier one's new key (trusted as this station's) was kept nowhere. Now the writes
 * and the event hold the lock, and the look is asked again under it (lostupd's leftover).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { homePaths } from '../../../electron/core/home/station-home.js';
import { describeResult, parseJson, type CliResult } from '../../helpers/cli-runner.js';
import { createStation, stationAt, TEST_PASSPHRASE, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs();

async function stationSigners(station: TestStation): Promise<string[]> {
  const text = await readFile(homePaths(station.home).trustStore, 'utf8');
  return (JSON.parse(text) as { signers: Array<{ fingerprint: string; role: string | null }> }).signers
    .filter((s) => s.role === 'station')
    .map((s) => s.fingerprint)
    .sort();
}

async function keyEvents(station: TestStation): Promise<Array<{ signers: string[]; details: Record<string, unknown> }>> {
  const result = await station.run(['audit', 'list', '--type', 'key-generate', '--json']);
  return parseJson<{ events: Array<{ signers: string[]; details: Record<string, unknown> }> }>(result).events;
}

async function currentKey(station: TestStation): Promise<string> {
  const result = await station.run(['keys', 'list', '--json']);
  expect(result.code, describeResult(result)).toBe(0);
  return JSON.stringify(parseJson(result));
}

function codeOf(result: CliResult): string {
  if (result.code === 0) return 'ok';
  return parseJson<{ error: { code: string } }>(result).error.code;
}

describe('station key: generate, rotate, restore at once on one home', () => {
  it('two keys generate at once (in one process, as the app runs commands): one key, one event, one station key trusted', async () => {
    const root = await tempDir('generate-');
    const passFile = join(root, 'pass');
    await writeFile(passFile, `${TEST_PASSPHRASE}\n`, { mode: 0o600 });
    const station = stationAt(join(root, 'home'), passFile);
    const results = await Promise.all(
      ['One', 'Two'].map((name) => station.run(['keys', 'generate', '--name', `Station ${name}`, '--passphrase-file', passFile, '--json'])),
    );
    expect(results.map(codeOf).sort(), results.map(describeResult).join('\n')).toEqual(['STATION_KEY_EXISTS', 'ok']);
    const winner = results.find((r) => r.code === 0) as CliResult;
    const fingerprint = parseJson<{ key: { fingerprint: string } }>(winner).key.fingerprint;
    expect(await stationSigners(station)).toEqual([fingerprint]);
    expect((await keyEvents(station)).map((e) => e.signers[0])).toEqual([fingerprint]);
    // The key that signs is the one recorded: its public file is the trusted one.
    expect(await currentKey(station)).toContain(fingerprint);
  }, 60_000);

  it('two keys rotate at once: one rotation, recorded once; the key it retired is kept, no new key lost', async () => {
    const station = await createStation(await tempDir('rotate-'));
    const results = await Promise.all(
      ['A', 'B'].map((name) =>
        station.run([
          'keys',
          'rotate',
          '--name',
          `Rotated ${name}`,
          '--passphrase-file',
          station.passFile,
          '--new-passphrase-file',
          station.passFile,
          '--json',
        ]),
      ),
    );
    expect(results.map(codeOf).sort(), results.map(describeResult).join('\n')).toEqual(['STATION_KEY_EXISTS', 'ok']);
    const rotations = (await keyEvents(station)).filter((e) => e.details.rotatedFrom !== undefined);
    expect(rotations).toHaveLength(1);
    const newKey = rotations[0]?.signers[0] as string;
    expect(rotations[0]?.details.rotatedFrom).toBe(station.fingerprint);
    // Every key trusted as this station's is either the current one or kept in keys/retired/.
    expect(await stationSigners(station)).toEqual([station.fingerprint, newKey].sort());
    expect(await readdir(join(homePaths(station.home).keysDir, 'retired'))).toContain(`${station.fingerprint}.private.asc`);
  }, 60_000);

  it('two keys restore of one backup at once: one restores, the other says STATION_KEY_EXISTS, one event', async () => {
    const source = await createStation(await tempDir('source-'));
    const backup = join(await tempDir('backup-'), 'station-key.backup');
    const saved = await source.run(['keys', 'backup', '--out', backup, '--passphrase-file', source.passFile]);
    expect(saved.code, describeResult(saved)).toBe(0);
    const station = stationAt(join(await tempDir('restored-'), 'home'), source.passFile);
    const results = await Promise.all([0, 1].map(() => station.run(['keys', 'restore', backup, '--passphrase-file', source.passFile, '--json'])));
    expect(results.map(codeOf).sort(), results.map(describeResult).join('\n')).toEqual(['STATION_KEY_EXISTS', 'ok']);
    expect((await keyEvents(station)).map((e) => e.details.restoredFrom)).toHaveLength(1);
    expect(await stationSigners(station)).toEqual([source.fingerprint]);
  }, 60_000);
});
