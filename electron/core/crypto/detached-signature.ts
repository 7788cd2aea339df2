import type { PrivateKey, PublicKey, Signature } from 'openpgp';
import { openpgp } from './openpgp-lazy.js';
import { groupFingerprint } from '../../../shared/fingerprint.js';
import { displayText } from '../../../shared/display-text.js';
import { problem, type Problem, type UnknownSigner } from '../../../shared/problems.js';
import type { SignerInfo } from '../../../shared/results.js';
import { OPENPGP_CONFIG } from './openpgp-config.js';
import { signatureFileOverLimit } from './signature-packets.js';
import { signDetachedWithUserId } from './signer-user-id.js';
import { sha1BindingNextStep, sha1BindingOf, sha1BindingText } from '../keys/key-binding-hash.js';
import { keyStandingAt } from '../keys/key-standing.js';

/** A key the station trusts, identified by its full fingerprint. */
export interface TrustedKey {
  fingerprint: string;
  label: string | null;
  role?: string | null;
  userIds: string[];
  key: PublicKey;
}

/**
 * Detached, ASCII-armored signature(s) over exact bytes; several keys give several packets in one
 * armor. Each names its key's primary user ID (Signer's User ID subpacket), so a station that does
 * not trust the key can still say who the signature claims to come from.
 */
export async function signDetached(data: Uint8Array, signingKeys: PrivateKey[], date?: Date): Promise<string> {
  return signDetachedWithUserId(data, signingKeys, date ?? new Date());
}

export interface SignatureCheck {
  signers: SignerInfo[];
  problems: Problem[];
  /** Trusted signers whose signature is dated beyond the clock-skew allowance (their SIGNATURE_INVALID is in problems). */
  futureDated?: string[];
}

const BINARY_SIGNATURE = 0x00;

/** A claimed user ID longer than this is cut: a subpacket can hold 64 KiB of anything. */
export const MAX_CLAIMED_USER_ID_CHARS = 200;

/** A claimed user ID safe to print: cut to a bounded length, then control and bidi characters escaped. */
export function claimedUserIdForDisplay(raw: string): string {
  const chars = [...raw];
  const cut =
    chars.length > MAX_CLAIMED_USER_ID_CHARS
      ? `${chars.slice(0, MAX_CLAIMED_USER_ID_CHARS).join('')}... (${chars.length - MAX_CLAIMED_USER_ID_CHARS} more characters)`
      : raw;
  return displayText(cut);
}

/**
 * An unknown signer as the operator must check it with the sender: the full fingerprint (the
 * issuer-fingerprint subpacket openpgp.js and GnuPG 2.2+ write), and the user ID the signature
 * claims (Signer's User ID subpacket, written by Airlock and by gpg --sender). Unauthenticated
 * until its key is trusted: shown as a claim, never relied on.
 */
function unknownSigner(packets: readonly unknown[], keyIdHex: string): UnknownSigner {
  const packet = packets.find((p) => (p as { issuerKeyID?: { toHex(): string } }).issuerKeyID?.toHex().toUpperCase() === keyIdHex) as
    { issuerFingerprint?: Uint8Array | null; signersUserID?: string | null } | undefined;
  const fpr = packet?.issuerFingerprint ? Buffer.from(packet.issuerFingerprint).toString('hex').toUpperCase() : null;
  const claimed = packet?.signersUserID ? claimedUserIdForDisplay(packet.signersUserID) : null;
  return { fingerprint: fpr, keyId: keyIdHex, claimedUserId: claimed };
}

function unknownSignerText(signer: UnknownSigner): string {
  // A quote inside the claim is escaped, so the claim cannot seem to end early ("Alice" (trusted)...).
  const who = signer.claimedUserId !== null ? `claims to be "${signer.claimedUserId.replace(/"/gu, '\\"')}"` : 'the signature names no user ID';
  return signer.fingerprint
    ? `${groupFingerprint(signer.fingerprint)} (${who})`
    : `key ID ${signer.keyId} (${who}; the signature does not carry the full fingerprint)`;
}

function armorProblem(armored: string): Problem | null {
  const text = armored.trim();
  if (!text.startsWith('-----BEGIN PGP SIGNATURE-----')) {
    return problem('SIGNATURE_INVALID', 'The signature file is not an ASCII-armored detached signature (BEGIN PGP SIGNATURE).', 'tagmanifest-sha256.txt.asc');
  }
  if ((text.match(/-----BEGIN PGP /g) ?? []).length !== 1) {
    return problem('SIGNATURE_INVALID', 'The signature file holds more than one armored block.', 'tagmanifest-sha256.txt.asc');
  }
  return null;
}

/**
 * The key's standing now, not at the signature's claimed date. openpgp.js checks a key at the
 * signature's creation time; a signer can backdate that, so we check again at `now`. A key that
 * stands holds the signing key by SHA-1 is refused too, with what to do (key-binding-hash.ts).
 */
async function keyStateNow(
  trusted: TrustedKey,
  keyID: Parameters<PublicKey['getSigningKey']>[0],
  now: Date,
): Promise<'ok' | 'revoked' | 'expired' | { sha1: string }> {
  const standing = await keyStandingAt(trusted.key, now, keyID);
  if (standing !== 'ok') return standing;
  const sha1 = await sha1BindingOf(trusted.key, now, keyID);
  return sha1 === null ? 'ok' : { sha1: `${trusted.fingerprint}: ${sha1BindingText(sha1)}. ${sha1BindingNextStep(trusted.fingerprint, sha1)}` };
}

type Refusal = { kind: 'revoked' | 'key-expired' | 'future' } | { kind: 'invalid'; text: string };

/**
 * Why openpgp.js refused a trusted key's signature. Its messages name the symptom, not whose date
 * is wrong, so the signature's own dates decide what is said: "expired" may be the signature's
 * own lifetime (its Signature Expiration Time), not the key's; "in the future" may be the key's
 * self-signature, made after this signature (a key re-signed or reformatted later), while the
 * signature itself is dated in the past. Telling the operator the key expired, or to check the
 * clocks, would send them after the wrong thing.
 */
async function whyRefused(reason: string, signature: Promise<Signature>, latestSignatureDate: Date): Promise<Refusal> {
  // openpgp.js refuses keys revoked for every date (hard revocations) and keys expired at the
  // signature's date: that is the key's standing, not a forged signature.
  if (/revoked/iu.test(reason)) return { kind: 'revoked' };
  const packet = (await signature.catch(() => null))?.packets[0] as { created?: Date | null; getExpirationTime?: () => Date | number } | undefined;
  const created = packet?.created ?? null;
  const expires = packet?.getExpirationTime?.() ?? Infinity;
  if (/^Signature is expired$/iu.test(reason) && expires instanceof Date && expires.getTime() <= latestSignatureDate.getTime()) {
    return {
      kind: 'invalid',
      text: `the signature itself expired at ${expires.toISOString()} (its signer gave it that lifetime; the key is not the reason), so it no longer counts`,
    };
  }
  if (/expired/iu.test(reason)) return { kind: 'key-expired' };
  if (/future/iu.test(reason)) {
    if (created === null || created.getTime() > latestSignatureDate.getTime()) return { kind: 'future' };
    return {
      kind: 'invalid',
      text: `the key as this station trusts it was not valid when the signature was made (${created.toISOString()}): its self-signature is newer (a key re-signed or reformatted later); trust the key's full export, with its earlier self-signatures, or ask for a fresh signature`,
    };
  }
  return { kind: 'invalid', text: reason };
}

/**
 * Authenticate `data` against a detached signature. A signature counts only if it verifies,
 * its key is trusted by full fingerprint, and that key is neither expired nor revoked *now*:
 * the signer chooses a signature's date, so "valid when signed" proves nothing.
 */
export async function verifyDetachedSignature(
  data: Uint8Array,
  armored: string,
  trusted: readonly TrustedKey[],
  now: Date = new Date(),
  options: { clockSkewMs?: number } = {},
): Promise<SignatureCheck> {
  // Signatures dated up to the allowance after `now` pass the date check (clocks drift between
  // stations); key expiry and revocation are still judged at `now` itself.
  const latestSignatureDate = new Date(now.getTime() + Math.max(0, options.clockSkewMs ?? 0));
  const sigPath = 'tagmanifest-sha256.txt.asc';
  const armorIssue = armorProblem(armored);
  if (armorIssue) return { signers: [], problems: [armorIssue] };
  // Thousands of packets would each be parsed and tried against the trusted keys: refuse first.
  const overLimit = signatureFileOverLimit(armored);
  if (overLimit) return { signers: [], problems: [problem('LIMIT_EXCEEDED', overLimit, sigPath)] };

  let signature: Signature;
  try {
    signature = await (await openpgp()).readSignature({ armoredSignature: armored, config: OPENPGP_CONFIG });
  } catch (error) {
    return {
      signers: [],
      problems: [problem('SIGNATURE_INVALID', `The signature cannot be read: ${(error as Error).message.replace(/\.+$/u, '')}.`, sigPath)],
    };
  }
  const packets = [...signature.packets];
  if (packets.length === 0) return { signers: [], problems: [problem('SIGNATURE_MISSING', undefined, sigPath)] };
  for (const packet of packets) {
    const type = (packet as { signatureType?: number }).signatureType;
    if (type !== BINARY_SIGNATURE) {
      return {
        signers: [],
        problems: [
          problem(
            'SIGNATURE_INVALID',
            `A signature is not a binary-document signature (type ${String(type)}); sign with gpg --detach-sign, not in text mode.`,
            sigPath,
          ),
        ],
      };
    }
  }

  const pgp = await openpgp();
  const message = await pgp.createMessage({ binary: data });
  const keys = trusted.map((t) => t.key);
  const verifyAll = async (expectSigned: boolean) =>
    (await pgp.verify({ message, signature, verificationKeys: keys, expectSigned, format: 'binary', date: latestSignatureDate, config: OPENPGP_CONFIG }))
      .signatures;
  let results;
  try {
    results = await verifyAll(true);
  } catch {
    // No signature verified with a trusted key: verify again without expectSigned to say why, per signature.
    results = await verifyAll(false);
  }

  const signers = new Map<string, SignerInfo>();
  const invalid: string[] = [];
  const untrusted: UnknownSigner[] = [];
  const revoked: string[] = [];
  const expired: string[] = [];
  const futureDated: string[] = [];
  const sha1Bound: string[] = [];
  const v6: string[] = [];
  for (const result of results) {
    const keyIdHex = result.keyID.toHex().toUpperCase();
    const owner = trusted.find((t) => t.key.getKeys(result.keyID).length > 0);
    if (!owner) {
      untrusted.push(unknownSigner(packets, keyIdHex));
      continue;
    }
    try {
      await result.verified;
    } catch (error) {
      const failure = await whyRefused((error as Error).message, result.signature, latestSignatureDate);
      if (failure.kind === 'revoked') revoked.push(owner.fingerprint);
      else if (failure.kind === 'key-expired') expired.push(owner.fingerprint);
      else if (failure.kind === 'future') {
        futureDated.push(owner.fingerprint);
        invalid.push(
          `${owner.fingerprint}: the signature is dated in the future, beyond the allowed clock skew of ${Math.round((options.clockSkewMs ?? 0) / 1000)} s (check both stations' clocks)`,
        );
      } else if (failure.kind === 'invalid') invalid.push(`${owner.fingerprint}: ${failure.text}`);
      continue;
    }
    // A v6 key trusted before `keys trust` refused them (hostile8): GnuPG 2.2/2.4 cannot check its signature.
    if (owner.key.keyPacket.version !== 4) {
      v6.push(owner.fingerprint);
      continue;
    }
    const state = await keyStateNow(owner, result.keyID, now);
    if (state === 'revoked') {
      revoked.push(owner.fingerprint);
      continue;
    }
    if (state === 'expired') {
      expired.push(owner.fingerprint);
      continue;
    }
    if (state !== 'ok') {
      sha1Bound.push(state.sha1);
      continue;
    }
    const packet = (await result.signature).packets[0];
    const created = packet?.created ?? now;
    if (!signers.has(owner.fingerprint)) {
      signers.set(owner.fingerprint, {
        fingerprint: owner.fingerprint,
        userIds: owner.userIds,
        label: owner.label,
        role: owner.role ?? null,
        signedAt: created.toISOString(),
      });
    }
  }

  const problems: Problem[] = [];
  if (invalid.length > 0) {
    problems.push(problem('SIGNATURE_INVALID', `Failed: ${invalid.join('; ')}.`, sigPath));
  }
  // Like a signature that fails: a binding that could be a forged twin refuses the bundle, even beside a good signature.
  if (sha1Bound.length > 0) problems.push(problem('SIGNER_SHA1_BINDING', `Key ${sha1Bound.join(' Key ')}`, sigPath));
  // A revoked key on a bundle is a security event even when another signature would count:
  // its key may be in someone else's hands. (An expired co-signer simply does not count.)
  if (revoked.length > 0 && signers.size > 0) {
    problems.push(problem('SIGNER_REVOKED', `Key ${revoked.join(', ')} also signed this bundle.`, sigPath));
  }
  if (signers.size === 0 && problems.length === 0) {
    if (revoked.length > 0) problems.push(problem('SIGNER_REVOKED', `Key ${revoked.join(', ')}.`, sigPath));
    else if (expired.length > 0) problems.push(problem('SIGNER_EXPIRED', `Key ${expired.join(', ')}.`, sigPath));
    else if (v6.length > 0) problems.push(problem('SIGNER_V6_KEY', `Key ${v6.join(', ')}.`, sigPath));
    else if (untrusted.length === 0) problems.push(problem('SIGNER_UNTRUSTED', undefined, sigPath));
    else {
      const detail = `Signed by a key this station does not trust: ${untrusted.map(unknownSignerText).join('; ')}.`;
      problems.push({ ...problem('SIGNER_UNTRUSTED', detail, sigPath), unknownSigners: untrusted });
    }
  }
  return { signers: problems.length === 0 ? [...signers.values()] : [], problems, futureDated };
}
