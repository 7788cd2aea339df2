import { AirlockError } from '../errors.js';

/** Who signs: the station key, a GnuPG key (smartcard), or an operator's own armored key file. */
export type SignerSpec =
  | { kind: 'station'; passphrase: string }
  | { kind: 'gpg'; fingerprint: string; homedir?: string | undefined; passphrase?: string | undefined }
  | { kind: 'key-file'; file: string; passphrase: string };

/** `gpg:FPR` as the CLI writes it; anything else is not a signer spec. Apart from signer-spec.ts so parsing argv loads no signer. */
export function parseGpgSignerOption(value: string): string {
  const match = /^gpg:([0-9A-Fa-f:\s]{40,})$/u.exec(value.trim());
  if (!match) throw new AirlockError('USAGE', `The signer "${value}" must be written gpg:<fingerprint>.`, { data: { reason: 'signer-format' } });
  return (match[1] ?? '').replace(/[\s:]/gu, '').toUpperCase();
}
