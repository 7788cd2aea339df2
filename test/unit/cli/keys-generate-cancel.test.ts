/**
 * Ctrl-C during `airlock keys generate` (an RSA-4096 key takes seconds): the CLI prints
 * "Cancelling..." at once, so the command must end with CANCELLED (exit 3) and keep no file of
 * the key, never go on to store it and exit 0. Without a cancel the same command makes the key.
 */
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeResult, runAirlock } from '../../helpers/cli-runner.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let dir: string;
let passphrase: string;

beforeAll(async () => {
  dir = await makeTemp('airlock-keygen-cancel-');
  passphrase = join(dir, 'pass.txt');
  await writeFile(passphrase, 'key generate cancel passphrase\n');
});

async function keyFiles(home: string): Promise<string[]> {
  return readdir(join(home, 'keys')).then(
    (names) => names.filter((name) => name.startsWith('station-key.')),
    () => [],
  );
}

describe('keys generate and Ctrl-C', () => {
  it('ends with CANCELLED (exit 3) and stores no key when Ctrl-C came', async () => {
    const home = join(dir, 'cancelled');
    const args = ['--home', home, 'keys', 'generate', '--name', 'Cancelled Station', '--passphrase-file', passphrase];
    const result = await runAirlock(args, { signal: AbortSignal.abort() });
    expect(result.code, describeResult(result)).toBe(3);
    expect(result.stderr).toMatch(/^airlock: CANCELLED: .+\n {2}Next: \S/mu);
    expect(result.stdout).not.toContain('Created the station key');
    expect(await keyFiles(home)).toEqual([]);
    // Nothing half-made stands in the way of trying again.
    const again = await runAirlock(args);
    expect(again.code, describeResult(again)).toBe(0);
    expect((await keyFiles(home)).sort()).toEqual(['station-key.private.asc', 'station-key.public.asc', 'station-key.revocation.asc']);
  });

  it('on a terminal, shows the time the key takes on stderr, cleared before the result; none when piped', async () => {
    const home = join(dir, 'on-terminal');
    const result = await runAirlock(['--home', home, 'keys', 'generate', '--name', 'Terminal Station', '--passphrase-file', passphrase], { stderrIsTTY: true });
    expect(result.code, describeResult(result)).toBe(0);
    expect(result.stderr.startsWith('\r\u001b[2KGenerating the station key (ed25519)  0:0')).toBe(true);
    expect(result.stderr).toMatch(/Generating the station key \(ed25519\) {2}0:\d\d elapsed/u);
    expect(result.stderr.endsWith('elapsed\r\u001b[2K')).toBe(true);
    expect(result.stdout).toContain('Created the station key');
    const piped = await runAirlock(['--home', join(dir, 'piped'), 'keys', 'generate', '--name', 'Piped Station', '--passphrase-file', passphrase]);
    expect(piped.code, describeResult(piped)).toBe(0);
    expect(piped.stderr).not.toContain('elapsed');
  });
});
