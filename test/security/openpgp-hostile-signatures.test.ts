/**
 * Signature files no honest signer makes, over the genuine tag manifest of a bag, by a key the
 * station trusts (or one of its subkeys): SHA-1, critical parts nobody knows, a lifetime that
 * ended, a date before the key existed, a subkey never allowed to sign, a subkey expired or
 * revoked, a key whose self-signature is newer than the signature, compressed packets where a
 * signature belongs, and a signature file far beyond any real one. Each goes through verify (both
 * passes) and import as the station calls them: both refuse with the same codes, and the
 * destination stays empty. The honest controls beside them (a signing subkey, SHA-512, a marker
 * packet, text around the armor) verify and import exactly the signed files, so the refusals are
 * the hazard's doing. Packets are built by test/helpers/hostile-signatures.ts.
 */
import { enums, MarkerPacket, reformatKey, readSignature, type AnyPacket, type SecretKeyPacket, type SecretSubkeyPacket } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../electron/core/policy/limits.js';
import { DEFAULT_POLICY } from '../../electron/core/policy/station-policy.js';
import type { TrustedKey } from '../../electron/core/crypto/detached-signature.js';
import { resignedBag } from '../helpers/hostile-bag.js';
import {
  armoredSignature,
  compressedPacketOf,
  rawSignature,
  signerOf,
  signerWith,
  withoutSigningFlag,
  type RawSignatureOptions,
} from '../helpers/hostile-signatures.js';
import { tarOf, type TestSigner } from '../helpers/hostile-tar.js';
import { BASE_FILES } from '../helpers/resigned-cases.js';
import { verifyBothWays } from '../helpers/verify-both-ways.js';
import { openJudge, type Judge } from '../helpers/verify-and-import.js';

const DAY = 86_400_000;
const SIGNED_FILES = BASE_FILES.map((f) => f.path.replace(/^data\//u, '')).sort();
let judge: Judge;

beforeAll(async () => {
  judge = await openJudge('airlock-openpgp-hostile-');
});
afterAll(async () => {
  await judge.close();
});

/** A bag whose signature file is `ascOf(the tag manifest's bytes)`; the bag itself is honest. */
async function bundleSignedBy(ascOf: (tagmanifest: Buffer) => Promise<string>): Promise<string> {
  const built = await resignedBag(judge.signer, BASE_FILES);
  const tagmanifest = built.tagEntries.find((e) => e.path.endsWith('/tagmanifest-sha256.txt'));
  const asc = built.tagEntries.find((e) => e.path.endsWith('.asc'));
  if (!tagmanifest || !asc) throw new Error('no tag manifest or signature entry');
  asc.body = await ascOf(Buffer.from(tagmanifest.body ?? ''));
  return judge.write(tarOf([...built.tagEntries, ...built.payloadEntries]));
}

/** Verify and import both refuse with exactly `codes`; import wrote nothing (the judge checks). */
async function refusedWith(bundlePath: string, trusted: TrustedKey[], codes: string[]): Promise<void> {
  expect(await judge.verifyCodes(bundlePath, DEFAULT_LIMITS, trusted)).toEqual(codes);
  expect(await judge.importCodes(bundlePath, DEFAULT_LIMITS, trusted)).toEqual(codes);
}

const keyOf = (signer: TestSigner, subkey?: number): SecretKeyPacket | SecretSubkeyPacket =>
  (subkey === undefined ? signer.privateKey.keyPacket : signer.privateKey.subkeys[subkey]?.keyPacket) as SecretKeyPacket | SecretSubkeyPacket;

describe('a trusted key signs in a way this station must not accept: verify and import refuse alike', () => {
  const rawCases: Array<[string, RawSignatureOptions, 'curve25519Legacy' | 'nistP256']> = [
    // EdDSA cannot sign with SHA-1 at all: a P-256 key can.
    ['SHA-1 as the signature hash (collisions are practical)', { hash: enums.hash.sha1 }, 'nistP256'],
    ['a critical notation nobody knows', { criticalNotation: true }, 'curve25519Legacy'],
    ['a critical hashed subpacket of an unassigned type', { criticalUnknownSubpacket: true }, 'curve25519Legacy'],
    [
      'a signature whose own lifetime ended (Signature Expiration Time), the key still valid',
      { created: new Date(Date.now() - 2 * DAY), expiresAfterSeconds: 3600 },
      'curve25519Legacy',
    ],
  ];
  it.each(rawCases)('%s: SIGNATURE_INVALID', async (_label, options, curve) => {
    const signer = await signerWith({ name: 'Trusted', curve, date: new Date(Date.now() - 3 * DAY) });
    const bundle = await bundleSignedBy((tm) => rawSignature(keyOf(signer), tm, options));
    await refusedWith(bundle, [signer.trusted], ['SIGNATURE_INVALID']);
  });

  it('a signature dated before its key was created (openpgp.js will not make one; it is backdated by hand): SIGNATURE_INVALID', async () => {
    const signer = await signerWith({ name: 'Young', date: new Date(Date.now() - DAY) });
    const bundle = await bundleSignedBy((tm) => rawSignature(keyOf(signer), tm, { created: new Date(Date.now() - 2 * DAY) }));
    await refusedWith(bundle, [signer.trusted], ['SIGNATURE_INVALID']);
  });

  it("a signature by the trusted key's subkey whose binding allows encryption only: SIGNATURE_INVALID", async () => {
    const born = new Date(Date.now() - 3 * DAY);
    const signer = await withoutSigningFlag(await signerWith({ name: 'Encrypt-only subkey', date: born, subkeys: [{ sign: true }] }), 0, born);
    const bundle = await bundleSignedBy((tm) => rawSignature(keyOf(signer, 0), tm, { created: new Date(Date.now() - 2 * DAY) }));
    await refusedWith(bundle, [signer.trusted], ['SIGNATURE_INVALID']);
  });

  it('a signing subkey expired now, the signature made in its life: SIGNER_EXPIRED', async () => {
    const born = new Date(Date.now() - 3 * DAY);
    const signer = await signerWith({ name: 'Short subkey', date: born, subkeys: [{ sign: true, keyExpirationTime: 86_400 }] });
    const bundle = await bundleSignedBy((tm) => rawSignature(keyOf(signer, 0), tm, { created: new Date(born.getTime() + 3_600_000) }));
    await refusedWith(bundle, [signer.trusted], ['SIGNER_EXPIRED']);
  });

  it('a signing subkey revoked (superseded) after it signed, the primary key still valid: SIGNER_REVOKED', async () => {
    const signer = await signerWith({ name: 'Revoked subkey', date: new Date(Date.now() - 3 * DAY), subkeys: [{ sign: true }] });
    const bundle = await bundleSignedBy((tm) => rawSignature(keyOf(signer, 0), tm, { created: new Date(Date.now() - 2 * DAY) }));
    const subkey = signer.privateKey.subkeys[0];
    if (!subkey) throw new Error('no subkey');
    const revocation = await subkey.revoke(
      signer.privateKey.keyPacket as SecretKeyPacket,
      { flag: enums.reasonForRevocation.keySuperseded },
      new Date(Date.now() - DAY),
    );
    const publicKey = signer.privateKey.toPublic();
    publicKey.subkeys[0]?.revocationSignatures.push(...revocation.revocationSignatures);
    await refusedWith(bundle, [{ ...signer.trusted, key: publicKey }], ['SIGNER_REVOKED']);
  });

  it("a key whose only self-signature is newer than the bundle's signature (reformatted later): SIGNATURE_INVALID, and no claim that the signature is dated in the future", async () => {
    const signer = await signerWith({ name: 'Reformatted', date: new Date(Date.now() - 3 * DAY) });
    const bundle = await bundleSignedBy((tm) => rawSignature(keyOf(signer), tm, { created: new Date(Date.now() - 2 * DAY) }));
    const { privateKey } = await reformatKey({
      privateKey: signer.privateKey,
      userIDs: [{ name: 'Reformatted' }],
      date: new Date(Date.now() - DAY),
      format: 'object',
    });
    const trusted = [signerOf(privateKey, 'Reformatted').trusted];
    await refusedWith(bundle, trusted, ['SIGNATURE_INVALID']);
    // The operator is told what is wrong: the key's self-signature, not the clocks.
    const report = await verifyBothWays({
      bundlePath: bundle,
      trusted,
      limits: DEFAULT_LIMITS,
      requiredSigners: DEFAULT_POLICY.requiredSigners,
      clockSkewSeconds: DEFAULT_POLICY.clockSkewSeconds,
      reportNames: DEFAULT_POLICY.names,
    });
    const said = JSON.stringify([report.problems, report.policy.findings.filter((f) => f.outcome === 'fail')]);
    expect(said).toContain('self-signature is newer');
    expect(said).not.toMatch(/future|clock/iu);
  });
});

describe('packets that are not a detached signature, where one belongs: refused before any is trusted', () => {
  it('the signature inside a compressed data packet: SIGNATURE_INVALID', async () => {
    const bundle = await bundleSignedBy(async (tm) => armoredSignature([await compressedPacketOf(await rawSignature(keyOf(judge.signer), tm))]));
    await refusedWith(bundle, [judge.signer.trusted], ['SIGNATURE_INVALID']);
  });

  it('a compressed data packet beside a good signature: SIGNATURE_INVALID', async () => {
    const bundle = await bundleSignedBy(async (tm) => {
      const good = await rawSignature(keyOf(judge.signer), tm);
      const packets = [...(await readSignature({ armoredSignature: good })).packets] as AnyPacket[];
      return armoredSignature([await compressedPacketOf(good), ...packets]);
    });
    await refusedWith(bundle, [judge.signer.trusted], ['SIGNATURE_INVALID']);
  });

  it('a good signature, then a second armored block: SIGNATURE_INVALID', async () => {
    const stranger = await signerWith({ name: 'Stranger' });
    const bundle = await bundleSignedBy(async (tm) => `${await rawSignature(keyOf(judge.signer), tm)}\n${await rawSignature(keyOf(stranger), tm)}`);
    await refusedWith(bundle, [judge.signer.trusted], ['SIGNATURE_INVALID']);
  });

  it('a signature file of 4 MiB (a good signature padded with armor lines): LIMIT_EXCEEDED', async () => {
    const bundle = await bundleSignedBy(async (tm) => {
      const good = await rawSignature(keyOf(judge.signer), tm);
      return good.replace(/\n-----END PGP SIGNATURE-----/u, `\n${'Comment: padding\n'.repeat(4 * 65_536)}-----END PGP SIGNATURE-----`);
    });
    await refusedWith(bundle, [judge.signer.trusted], ['LIMIT_EXCEEDED']);
  });
});

describe('honest controls: the same bag verifies and imports exactly its files', () => {
  it('signed by the trusted key’s signing subkey', async () => {
    const signer = await signerWith({ name: 'Subkey signer', subkeys: [{ sign: true }] });
    const bundle = await bundleSignedBy((tm) => rawSignature(keyOf(signer, 0), tm));
    expect(await judge.imported(bundle, [signer.trusted])).toEqual(SIGNED_FILES);
  });

  it('SHA-512 as the signature hash', async () => {
    const bundle = await bundleSignedBy((tm) => rawSignature(keyOf(judge.signer), tm, { hash: enums.hash.sha512 }));
    expect(await judge.imported(bundle)).toEqual(SIGNED_FILES);
  });

  it('a marker packet before the signature (RFC 9580: ignored)', async () => {
    const bundle = await bundleSignedBy(async (tm) => {
      const packets = [...(await readSignature({ armoredSignature: await rawSignature(keyOf(judge.signer), tm) })).packets] as AnyPacket[];
      return armoredSignature([new MarkerPacket(), ...packets]);
    });
    expect(await judge.imported(bundle)).toEqual(SIGNED_FILES);
  });

  it('an armor Comment header carrying an escape sequence, and text after the armor (as gpg ignores it)', async () => {
    const bundle = await bundleSignedBy(
      async (tm) =>
        (await rawSignature(keyOf(judge.signer), tm)).replace('-----BEGIN PGP SIGNATURE-----\n', '-----BEGIN PGP SIGNATURE-----\nComment: \u001b[31mred\n') +
        'trailing words\n',
    );
    expect(await judge.imported(bundle)).toEqual(SIGNED_FILES);
  });
});
