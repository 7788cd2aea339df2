/**
 * `airlock policy check [FILE]` (issue #16.1) without a running scanner: the station's own
 * policy.json or a named file; no file means the defaults (inspection off); a mistake anywhere is
 * CONFIG_INVALID naming the field (exit 3); a named file that is not there is not a pass; a
 * scanner that cannot be used is reported with the code import would give (exit 3).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeResult, parseJson, runAirlock } from '../../helpers/cli-runner.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let home: string;
let dir: string;

beforeAll(async () => {
  dir = await makeTemp('airlock-policy-check-');
  home = join(dir, 'home');
});

const check = (...args: string[]) => runAirlock(['--home', home, 'policy', 'check', ...args]);

describe('airlock policy check', () => {
  it('without policy.json: OK, the defaults apply, inspection is off', async () => {
    const result = await check();
    expect(result.code, describeResult(result)).toBe(0);
    expect(result.stdout).toContain('does not exist: the defaults apply');
    expect(result.stdout).toContain('Content inspection: off');
    expect(parseJson(await check('--json'))).toMatchObject({ ok: true, exists: false, inspect: null, scanner: null, problems: [] });
  });

  it('a named file that is not there is CONFIG_INVALID, not a pass', async () => {
    const result = await check(join(dir, 'nope.json'));
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('CONFIG_INVALID');
    expect(result.stderr).toContain('no such file');
  });

  it('names the field and what is wrong, inside the inspect section too', async () => {
    const cases: Array<[unknown, string]> = [
      [{ inspect: { types: { onMismatch: 'maybe' } } }, 'inspect.types.onMismatch'],
      [{ inspect: { scan: { clamd: 'clamd.sock' } } }, 'inspect.scan.clamd'],
      [{ inspect: { archives: { maxDepht: 3 } } }, 'maxDepht'],
      [{ inspect: { scan: { clamd: 'unix:/a.sock', command: { argv: ['x'], cleanExitCodes: [0], infectedExitCodes: [1] } } } }, 'exactly one scanner'],
      [{ limits: { maxEntries: -1 } }, 'limits.maxEntries'],
    ];
    for (const [policy, named] of cases) {
      const file = join(dir, 'bad.json');
      await writeFile(file, JSON.stringify(policy));
      const result = await check(file);
      expect(result.code, JSON.stringify(policy)).toBe(3);
      expect(result.stderr).toContain('CONFIG_INVALID');
      expect(result.stderr).toContain(named);
    }
    await writeFile(join(dir, 'not-json.json'), '{ "inspect": ');
    expect((await check(join(dir, 'not-json.json'))).stderr).toContain('not valid JSON');
  });

  it('shows the inspect section as applied, defaults filled in', async () => {
    const file = join(dir, 'types-only.json');
    await writeFile(file, JSON.stringify({ inspect: { types: { deny: ['application/x-msdownload'] }, archives: { maxExpandedBytes: '1G' } } }));
    const result = await check(file);
    expect(result.code, describeResult(result)).toBe(0);
    expect(result.stdout).toContain('Content inspection: on');
    expect(result.stdout).toContain('deny application/x-msdownload');
    expect(result.stdout).toContain('depth 5, 10000 members, 1.00 GiB expanded, ratio 100');
    expect(result.stdout).toContain('Scan: none');
    expect(result.stdout).toContain('Scanner: none configured');
    const json = parseJson<{ inspect: { archives: { maxExpandedBytes: number }; types: { onMismatch: string } } }>(await check(file, '--json'));
    expect(json.inspect.archives.maxExpandedBytes).toBe(1024 ** 3);
    expect(json.inspect.types.onMismatch).toBe('refuse');
  });

  it('a scanner nobody answers at is SCANNER_UNAVAILABLE, exit 3, and --json says ok: false', async () => {
    const file = join(dir, 'dead-clamd.json');
    await writeFile(file, JSON.stringify({ inspect: { scan: { clamd: `unix:${join(dir, 'no-such.sock')}` } } }));
    const result = await check(file);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('NOT USABLE');
    expect(result.stdout).toContain('SCANNER_UNAVAILABLE');
    // There is no bundle here: nothing may say one was not imported (nor tell the operator to import again).
    expect(result.stdout).not.toMatch(/import/iu);
    const json = parseJson<{ ok: boolean; scanner: { reachable: boolean }; problems: Array<{ code: string; message: string }> }>(await check(file, '--json'));
    expect(json).toMatchObject({ ok: false, scanner: { reachable: false }, problems: [{ code: 'SCANNER_UNAVAILABLE' }] });
    expect(json.problems[0]?.message).not.toMatch(/import/iu);
  });
});
