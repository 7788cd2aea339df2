/**
 * Keys trusted before hostile8's rules (SHA-1-bound, v6) are refused at verify, one signature at a
 * time; `keys list` (human and --json) and the app's list (Station.listTrusted) flag each such key
 * with the code and its owner's GnuPG commands. The keys are put in the trust store file as an
 * older Airlock wrote them (keys trust refuses them now). Honest controls: a good key, the key
 * re-signed with SHA-256, an old SHA-1 subkey beside a newer SHA-256 one: no flag. And `keys trust`
 * of a key with such an old subkey (trusted: its newer subkey signs) warns, naming that subkey.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Station } from '../../electron/core/index.js';
import { parseJson, runAirlock } from '../helpers/cli-runner.js';
import { sha1BoundSigner, v6Signer } from '../helpers/sha1-bound-keys.js';
import type { TestSigner } from '../helpers/hostile-tar.js';

interface Listed {
  fingerprint: string;
  refusal?: { code: string; detail: string; next: string };
}

let root: string;
let home: string;
const signers: Record<string, TestSigner> = {};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-refused-list-'));
  home = join(root, 'home');
  signers.good = await sha1BoundSigner('Good', {});
  signers.selfSha1 = await sha1BoundSigner('Self SHA-1', { selfSignature: true });
  signers.backSha1 = await sha1BoundSigner('Back SHA-1', { backSignature: true });
  signers.resigned = await sha1BoundSigner('Re-signed', { selfSignature: true, resignedSelf: true });
  signers.newSubkey = await sha1BoundSigner('New subkey', { binding: true, backSignature: true, newSubkey: true });
  signers.v6 = await v6Signer('V6');
  // Trust the good key the ordinary way (it makes the home and the store), then add the others as
  // a station trusted them before the rules.
  const file = join(root, 'good.asc');
  await writeFile(file, signers.good.publicKey.armor());
  const station = await Station.open({ home });
  try {
    await station.trustKeyFile(file, { expectedFingerprint: signers.good.trusted.fingerprint });
  } finally {
    station.close();
  }
  const storeFile = join(home, 'keys', 'trusted-signers.json');
  const store = JSON.parse(await readFile(storeFile, 'utf8')) as { version: 1; signers: Array<Record<string, unknown>> };
  const good = store.signers[0] ?? {};
  for (const [name, signer] of Object.entries(signers)) {
    if (name === 'good') continue;
    store.signers.push({ ...good, fingerprint: signer.trusted.fingerprint, userIds: [name], label: null, publicKey: signer.publicKey.armor() });
  }
  await writeFile(storeFile, JSON.stringify(store));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const fpr = (name: string): string => signers[name]?.trusted.fingerprint ?? '';

describe('keys list flags a key trusted before the SHA-1 and v6 rules', () => {
  it('--json: a refusal field with the code and the owner’s commands on each such key, none on the others', async () => {
    const result = await runAirlock(['--home', home, 'keys', 'list', '--json']);
    expect(result.code).toBe(0);
    const listed = parseJson<{ trusted: Listed[] }>(result).trusted;
    const refusalOf = (name: string) => listed.find((s) => s.fingerprint === fpr(name))?.refusal;
    expect(listed).toHaveLength(6);
    expect(refusalOf('selfSha1')?.code).toBe('KEY_SHA1_BINDING');
    expect(refusalOf('selfSha1')?.detail).toMatch(/self-signature \(binding its user ID\) is made with SHA-1/u);
    expect(refusalOf('selfSha1')?.next).toContain(`gpg --cert-digest-algo SHA256 --quick-set-expire ${fpr('selfSha1')} 2y`);
    expect(refusalOf('backSha1')?.code).toBe('KEY_SHA1_BINDING');
    expect(refusalOf('backSha1')?.next).toContain(`--quick-add-key ${fpr('backSha1')} ed25519 sign 2y`);
    expect(refusalOf('v6')?.code).toBe('KEY_V6_UNSUPPORTED');
    expect(refusalOf('v6')?.next).toContain('gpg --quick-gen-key');
    for (const honest of ['good', 'resigned', 'newSubkey']) expect(refusalOf(honest)).toBeUndefined();
  });

  it('human: a marker under each such key with the code and the next step', async () => {
    const result = await runAirlock(['--home', home, 'keys', 'list']);
    expect(result.code).toBe(0);
    const markers = result.stdout.split('\n').filter((line) => line.includes('REFUSED AT VERIFY'));
    expect(markers).toHaveLength(3);
    expect(result.stdout).toContain(`REFUSED AT VERIFY (KEY_SHA1_BINDING): In ${fpr('backSha1')}`);
    expect(result.stdout).toContain('REFUSED AT VERIFY (KEY_V6_UNSUPPORTED)');
    // Each on its own line, the next step on the line after the marker.
    expect(result.stdout).toMatch(
      new RegExp(`\\n {2}Next: The key's owner .*gpg --armor --export ${fpr('selfSha1')}\\) to be trusted\\. Then untrust this one\\.\\n`, 'u'),
    );
    expect(result.stdout).not.toContain('\\n');
  });

  it('a revoked key is not flagged (its signatures are refused anyway)', async () => {
    const storeFile = join(home, 'keys', 'trusted-signers.json');
    const before = await readFile(storeFile, 'utf8');
    const store = JSON.parse(before) as { signers: Array<Record<string, unknown>> };
    await writeFile(storeFile, JSON.stringify({ ...store, signers: store.signers.map((s) => ({ ...s, revokedAt: '2026-01-01T00:00:00.000Z' })) }));
    try {
      const station = await Station.open({ home });
      try {
        expect((await station.listTrusted()).filter((s) => s.refusal !== undefined)).toEqual([]);
      } finally {
        station.close();
      }
    } finally {
      await writeFile(storeFile, before);
    }
  });
});

describe('keys trust of a key with a SHA-1-bound signing subkey beside a good one', () => {
  const subkeyIds = (signer: TestSigner): string[] => signer.publicKey.subkeys.map((k) => k.getKeyID().toHex().toUpperCase());

  it('trusts it and says which subkey verify will refuse (human: stderr; --json: sha1Subkeys)', async () => {
    const signer = signers.newSubkey as TestSigner;
    const [oldSubkey, newSubkey] = subkeyIds(signer);
    const file = join(root, 'new-subkey.asc');
    await writeFile(file, signer.publicKey.armor());
    const human = await runAirlock(['--home', join(root, 'trust-h'), 'keys', 'trust', file, '--fingerprint', fpr('newSubkey')]);
    expect(human.code).toBe(0);
    expect(human.stderr).toContain(
      `Warning: its signing subkey ${oldSubkey} is bound with SHA-1: verify refuses what that subkey signs (SIGNER_SHA1_BINDING).`,
    );
    expect(human.stderr).not.toContain(newSubkey);
    const json = await runAirlock(['--home', join(root, 'trust-j'), 'keys', 'trust', file, '--fingerprint', fpr('newSubkey'), '--json']);
    expect(parseJson<{ sha1Subkeys: string[] }>(json).sha1Subkeys).toEqual([oldSubkey]);
  });

  it('honest: a key whose signing subkey is bound with SHA-256 gets no warning', async () => {
    const file = join(root, 'good-again.asc');
    await writeFile(file, (signers.good as TestSigner).publicKey.armor());
    const human = await runAirlock(['--home', join(root, 'trust-g'), 'keys', 'trust', file, '--fingerprint', fpr('good')]);
    expect(human.code).toBe(0);
    expect(human.stderr).not.toContain('Warning');
    const json = await runAirlock(['--home', join(root, 'trust-g2'), 'keys', 'trust', file, '--fingerprint', fpr('good'), '--json']);
    expect(parseJson<{ sha1Subkeys: string[] }>(json).sha1Subkeys).toEqual([]);
  });
});
