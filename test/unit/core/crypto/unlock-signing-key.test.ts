import { generateKey, readKey, readPrivateKey } from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { unlockSigningKey } from '../../../../electron/core/crypto/unlock-signing-key.js';
import { signDetached, verifyDetachedSignature } from '../../../../electron/core/crypto/detached-signature.js';

const PASSPHRASE = 'correct horse battery staple';
let armoredPrivate: string;
let armoredPublic: string;

beforeAll(async () => {
  // The station key's shape: an EdDSA primary that signs, and an ECDH subkey that only encrypts.
  const key = await generateKey({ type: 'ecc', curve: 'curve25519Legacy', userIDs: [{ name: 'Unlock test' }], passphrase: PASSPHRASE, format: 'armored' });
  armoredPrivate = key.privateKey;
  armoredPublic = key.publicKey;
});

describe('unlockSigningKey', () => {
  it('decrypts the signing packet only; the encryption subkey stays encrypted, and its signatures verify', async () => {
    const key = await unlockSigningKey(await readPrivateKey({ armoredKey: armoredPrivate }), PASSPHRASE);
    expect(key.keyPacket.isDecrypted()).toBe(true);
    expect(key.subkeys.length).toBe(1);
    expect(key.subkeys[0]?.keyPacket.isDecrypted()).toBe(false);
    const data = Buffer.from('tagmanifest bytes');
    const publicKey = await readKey({ armoredKey: armoredPublic });
    const check = await verifyDetachedSignature(data, await signDetached(data, [key]), [
      { fingerprint: publicKey.getFingerprint().toUpperCase(), label: 't', userIds: [], key: publicKey },
    ]);
    expect(check.problems).toEqual([]);
  });

  it('refuses a wrong passphrase (PASSPHRASE_WRONG) and leaves the key locked', async () => {
    const key = await readPrivateKey({ armoredKey: armoredPrivate });
    await expect(unlockSigningKey(key, 'wrong')).rejects.toThrow();
    await expect(unlockSigningKey(key, 'wrong')).rejects.toMatchObject({ code: 'PASSPHRASE_WRONG' });
    expect(key.keyPacket.isDecrypted()).toBe(false);
  });

  it('says an expired key cannot sign (SIGNING_KEY_UNUSABLE), not that the passphrase is wrong', async () => {
    const expiring = await generateKey({
      type: 'ecc',
      curve: 'curve25519Legacy',
      userIDs: [{ name: 'Expired' }],
      passphrase: PASSPHRASE,
      keyExpirationTime: 1,
      date: new Date(Date.now() - 10_000),
      format: 'armored',
    });
    const key = await readPrivateKey({ armoredKey: expiring.privateKey });
    await expect(unlockSigningKey(key, PASSPHRASE, '/keys/old.asc')).rejects.toMatchObject({
      code: 'SIGNING_KEY_UNUSABLE',
      message: expect.stringContaining('/keys/old.asc'),
    });
    expect(key.keyPacket.isDecrypted()).toBe(false);
  });

  it('refuses a public key (no secret to unlock)', async () => {
    const publicKey = await readKey({ armoredKey: armoredPublic });
    await expect(unlockSigningKey(publicKey as never, PASSPHRASE)).rejects.toThrow();
    await expect(unlockSigningKey(publicKey as never, PASSPHRASE)).rejects.toMatchObject({ code: 'SIGNING_KEY_UNUSABLE' });
  });
});
