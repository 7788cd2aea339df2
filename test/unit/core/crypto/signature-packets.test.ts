import { armor, enums, unarmor } from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { signDetached, verifyDetachedSignature } from '../../../../electron/core/crypto/detached-signature.js';
import { countPackets, MAX_SIGNATURE_PACKETS, signatureFileOverLimit } from '../../../../electron/core/crypto/signature-packets.js';
import { makeSigner, type TestSigner } from '../../../helpers/hostile-tar.js';

const data = Buffer.from('tag manifest bytes\n');
let alice: TestSigner;
let bob: TestSigner;
let packet: Buffer;

beforeAll(async () => {
  alice = await makeSigner('Alice');
  bob = await makeSigner('Bob');
  packet = Buffer.from((await unarmor(await signDetached(data, [bob.privateKey]))).data as Uint8Array);
});

const armored = (packets: Buffer[]): string => armor(enums.armor.signature, Buffer.concat(packets));

describe('signature packet count', () => {
  it('counts the packets of an armored signature, with or without armor headers', async () => {
    expect(countPackets(Buffer.concat([packet, packet, packet]))).toBe(3);
    const withHeaders = armored([packet, packet]).replace(
      '-----BEGIN PGP SIGNATURE-----\n',
      '-----BEGIN PGP SIGNATURE-----\nVersion: GnuPG v2\nComment: two\n',
    );
    expect(signatureFileOverLimit(withHeaders)).toBeNull();
    expect(countPackets(Buffer.from([0x00, 0x01]))).toBeNull();
  });

  it(`refuses more than ${MAX_SIGNATURE_PACKETS} packets, and a file over the byte cap, as LIMIT_EXCEEDED`, async () => {
    const tooMany = armored(Array.from({ length: MAX_SIGNATURE_PACKETS + 1 }, () => packet));
    expect(signatureFileOverLimit(tooMany)).toContain(`${MAX_SIGNATURE_PACKETS + 1} packets`);
    const check = await verifyDetachedSignature(data, tooMany, [alice.trusted]);
    expect(check.problems.map((p) => p.code)).toEqual(['LIMIT_EXCEEDED']);
    const huge = armored(Array.from({ length: 20 }, () => Buffer.concat([packet.subarray(0, 1), Buffer.from([0xff]), Buffer.alloc(4), Buffer.alloc(5000)])));
    expect((await verifyDetachedSignature(data, huge, [alice.trusted])).problems.map((p) => p.code)).toEqual(['LIMIT_EXCEEDED']);
  });

  it(`accepts ${MAX_SIGNATURE_PACKETS} packets when one of them is a trusted signer's`, async () => {
    const good = Buffer.from((await unarmor(await signDetached(data, [alice.privateKey]))).data as Uint8Array);
    const asc = armored([...Array.from({ length: MAX_SIGNATURE_PACKETS - 1 }, () => packet), good]);
    const check = await verifyDetachedSignature(data, asc, [alice.trusted]);
    expect(check.problems).toEqual([]);
    expect(check.signers.map((s) => s.fingerprint)).toEqual([alice.trusted.fingerprint]);
  });
});
