/**
 * Ctrl-C during `airlock audit verify` or `audit export` (electron/cli/commands/audit.ts): the CLI prints
 * "Cancelling..." at once, so the walk over the chain must stop and the command end with
 * CANCELLED (exit 3), never go on to print a verdict (or the whole log) and exit 0 as if nothing
 * had been asked.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeResult, runAirlock } from '../../helpers/cli-runner.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let home: string;

beforeAll(async () => {
  const dir = await makeTemp('airlock-audit-cancel-');
  home = join(dir, 'home');
  const passphrase = join(dir, 'pass.txt');
  await writeFile(passphrase, 'audit cancel passphrase\n');
  // An event (key-generate) and a signed checkpoint over it, so the walk has a row and a checkpoint to check.
  const generated = await runAirlock(['--home', home, 'keys', 'generate', '--name', 'Audit Cancel', '--passphrase-file', passphrase]);
  expect(generated.code, describeResult(generated)).toBe(0);
  const checkpoint = await runAirlock(['--home', home, 'audit', 'checkpoint', '--passphrase-file', passphrase]);
  expect(checkpoint.code, describeResult(checkpoint)).toBe(0);
}, 60_000);

describe('audit verify, audit export and Ctrl-C', () => {
  it('ends with CANCELLED (exit 3) and no verdict when Ctrl-C came', async () => {
    const result = await runAirlock(['--home', home, 'audit', 'verify'], { signal: AbortSignal.abort() });
    expect(result.code, describeResult(result)).toBe(3);
    expect(result.stderr).toMatch(/^airlock: CANCELLED: .+\n {2}Next: \S/mu);
    expect(result.stdout).not.toMatch(/INTACT|BROKEN/u);
  });

  it('audit export also ends with CANCELLED (exit 3) when Ctrl-C came', async () => {
    const result = await runAirlock(['--home', home, 'audit', 'export', '--format', 'csv'], { signal: AbortSignal.abort() });
    expect(result.code, describeResult(result)).toBe(3);
    expect(result.stderr).toMatch(/^airlock: CANCELLED: /mu);
  });

  it('gives its verdict when nothing cancels it', async () => {
    const result = await runAirlock(['--home', home, 'audit', 'verify']);
    expect(result.code, describeResult(result)).toBe(0);
    expect(result.stdout).toMatch(/^INTACT {2}1 event, 1 signed checkpoint/mu);
  });
});
