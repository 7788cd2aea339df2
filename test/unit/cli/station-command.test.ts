/**
 * A suggested command names the station the operator is working on (electron/cli/station-command.ts):
 * with --home it carries that home, as one shell word that a POSIX shell reads back unchanged.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { forStation, shellWord, stationCommand } from '../../../electron/cli/station-command.js';
import { runAirlock } from '../../helpers/cli-runner.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';

const makeTemp = useTempDirs();

describe('stationCommand', () => {
  it('adds --home only when the operator gave one', () => {
    expect(stationCommand(undefined, 'keys export-public > station.asc')).toBe('airlock keys export-public > station.asc');
    expect(stationCommand('/tmp/airlock-demo/sender', 'keys export-public')).toBe('airlock --home /tmp/airlock-demo/sender keys export-public');
  });

  it.each(['/srv/air lock/tx', "/srv/o'brien", 'h', '$HOME/x', 'a;rm -rf b', '-dash', 'ü/Ä', '*'])('quotes %j so the shell reads it back as it was', (home) => {
    const echoed = spawnSync('bash', ['-c', `printf '%s' ${shellWord(home)}`], { encoding: 'utf8' });
    expect(echoed.stdout).toBe(home);
  });
});

describe('forStation', () => {
  it('gives every airlock command a next step names the home, and leaves other words alone', () => {
    const next =
      'Create it: airlock keys generate --name "Station name" (or restore a backup: airlock keys restore FILE). Airlock never replaces NAME.airlock.tar.';
    expect(forStation(next, '/srv/tx')).toBe(
      'Create it: airlock --home /srv/tx keys generate --name "Station name" (or restore a backup: airlock --home /srv/tx keys restore FILE). Airlock never replaces NAME.airlock.tar.',
    );
    expect(forStation(next, undefined)).toBe(next);
  });
});

describe('an error’s next step on a station given by --home', () => {
  it('names that home in the command it suggests, on stderr and in --json', async () => {
    const dir = await makeTemp('airlock-station-next-');
    const home = join(dir, 'no key yet');
    const passphrase = join(dir, 'pass.txt');
    await writeFile(passphrase, 'station next passphrase\n');
    const args = ['--home', home, 'export', '--out', dir, '--passphrase-file', passphrase, passphrase];
    const result = await runAirlock(args);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`airlock: NO_STATION_KEY: `);
    expect(result.stderr).toContain(`  Next: Create it: airlock --home '${home}' keys generate --name "Station name"`);
    const json = JSON.parse((await runAirlock(['--json', ...args])).stdout) as { error: { next: string } };
    expect(json.error.next).toContain(`airlock --home '${home}' keys restore FILE`);
  });
});

describe('keys generate suggests the export of the key it just made', () => {
  it('names the home it ran with, so pasting the line exports this station’s key', async () => {
    const dir = await makeTemp('airlock-station-command-');
    const home = join(dir, 'tx station');
    const passphrase = join(dir, 'pass.txt');
    await writeFile(passphrase, 'station command passphrase\n');
    const made = await runAirlock(['--home', home, 'keys', 'generate', '--name', 'TX', '--passphrase-file', passphrase]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain(`Give receiving stations the public key: airlock --home '${home}' keys export-public > station.asc`);
  });
});
