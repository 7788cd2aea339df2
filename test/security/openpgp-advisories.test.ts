/**
 * openpgp.js advisories (docs/security-notes.md): Airlock verifies one detached signature over
 * the tag manifest bytes it read from the bundle, never data a signature file carries.
 *
 * GHSA-8qff-qr5q-5pr8 (CVE-2025-47934, fixed in openpgp.js 6.1.1): given one valid signature and
 * the data it signed, an attacker builds an inline-signed message around data of their choice
 * (a literal data packet beside the genuine signature packet) and affected versions of
 * openpgp.verify report the signature valid while returning the attacker's data.
 */
import { armor, enums, PacketList, readSignature, createMessage, type AnyPacket } from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDetachedSignature, signDetached } from '../../electron/core/crypto/detached-signature.js';
import { resignedBag } from '../helpers/hostile-bag.js';
import { tarOf, type BagPayloadFile } from '../helpers/hostile-tar.js';
import { openJudge, type Judge } from '../helpers/verify-and-import.js';

let judge: Judge;

beforeAll(async () => {
  judge = await openJudge('airlock-openpgp-advisories-');
});
afterAll(async () => {
  await judge.close();
});

/** Packets of a message carrying `data` as literal data, followed by the packets of a genuine detached signature over other bytes. */
async function mixedPackets(data: Uint8Array, genuineAsc: string): Promise<Uint8Array> {
  const message = await createMessage({ binary: data });
  const signature = await readSignature({ armoredSignature: genuineAsc });
  const packets = new PacketList<AnyPacket>();
  packets.push(...message.packets, ...signature.packets);
  return packets.write();
}

describe('GHSA-8qff-qr5q-5pr8 (CVE-2025-47934): a genuine signature beside forged literal data', () => {
  const signed = Buffer.from('bagit.txt 1234\nmanifest-sha256.txt 5678\n');
  const forged = Buffer.from('bagit.txt 1234\nmanifest-sha256.txt 9999\n');

  it.each([
    ["armored as a PGP MESSAGE (the advisory's inline-signed form)", enums.armor.message],
    ['armored as a PGP SIGNATURE (mixed packets under the detached label)', enums.armor.signature],
  ])('the forged bytes do not verify: %s', async (_label, type) => {
    const { signer } = judge;
    const genuine = await signDetached(signed, [signer.privateKey]);
    const crafted = armor(type, await mixedPackets(forged, genuine));
    const check = await verifyDetachedSignature(forged, crafted, [signer.trusted]);
    expect(check.signers).toEqual([]);
    expect(check.problems.map((p) => p.code)).toEqual(['SIGNATURE_INVALID']);
  });

  it('a bundle whose tag manifest is forged and whose .asc carries it beside the genuine signature: verify and import refuse', async () => {
    const { signer } = judge;
    const honest: BagPayloadFile[] = [{ path: 'data/a.txt', content: 'alpha\n' }];
    const evil: BagPayloadFile[] = [{ path: 'data/a.txt', content: 'evil!\n' }];
    const genuineAsc = (await resignedBag(signer, honest)).tagEntries.find((e) => e.path.endsWith('.asc'))?.body;
    const forgedTagmanifest = (await resignedBag(signer, evil)).tagEntries.find((e) => e.path.endsWith('tagmanifest-sha256.txt'))?.body;
    expect(genuineAsc).toBeDefined();
    expect(forgedTagmanifest).toBeDefined();
    const crafted = armor(enums.armor.message, await mixedPackets(Buffer.from(forgedTagmanifest ?? ''), String(genuineAsc)));
    const bag = await resignedBag(signer, evil, { edit: { 'tagmanifest-sha256.txt.asc': () => Buffer.from(crafted) } });
    const bundlePath = await judge.write(tarOf([...bag.tagEntries, ...bag.payloadEntries]));
    expect(await judge.verifyCodes(bundlePath)).toEqual(['SIGNATURE_INVALID']);
    expect(await judge.importCodes(bundlePath)).toEqual(['SIGNATURE_INVALID']);
  });
});
