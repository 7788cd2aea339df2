import type { TrustedSigner } from './trust-store.js';

/**
 * The trust store as this module writes it, checked without zod (keys/trust-store.ts): `keys list`
 * and every verification read the trust store, and loading zod for it was a tenth of the CLI's
 * start-up (docs/design-notes.md, "CLI start-up, round 4"). It says yes only where the zod schema
 * says yes with the same result, and for anything else (and a label or role longer than its limit
 * in UTF-16 units) it returns undefined: the schema then decides, with its own messages
 * (CONFIG_INVALID naming the field). It never refuses. So the
 * schema stays the one definition of a valid store; test/unit/core/keys/trust-store-plain.test.ts
 * holds both side by side over hostile stores.
 */
export function plainTrustStore(json: unknown): { version: 1; signers: TrustedSigner[] } | undefined {
  if (!isRecord(json) || json.version !== 1 || !Array.isArray(json.signers)) return undefined;
  const signers: TrustedSigner[] = [];
  for (const entry of json.signers as unknown[]) {
    const signer = plainSigner(entry);
    if (signer === undefined) return undefined;
    signers.push(signer);
  }
  return { version: 1, signers };
}

const FINGERPRINT = /^[0-9A-F]{40}$|^[0-9A-F]{64}$/u;

/** One signer, its fields in the schema's order (the order zod's result has, and so `keys list --json`); unknown fields dropped, as the schema drops them. */
function plainSigner(entry: unknown): TrustedSigner | undefined {
  if (!isRecord(entry)) return undefined;
  const { fingerprint, label, role, userIds, algorithm, addedAt, publicKey } = entry;
  if (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint)) return undefined;
  // zod measures these in code points; within the limit in UTF-16 units they are within it in code points too. Longer ones go to the schema.
  if (!(label === null || (typeof label === 'string' && label.length <= 200))) return undefined;
  if (!(role === null || (typeof role === 'string' && role.length <= 50))) return undefined;
  if (!Array.isArray(userIds) || !userIds.every((id) => typeof id === 'string')) return undefined;
  if (typeof algorithm !== 'string' || typeof addedAt !== 'string' || typeof publicKey !== 'string') return undefined;
  const signer: TrustedSigner = { fingerprint, label, role, userIds: [...userIds], algorithm, addedAt, publicKey };
  for (const key of ['revokedAt', 'retiredAt'] as const) {
    const value = entry[key];
    // Absent: left out, as the schema leaves it out. Present, it must be a string (an undefined value, which JSON cannot hold, goes to the schema).
    if (value === undefined && !(key in entry)) continue;
    if (typeof value !== 'string') return undefined;
    signer[key] = value;
  }
  return signer;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
