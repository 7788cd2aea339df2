/**
 * SHA-1 in a trusted key's own signatures: the self-signature on its user ID, a signing subkey's
 * binding, the subkey's back-signature. openpgp.js refuses SHA-1 only in signatures over data; a
 * chosen-prefix collision was shown on a PGP key certification ("SHA-1 is a Shambles", 2020), so
 * a SHA-1 binding may be a forged twin of one its owner made. `keys trust` refuses such a key
 * (KEY_SHA1_BINDING, through the station function the CLI and the app both call), and verify and
 * import refuse a signature that relies on one (SIGNER_SHA1_BINDING: a key trusted before the
 * rule), even beside a good signature. Each message ends with the owner's next step, the GnuPG
 * commands. The strict check only adds a refusal: a revocation made with SHA-1 still applies.
 * Honest controls: the key re-signed with SHA-256, a new signing subkey bound with SHA-256.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enums } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrustedKey } from '../../electron/core/crypto/detached-signature.js';
import { DEFAULT_LIMITS } from '../../electron/core/policy/limits.js';
import { DEFAULT_POLICY } from '../../electron/core/policy/station-policy.js';
import { Station } from '../../electron/core/index.js';
import { signerOf } from '../helpers/hostile-signatures.js';
import type { TestSigner } from '../helpers/hostile-tar.js';
import { BASE_FILES } from '../helpers/resigned-cases.js';
import { sha1BoundSigner, type Sha1Parts } from '../helpers/sha1-bound-keys.js';
import { parseJson, runAirlock } from '../helpers/cli-runner.js';
import { GnupgHome } from '../helpers/gnupg.js';
import { bagSignedBy, trustAttempt, type TrustAttempt } from '../helpers/trust-attempt.js';
import { verifyBothWays } from '../helpers/verify-both-ways.js';
import { openJudge, type Judge } from '../helpers/verify-and-import.js';

const SIGNED_FILES = BASE_FILES.map((f) => f.path.replace(/^data\//u, '')).sort();
let judge: Judge;
let root: string;

beforeAll(async () => {
  judge = await openJudge('airlock-sha1-bindings-');
  root = await mkdtemp(join(tmpdir(), 'airlock-sha1-trust-'));
});
afterAll(async () => {
  await judge.close();
  await rm(root, { recursive: true, force: true });
});

async function problemsOf(bundle: string, trusted: TrustedKey[]) {
  const report = await verifyBothWays({
    bundlePath: bundle,
    trusted,
    limits: DEFAULT_LIMITS,
    requiredSigners: DEFAULT_POLICY.requiredSigners,
    clockSkewSeconds: DEFAULT_POLICY.clockSkewSeconds,
    reportNames: DEFAULT_POLICY.names,
  });
  return report.problems;
}

const bundleSignedBy = (signers: Array<[TestSigner, number | undefined]>): Promise<string> => bagSignedBy(judge, signers);
const trustSigner = (signer: TestSigner): Promise<TrustAttempt> => trustAttempt(root, signer.publicKey.armor(), signer.trusted.fingerprint);

const refusedParts: Array<[string, Sha1Parts, RegExp]> = [
  ['the self-signature on its user ID', { selfSignature: true }, /self-signature \(binding its user ID\) is made with SHA-1/u],
  ['the signing subkey’s binding', { binding: true }, /binding of its signing subkey [0-9A-F]{16}/u],
  ['only the signing subkey’s back-signature (what GnuPG keeps when it renews a binding)', { backSignature: true }, /back-signature/u],
  ['the self-signature and the subkey binding', { selfSignature: true, binding: true, backSignature: true }, /self-signature .* and the binding/u],
];

describe('keys trust refuses a key bound by SHA-1 (chosen-prefix collisions): KEY_SHA1_BINDING, nothing trusted', () => {
  it.each(refusedParts)('%s', async (_label, parts, names) => {
    const signer = await sha1BoundSigner('Old signer', parts);
    const attempt = await trustSigner(signer);
    expect(attempt.error?.code).toBe('KEY_SHA1_BINDING');
    expect(attempt.inspectError).toBe('KEY_SHA1_BINDING');
    expect(attempt.trusted).toEqual([]);
    const fpr = signer.trusted.fingerprint;
    expect(attempt.error?.message).toMatch(names);
    // The message ends with the owner's next step, with the key's fingerprint in the commands.
    expect(attempt.error?.message).toMatch(
      new RegExp(`gpg --cert-digest-algo SHA256 --quick-\\S+ ${fpr} .*gpg --armor --export ${fpr}\\) to be trusted\\.$`, 'u'),
    );
    if (parts.binding || parts.backSignature) expect(attempt.error?.message).toContain(`--quick-add-key ${fpr} ed25519 sign 2y`);
  });

  it('the CLI says the same: exit 3, KEY_SHA1_BINDING', async () => {
    const signer = await sha1BoundSigner('Old signer', { binding: true });
    const file = join(root, 'cli-key.asc');
    await writeFile(file, signer.publicKey.armor());
    const home = join(root, 'cli-home');
    const result = await runAirlock(['--home', home, 'keys', 'trust', file, '--fingerprint', signer.trusted.fingerprint, '--json']);
    expect(result.code).toBe(3);
    expect(parseJson<{ error: { code: string } }>(result).error.code).toBe('KEY_SHA1_BINDING');
    const listed = await runAirlock(['--home', home, 'keys', 'list', '--json']);
    expect(JSON.stringify(parseJson(listed))).not.toContain(signer.trusted.fingerprint);
  });

  it('honest: the key re-signed with SHA-256 after its SHA-1 self-signature is trusted', async () => {
    const attempt = await trustSigner(await sha1BoundSigner('Re-signed', { selfSignature: true, resignedSelf: true }));
    expect(attempt.error).toBeNull();
    expect(attempt.trusted).toHaveLength(1);
  });

  it('honest: an old subkey bound with SHA-1 beside a newer signing subkey bound with SHA-256 is trusted', async () => {
    const attempt = await trustSigner(await sha1BoundSigner('New subkey', { binding: true, backSignature: true, newSubkey: true }));
    expect(attempt.error).toBeNull();
    expect(attempt.trusted).toHaveLength(1);
  });
});

describe('verify and import refuse a signature that relies on a SHA-1 binding (a key trusted before the rule)', () => {
  it.each(refusedParts)('%s: SIGNER_SHA1_BINDING, the message ends with the next step', async (_label, parts) => {
    const signer = await sha1BoundSigner('Old signer', parts);
    const bundle = await bundleSignedBy([[signer, parts.selfSignature && !parts.binding ? undefined : 0]]);
    expect(await judge.verifyCodes(bundle, DEFAULT_LIMITS, [signer.trusted])).toEqual(['SIGNER_SHA1_BINDING']);
    expect(await judge.importCodes(bundle, DEFAULT_LIMITS, [signer.trusted])).toEqual(['SIGNER_SHA1_BINDING']);
    const [said] = await problemsOf(bundle, [signer.trusted]);
    expect(said?.message).toMatch(new RegExp(`gpg --armor --export ${signer.trusted.fingerprint}\\) to be trusted\\.$`, 'u'));
  });

  it('beside a good signature by another trusted key, the bundle is still refused', async () => {
    const signer = await sha1BoundSigner('Old signer', { binding: true });
    const bundle = await bundleSignedBy([
      [judge.signer, undefined],
      [signer, 0],
    ]);
    const trusted = [judge.signer.trusted, signer.trusted];
    expect(await judge.verifyCodes(bundle, DEFAULT_LIMITS, trusted)).toEqual(['SIGNER_SHA1_BINDING']);
    expect(await judge.importCodes(bundle, DEFAULT_LIMITS, trusted)).toEqual(['SIGNER_SHA1_BINDING']);
  });

  it('the old SHA-1 subkey is refused, the new SHA-256 subkey of the same key counts', async () => {
    const signer = await sha1BoundSigner('New subkey', { binding: true, backSignature: true, newSubkey: true });
    const old = await bundleSignedBy([[signer, 0]]);
    expect(await judge.verifyCodes(old, DEFAULT_LIMITS, [signer.trusted])).toEqual(['SIGNER_SHA1_BINDING']);
    const fresh = await bundleSignedBy([[signer, 1]]);
    expect(await judge.imported(fresh, [signer.trusted])).toEqual(SIGNED_FILES);
  });

  it('honest: a key re-signed with SHA-256 verifies and imports', async () => {
    const signer = await sha1BoundSigner('Re-signed', { selfSignature: true, resignedSelf: true });
    expect(await judge.imported(await bundleSignedBy([[signer, undefined]]), [signer.trusted])).toEqual(SIGNED_FILES);
  });

  it('a revocation made with SHA-1 still revokes (the strict check never stands in for the default one): SIGNER_REVOKED', async () => {
    const signer = await sha1BoundSigner('Revoked', {});
    const bundle = await bundleSignedBy([[signer, 0]]);
    const revoked = await signer.privateKey.revoke({ flag: enums.reasonForRevocation.keyCompromised }, new Date(Date.now() - 1000));
    const revocation = revoked.revocationSignatures[0];
    if (!revocation) throw new Error('no revocation signature');
    revocation.hashAlgorithm = enums.hash.sha1;
    const open = revocation as unknown as { sign(key: unknown, data: unknown, date: Date, detached: boolean, config: unknown): Promise<void> };
    const { config } = await import('openpgp');
    await open.sign(revoked.keyPacket, { key: revoked.keyPacket }, new Date(Date.now() - 1000), false, {
      ...config,
      nonDeterministicSignaturesViaNotation: false,
    });
    const trusted = signerOf(revoked, 'Revoked').trusted;
    expect(await judge.verifyCodes(bundle, DEFAULT_LIMITS, [trusted])).toEqual(['SIGNER_REVOKED']);
    expect(await judge.importCodes(bundle, DEFAULT_LIMITS, [trusted])).toEqual(['SIGNER_REVOKED']);
  });
});

describe('a key GnuPG bound with SHA-1, and the commands the message gives its owner', () => {
  it('refused, then trusted after the owner ran exactly the GnuPG commands of the message', async () => {
    const gnupg = await GnupgHome.create();
    try {
      const quiet = ['--pinentry-mode', 'loopback', '--passphrase', ''];
      // An old key: GnuPG makes SHA-1 bindings only when told to (and the back-signature only with the weak options).
      gnupg.mustGpg([...quiet, '--cert-digest-algo', 'SHA1', '--quick-gen-key', 'Old RSA <old@example.org>', 'rsa2048', 'cert', '2y']);
      const fpr = gnupg.secretFingerprints().at(-1) ?? '';
      gnupg.mustGpg([
        ...quiet,
        '--allow-weak-key-signatures',
        '--allow-weak-digest-algos',
        '--cert-digest-algo',
        'SHA1',
        '--digest-algo',
        'SHA1',
        '--quick-add-key',
        fpr,
        'rsa2048',
        'sign',
        '2y',
      ]);
      const before = await trustAttempt(root, gnupg.exportPublic(fpr), fpr);
      expect(before.error?.code).toBe('KEY_SHA1_BINDING');
      const commands = [...(before.error?.message ?? '').matchAll(/gpg (--cert-digest-algo SHA256 --quick-[^,)]+)/gu)].map((m) => (m[1] ?? '').split(' '));
      expect(commands).toHaveLength(2);
      for (const args of commands) gnupg.mustGpg([...quiet, ...args]);
      const after = await trustAttempt(root, gnupg.exportPublic(fpr), fpr);
      expect(after.error).toBeNull();
      expect(after.trusted).toEqual([fpr]);
    } finally {
      await gnupg.close();
    }
  });
});

describe('the keys the station and the tests make are not affected', () => {
  it('an Airlock station key (generated, exported) is trusted by another station', async () => {
    const sender = await Station.open({ home: join(root, 'sender') });
    const receiver = await Station.open({ home: join(root, 'receiver') });
    try {
      const key = await sender.generateKey({ name: 'Sender', passphrase: 'a passphrase for the test' });
      const file = join(root, 'sender.asc');
      await writeFile(file, await sender.exportPublicKey());
      expect((await readFile(file, 'utf8')).startsWith('-----BEGIN PGP PUBLIC KEY BLOCK-----')).toBe(true);
      await receiver.trustKeyFile(file, { expectedFingerprint: key.fingerprint });
      expect((await receiver.listTrusted()).map((k) => k.fingerprint)).toEqual([key.fingerprint]);
    } finally {
      sender.close();
      receiver.close();
    }
  });

  it('the test signers (hostile-tar makeSigner) pass the strict check', async () => {
    const attempt = await trustSigner(judge.signer);
    expect(attempt.error).toBeNull();
  });
});
