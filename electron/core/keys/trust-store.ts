import type { PublicKey } from 'openpgp';
import { openpgp } from '../crypto/openpgp-lazy.js';
import { z } from 'zod';
import { onFirstUse } from '../on-first-use.js';
import { normalizeFingerprint } from '../../../shared/fingerprint.js';
import { AirlockError } from '../errors.js';
import { writeFileDurably } from '../fs/durable.js';
import { readJsonConfig } from '../fs/read-json-config.js';
import type { TrustedKey } from '../crypto/detached-signature.js';
import { OPENPGP_CONFIG } from '../crypto/openpgp-config.js';
import type { HomeFileHold } from '../home/home-file-lock.js';
import type { HomePaths } from '../home/station-home.js';
import { describeKey, parseTrustablePublicKey } from './public-key.js';
import { sha1BoundSigningSubkeys } from './key-binding-hash.js';
import { plainTrustStore } from './trust-store-plain.js';
import { withTrustStoreLock } from './trust-store-lock.js';

// The one definition of a valid trust store, built on first use (on-first-use.ts): a store as this
// module writes it is read without it (trust-store-plain.ts), anything else is judged by it.
export const trustStoreSchema = onFirstUse(() => {
  const trustedSigner = z.object({
    fingerprint: z.string().regex(/^[0-9A-F]{40}$|^[0-9A-F]{64}$/u),
    label: z.string().max(200).nullable(),
    role: z.string().max(50).nullable(),
    userIds: z.array(z.string()),
    algorithm: z.string(),
    addedAt: z.string(),
    publicKey: z.string(),
    revokedAt: z.string().optional(),
    retiredAt: z.string().optional(),
  });
  return z.object({ version: z.literal(1), signers: z.array(trustedSigner) });
});

export type TrustedSigner = z.infer<ReturnType<typeof trustStoreSchema>>['signers'][number];

export const ROLE_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/u;

export async function readTrustStore(paths: HomePaths): Promise<TrustedSigner[]> {
  return (await readJsonConfig(paths.trustStore, trustStoreSchema, { version: 1 as const, signers: [] }, plainTrustStore)).signers;
}

/** Change the store under its lock (trust-store-lock.ts): `change` gets the signers as stored now and returns the new list. */
export async function updateTrustStore(paths: HomePaths, change: (signers: TrustedSigner[]) => TrustedSigner[], held?: HomeFileHold): Promise<void> {
  await withTrustStoreLock(paths, async () => writeTrustStore(paths, change(await readTrustStore(paths))), held);
}

async function writeTrustStore(paths: HomePaths, signers: TrustedSigner[]): Promise<void> {
  await writeFileDurably(paths.trustStore, `${JSON.stringify({ version: 1, signers }, null, 2)}\n`, 0o600);
}

export interface TrustResult {
  signer: TrustedSigner;
  alreadyTrusted: boolean;
  /** Signing subkeys (key IDs) bound by SHA-1 beside a good one: verify refuses what they sign. */
  sha1Subkeys: string[];
}

/** Trust a public key by its fingerprint. Trusting an already trusted key updates its label. */
export async function trustPublicKey(
  paths: HomePaths,
  armored: string,
  options: { label?: string | null; role?: string | null; now?: Date; expectedFingerprint: string; held?: HomeFileHold },
): Promise<TrustResult> {
  const key = await parseTrustablePublicKey(armored, options.now);
  // Trusted all the same (its good signing subkey signs), but the operator is told which subkey's signatures verify refuses.
  const sha1Subkeys = await sha1BoundSigningSubkeys(key, options.now ?? new Date());
  const description = await describeKey(key);
  // Trust is deliberate: the caller states the fingerprint it expects (read out of band, or
  // confirmed by the operator), so a swapped key file cannot slip in.
  if (normalizeFingerprint(options.expectedFingerprint) !== description.fingerprint) {
    throw new AirlockError('FINGERPRINT_MISMATCH', `The file holds ${description.fingerprint}.`);
  }
  if (options.role !== undefined && options.role !== null && !ROLE_PATTERN.test(options.role)) {
    throw new AirlockError('USAGE', `The role "${options.role}" must be 1-32 lower-case letters, digits or dashes (e.g. operator, reviewer).`);
  }
  // Read, change and write under the lock: a change made by another command meanwhile is kept.
  return withTrustStoreLock(
    paths,
    async () => {
      const signers = await readTrustStore(paths);
      const existing = signers.find((s) => s.fingerprint === description.fingerprint);
      // A revocation is final: handing in the key file again must not quietly undo it.
      if (existing?.revokedAt) {
        throw new AirlockError('KEY_INVALID', `This key was revoked on this station (${existing.revokedAt}); it cannot be trusted again.`);
      }
      const signer: TrustedSigner = {
        fingerprint: description.fingerprint,
        label: options.label ?? existing?.label ?? null,
        role: options.role ?? existing?.role ?? null,
        userIds: description.userIds,
        algorithm: description.algorithm,
        addedAt: existing?.addedAt ?? (options.now ?? new Date()).toISOString(),
        publicKey: key.armor(),
        retiredAt: existing?.retiredAt || undefined,
      };
      const next = existing ? signers.map((s) => (s.fingerprint === signer.fingerprint ? signer : s)) : [...signers, signer];
      await writeTrustStore(paths, next);
      return { signer, alreadyTrusted: existing !== undefined, sha1Subkeys };
    },
    options.held,
  );
}

/** `held`: the station's live hold of the store's lock (station-keys.ts), under which this runs at once. */
export async function untrustKey(paths: HomePaths, fingerprintInput: string, held?: HomeFileHold): Promise<TrustedSigner> {
  const fingerprint = normalizeFingerprint(fingerprintInput);
  return withTrustStoreLock(
    paths,
    async () => {
      const signers = await readTrustStore(paths);
      const existing = signers.find((s) => s.fingerprint === fingerprint);
      if (!existing) throw new AirlockError('KEY_NOT_FOUND', fingerprint);
      await writeTrustStore(
        paths,
        signers.filter((s) => s.fingerprint !== fingerprint),
      );
      return existing;
    },
    held,
  );
}

/** The trusted keys as openpgp objects, for signature verification. */
export async function loadTrustedKeys(paths: HomePaths): Promise<TrustedKey[]> {
  const signers = await readTrustStore(paths);
  const keys: TrustedKey[] = [];
  for (const signer of signers) {
    const key = await (await openpgp()).readKey({ armoredKey: signer.publicKey, config: OPENPGP_CONFIG });
    // The stored fingerprint is what the operator trusted; a key that no longer matches it is not that key.
    if (key.getFingerprint().toUpperCase() !== signer.fingerprint) {
      throw new AirlockError('CONFIG_INVALID', `The trust store entry ${signer.fingerprint} holds a different key.`, { path: paths.trustStore });
    }
    keys.push({ fingerprint: signer.fingerprint, label: signer.label, role: signer.role, userIds: signer.userIds, key });
  }
  return keys;
}

/**
 * Apply a revocation to a trusted key: a revocation certificate (as openpgp.js or
 * `gpg --gen-revoke` writes it; GnuPG's ':'-guarded form is accepted) or the revoked key itself.
 * The key stays in the store, revoked, so its signatures are refused rather than unknown.
 */
export async function importRevocation(paths: HomePaths, armoredInput: string, held?: HomeFileHold): Promise<TrustedSigner> {
  const text = armoredInput.replace(/^:(-----(BEGIN|END) PGP)/gmu, '$1');
  // A file may hold several blocks (an Airlock key backup, a keyring export): try each.
  const blocks = [...text.matchAll(/-----BEGIN PGP PUBLIC KEY BLOCK-----[\s\S]*?-----END PGP PUBLIC KEY BLOCK-----/gu)].map((m) => `${m[0]}\n`);
  return withTrustStoreLock(
    paths,
    async () => {
      for (const armored of blocks.length > 0 ? blocks : [text]) {
        const revoked = await applyRevocation(paths, armored);
        if (revoked) return revoked;
      }
      throw new AirlockError('KEY_INVALID', 'It is not a revocation for any trusted key (or its signature does not verify).');
    },
    held,
  );
}

async function applyRevocation(paths: HomePaths, armored: string): Promise<TrustedSigner | null> {
  const signers = await readTrustStore(paths);
  for (const signer of signers) {
    const key = await (await openpgp()).readKey({ armoredKey: signer.publicKey, config: OPENPGP_CONFIG });
    let revoked: PublicKey | null;
    try {
      ({ publicKey: revoked } = await (await openpgp()).revokeKey({ key, revocationCertificate: armored, format: 'object', config: OPENPGP_CONFIG }));
    } catch {
      revoked = await mergeRevokedKey(key, armored);
    }
    if (revoked === null || !(await revoked.isRevoked().catch(() => false))) continue;
    const updated: TrustedSigner = { ...signer, publicKey: revoked.armor(), revokedAt: new Date().toISOString() };
    await writeTrustStore(
      paths,
      signers.map((s) => (s.fingerprint === signer.fingerprint ? updated : s)),
    );
    return updated;
  }
  return null;
}

/** A full key block carrying a revocation signature for `key`: merged, so the revocation is verified against `key`. */
async function mergeRevokedKey(key: PublicKey, armored: string): Promise<PublicKey | null> {
  try {
    const candidate = await (await openpgp()).readKey({ armoredKey: armored, config: OPENPGP_CONFIG });
    if (candidate.getFingerprint() !== key.getFingerprint()) return null;
    return await key.update(candidate.isPrivate() ? candidate.toPublic() : candidate);
  } catch {
    return null;
  }
}
