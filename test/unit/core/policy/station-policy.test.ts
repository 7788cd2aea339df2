import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBundle } from '../../../../electron/core/export/write-bundle.js';
import { openpgpSigner } from '../../../../electron/core/crypto/bundle-signer.js';
import { AirlockError } from '../../../../electron/core/errors.js';
import { homePaths } from '../../../../electron/core/home/station-home.js';
import { DEFAULT_POLICY, readStationPolicy, requiredSignersShortfall } from '../../../../electron/core/policy/station-policy.js';
import { checkBundle } from '../../../../electron/core/verify/check-bundle.js';
import { makeSigner } from '../../../helpers/hostile-tar.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-policy-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('station policy file', () => {
  it('is optional: defaults are strict names, one signer, five minutes of clock skew', async () => {
    expect(await readStationPolicy(homePaths(join(dir, 'none')))).toEqual(DEFAULT_POLICY);
    expect(DEFAULT_POLICY).toMatchObject({ requiredSigners: { count: 1, roles: [] }, clockSkewSeconds: 300, names: { allowControlCharacters: false } });
  });
  it('overrides only what it names', async () => {
    const home = join(dir, 'some');
    await (await import('node:fs/promises')).mkdir(home);
    await writeFile(
      join(home, 'policy.json'),
      JSON.stringify({ limits: { maxEntries: 10, maxPathDepth: 5 }, requiredSigners: { count: 2, roles: ['reviewer'] } }),
    );
    const policy = await readStationPolicy(homePaths(home));
    expect(policy.limits).toMatchObject({ maxEntries: 10, maxDepth: 5, maxFileBytes: DEFAULT_POLICY.limits.maxFileBytes });
    expect(policy.requiredSigners).toEqual({ count: 2, roles: ['reviewer'] });
  });
  it.each([
    ['not JSON', '{ nope'],
    ['an unknown field', JSON.stringify({ allowEverything: true })],
    ['a negative limit', JSON.stringify({ limits: { maxEntries: -1 } })],
    ['a bad role', JSON.stringify({ requiredSigners: { count: 2, roles: ['Reviewer!'] } })],
  ])('a file with %s is a clear CONFIG_INVALID naming the file', async (_label, text) => {
    const home = await mkdtemp(join(dir, 'bad-'));
    await writeFile(join(home, 'policy.json'), text);
    const error = await readStationPolicy(homePaths(home)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirlockError);
    expect((error as AirlockError).code).toBe('CONFIG_INVALID');
    expect((error as AirlockError).message).toContain('policy.json');
  });
});

describe('required signers', () => {
  it('counts distinct fingerprints and checks roles', () => {
    const rule = { count: 2, roles: ['operator', 'reviewer'] };
    expect(requiredSignersShortfall(rule, [{ fingerprint: 'A', role: 'operator' }])).toMatch(/2 distinct/u);
    expect(
      requiredSignersShortfall(rule, [
        { fingerprint: 'A', role: 'operator' },
        { fingerprint: 'A', role: 'operator' },
      ]),
    ).toMatch(/2 distinct/u);
    expect(
      requiredSignersShortfall(rule, [
        { fingerprint: 'A', role: 'operator' },
        { fingerprint: 'B', role: 'operator' },
      ]),
    ).toMatch(/reviewer/u);
    expect(
      requiredSignersShortfall(rule, [
        { fingerprint: 'A', role: 'operator' },
        { fingerprint: 'B', role: 'reviewer' },
      ]),
    ).toBeNull();
  });

  it('a bundle signed twice by the same key is one signer: a 2-of-2 station refuses it', async () => {
    const alice = await makeSigner('Alice');
    const src = join(dir, 'src');
    await (await import('node:fs/promises')).mkdir(src, { recursive: true });
    await writeFile(join(src, 'f'), 'x');
    const out = await mkdtemp(join(dir, 'out-'));
    const { bundlePath } = await writeBundle({
      selection: [src],
      outDir: out,
      name: 'twice',
      sequence: 1,
      identity: { station: 's', operator: 'o', organization: null },
      signers: [openpgpSigner(alice.privateKey), openpgpSigner(alice.privateKey)],
    });
    const result = await checkBundle({ bundlePath, trusted: [alice.trusted], requiredSigners: { count: 2, roles: [] } });
    expect(result.signers).toHaveLength(1);
    expect(result.problems.map((p) => p.code)).toEqual(['POLICY_DENIED']);
  });
});
