/**
 * Two-person rule: one operator prepares and signs, a second reviews the signed manifest and
 * adds a signature, the bundle is written with both in one .asc, and a receiving station whose
 * policy requires two distinct trusted signers (with roles) accepts it, and nothing less.
 */
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
let operator: TestStation;
let reviewer: TestStation;
let receiver: TestStation;
let payload: string;

interface StagedJson {
  staged: { stagedDir: string; name: string; files: Array<{ path: string }>; totalBytes: number; signatures: Array<{ fingerprint: string }> };
}

async function publicKeyFile(station: TestStation): Promise<string> {
  const file = join(await tempDir('pub-'), 'key.asc');
  await writeFile(file, (await station.run(['keys', 'export-public'])).stdout);
  return file;
}

async function receiverPolicy(policy: unknown): Promise<void> {
  await writeFile(join(receiver.home, 'policy.json'), JSON.stringify(policy));
}

async function prepare(name: string): Promise<StagedJson['staged']> {
  const result = await operator.run(['export', '--prepare', '--name', name, '--passphrase-file', operator.passFile, '--json', payload]);
  expect(result.code, describeResult(result)).toBe(0);
  return parseJson<StagedJson>(result).staged;
}

async function approve(stagedDir: string): Promise<void> {
  const key = join(reviewer.home, 'keys', 'station-key.private.asc');
  const result = await operator.run(['approve', stagedDir, '--key', key, '--passphrase-file', reviewer.passFile, '--yes', '--json']);
  expect(result.code, describeResult(result)).toBe(0);
}

beforeAll(async () => {
  operator = await createStation(await tempDir('operator-'), 'Operator Olga');
  reviewer = await createStation(await tempDir('reviewer-'), 'Reviewer Rafael');
  receiver = await createStation(await tempDir('receiver-'), 'Receiving Station');
  payload = join(await tempDir('payload-'), 'release');
  await mkdir(join(payload, 'docs'), { recursive: true });
  await writeFile(join(payload, 'docs', 'a.txt'), 'alpha\n');
  await writeFile(join(payload, 'b.bin'), Buffer.alloc(5000, 2));
  expect((await receiver.run(['keys', 'trust', await publicKeyFile(operator), '--fingerprint', operator.fingerprint, '--role', 'operator'])).code).toBe(0);
  expect((await receiver.run(['keys', 'trust', await publicKeyFile(reviewer), '--fingerprint', reviewer.fingerprint, '--role', 'reviewer'])).code).toBe(0);
}, 60_000);

describe('two-person rule', () => {
  it('prepare -> approve -> finish yields one bundle with both signatures that a 2-of-2 station accepts', async () => {
    const staged = await prepare('two-person');
    expect(staged.files.map((f) => f.path)).toEqual(['data/release/b.bin', 'data/release/docs/a.txt']);
    expect(staged.signatures.map((s) => s.fingerprint)).toEqual([operator.fingerprint]);
    await approve(staged.stagedDir);
    const out = await tempDir('out-');
    const finished = await operator.run(['export', '--finish', staged.stagedDir, '--out', out, '--passphrase-file', operator.passFile, '--json']);
    expect(finished.code, describeResult(finished)).toBe(0);
    expect((await readdir(out)).filter((f) => f.endsWith('.airlock.tar'))).toEqual(['two-person.airlock.tar']);
    const asc = (await readFile(join(out, 'two-person.airlock.tar'))).toString('latin1');
    expect(asc.match(/-----BEGIN PGP SIGNATURE-----/gu)).toHaveLength(1);

    await receiverPolicy({ requiredSigners: { count: 2, roles: ['operator', 'reviewer'] } });
    const verified = await receiver.verify(join(out, 'two-person.airlock.tar'));
    expect(verified.code, describeResult(verified.result)).toBe(0);
    expect(verified.report.signers.map((s) => s.fingerprint).sort()).toEqual([operator.fingerprint, reviewer.fingerprint].sort());
    const dest = await tempDir('dest-');
    const imported = await receiver.run(['import', join(out, 'two-person.airlock.tar'), '--dest', dest, '--json']);
    expect(imported.code, describeResult(imported)).toBe(0);
  });

  it('a single-signer bundle is refused by a 2-of-2 station (POLICY_DENIED), accepted by a 1-of-2 one', async () => {
    const out = await tempDir('out-');
    await operator.exportBundle(out, 'one-signer', [payload]);
    await receiverPolicy({ requiredSigners: { count: 2 } });
    const refused = await receiver.verify(join(out, 'one-signer.airlock.tar'));
    expect(refused.code).toBe(1);
    expect(refused.report.problems.map((p) => p.code)).toEqual(['POLICY_DENIED']);
    expect(refused.report.problems[0]?.message).toContain('requires 2 distinct trusted signers; 1 signed');
    await receiverPolicy({ requiredSigners: { count: 1 } });
    expect((await receiver.verify(join(out, 'one-signer.airlock.tar'))).code).toBe(0);
  });

  it('roles matter: two signers without the reviewer role do not satisfy operator+reviewer', async () => {
    const staged = await prepare('roles');
    const second = await createStation(await tempDir('second-op-'), 'Second Operator');
    const key = join(second.home, 'keys', 'station-key.private.asc');
    expect((await operator.run(['approve', staged.stagedDir, '--key', key, '--passphrase-file', second.passFile, '--yes'])).code).toBe(0);
    const out = await tempDir('out-');
    expect((await operator.run(['export', '--finish', staged.stagedDir, '--out', out, '--passphrase-file', operator.passFile])).code).toBe(0);
    expect((await receiver.run(['keys', 'trust', await publicKeyFile(second), '--fingerprint', second.fingerprint, '--role', 'operator'])).code).toBe(0);
    await receiverPolicy({ requiredSigners: { count: 2, roles: ['operator', 'reviewer'] } });
    const refused = await receiver.verify(join(out, 'roles.airlock.tar'));
    expect(refused.report.problems.map((p) => p.code)).toEqual(['POLICY_DENIED']);
    expect(refused.report.problems[0]?.message).toContain('reviewer');
  });

  it('the same key cannot approve twice: a duplicate signature is not a second person', async () => {
    const staged = await prepare('same-key');
    const key = join(operator.home, 'keys', 'station-key.private.asc');
    const again = await operator.run(['approve', staged.stagedDir, '--key', key, '--passphrase-file', operator.passFile, '--yes', '--json']);
    expect(again.code).toBe(2);
    expect(parseJson<{ error: { code: string } }>(again).error.code).toBe('USAGE');
  });

  it('approval needs an explicit confirmation when no terminal can ask', async () => {
    const staged = await prepare('confirm');
    const key = join(reviewer.home, 'keys', 'station-key.private.asc');
    const result = await operator.run(['approve', staged.stagedDir, '--key', key, '--passphrase-file', reviewer.passFile, '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--yes');
  });

  it('a staged export edited after signing cannot be approved or finished (STAGED_INVALID)', async () => {
    const staged = await prepare('edited');
    const manifest = join(staged.stagedDir, 'manifest-sha256.txt');
    await writeFile(
      manifest,
      (await readFile(manifest, 'utf8')).replace(/^[0-9a-f]/u, (c) => (c === '0' ? '1' : '0')),
    );
    const approveResult = await operator.run([
      'approve',
      staged.stagedDir,
      '--key',
      join(reviewer.home, 'keys', 'station-key.private.asc'),
      '--passphrase-file',
      reviewer.passFile,
      '--yes',
      '--json',
    ]);
    expect(approveResult.code).toBe(3);
    expect(parseJson<{ error: { code: string } }>(approveResult).error.code).toBe('STAGED_INVALID');
    const out = await tempDir('out-');
    const finish = await operator.run(['export', '--finish', staged.stagedDir, '--out', out, '--passphrase-file', operator.passFile, '--json']);
    expect(parseJson<{ error: { code: string } }>(finish).error.code).toBe('STAGED_INVALID');
    expect(await readdir(out)).toEqual([]);
  });

  it('a source changed after preparation aborts the finish (SOURCE_CHANGED) and writes no bundle', async () => {
    const src = join(await tempDir('changing-'), 'src');
    await mkdir(src);
    await writeFile(join(src, 'f.txt'), 'before');
    const result = await operator.run(['export', '--prepare', '--name', 'changing', '--passphrase-file', operator.passFile, '--json', src]);
    const staged = parseJson<StagedJson>(result).staged;
    await approve(staged.stagedDir);
    await writeFile(join(src, 'f.txt'), 'after!');
    const out = await tempDir('out-');
    const finish = await operator.run(['export', '--finish', staged.stagedDir, '--out', out, '--passphrase-file', operator.passFile, '--json']);
    expect(finish.code).toBe(3);
    expect(parseJson<{ error: { code: string } }>(finish).error.code).toBe('SOURCE_CHANGED');
    expect(await readdir(out)).toEqual([]);
  });

  it('lists exports staged elsewhere with --list-staged --staging DIR (DIR itself, or the staged folders inside it), not in the home’s list', async () => {
    const shared = await tempDir('shared-staging-');
    await writeFile(join(shared, 'notes.txt'), 'not a staged export');
    await mkdir(join(shared, 'unrelated'));
    const prepared = await operator.run([
      'export',
      '--prepare',
      '--name',
      'elsewhere',
      '--staging',
      join(shared, 'elsewhere'),
      '--passphrase-file',
      operator.passFile,
      '--json',
      payload,
    ]);
    expect(prepared.code, describeResult(prepared)).toBe(0);
    type Listed = { staged: Array<{ name: string; dir: string; state: string; signatures: number }> };
    const inside = parseJson<Listed>(await operator.run(['export', '--list-staged', '--staging', shared, '--json']));
    expect(inside.staged).toEqual([expect.objectContaining({ name: 'elsewhere', dir: join(shared, 'elsewhere'), state: 'ready', signatures: 1 })]);
    const itself = parseJson<Listed>(await operator.run(['export', '--list-staged', '--staging', join(shared, 'elsewhere'), '--json']));
    expect(itself.staged.map((e) => e.dir)).toEqual([join(shared, 'elsewhere')]);
    const home = parseJson<Listed>(await operator.run(['export', '--list-staged', '--json']));
    expect(home.staged.map((e) => e.name)).not.toContain('elsewhere');
    expect((await operator.run(['export', '--discard-staged', 'x', '--staging', shared])).code).toBe(2);
  });
});
