/**
 * The command scanner (policy scan.command): exit codes per policy, everything else not clean, the
 * file handed over in a private temp folder that is gone afterwards.
 */
import { readdir, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CommandScanner, type CommandScannerOptions } from '../../../../electron/core/inspect/command-scanner.js';
import type { ScanVerdict } from '../../../../electron/core/inspect/contract.js';
import { createScanner } from '../../../../electron/core/inspect/scanner-for.js';
import { daysAgo, writeDatabaseContainer } from '../../../helpers/clamav-database.js';
import { useTempDirs } from '../../../helpers/temp-dirs.js';

const tempDir = useTempDirs();

/** A scanner that exits 1 naming the marker when the file holds EVIL, 0 otherwise; `extra` runs first. */
function shellScanner(tempRoot: string, extra = '', overrides: Partial<CommandScannerOptions> = {}): CommandScanner {
  return new CommandScanner({
    argv: ['sh', '-c', `${extra}\nif grep -q EVIL "$1"; then echo "$1: Test.Evil FOUND"; exit 1; fi; echo "$1: OK"; exit 0`, 'sh', '{}'],
    cleanExitCodes: [0],
    infectedExitCodes: [1],
    timeoutMs: 10_000,
    databaseDir: null,
    tempRoot,
    ...overrides,
  });
}

async function scanWith(scanner: CommandScanner, bytes: Buffer): Promise<ScanVerdict> {
  const scan = await scanner.begin();
  await scan.write(bytes.subarray(0, 3));
  await scan.write(bytes.subarray(3));
  return scan.finish();
}

describe('CommandScanner', () => {
  it('clean exit code: clean; infected: found with the program’s last words; the temp copy is gone after either', async () => {
    const root = await tempDir();
    expect(await scanWith(shellScanner(root), Buffer.from('harmless'))).toEqual({ outcome: 'clean', detail: null });
    const found = await scanWith(shellScanner(root), Buffer.from('an EVIL file'));
    expect(found.outcome).toBe('found');
    expect(found.detail).toMatch(/Test\.Evil FOUND$/u);
    expect(await readdir(root)).toEqual([]);
  });

  it('the program sees the whole file in a private folder (0700) as a 0600 file', async () => {
    const root = await tempDir();
    const scanner = shellScanner(
      root,
      'test "$(stat -c %a "$(dirname "$1")")" = 700 || exit 9; test "$(stat -c %a "$1")" = 600 || exit 9; test "$(cat "$1")" = "abcdefEVIL" || exit 9',
    );
    expect((await scanWith(scanner, Buffer.from('abcdefEVIL'))).outcome).toBe('found');
  });

  it('an exit code that is neither clean nor infected is an error with the code and output', async () => {
    const verdict = await scanWith(shellScanner(await tempDir(), 'echo "database broken" >&2; exit 2'), Buffer.from('x'));
    expect(verdict).toEqual({ outcome: 'error', detail: 'the scan command exited 2: database broken' });
  });

  it('a program killed by a signal is an error', async () => {
    const verdict = await scanWith(shellScanner(await tempDir(), 'kill -9 $$'), Buffer.from('x'));
    expect(verdict.outcome).toBe('error');
    expect(verdict.detail).toContain('SIGKILL');
  });

  it('a program that gives no verdict in time is killed: error', async () => {
    const root = await tempDir();
    const verdict = await scanWith(shellScanner(root, 'exec sleep 30', { timeoutMs: 300 }), Buffer.from('x'));
    expect(verdict.outcome).toBe('error');
    expect(verdict.detail).toMatch(/no verdict within/u);
    expect(await readdir(root)).toEqual([]);
  });

  it('a program that does not exist: unavailable, and status says it is not reachable', async () => {
    const scanner = new CommandScanner({
      argv: ['/nonexistent/scanner', '{}'],
      cleanExitCodes: [0],
      infectedExitCodes: [1],
      timeoutMs: 5_000,
      databaseDir: null,
      tempRoot: await tempDir(),
    });
    expect((await scanWith(scanner, Buffer.from('x'))).outcome).toBe('unavailable');
    const status = await scanner.status(new Date());
    expect(status).toMatchObject({ kind: 'command', reachable: false, address: '/nonexistent/scanner' });
    expect(status.error).toBeTruthy();
  });

  it('status: a program on PATH is reachable; the database age comes from the headers in databaseDir', async () => {
    const dbDir = await tempDir();
    const now = new Date();
    await writeDatabaseContainer(dbDir, { name: 'daily', version: 27_001, builtAt: daysAgo(9, now) });
    const scanner = shellScanner(await tempDir(), '', { databaseDir: dbDir });
    expect(await scanner.status(now)).toMatchObject({
      reachable: true,
      databaseVersion: 27_001,
      databaseAgeDays: 9,
      databaseSource: 'database-header',
      error: null,
    });
  });

  it('an aborted scan leaves nothing behind and is never clean', async () => {
    const root = await tempDir();
    const scan = await shellScanner(root).begin();
    await scan.write(Buffer.from('partial'));
    scan.abort();
    expect((await scan.finish()).outcome).toBe('error');
    expect(await readdir(root)).toEqual([]);
  });

  it('createScanner builds what the policy names', async () => {
    const root = await tempDir();
    const command = createScanner(
      {
        scanner: { kind: 'command', argv: ['true', '{}'], cleanExitCodes: [0], infectedExitCodes: [1] },
        timeoutSeconds: 5,
        maxDatabaseAgeDays: 7,
        onStaleDatabase: 'refuse',
        onError: 'refuse',
        databaseDir: null,
      },
      { tempRoot: root },
    );
    expect(command.kind).toBe('command');
    expect(await scanWith(command as CommandScanner, Buffer.from('x'))).toEqual({ outcome: 'clean', detail: null });
    const clamd = createScanner({
      scanner: { kind: 'clamd', address: 'tcp:127.0.0.1:3310' },
      timeoutSeconds: 5,
      maxDatabaseAgeDays: 7,
      onStaleDatabase: 'refuse',
      onError: 'refuse',
      databaseDir: null,
    });
    expect(clamd).toMatchObject({ kind: 'clamd', address: 'tcp:127.0.0.1:3310' });
    expect((await stat(root)).isDirectory()).toBe(true);
  });
});
