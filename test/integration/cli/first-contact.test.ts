/**
 * First contact (issue #13): the mistakes a new operator makes at the CLI, each answered with a
 * coded error that names the path and says what to do next, never raw errno text, a spin, or a
 * misleading alarm.
 */
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, describeResult, parseJson, REPO_ROOT, runAirlock, type CliResult } from '../../helpers/cli-runner.js';
import { runAtTerminal } from '../../helpers/fake-terminal.js';
import { createStation, TEST_PASSPHRASE, type ErrorJson, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let station: TestStation;
let work: string;
let bundle: string;
let source: string;

beforeAll(async () => {
  work = await makeTemp('airlock-first-');
  station = await createStation(await makeTemp('airlock-first-station-'));
  source = join(work, 'report.txt');
  await writeFile(source, 'quarterly\n');
  const out = join(work, 'out');
  await mkdir(out);
  bundle = (await station.exportBundle(out, 'first', [source])).bundle.bundlePath;
}, 60_000);

/** Exit code, the error line with its code, and a Next: line right under it. */
function expectError(result: CliResult, exit: number, code: string): void {
  expect(result.code, describeResult(result)).toBe(exit);
  // (At a prompt the error follows the unanswered question on its line: no echo in the fake terminal.)
  expect(result.stderr).toMatch(new RegExp(`(^|: )airlock: ${code}: .+\\n {2}Next: \\S.+\\n`, 'mu'));
  expect(result.stderr).not.toMatch(/\bE[A-Z]{3,}: |, (stat|open|mkdir|scandir) '/u);
}

describe('every error says what to do next', () => {
  it.each([
    ['a missing passphrase file', () => ['export', '-o', work, '--passphrase-file', join(work, 'nope.txt'), source], 3, 'NOT_FOUND'],
    ['a missing source', () => ['export', '-o', work, '--passphrase-file', station.passFile, join(work, 'gone.txt')], 3, 'NOT_FOUND'],
    ['an unknown fingerprint', () => ['keys', 'untrust', 'A'.repeat(40)], 3, 'KEY_NOT_FOUND'],
    ['a usage mistake found by the command', () => ['audit', 'list', '--limit', 'many'], 2, 'USAGE'],
    ['no passphrase and no terminal', () => ['export', '-o', work, source], 2, 'PASSPHRASE_REQUIRED'],
  ])('%s', async (_what, args, exit, code) => {
    expectError(await station.run(args()), exit, code);
  });

  it('carries the next step in --json too', async () => {
    const result = await station.run(['--json', 'keys', 'untrust', 'A'.repeat(40)]);
    const json = parseJson<ErrorJson & { error: { next: string } }>(result);
    expect(json.error.code).toBe('KEY_NOT_FOUND');
    // The station it ran on: pasted, the suggestion lists that station's signers (station-command.ts).
    expect(json.error.next).toContain(`airlock --home ${station.home} keys list`);
  });

  it('a path through a file: NOT_A_FOLDER naming it, not ENOTDIR', async () => {
    const result = await station.run(['export', '-o', work, '--passphrase-file', join(source, 'pass.txt'), source]);
    expectError(result, 3, 'NOT_A_FOLDER');
    expect(result.stderr).toContain(`${join(source, 'pass.txt')}: a part of this path is a file, not a folder.`);
  });
});

describe('what is not a bundle says what it is', () => {
  it.each([
    ['the export receipt beside the bundle', () => bundle.replace(/\.airlock\.tar$/u, '.export-receipt.json'), /Airlock receipt/u],
    ['the printable receipt', () => bundle.replace(/\.airlock\.tar$/u, '.export-receipt.html'), /receipt \(HTML\)/u],
    ['a text file', () => source, /text file/u],
  ])('verify and import of %s: NOT_A_BUNDLE, not ARCHIVE_CORRUPT', async (_what, path, what) => {
    for (const args of [
      ['verify', path()],
      ['import', path(), '-d', work],
    ]) {
      const result = await station.run(args);
      expectError(result, 3, 'NOT_A_BUNDLE');
      expect(result.stderr).toMatch(what);
      expect(result.stdout).not.toContain('ARCHIVE_CORRUPT');
    }
  });

  it('a zip file: NOT_A_BUNDLE', async () => {
    const zip = join(work, 'files.zip');
    await writeFile(zip, Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(100)]));
    const result = await station.run(['verify', zip]);
    expectError(result, 3, 'NOT_A_BUNDLE');
    expect(result.stderr).toContain('zip archive');
  });

  it('a folder given as the bundle points to media verify', async () => {
    const result = await station.run(['verify', join(work, 'out')]);
    expectError(result, 3, 'BUNDLE_IS_FOLDER');
    expect(result.stderr).toContain(`airlock --home ${station.home} media verify ${join(work, 'out')}`);
  });

  it('--out or --dest that is a file says so, not "does not exist"', async () => {
    const exported = await station.run(['export', '-o', source, '--passphrase-file', station.passFile, source]);
    expectError(exported, 3, 'NOT_A_FOLDER');
    expect(exported.stderr).toContain(`${source} is a file, not a folder`);
    expect(exported.stderr).not.toContain('does not exist');
    const imported = await station.run(['import', bundle, '--dest', source]);
    expectError(imported, 3, 'NOT_A_FOLDER');
  });
});

describe('the station home', () => {
  it('--home "" is a usage error, not the default home', async () => {
    const result = await runAirlock(['--home', '', 'keys', 'list'], { env: { AIRLOCK_HOME: station.home } });
    expectError(result, 2, 'USAGE');
    expect(result.stderr).toContain('--home needs a folder');
  });

  it.each(['/proc/airlock-station', '/proc/self/airlock-station'])('--home %s fails at once with HOME_INVALID (it used to spin forever)', async (home) => {
    const result = await runAirlock(['--home', home, 'keys', 'list']);
    expectError(result, 3, 'HOME_INVALID');
    expect(result.stderr).toContain('file system refuses');
  });

  // Needs root to act as another user (runuser); CI runs as root, as the media suites need too.
  it.skipIf(process.getuid?.() !== 0 && !process.env['CI'])(
    'a home owned by root, used by another user: PERMISSION_DENIED naming the owner (not AUDIT_UNAVAILABLE)',
    async () => {
      // Run as "nobody" through runuser; the home is root's, readable by all but not writable.
      const parent = await makeTemp('airlock-first-roothome-');
      await chmod(parent, 0o755);
      const home = join(parent, 'home');
      await mkdir(home, { mode: 0o755 });
      // Root's verify records its event: the database now exists, root's and 0644.
      expect((await runAirlock(['--home', home, 'verify', bundle])).code).toBe(1);
      const run = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, CLI_BIN, '--home', home, 'verify', bundle], {
        encoding: 'utf8',
        cwd: '/',
        env: { PATH: process.env.PATH ?? '' },
      });
      expect(run.status, run.stderr).toBe(3);
      expect(run.stderr).toMatch(/^airlock: PERMISSION_DENIED: .*not writable by user nobody .*belongs to user root \(uid 0\)/mu);
      expect(run.stderr).toMatch(/\n {2}Next: /u);
      expect(run.stderr).not.toContain('AUDIT_UNAVAILABLE');
      // A parent the user may not enter is the one named.
      await chmod(parent, 0o700);
      const hidden = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, CLI_BIN, '--home', home, 'keys', 'list'], {
        encoding: 'utf8',
        cwd: '/',
        env: { PATH: process.env.PATH ?? '' },
      });
      expect(hidden.status, hidden.stderr).toBe(3);
      expect(hidden.stderr).toContain(`${parent}, above it, belongs to user root (uid 0) and this user may not enter it`);
    },
  );
});

describe('keys trust at the prompt', () => {
  it('a short fingerprint typed at the prompt is USAGE, as with the flag, not FINGERPRINT_MISMATCH', async () => {
    const pub = join(work, 'station.asc');
    await writeFile(pub, (await station.run(['keys', 'export-public'])).stdout);
    const other = await createStation(await makeTemp('airlock-first-other-'), 'Other Station');
    const typed = station.fingerprint.slice(0, 16);
    const result = await runAtTerminal(['--home', other.home, 'keys', 'trust', pub], [typed]);
    expectError(result, 2, 'USAGE');
    expect(result.stderr).toContain('is not a 40- or 64-digit hex fingerprint');
    expect(result.stderr).not.toContain('FINGERPRINT_MISMATCH');
    const flag = await other.run(['keys', 'trust', pub, '--fingerprint', typed]);
    expect(flag.code).toBe(2);
  });

  it('the key may come on stdin with -', async () => {
    const other = await createStation(await makeTemp('airlock-first-piped-'), 'Piped Station');
    const armored = (await station.run(['keys', 'export-public'])).stdout;
    const result = await other.run(['keys', 'trust', '-', '--fingerprint', station.fingerprint, '--json'], { stdin: armored });
    expect(result.code, describeResult(result)).toBe(0);
    expect(parseJson<{ signer: { fingerprint: string } }>(result).signer.fingerprint).toBe(station.fingerprint);
  });
});

describe('CLI conventions', () => {
  it('bare `airlock` and `airlock keys` exit 2 with the help on stderr; --help exits 0', async () => {
    for (const args of [[], ['keys'], ['audit'], ['media']]) {
      const result = await runAirlock(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('Usage: airlock');
    }
    expect((await runAirlock(['--help'])).code).toBe(0);
    expect((await runAirlock(['keys', '--help'])).code).toBe(0);
  });

  it('global options before or after the command, and in every command’s help with its JSON shape', async () => {
    const after = await runAirlock(['keys', 'list', '--home', station.home, '--json']);
    const before = await runAirlock(['--json', '--home', station.home, 'keys', 'list']);
    expect(parseJson(after)).toEqual(parseJson(before));
    const help = await runAirlock(['verify', '--help']);
    expect(help.stdout).toMatch(/Global Options:[\s\S]*--home <dir>[\s\S]*--operator <name>[\s\S]*--json/u);
    expect(help.stdout).toContain('With --json, stdout is one JSON object:');
    expect(help.stdout).toContain('{ ok, bundle: {');
  });

  it('-q prints nothing on success, -v lists every file', async () => {
    const quiet = await station.run(['-q', 'verify', bundle]);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe('');
    const verbose = await station.run(['verify', bundle, '-v']);
    expect(verbose.stdout).toMatch(/^ {4}intact +10 B {2}data\/report\.txt$/mu);
  });

  it('--progress forces the progress line, --no-progress suppresses it', async () => {
    const forced = await station.run(['--progress', 'verify', bundle]);
    expect(forced.stderr).toContain('\r\u001b[2K');
    const none = await station.run(['--no-progress', 'verify', bundle], { stderrIsTTY: true });
    expect(none.stderr).toBe('');
  });

  it('short flags and - for the passphrase on stdin', async () => {
    const out = await makeTemp('airlock-first-out-');
    const result = await station.run(['export', '-o', out, '-n', 'short', '--passphrase-file', '-', source], { stdin: `${TEST_PASSPHRASE}\n` });
    expect(result.code, describeResult(result)).toBe(0);
    expect(await readdir(out)).toContain('short.airlock.tar');
    const dest = await makeTemp('airlock-first-dest-');
    expect((await station.run(['import', join(out, 'short.airlock.tar'), '-d', dest])).code).toBe(0);
  });

  it('keys backup --out - writes the backup to stdout, and keys restore - reads it back', async () => {
    const backup = await station.run(['keys', 'backup', '-o', '-', '--passphrase-file', station.passFile]);
    expect(backup.code, describeResult(backup)).toBe(0);
    expect(backup.stdout).toMatch(/^Airlock station key backup v1/u);
    const spare = join(work, 'spare-home');
    const restored = await runAirlock(['--home', spare, 'keys', 'restore', '-', '--passphrase-file', station.passFile, '--json'], { stdin: backup.stdout });
    expect(restored.code, describeResult(restored)).toBe(0);
    expect(parseJson<{ key: { fingerprint: string } }>(restored).key.fingerprint).toBe(station.fingerprint);
  });

  it('correct plurals, binary units and no trailing blanks in reports', async () => {
    const verified = await station.run(['verify', bundle]);
    expect(verified.stdout).toContain('  1 file, 10 B: every byte matches');
    const audit = await station.run(['audit', 'verify']);
    expect(audit.stdout).not.toMatch(/\b1 (events|signed checkpoints)\b/u);
    for (const result of [verified, audit, await station.run(['audit', 'list']), await station.run(['keys', 'list'])]) {
      expect(result.stdout).not.toMatch(/[ \t]+$/mu);
    }
    const big = join(work, 'big.bin');
    await writeFile(big, Buffer.alloc(3 * 1024 * 1024));
    const out = await makeTemp('airlock-first-out-');
    const exported = await station.run(['export', '-o', out, '--passphrase-file', station.passFile, big]);
    expect(exported.stdout).toContain('1 file, 3.00 MiB payload');
  });

  it('policy.json byte limits accept sizes such as "2K"', async () => {
    const policed = await createStation(await makeTemp('airlock-first-policy-'), 'Policy Station');
    await writeFile(join(policed.home, 'policy.json'), JSON.stringify({ limits: { maxFileBytes: '2K' } }));
    const big = join(work, 'three-k.bin');
    await writeFile(big, Buffer.alloc(3 * 1024));
    const out = await makeTemp('airlock-first-out-');
    const exported = await policed.exportBundle(out, 'threek', [big]);
    const verified = await policed.run(['verify', exported.bundle.bundlePath, '--json']);
    expect(verified.code).toBe(1);
    expect(parseJson<{ problems: Array<{ code: string }> }>(verified).problems.map((p) => p.code)).toContain('LIMIT_EXCEEDED');
  });

  it('`audit export | head` ends quietly with exit 0, as tar does', async () => {
    // More log than a pipe holds (64 KiB), so the export is still writing when head leaves:
    // one export of 1500 files puts 1500 per-file rows in the log.
    const many = await makeTemp('airlock-first-many-');
    await Promise.all(Array.from({ length: 1500 }, (_, i) => writeFile(join(many, `f${i}.txt`), `${i}\n`)));
    const out = await makeTemp('airlock-first-out-');
    expect((await station.run(['export', '--out', out, '--passphrase-file', station.passFile, many])).code).toBe(0);
    const size = spawnSync(process.execPath, [CLI_BIN, '--home', station.home, 'audit', 'export', '--format', 'csv'], {
      encoding: 'utf8',
      cwd: REPO_ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(size.stdout.length).toBeGreaterThan(128 * 1024);
    const run = spawnSync(
      'bash',
      ['-c', `set -o pipefail; "${process.execPath}" "${CLI_BIN}" --home "${station.home}" audit export --format csv | head -c 10 >/dev/null`],
      { encoding: 'utf8', cwd: REPO_ROOT },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('staged two-person exports can be listed and discarded', () => {
  it('a prepare that failed half-way no longer blocks its name', async () => {
    const staged = join(station.home, 'staged', 'half');
    await mkdir(staged, { recursive: true });
    const blocked = await station.run(['export', '--prepare', '-n', 'half', '--passphrase-file', station.passFile, source]);
    expectError(blocked, 3, 'OUTPUT_EXISTS');

    const listed = await station.run(['export', '--list-staged', '--json']);
    const entries = parseJson<{ staged: Array<{ name: string; state: string }> }>(listed).staged;
    expect(entries).toEqual([expect.objectContaining({ name: 'half', state: 'invalid' })]);
    expect((await station.run(['export', '--list-staged'])).stdout).toContain('discard it: airlock export --discard-staged half');

    const discarded = await station.run(['export', '--discard-staged', 'half']);
    expect(discarded.code, describeResult(discarded)).toBe(0);
    const prepared = await station.run(['export', '--prepare', '-n', 'half', '--passphrase-file', station.passFile, source, '--json']);
    expect(prepared.code, describeResult(prepared)).toBe(0);
    const ready = parseJson<{ staged: Array<{ name: string; state: string; signatures: number }> }>(
      await station.run(['export', '--list-staged', '--json']),
    ).staged;
    expect(ready).toEqual([expect.objectContaining({ name: 'half', state: 'ready', signatures: 1 })]);
    const events = await station.run(['audit', 'list', '--type', 'export-discard', '--json']);
    expect(parseJson<{ events: unknown[] }>(events).events).toHaveLength(1);
  });

  it('refuses to discard a folder that is not a staged export', async () => {
    const folder = await makeTemp('airlock-first-notstaged-');
    await writeFile(join(folder, 'keep.txt'), 'keep\n');
    const result = await station.run(['export', '--discard-staged', folder]);
    expectError(result, 2, 'USAGE');
    expect(await readdir(folder)).toEqual(['keep.txt']);
  });
});
