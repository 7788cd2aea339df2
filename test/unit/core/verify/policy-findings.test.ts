/**
 * Policy findings: every station policy check appears once, in a fixed order, with the outcome
 * the verify pipeline actually reached, and a failure carries the problem code that rejected
 * the bundle. The replay guard is looked up by verify and enforced by import.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLICY_CHECKS, type PolicyFinding, type VerifyResult } from '../../../../shared/results.js';
import { DEFAULT_LIMITS } from '../../../../electron/core/policy/limits.js';
import { checkBundle, type CheckBundleOptions } from '../../../../electron/core/verify/check-bundle.js';
import { makeSigner, signedBag, tarOf, type RawEntry, type TestSigner } from '../../../helpers/hostile-tar.js';
import { createStation } from '../../../helpers/station.js';
import { parseJson } from '../../../helpers/cli-runner.js';

let dir: string;
let alice: TestSigner;
let bob: TestSigner;
let counter = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-policy-findings-'));
  [alice, bob] = await Promise.all([makeSigner('Alice'), makeSigner('Bob')]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const files = [
  { path: 'data/a.txt', content: 'alpha\n' },
  { path: 'data/deep/er/b.txt', content: 'bravo bravo\n' },
];

async function verify(entries: RawEntry[], options: Partial<CheckBundleOptions> = {}) {
  counter += 1;
  const path = join(dir, `b${counter}.airlock.tar`);
  await writeFile(path, tarOf(entries));
  return checkBundle({ bundlePath: path, trusted: [alice.trusted, bob.trusted], clockSkewSeconds: 300, ...options });
}

function finding(result: Pick<VerifyResult, 'policy'>, check: PolicyFinding['check']): PolicyFinding {
  const found = result.policy.findings.find((f) => f.check === check);
  if (!found) throw new Error(`no ${check} finding`);
  return found;
}

describe('policy findings from the verify pipeline', () => {
  it('an intact bundle passes every check (replay is not the pipeline’s to decide), with what it measured', async () => {
    const bag = await signedBag(alice, files);
    const result = await verify([...bag.tagEntries, ...bag.payloadEntries], { requiredSigners: { count: 1, roles: [] } });
    expect(result.policy.findings.map((f) => f.check)).toEqual([...POLICY_CHECKS]);
    for (const f of result.policy.findings.filter((x) => x.check !== 'replay' && x.check !== 'file-names'))
      expect(f).toMatchObject({ outcome: 'pass', code: null });
    expect(finding(result, 'replay').outcome).toBe('not-checked');
    // Without name rules to report, the name check says so instead of passing silently.
    expect(finding(result, 'file-names').outcome).toBe('not-checked');
    expect(finding(result, 'trusted-signer').detail).toContain('Alice');
    expect(finding(result, 'limit-file-bytes').detail).toContain('12 B');
    expect(finding(result, 'limit-paths').detail).toMatch(/Deepest path 4 levels/u);
    expect(finding(result, 'limit-files').detail).toMatch(/2 files listed/u);
  });

  it('an untrusted signer fails the signer check with its code; the checks after it are not reached', async () => {
    const mallory = await makeSigner('Mallory');
    const bag = await signedBag(mallory, files);
    const result = await verify([...bag.tagEntries, ...bag.payloadEntries]);
    expect(finding(result, 'trusted-signer')).toMatchObject({ outcome: 'fail', code: 'SIGNER_UNTRUSTED' });
    expect(finding(result, 'required-signers').outcome).toBe('not-checked');
    expect(finding(result, 'limit-total-bytes').outcome).toBe('not-checked');
  });

  it('the two-person rule: one signer where two are required fails with POLICY_DENIED; two pass', async () => {
    const rule = { count: 2, roles: [] };
    const one = await signedBag(alice, files);
    const refused = await verify([...one.tagEntries, ...one.payloadEntries], { requiredSigners: rule });
    expect(finding(refused, 'required-signers')).toMatchObject({ outcome: 'fail', code: 'POLICY_DENIED' });
    expect(finding(refused, 'required-signers').rule).toContain('At least 2 distinct trusted signers');
    expect(refused.problems.map((p) => p.code)).toEqual(['POLICY_DENIED']);

    const two = await signedBag([alice, bob], files);
    const accepted = await verify([...two.tagEntries, ...two.payloadEntries], { requiredSigners: rule });
    expect(finding(accepted, 'required-signers').outcome).toBe('pass');
    expect(accepted.ok).toBe(true);
  });

  it('a signature dated beyond the clock skew fails the date check (and the signer check) with SIGNATURE_INVALID', async () => {
    const bag = await signedBag(alice, files, { signDate: new Date(Date.now() + 3_600_000) });
    const result = await verify([...bag.tagEntries, ...bag.payloadEntries]);
    expect(finding(result, 'signature-date')).toMatchObject({ outcome: 'fail', code: 'SIGNATURE_INVALID' });
    expect(finding(result, 'signature-date').detail).toContain(alice.trusted.fingerprint);
    expect(finding(result, 'trusted-signer')).toMatchObject({ outcome: 'fail', code: 'SIGNATURE_INVALID' });
  });

  it.each([
    ['limit-files', { maxEntries: 3 }],
    ['limit-total-bytes', { maxTotalBytes: 10 }],
    ['limit-file-bytes', { maxFileBytes: 10 }],
    ['limit-paths', { maxDepth: 3 }],
  ] as const)('%s fails with LIMIT_EXCEEDED when the bundle is over it, and only that limit', async (check, limit) => {
    const bag = await signedBag(alice, files);
    const result = await verify([...bag.tagEntries, ...bag.payloadEntries], { limits: { ...DEFAULT_LIMITS, ...limit } });
    expect(result.problems.map((p) => p.code)).toContain('LIMIT_EXCEEDED');
    expect(finding(result, check)).toMatchObject({ outcome: 'fail', code: 'LIMIT_EXCEEDED' });
    const otherLimits = result.policy.findings.filter((f) => f.check.startsWith('limit-') && f.check !== check);
    for (const other of otherLimits) expect(other.outcome).not.toBe('fail');
  });
});

describe('policy findings at the station', () => {
  it('verify looks up the replay guard without enforcing it; import enforces it; --json carries files and policy', async () => {
    const root = await mkdtemp(join(dir, 'station-'));
    const station = await createStation(root);
    const src = join(root, 'src');
    await mkdir(src);
    await writeFile(join(src, 'report.txt'), 'quarterly\n');
    await mkdir(join(root, 'out'));
    const exported = await station.exportBundle(join(root, 'out'), 'q3', [src]);

    const first = await station.verify(exported.bundle.bundlePath);
    expect(first.code).toBe(0);
    const before = parseJson<VerifyResult>(first.result);
    expect(finding(before, 'replay')).toMatchObject({ outcome: 'pass', refusedBy: 'import' });
    expect(before.files.listed).toEqual([{ path: 'data/src/report.txt', size: 10, outcome: 'ok', code: null }]);
    expect(finding(before, 'file-names').outcome).toBe('pass');

    const inbox = join(root, 'inbox');
    await mkdir(inbox);
    const imported = await station.run(['import', exported.bundle.bundlePath, '--dest', inbox, '--json']);
    expect(imported.code).toBe(0);
    expect(finding(parseJson<VerifyResult>(imported), 'replay').outcome).toBe('pass');

    const again = await station.verify(exported.bundle.bundlePath);
    expect(again.code).toBe(0);
    const after = parseJson<VerifyResult>(again.result);
    expect(after.ok).toBe(true);
    expect(finding(after, 'replay')).toMatchObject({ outcome: 'fail', code: 'REPLAY', refusedBy: 'import' });
    expect(finding(after, 'replay').detail).toContain('import #1');

    const inbox2 = join(root, 'inbox2');
    await mkdir(inbox2);
    const replayed = await station.run(['import', exported.bundle.bundlePath, '--dest', inbox2, '--json']);
    expect(replayed.code).toBe(1);
    const refused = parseJson<VerifyResult>(replayed);
    expect(finding(refused, 'replay')).toMatchObject({ outcome: 'fail', code: 'REPLAY' });
    expect(refused.problems.map((p) => p.code)).toEqual(['REPLAY']);
  });
});
