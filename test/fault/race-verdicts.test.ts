/**
 * The race scenario's verdict check: the codes come from docs/cli.md itself, and a raw SQLite or
 * errno code, an undocumented code or a code with another exit than the doc's is caught.
 */
import { describe, expect, it } from 'vitest';
import type { Run } from './harness.js';
import { docCodes, operatorFacingFault } from './race-verdicts.js';

const run = (code: number, stdout: unknown, stderr = ''): Run => ({
  code,
  signal: null,
  stdout: typeof stdout === 'string' ? stdout : JSON.stringify(stdout),
  stderr,
  killed: false,
  ms: 1,
});

describe('race verdicts from docs/cli.md', () => {
  it('reads both tables of the doc with their exit codes', async () => {
    const codes = await docCodes();
    expect(codes.errors.get('USAGE')).toBe(2);
    expect(codes.errors.get('OUTPUT_EXISTS')).toBe(3);
    expect(codes.problems.has('REPLAY')).toBe(true);
    expect(codes.errors.has('REPLAY')).toBe(false);
  });

  it('accepts a documented code with its exit, and a documented problem', async () => {
    const codes = await docCodes();
    expect(operatorFacingFault(run(3, { ok: false, error: { code: 'OUTPUT_EXISTS' } }), codes)).toBeNull();
    expect(operatorFacingFault(run(1, { ok: false, problems: [{ code: 'REPLAY' }] }), codes)).toBeNull();
    expect(operatorFacingFault(run(0, { ok: true }), codes)).toBeNull();
  });

  it('catches raw SQLite and errno codes, undocumented codes, a wrong exit, a crash', async () => {
    const codes = await docCodes();
    expect(operatorFacingFault(run(3, '', 'SqliteError: database is locked\n  code: SQLITE_BUSY'), codes)).toMatch(/raw/u);
    expect(operatorFacingFault(run(3, '', "airlock: EEXIST: file already exists, mkdir '/x'"), codes)).toMatch(/raw 'EEXIST'/u);
    expect(operatorFacingFault(run(3, { ok: false, error: { code: 'NO_SUCH_CODE' } }), codes)).toMatch(/does not list/u);
    expect(operatorFacingFault(run(2, { ok: false, error: { code: 'OUTPUT_EXISTS' } }), codes)).toMatch(/docs\/cli.md says 3/u);
    expect(operatorFacingFault(run(1, { ok: false, problems: [{ code: 'MADE_UP' }] }), codes)).toMatch(/does not list/u);
    expect(operatorFacingFault(run(7, ''), codes)).toMatch(/not an exit code/u);
  });

  it('reads only stderr of a command whose stdout is its data (audit export)', async () => {
    const codes = await docCodes();
    expect(operatorFacingFault(run(0, '{"details":{"message":"EEXIST"}}'), codes, true)).toBeNull();
  });
});
