/**
 * `airlock audit verify` shows the chain walk's progress line (events, rate, time left) on a
 * terminal only, as the other long commands do: stdout, and --json's answer, stay as they were.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeResult, runAirlock } from '../../helpers/cli-runner.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let home: string;

beforeAll(async () => {
  const dir = await makeTemp('airlock-audit-progress-');
  home = join(dir, 'home');
  const passphrase = join(dir, 'pass.txt');
  await writeFile(passphrase, 'audit progress passphrase\n');
  // One event (key-generate) and a signed checkpoint over it.
  const generated = await runAirlock(['--home', home, 'keys', 'generate', '--name', 'Audit Progress', '--passphrase-file', passphrase]);
  expect(generated.code, describeResult(generated)).toBe(0);
  const checkpoint = await runAirlock(['--home', home, 'audit', 'checkpoint', '--passphrase-file', passphrase]);
  expect(checkpoint.code, describeResult(checkpoint)).toBe(0);
}, 60_000);

describe('audit verify progress line', () => {
  it('on a terminal: counts the events on stderr up to the total, then clears the line before the verdict', async () => {
    const result = await runAirlock(['--home', home, 'audit', 'verify'], { stderrIsTTY: true });
    expect(result.code, describeResult(result)).toBe(0);
    expect(result.stderr).toContain('\r\u001b[2KChecking the audit chain  0/1 event');
    expect(result.stderr).toContain('Checking the audit chain  1/1 event');
    expect(result.stderr.endsWith('\r\u001b[2K')).toBe(true);
    expect(result.stdout).toMatch(/^INTACT {2}1 event, 1 signed checkpoint/u);
  });

  it('not on a terminal: no progress at all; --json prints the same answer either way', async () => {
    const piped = await runAirlock(['--home', home, 'audit', 'verify', '--json']);
    const onTerminal = await runAirlock(['--home', home, 'audit', 'verify', '--json'], { stderrIsTTY: true });
    expect(piped.code, describeResult(piped)).toBe(0);
    expect(piped.stderr).toBe('');
    expect(JSON.parse(onTerminal.stdout)).toEqual(JSON.parse(piped.stdout));
    expect(JSON.parse(piped.stdout)).toMatchObject({ ok: true, events: 1, checkpoints: 1 });
  });

  it('Ctrl-C with the progress line on still ends with CANCELLED (exit 3) and no verdict', async () => {
    const result = await runAirlock(['--home', home, 'audit', 'verify'], { stderrIsTTY: true, signal: AbortSignal.abort() });
    expect(result.code, describeResult(result)).toBe(3);
    expect(result.stdout).not.toMatch(/INTACT|BROKEN/u);
  });
});
