import type { PublicKey } from 'openpgp';

/**
 * A trusted key's standing at `now`, as verify judges it (crypto/detached-signature.ts): its
 * primary key valid, and a signing key (the one named, or any) valid. openpgp.js's messages say
 * "revoked" or something else (expired, no valid self-signature at that date): verify reports the
 * first as SIGNER_REVOKED and the rest as SIGNER_EXPIRED, and so does `keys list`.
 */
export async function keyStandingAt(key: PublicKey, now: Date, keyID?: Parameters<PublicKey['getSigningKey']>[0]): Promise<'ok' | 'revoked' | 'expired'> {
  try {
    await key.verifyPrimaryKey(now);
    await key.getSigningKey(keyID, now);
  } catch (error) {
    const reason = `${String(error)} ${String((error as { cause?: unknown }).cause ?? '')}`.toLowerCase();
    return reason.includes('revoked') ? 'revoked' : 'expired';
  }
  return 'ok';
}
