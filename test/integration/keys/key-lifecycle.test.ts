/**
 * Expiry, revocation, clock skew, rotation and backup, with the semantics docs/threat-model.md
 * states: a key expired or revoked now signs nothing accepted, whatever date its signature claims.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeBundle } from '../../../electron/core/export/write-bundle.js';
import { openpgpSigner } from '../../../electron/core/crypto/bundle-signer.js';
import { homePaths } from '../../../electron/core/home/station-home.js';
import { trustPublicKey } from '../../../electron/core/keys/trust-store.js';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { GnupgHome } from '../../helpers/gnupg.js';
import { makeSigner, type TestSigner } from '../../helpers/hostile-tar.js';
import { createStation, stationAt, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
const DAY = 24 * 3600 * 1000;
let payload: string;

beforeAll(async () => {
  payload = join(await tempDir('payload-'), 'files');
  await mkdir(payload);
  await writeFile(join(payload, 'x.txt'), 'x\n');
});

async function publicKeyFile(station: TestStation): Promise<string> {
  const file = join(await tempDir('pub-'), 'key.asc');
  await writeFile(file, (await station.run(['keys', 'export-public'])).stdout);
  return file;
}

/** A bundle signed by `signer` as if at `date` (the signer controls that date). */
async function bundleSignedAt(signer: TestSigner, date: Date, name: string): Promise<string> {
  const out = await tempDir('out-');
  const result = await writeBundle({
    selection: [payload],
    outDir: out,
    name,
    sequence: 1,
    identity: { station: 's', operator: 'o', organization: null },
    signers: [openpgpSigner(signer.privateKey)],
    now: date,
  });
  return result.bundlePath;
}

describe('revocation', () => {
  it('an imported Airlock revocation certificate makes every bundle by that key rejected (SIGNER_REVOKED)', async () => {
    const sender = await createStation(await tempDir('sender-'), 'Soon Revoked');
    const receiver = await createStation(await tempDir('receiver-'));
    expect((await receiver.run(['keys', 'trust', await publicKeyFile(sender), '--fingerprint', sender.fingerprint])).code).toBe(0);
    const out = await tempDir('out-');
    await sender.exportBundle(out, 'before-revocation', [payload]);
    expect((await receiver.verify(join(out, 'before-revocation.airlock.tar'))).code).toBe(0);

    const revoked = await receiver.run(['keys', 'revoke-import', join(sender.home, 'keys', 'station-key.revocation.asc'), '--json']);
    expect(revoked.code, describeResult(revoked)).toBe(0);
    const after = await receiver.verify(join(out, 'before-revocation.airlock.tar'));
    expect(after.code).toBe(1);
    expect(after.report.problems.map((p) => p.code)).toEqual(['SIGNER_REVOKED']);
    expect((await receiver.run(['keys', 'list'])).stdout).toContain('REVOKED');
  });

  it("GnuPG's ':'-guarded revocation certificate (openpgp-revocs.d) is accepted too", async () => {
    const gnupg = await GnupgHome.create();
    try {
      const fpr = gnupg.generateKey('GnuPG Signer <g@example.org>');
      const receiver = await createStation(await tempDir('receiver-'));
      const pub = await gnupg.writePublic(fpr, join(await tempDir('pub-'), 'g.asc'));
      expect((await receiver.run(['keys', 'trust', pub, '--fingerprint', fpr])).code).toBe(0);
      const rev = join(gnupg.dir, 'openpgp-revocs.d', `${fpr}.rev`);
      expect((await readFile(rev, 'utf8')).includes(':-----BEGIN PGP PUBLIC KEY BLOCK-----')).toBe(true);
      const result = await receiver.run(['keys', 'revoke-import', rev, '--json']);
      expect(result.code, describeResult(result)).toBe(0);
      expect(parseJson<{ fingerprint: string }>(result).fingerprint).toBe(fpr);
    } finally {
      await gnupg.close();
    }
  });

  it('a revoked key cannot be trusted again by handing in its (unrevoked) key file', async () => {
    const sender = await createStation(await tempDir('sender-'), 'Revoked Once');
    const receiver = await createStation(await tempDir('receiver-'));
    const pub = await publicKeyFile(sender);
    expect((await receiver.run(['keys', 'trust', pub, '--fingerprint', sender.fingerprint])).code).toBe(0);
    expect((await receiver.run(['keys', 'revoke-import', join(sender.home, 'keys', 'station-key.revocation.asc')])).code).toBe(0);
    const again = await receiver.run(['keys', 'trust', pub, '--fingerprint', sender.fingerprint, '--json']);
    expect(again.code).toBe(3);
    expect(parseJson<{ error: { code: string; message: string } }>(again).error.message).toContain('revoked');
    expect((await receiver.run(['keys', 'list'])).stdout).toContain('REVOKED');
  });

  it('revoke-import takes the revocation out of a keys backup file (several blocks)', async () => {
    const sender = await createStation(await tempDir('sender-'), 'Backed Up Sender');
    const receiver = await createStation(await tempDir('receiver-'));
    expect((await receiver.run(['keys', 'trust', await publicKeyFile(sender), '--fingerprint', sender.fingerprint])).code).toBe(0);
    const backup = join(await tempDir('bk-'), 'sender.backup');
    expect((await sender.run(['keys', 'backup', '--out', backup, '--passphrase-file', sender.passFile])).code).toBe(0);
    const result = await receiver.run(['keys', 'revoke-import', backup, '--json']);
    expect(result.code, describeResult(result)).toBe(0);
    expect(parseJson<{ fingerprint: string }>(result).fingerprint).toBe(sender.fingerprint);
  });

  it('a revocation for a key this station does not trust is refused (KEY_INVALID)', async () => {
    const stranger = await createStation(await tempDir('stranger-'), 'Stranger');
    const receiver = await createStation(await tempDir('receiver-'));
    const result = await receiver.run(['keys', 'revoke-import', join(stranger.home, 'keys', 'station-key.revocation.asc'), '--json']);
    expect(result.code).toBe(3);
    expect(parseJson<{ error: { code: string } }>(result).error.code).toBe('KEY_INVALID');
  });
});

describe('expiry and dates', () => {
  it('a key expired now signs nothing accepted, though its signature claims a date when it was valid (SIGNER_EXPIRED)', async () => {
    const created = new Date(Date.now() - 10 * DAY);
    const signer = await makeSigner('Short Lived', { date: created, keyExpirationTime: 3600 });
    const bundle = await bundleSignedAt(signer, new Date(created.getTime() + 60_000), 'expired-signer');
    const receiver = await createStation(await tempDir('receiver-'));
    // Trusted back when it was valid (the trust store entry is what an earlier trust left).
    await trustPublicKey(homePaths(receiver.home), signer.publicKey.armor(), {
      expectedFingerprint: signer.trusted.fingerprint,
      now: new Date(created.getTime() + 1000),
    });
    const verified = await receiver.verify(bundle);
    expect(verified.code).toBe(1);
    expect(verified.report.problems.map((p) => p.code)).toEqual(['SIGNER_EXPIRED']);
  });

  it('a future-dated signature within the clock-skew allowance passes; beyond it, or with no allowance, it is refused', async () => {
    const signer = await makeSigner('Fast Clock');
    const receiver = await createStation(await tempDir('receiver-'));
    await trustPublicKey(homePaths(receiver.home), signer.publicKey.armor(), { expectedFingerprint: signer.trusted.fingerprint });
    const slightlyAhead = await bundleSignedAt(signer, new Date(Date.now() + 2 * 60_000), 'two-minutes-ahead');
    const dayAhead = await bundleSignedAt(signer, new Date(Date.now() + DAY), 'a-day-ahead');
    expect((await receiver.verify(slightlyAhead)).code).toBe(0);
    const refused = await receiver.verify(dayAhead);
    expect(refused.report.problems.map((p) => p.code)).toEqual(['SIGNATURE_INVALID']);
    expect(refused.report.problems[0]?.message).toContain('clock skew');
    await writeFile(join(receiver.home, 'policy.json'), JSON.stringify({ clockSkewSeconds: 0 }));
    expect((await receiver.verify(slightlyAhead)).report.problems.map((p) => p.code)).toEqual(['SIGNATURE_INVALID']);
  });

  it('refuses to trust a key that is already expired or revoked', async () => {
    const expired = await makeSigner('Old', { date: new Date(Date.now() - 10 * DAY), keyExpirationTime: 3600 });
    const receiver = await createStation(await tempDir('receiver-'));
    const file = join(await tempDir('k-'), 'old.asc');
    await writeFile(file, expired.publicKey.armor());
    const result = await receiver.run(['keys', 'trust', file, '--fingerprint', expired.trusted.fingerprint, '--json']);
    expect(result.code).toBe(3);
    expect(parseJson<{ error: { code: string } }>(result).error.code).toBe('KEY_INVALID');
  });
});

describe('rotation and backup', () => {
  it('after rotation new bundles carry the new key, old bundles and the audit log still verify', async () => {
    const station = await createStation(await tempDir('rotating-'), 'Rotating Station');
    const out = await tempDir('out-');
    await station.exportBundle(out, 'old-key', [payload]);
    const newPass = join(await tempDir('np-'), 'new');
    await writeFile(newPass, 'a brand new passphrase\n');
    const rotated = await station.run([
      'keys',
      'rotate',
      '--name',
      'Rotating Station 2027',
      '--passphrase-file',
      station.passFile,
      '--new-passphrase-file',
      newPass,
    ]);
    expect(rotated.code, describeResult(rotated)).toBe(0);
    const after = stationAt(station.home, newPass);
    const exported = await after.exportBundle(out, 'new-key', [payload]);
    expect(exported.bundle.signers[0]?.fingerprint).not.toBe(station.fingerprint);
    expect((await after.verify(join(out, 'old-key.airlock.tar'))).code).toBe(0);
    expect((await after.verify(join(out, 'new-key.airlock.tar'))).code).toBe(0);
    const audit = await after.run(['audit', 'verify', '--json']);
    expect(audit.code, describeResult(audit)).toBe(0);
    expect(parseJson<{ checkpoints: number }>(audit).checkpoints).toBe(2);
    expect((await after.run(['keys', 'list'])).stdout).toContain('retired station key');
    // The old private key is kept, still encrypted, with its revocation certificate.
    expect((await readdir(join(station.home, 'keys', 'retired'))).sort()).toEqual([
      `${station.fingerprint}.private.asc`,
      `${station.fingerprint}.revocation.asc`,
    ]);
  });

  it('a backup restores into a fresh home and signs as the same station', async () => {
    const station = await createStation(await tempDir('backed-up-'), 'Backed Up');
    const backup = join(await tempDir('bk-'), 'station.backup');
    expect((await station.run(['keys', 'backup', '--out', backup, '--passphrase-file', station.passFile])).code).toBe(0);
    expect((await stat(backup)).mode & 0o777).toBe(0o600);
    expect((await station.run(['keys', 'backup', '--out', backup, '--passphrase-file', station.passFile])).code).toBe(3);

    const fresh = stationAt(join(await tempDir('fresh-'), 'home'), station.passFile, station.fingerprint);
    const wrong = join(await tempDir('w-'), 'wrong');
    await writeFile(wrong, 'not it\n');
    const refused = await fresh.run(['keys', 'restore', backup, '--passphrase-file', wrong, '--json']);
    expect(parseJson<{ error: { code: string } }>(refused).error.code).toBe('PASSPHRASE_WRONG');
    expect((await fresh.run(['keys', 'restore', backup, '--passphrase-file', station.passFile])).code).toBe(0);
    const out = await tempDir('out-');
    const exported = await fresh.exportBundle(out, 'restored', [payload]);
    expect(exported.bundle.signers[0]?.fingerprint).toBe(station.fingerprint);
    const again = await fresh.run(['keys', 'restore', backup, '--passphrase-file', station.passFile, '--json']);
    expect(parseJson<{ error: { code: string } }>(again).error.code).toBe('STATION_KEY_EXISTS');
  });
});
