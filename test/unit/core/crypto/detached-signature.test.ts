import { createMessage, enums, readKey, readSignature, reformatKey, revokeKey, sign, type SecretKeyPacket } from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { groupFingerprint } from '../../../../shared/fingerprint.js';
import { displayText } from '../../../../shared/display-text.js';
import {
  claimedUserIdForDisplay,
  MAX_CLAIMED_USER_ID_CHARS,
  signDetached,
  verifyDetachedSignature,
  type TrustedKey,
} from '../../../../electron/core/crypto/detached-signature.js';
import { rawSignature, signerOf, signerWith } from '../../../helpers/hostile-signatures.js';
import { makeSigner, type TestSigner } from '../../../helpers/hostile-tar.js';

const data = Buffer.from('bagit.txt 1234\n');
const DAY = 24 * 3600 * 1000;
let alice: TestSigner;
let bob: TestSigner;

beforeAll(async () => {
  alice = await makeSigner('Alice');
  bob = await makeSigner('Bob');
});

function codes(check: { problems: Array<{ code: string }> }): string[] {
  return check.problems.map((p) => p.code);
}

describe('verifyDetachedSignature', () => {
  it('accepts a signature from a trusted key and names the signer by full fingerprint', async () => {
    const asc = await signDetached(data, [alice.privateKey]);
    const check = await verifyDetachedSignature(data, asc, [bob.trusted, alice.trusted]);
    expect(check.problems).toEqual([]);
    expect(check.signers.map((s) => s.fingerprint)).toEqual([alice.trusted.fingerprint]);
    expect(check.signers[0]?.fingerprint).toMatch(/^[0-9A-F]{40}$/u);
  });

  it('rejects a signature over other bytes (one byte changed)', async () => {
    const asc = await signDetached(data, [alice.privateKey]);
    const tampered = Buffer.from(data);
    tampered[0] = (tampered[0] ?? 0) ^ 1;
    const check = await verifyDetachedSignature(tampered, asc, [alice.trusted]);
    expect(codes(check)).toEqual(['SIGNATURE_INVALID']);
    expect(check.signers).toEqual([]);
  });

  it('reports an untrusted signer with its full fingerprint, grouped to be read aloud', async () => {
    const asc = await signDetached(data, [bob.privateKey]);
    const check = await verifyDetachedSignature(data, asc, [alice.trusted]);
    expect(codes(check)).toEqual(['SIGNER_UNTRUSTED']);
    expect(check.problems[0]?.message).toContain(groupFingerprint(bob.publicKey.getFingerprint().toUpperCase()));
    expect(check.problems[0]?.message).toContain('signed by a key this station does not trust'.replace(/^s/u, 'S'));
    expect(check.problems[0]?.message).toContain('(claims to be "Bob")');
    expect(check.problems[0]?.unknownSigners).toEqual([
      { fingerprint: bob.trusted.fingerprint, keyId: bob.publicKey.getKeyID().toHex().toUpperCase(), claimedUserId: 'Bob' },
    ]);
  });

  it("writes the signer's primary user ID into each signature it makes (Signer's User ID subpacket)", async () => {
    const asc = await signDetached(data, [alice.privateKey, bob.privateKey]);
    const signature = await readSignature({ armoredSignature: asc });
    expect(signature.packets.map((p) => p.signersUserID)).toEqual(['Alice', 'Bob']);
    // The subpacket is hashed: a trusted key's signature still verifies with it.
    expect((await verifyDetachedSignature(data, asc, [alice.trusted, bob.trusted])).problems).toEqual([]);
  });

  it('says so when an unknown signature names no user ID (as GnuPG signs without --sender)', async () => {
    const asc = await sign({ message: await createMessage({ binary: data }), signingKeys: bob.privateKey, detached: true });
    const check = await verifyDetachedSignature(data, asc, [alice.trusted]);
    expect(codes(check)).toEqual(['SIGNER_UNTRUSTED']);
    expect(check.problems[0]?.message).toContain(groupFingerprint(bob.trusted.fingerprint));
    expect(check.problems[0]?.message).toContain('the signature names no user ID');
    expect(check.problems[0]?.unknownSigners?.[0]?.claimedUserId).toBeNull();
  });

  it.each([
    ['an escape sequence', 'Mallory \u001b]0;owned\u0007\u001b[2J'],
    ['a bidi override', 'Trusted Admin \u202egnp.exe'],
    ['a newline forging a second line', 'Eve\nairlock: OK signed by Alice'],
    ['C1 controls and DEL', 'x\u009b31m\u007f'],
  ])('shows a claimed user ID holding %s escaped, never raw (terminal injection)', async (_name, hostile) => {
    const mallory = await makeSigner(hostile);
    const check = await verifyDetachedSignature(data, await signDetached(data, [mallory.privateKey]), [alice.trusted]);
    const message = check.problems[0]?.message ?? '';
    const claimed = check.problems[0]?.unknownSigners?.[0]?.claimedUserId ?? '';
    for (const text of [message, claimed]) {
      expect(text).toBe(displayText(text)); // nothing left to escape: no control or bidi character
      expect(text).toContain(displayText(hostile));
    }
  });

  it('escapes a quote in the claim, so it cannot seem to end early', async () => {
    const mallory = await makeSigner('Alice" (verified by this station) "x');
    const check = await verifyDetachedSignature(data, await signDetached(data, [mallory.privateKey]), [alice.trusted]);
    expect(check.problems[0]?.message).toContain('(claims to be "Alice\\" (verified by this station) \\"x")');
  });

  it('cuts a huge claimed user ID short', async () => {
    const huge = 'A'.repeat(4000);
    const mallory = await makeSigner(huge);
    const check = await verifyDetachedSignature(data, await signDetached(data, [mallory.privateKey]), [alice.trusted]);
    const claimed = check.problems[0]?.unknownSigners?.[0]?.claimedUserId ?? '';
    expect(claimed.length).toBeLessThan(MAX_CLAIMED_USER_ID_CHARS + 40);
    expect(claimed).toContain(`(${4000 - MAX_CLAIMED_USER_ID_CHARS} more characters)`);
    expect((check.problems[0]?.message ?? '').length).toBeLessThan(1000);
  });

  it('escapes after cutting, so a cut never splits an escape', () => {
    const text = claimedUserIdForDisplay(`${'B'.repeat(MAX_CLAIMED_USER_ID_CHARS - 1)}\u001b\u001b`);
    expect(text).toContain('\\u001b...');
  });

  it('with no trusted keys at all, nothing verifies', async () => {
    const asc = await signDetached(data, [alice.privateKey]);
    expect(codes(await verifyDetachedSignature(data, asc, []))).toEqual(['SIGNER_UNTRUSTED']);
  });

  it('counts two signatures by the same key once', async () => {
    const asc1 = await signDetached(data, [alice.privateKey]);
    const asc2 = await signDetached(data, [alice.privateKey, alice.privateKey]);
    const check1 = await verifyDetachedSignature(data, asc1, [alice.trusted]);
    const check2 = await verifyDetachedSignature(data, asc2, [alice.trusted]);
    expect(check2.problems).toEqual([]);
    expect(check2.signers).toHaveLength(1);
    expect(check2.signers).toEqual(check1.signers.map((s) => ({ ...s, signedAt: check2.signers[0]?.signedAt })));
  });

  it('lists each trusted co-signer, and ignores an extra signature from an unknown key', async () => {
    const carol = await makeSigner('Carol');
    const asc = await signDetached(data, [alice.privateKey, bob.privateKey, carol.privateKey]);
    const check = await verifyDetachedSignature(data, asc, [alice.trusted, bob.trusted]);
    expect(check.problems).toEqual([]);
    expect(check.signers.map((s) => s.userIds[0]).sort()).toEqual(['Alice', 'Bob']);
  });

  it('rejects a key that is expired now, even though the signature claims a date when it was valid', async () => {
    const created = new Date(Date.now() - 10 * DAY);
    const shortLived = await makeSigner('Expired', { date: created, keyExpirationTime: 3600 });
    // Backdated: openpgp.js alone would judge the key at this date and accept it.
    const asc = await signDetached(data, [shortLived.privateKey], new Date(created.getTime() + 60_000));
    const check = await verifyDetachedSignature(data, asc, [shortLived.trusted]);
    expect(codes(check)).toEqual(['SIGNER_EXPIRED']);
    expect(check.signers).toEqual([]);
  });

  it.each([
    ['hard (key compromised)', enums.reasonForRevocation.keyCompromised],
    ['soft (key superseded)', enums.reasonForRevocation.keySuperseded],
  ])('rejects a revoked key, %s, for a signature made before the revocation', async (_label, flag) => {
    const signer = await makeSigner('Revoked', { date: new Date(Date.now() - 5 * DAY) });
    const asc = await signDetached(data, [signer.privateKey], new Date(Date.now() - 4 * DAY));
    const { publicKey } = await revokeKey({ key: signer.privateKey, reasonForRevocation: { flag }, format: 'armored' });
    const revoked = await readKey({ armoredKey: publicKey });
    const trusted: TrustedKey = { ...signer.trusted, key: revoked };
    const check = await verifyDetachedSignature(data, asc, [trusted]);
    expect(codes(check)).toEqual(['SIGNER_REVOKED']);
  });

  it('reports a revoked co-signer even when another signature would count', async () => {
    const revokedSigner = await makeSigner('Compromised', { date: new Date(Date.now() - 5 * DAY) });
    const asc = await signDetached(data, [alice.privateKey, revokedSigner.privateKey]);
    const { publicKey } = await revokeKey({
      key: revokedSigner.privateKey,
      reasonForRevocation: { flag: enums.reasonForRevocation.keyCompromised },
      format: 'armored',
    });
    const check = await verifyDetachedSignature(data, asc, [alice.trusted, { ...revokedSigner.trusted, key: await readKey({ armoredKey: publicKey }) }]);
    expect(codes(check)).toEqual(['SIGNER_REVOKED']);
    expect(check.signers).toEqual([]);
  });

  it('rejects a signature dated in the future', async () => {
    const asc = await signDetached(data, [alice.privateKey], new Date(Date.now() + DAY));
    const check = await verifyDetachedSignature(data, asc, [alice.trusted]);
    expect(codes(check)).toEqual(['SIGNATURE_INVALID']);
    expect(check.problems[0]?.message.toLowerCase()).toContain('future');
  });

  it('a signature whose own lifetime ended is refused as such: the key is not said to have expired', async () => {
    const signer = await signerWith({ name: 'Lifetime', date: new Date(Date.now() - 3 * DAY) });
    const asc = await rawSignature(signer.privateKey.keyPacket as SecretKeyPacket, data, {
      created: new Date(Date.now() - 2 * DAY),
      expiresAfterSeconds: 3600,
    });
    const check = await verifyDetachedSignature(data, asc, [signer.trusted]);
    expect(codes(check)).toEqual(['SIGNATURE_INVALID']);
    expect(check.problems[0]?.message).toContain('the signature itself expired');
    expect(check.futureDated).toEqual([]);
  });

  it('a key whose self-signature is newer than the signature: refused, and not as a signature from the future (the clocks are fine)', async () => {
    const signer = await signerWith({ name: 'Reformatted', date: new Date(Date.now() - 3 * DAY) });
    const asc = await rawSignature(signer.privateKey.keyPacket as SecretKeyPacket, data, { created: new Date(Date.now() - 2 * DAY) });
    const { privateKey } = await reformatKey({
      privateKey: signer.privateKey,
      userIDs: [{ name: 'Reformatted' }],
      date: new Date(Date.now() - DAY),
      format: 'object',
    });
    const check = await verifyDetachedSignature(data, asc, [signerOf(privateKey, 'Reformatted').trusted]);
    expect(codes(check)).toEqual(['SIGNATURE_INVALID']);
    expect(check.problems[0]?.message).toContain('self-signature is newer');
    expect(check.problems[0]?.message).not.toMatch(/future|clock/iu);
    expect(check.futureDated).toEqual([]);
  });

  it('a signature dated in the future is still reported as one, with the key named for the clock-skew finding', async () => {
    const asc = await signDetached(data, [alice.privateKey], new Date(Date.now() + DAY));
    const check = await verifyDetachedSignature(data, asc, [alice.trusted]);
    expect(check.futureDated).toEqual([alice.trusted.fingerprint]);
  });

  it('an unreadable signature file is named once, without a doubled full stop', async () => {
    const check = await verifyDetachedSignature(data, '-----BEGIN PGP SIGNATURE-----\n\nAAAA\n-----END PGP SIGNATURE-----\n', [alice.trusted]);
    expect(codes(check)).toEqual(['SIGNATURE_INVALID']);
    expect(check.problems[0]?.message).not.toContain('..');
  });

  it('rejects a text-mode signature (line endings would be rewritten)', async () => {
    const message = await createMessage({ text: data.toString('utf8') });
    const asc = await sign({ message, signingKeys: alice.privateKey, detached: true, format: 'armored' });
    const check = await verifyDetachedSignature(data, asc, [alice.trusted]);
    expect(codes(check)).toEqual(['SIGNATURE_INVALID']);
    expect(check.problems[0]?.message).toContain('text mode');
  });

  it('refuses armor that is not a detached signature', async () => {
    const message = await createMessage({ binary: data });
    const inline = await sign({ message, signingKeys: alice.privateKey, format: 'armored' });
    const check = await verifyDetachedSignature(data, inline, [alice.trusted]);
    expect(codes(check)).toEqual(['SIGNATURE_INVALID']);
  });

  it('refuses a signature whose armor checksum or body is damaged', async () => {
    const asc = await signDetached(data, [alice.privateKey]);
    const lines = asc.split('\n');
    const bodyLine = lines.findIndex((l, i) => i > 1 && l.length > 20);
    lines[bodyLine] = `${lines[bodyLine]?.slice(0, 10)}AAAA${lines[bodyLine]?.slice(14)}`;
    const check = await verifyDetachedSignature(data, lines.join('\n'), [alice.trusted]);
    expect(check.signers).toEqual([]);
    expect(codes(check)[0]).toMatch(/^SIGNATURE_INVALID$|^SIGNER_UNTRUSTED$/u);
  });
});
