/**
 * `keys trust` as the app and the CLI call it (Station.trustKeyFile, after Station.inspectKeyFile),
 * on a fresh station home, and a bag signed by chosen keys: shared by the key-hazard files of
 * test/security/ (SHA-1 bindings, v6 keys).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretKeyPacket, SecretSubkeyPacket } from 'openpgp';
import { AirlockError } from '../../electron/core/errors.js';
import { Station } from '../../electron/core/index.js';
import { resignedBag } from './hostile-bag.js';
import { armoredSignature, rawSignaturePacket } from './hostile-signatures.js';
import { tarOf, type TestSigner } from './hostile-tar.js';
import { BASE_FILES } from './resigned-cases.js';
import type { Judge } from './verify-and-import.js';

export interface TrustAttempt {
  /** What trustKeyFile threw (an AirlockError), or null when it trusted the key. */
  error: AirlockError | null;
  /** The code inspectKeyFile threw, or null. */
  inspectError: string | null;
  /** Fingerprints the station trusts afterwards. */
  trusted: string[];
}

let n = 0;

/** Offer `armored` (its key expected to have `fingerprint`) to a new station under `root`. */
export async function trustAttempt(root: string, armored: string, fingerprint: string): Promise<TrustAttempt> {
  n += 1;
  const file = join(root, `key${n}.asc`);
  await writeFile(file, armored);
  const station = await Station.open({ home: join(root, `home${n}`) });
  try {
    const inspectError = await station.inspectKeyFile(file).then(
      () => null,
      (e: unknown) => (e instanceof AirlockError ? e.code : String(e)),
    );
    const error = await station.trustKeyFile(file, { expectedFingerprint: fingerprint }).then(
      () => null,
      (e: unknown) => {
        if (e instanceof AirlockError) return e;
        throw e;
      },
    );
    return { error, inspectError, trusted: (await station.listTrusted()).map((k) => k.fingerprint) };
  } finally {
    station.close();
  }
}

export const keyPacketOf = (signer: TestSigner, subkey?: number): SecretKeyPacket | SecretSubkeyPacket =>
  (subkey === undefined ? signer.privateKey.keyPacket : signer.privateKey.subkeys[subkey]?.keyPacket) as SecretKeyPacket | SecretSubkeyPacket;

/** The judge's honest bag, its signature file holding one signature (made now) per [key, subkey index or primary]. */
export async function bagSignedBy(judge: Judge, signers: Array<[TestSigner, number | undefined]>): Promise<string> {
  const built = await resignedBag(judge.signer, BASE_FILES);
  const tagmanifest = built.tagEntries.find((e) => e.path.endsWith('/tagmanifest-sha256.txt'));
  const asc = built.tagEntries.find((e) => e.path.endsWith('.asc'));
  if (!tagmanifest || !asc) throw new Error('no tag manifest or signature entry');
  const bytes = Buffer.from(tagmanifest.body ?? '');
  asc.body = await armoredSignature(await Promise.all(signers.map(([s, sub]) => rawSignaturePacket(keyPacketOf(s, sub), bytes))));
  return judge.write(tarOf([...built.tagEntries, ...built.payloadEntries]));
}
