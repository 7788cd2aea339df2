/**
 * OpenPGP v6 keys (RFC 9580) as trusted signers. Bundle format v1 promises bundles that anyone
 * checks with GnuPG, and GnuPG 2.2 and 2.4 read no v6 key or signature. `keys trust` refuses one
 * (KEY_V6_UNSUPPORTED, through the station function the CLI and the app both call); a v6 key
 * trusted before the rule counts for nothing at verify and import (SIGNER_V6_KEY when no other
 * signature counts), and a v4 co-signer's signature is judged on its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../electron/core/policy/limits.js';
import { DEFAULT_POLICY } from '../../electron/core/policy/station-policy.js';
import { BASE_FILES } from '../helpers/resigned-cases.js';
import { v6Signer } from '../helpers/sha1-bound-keys.js';
import { bagSignedBy, trustAttempt } from '../helpers/trust-attempt.js';
import { verifyBothWays } from '../helpers/verify-both-ways.js';
import { openJudge, type Judge } from '../helpers/verify-and-import.js';

const SIGNED_FILES = BASE_FILES.map((f) => f.path.replace(/^data\//u, '')).sort();
let judge: Judge;
let root: string;

beforeAll(async () => {
  judge = await openJudge('airlock-v6-keys-');
  root = await mkdtemp(join(tmpdir(), 'airlock-v6-trust-'));
});
afterAll(async () => {
  await judge.close();
  await rm(root, { recursive: true, force: true });
});

describe('a v6 key offered for trust: KEY_V6_UNSUPPORTED, nothing trusted', () => {
  it('refused by inspect and by trust, with its 64-digit fingerprint and the next step', async () => {
    const signer = await v6Signer('New format');
    expect(signer.trusted.fingerprint).toMatch(/^[0-9A-F]{64}$/u);
    const attempt = await trustAttempt(root, signer.publicKey.armor(), signer.trusted.fingerprint);
    expect(attempt.inspectError).toBe('KEY_V6_UNSUPPORTED');
    expect(attempt.error?.code).toBe('KEY_V6_UNSUPPORTED');
    expect(attempt.error?.message).toContain(`version 6 key (${signer.trusted.fingerprint})`);
    expect(attempt.trusted).toEqual([]);
  });
});

describe('a v6 key trusted before the rule: its signatures do not count', () => {
  it('signed by it alone: SIGNER_V6_KEY from verify (both passes) and import, nothing imported', async () => {
    const signer = await v6Signer('New format');
    const bundle = await bagSignedBy(judge, [[signer, undefined]]);
    expect(await judge.verifyCodes(bundle, DEFAULT_LIMITS, [signer.trusted])).toEqual(['SIGNER_V6_KEY']);
    expect(await judge.importCodes(bundle, DEFAULT_LIMITS, [signer.trusted])).toEqual(['SIGNER_V6_KEY']);
  });

  it('beside a v4 signer this station trusts: the v4 signature counts alone, and a policy that needs both is not met', async () => {
    const signer = await v6Signer('New format');
    const bundle = await bagSignedBy(judge, [
      [judge.signer, undefined],
      [signer, undefined],
    ]);
    const trusted = [judge.signer.trusted, signer.trusted];
    expect(await judge.imported(bundle, trusted)).toEqual(SIGNED_FILES);
    const report = await verifyBothWays({
      bundlePath: bundle,
      trusted,
      limits: DEFAULT_LIMITS,
      requiredSigners: { count: 2, roles: [] },
      clockSkewSeconds: DEFAULT_POLICY.clockSkewSeconds,
      reportNames: DEFAULT_POLICY.names,
    });
    expect(report.signers.map((s) => s.fingerprint)).toEqual([judge.signer.trusted.fingerprint]);
    expect(report.ok).toBe(false);
  });
});
