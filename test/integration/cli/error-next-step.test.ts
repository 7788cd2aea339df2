/**
 * Every error the CLI prints ends with its Next: line (issue #14.4, #13.3): errors found by the
 * engine, by the CLI, and by commander while parsing the command line alike; with --json the
 * object carries the code, the detail apart from the message, the data and the next step.
 * A rejected bundle's problems each carry theirs, in the CLI's words where they differ.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../../shared/errors.js';
import { describeResult, parseJson, runAirlock, type CliResult } from '../../helpers/cli-runner.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let home: string;
let folder: string;

beforeAll(async () => {
  home = await makeTemp('airlock-next-home-');
  folder = await makeTemp('airlock-next-folder-');
});

interface ErrorObject {
  ok: false;
  error: { code: ErrorCode; message: string; detail?: string; path?: string; data?: Record<string, unknown>; next: string };
}

/** stderr ends with `airlock: CODE: message` and its `  Next: ` line, and nothing of commander's own format. */
function expectEndsWithNext(result: CliResult, exit: number, code: ErrorCode): void {
  expect(result.code, describeResult(result)).toBe(exit);
  expect(result.stderr).toMatch(new RegExp(`airlock: ${code}: [^\\n]+\\n {2}Next: \\S[^\\n]*\\n$`, 'u'));
  expect(result.stderr).not.toMatch(/^error: /mu);
}

/** The --json error object: code, message = the code's message then the detail, next. */
function expectJsonError(result: CliResult, code: ErrorCode): ErrorObject['error'] {
  const { ok, error } = parseJson<ErrorObject>(result);
  expect(ok).toBe(false);
  expect(error.code).toBe(code);
  expect(error.next.length).toBeGreaterThan(10);
  expect(error.message).toBe(error.detail === undefined ? ERROR_CODES[code].message : `${ERROR_CODES[code].message} ${error.detail}`);
  return error;
}

const parseFailures: Array<[string, string[], string]> = [
  ['an unknown command', ['verfy', 'x'], 'airlock'],
  ['an unknown option', ['verify', '--jsn', 'x'], 'airlock verify'],
  ['a missing argument', ['verify'], 'airlock verify'],
  ['a missing argument of a subcommand', ['keys', 'trust'], 'airlock keys trust'],
  ['an option without its value', ['audit', 'list', '--limit'], 'airlock audit list'],
  ['a command group without a command', ['media'], 'airlock media'],
  ['no command at all', [], 'airlock'],
];

describe('usage errors found while parsing the command line', () => {
  it.each(parseFailures)('%s: USAGE with the command’s --help as the next step', async (_what, args, command) => {
    const result = await runAirlock(['--home', home, ...args]);
    expectEndsWithNext(result, 2, 'USAGE');
    expect(result.stderr).toContain(`  Next: Run "${command} --help" to see what it takes, then try again.\n`);
  });

  it.each(parseFailures.filter(([, args]) => args.length > 0))('%s, with --json: one object with code, detail, data and next', async (_what, args, command) => {
    const result = await runAirlock(['--home', home, '--json', ...args]);
    expect(result.code).toBe(2);
    const error = expectJsonError(result, 'USAGE');
    expect(error.detail).toMatch(/^[A-Z]/u);
    expect(error.data).toEqual({ command });
    expect(error.next).toContain(`${command} --help`);
  });

  it('commander’s own words stay in the detail, on one line', async () => {
    const result = await runAirlock(['--home', home, 'verify', '--jsn', 'x']);
    expect(result.stderr).toMatch(/^airlock: USAGE: The command was not used correctly\. Unknown option '--jsn'/mu);
  });
});

describe('errors from the engine and from the CLI', () => {
  it('a folder given as a bundle: the next step names the folder, the message stays the engine’s', async () => {
    const result = await runAirlock(['--home', home, 'verify', folder]);
    expectEndsWithNext(result, 3, 'BUNDLE_IS_FOLDER');
    expect(result.stderr).toContain(
      `  Next: Name the NAME.airlock.tar file inside the folder, or check every bundle in it (a medium, a transfer folder): airlock --home ${home} media verify ${folder}\n`,
    );
    const json = expectJsonError(await runAirlock(['--home', home, '--json', 'verify', folder]), 'BUNDLE_IS_FOLDER');
    expect(json.detail).toBe(`${folder} is a folder.`);
    expect(json.data).toEqual({ folder });
    expect(json.path).toBe(folder);
  });

  it('a staged export that does not exist: the CLI says how to list them, the engine names no flag', async () => {
    const result = await runAirlock(['--home', home, '--json', 'export', '--discard-staged', 'nothing-here']);
    const error = expectJsonError(result, 'NOT_FOUND');
    expect(error.detail).not.toContain('--');
    expect(error.next).toContain(`airlock --home ${home} export --list-staged`);
    expect(error.data).toEqual({ reason: 'no-staged-export' });
  });

  it('a home the file system refuses: --home is named in the next step, not in the message', async () => {
    const result = await runAirlock(['--home', '/proc/airlock-next', 'keys', 'list']);
    expectEndsWithNext(result, 3, 'HOME_INVALID');
    const [message, next] = result.stderr.trimEnd().split('\n').slice(-2);
    expect(message).not.toContain('--home');
    expect(next).toContain('--home DIR');
  });

  it('an error the CLI itself finds (an empty --home) ends with its next step too', async () => {
    expectEndsWithNext(await runAirlock(['--home', '', 'keys', 'list']), 2, 'USAGE');
  });

  it('a hostile name in the data cannot rewrite the Next: line', async () => {
    const odd = join(folder, 'evil\u202Egnp.tar\nairlock: OK');
    await mkdir(odd);
    const result = await runAirlock(['--home', home, 'verify', odd]);
    expectEndsWithNext(result, 3, 'BUNDLE_IS_FOLDER');
    expect(result.stderr).not.toContain('\u202E');
    expect(result.stderr).not.toMatch(/^airlock: OK/mu);
  });
});

describe('problems of a rejected bundle', () => {
  let station: TestStation;
  let bundle: string;

  beforeAll(async () => {
    station = await createStation(await makeTemp('airlock-next-station-'));
    const src = join(await makeTemp('airlock-next-src-'), 'a.txt');
    await writeFile(src, 'a\n');
    bundle = (await station.exportBundle(await makeTemp('airlock-next-out-'), 'again', [src])).bundle.bundlePath;
  }, 120_000);

  it('a replay: the message names no flag; the CLI’s next step names --allow-replay', async () => {
    const dest = await makeTemp('airlock-next-dest-');
    expect((await station.run(['import', bundle, '--dest', dest])).code).toBe(0);
    const again = await station.run(['import', bundle, '--dest', await makeTemp('airlock-next-dest2-')]);
    expect(again.code, describeResult(again)).toBe(1);
    const lines = again.stdout.split('\n');
    const at = lines.findIndex((l) => l.trim() === 'REPLAY');
    expect(at, again.stdout).toBeGreaterThan(-1);
    expect(lines[at + 1]).not.toContain('--allow-replay');
    expect(lines[at + 2]).toMatch(/^ {4}Next: .*--allow-replay/u);
  }, 120_000);
});
