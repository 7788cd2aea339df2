import { readFile } from 'node:fs/promises';
import { openpgp } from './openpgp-lazy.js';
import { AirlockError, toAirlockError } from '../errors.js';
import type { HomePaths } from '../home/station-home.js';
import { unlockStationSigningKey } from '../keys/station-key.js';
import { openpgpSigner, type BundleSigner } from './bundle-signer.js';
import { gnupgSigner } from './gnupg-signer.js';
import { OPENPGP_CONFIG } from './openpgp-config.js';
import { unlockSigningKey } from './unlock-signing-key.js';

/** Who signs: the station key, a GnuPG key (smartcard), or an operator's own armored key file. */
export type SignerSpec =
  | { kind: 'station'; passphrase: string }
  | { kind: 'gpg'; fingerprint: string; homedir?: string | undefined; passphrase?: string | undefined }
  | { kind: 'key-file'; file: string; passphrase: string };

/** `gpg:FPR` as the CLI writes it; anything else is not a signer spec. */
export function parseGpgSignerOption(value: string): string {
  const match = /^gpg:([0-9A-Fa-f:\s]{40,})$/u.exec(value.trim());
  if (!match) throw new AirlockError('USAGE', `The signer "${value}" must be written gpg:<fingerprint>.`, { data: { reason: 'signer-format' } });
  return (match[1] ?? '').replace(/[\s:]/gu, '').toUpperCase();
}

export async function resolveSigner(paths: HomePaths, spec: SignerSpec): Promise<BundleSigner> {
  switch (spec.kind) {
    case 'station':
      return openpgpSigner(await unlockStationSigningKey(paths, spec.passphrase));
    case 'gpg':
      return gnupgSigner(spec.fingerprint, {
        homedir: spec.homedir || undefined,
        passphrase: spec.passphrase,
      });
    case 'key-file': {
      let armored: string;
      try {
        armored = await readFile(spec.file, 'utf8');
      } catch (error) {
        throw toAirlockError(error, spec.file);
      }
      let key;
      try {
        key = await (await openpgp()).readPrivateKey({ armoredKey: armored, config: OPENPGP_CONFIG });
      } catch (error) {
        throw new AirlockError('KEY_INVALID', `${spec.file} is not an armored private key: ${(error as Error).message}`);
      }
      return openpgpSigner(key.isDecrypted() ? key : await unlockSigningKey(key, spec.passphrase, spec.file));
    }
  }
}
