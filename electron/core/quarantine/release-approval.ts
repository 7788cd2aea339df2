/**
 * Release decisions (issue #16.5). Each operator who releases a quarantined bundle gives a
 * reason; where the policy requires two persons (inspect.quarantine.releaseApprovals: 2), each
 * proves who they are the way the two-person export does (export --prepare / approve): by
 * signing with their own key. Here they sign a statement naming the entry, the bundle's tag
 * manifest, the destination and their reason; the station checks every stored statement again
 * at the release, against the keys it trusts (its own station keys and trusted signers). Two
 * decisions by one key are one person: RELEASE_APPROVAL_INVALID.
 */
import type { BundleSigner } from '../crypto/bundle-signer.js';
import { verifyDetachedSignature, type TrustedKey } from '../crypto/detached-signature.js';
import { AirlockError } from '../errors.js';

export const STATEMENT_KIND = 'airlock-quarantine-release/1';
/** A reason is for people to read in the audit log: bounded, never empty. */
export const MAX_REASON_CHARS = 2000;

export interface ReleaseStatement {
  kind: typeof STATEMENT_KIND;
  id: string;
  tagmanifestSha256: string | null;
  destDir: string;
  reason: string;
  operator: string;
  at: string;
}

/** One stored decision: the statement's exact text, and its signature when the operator signed it. */
export interface StoredApproval {
  statement: string;
  signature: string | null;
  fingerprint: string | null;
}

export interface CheckedApproval {
  statement: ReleaseStatement;
  fingerprint: string | null;
}

export function checkReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length === 0) throw new AirlockError('RELEASE_APPROVAL_INVALID', 'A release needs a reason, in words, for the audit log.');
  if (trimmed.length > MAX_REASON_CHARS) throw new AirlockError('RELEASE_APPROVAL_INVALID', `The reason is longer than ${MAX_REASON_CHARS} characters.`);
  return trimmed;
}

export async function makeApproval(statement: ReleaseStatement, signer: BundleSigner | null): Promise<StoredApproval> {
  const text = JSON.stringify(statement);
  if (!signer) return { statement: text, signature: null, fingerprint: null };
  return { statement: text, signature: await signer.sign(Buffer.from(text, 'utf8')), fingerprint: signer.fingerprint };
}

export function parseStoredApprovals(json: unknown): StoredApproval[] {
  if (json === null) return [];
  if (!Array.isArray(json)) throw new AirlockError('RELEASE_APPROVAL_INVALID', 'approvals.json is not a list of decisions.');
  return json.map((item: unknown) => {
    const a = item as Partial<StoredApproval>;
    if (typeof a.statement !== 'string' || (a.signature !== null && typeof a.signature !== 'string'))
      throw new AirlockError('RELEASE_APPROVAL_INVALID', 'approvals.json holds a malformed decision.');
    return { statement: a.statement, signature: a.signature ?? null, fingerprint: typeof a.fingerprint === 'string' ? a.fingerprint : null };
  });
}

/**
 * Every decision checked again: it names this entry, this bundle and this destination; a signed
 * one verifies by a key the station trusts now (revoked or untrusted since: refused); where two
 * persons are required, each decision is signed and by a different key.
 */
export async function checkApprovals(
  approvals: readonly StoredApproval[],
  expect: { id: string; tagmanifestSha256: string | null; destDir: string; required: 1 | 2 },
  trusted: readonly TrustedKey[],
): Promise<CheckedApproval[]> {
  const checked: CheckedApproval[] = [];
  for (const approval of approvals) {
    const statement = parseStatement(approval.statement);
    if (statement.id !== expect.id || statement.tagmanifestSha256 !== expect.tagmanifestSha256)
      throw new AirlockError('RELEASE_APPROVAL_INVALID', 'A recorded decision names another quarantined bundle.');
    if (statement.destDir !== expect.destDir)
      throw new AirlockError(
        'RELEASE_APPROVAL_INVALID',
        `The first operator approved the release to ${statement.destDir}; a second approval is for the same destination (or purge and start again).`,
        { data: { reason: 'destination-differs' } },
      );
    let fingerprint: string | null = null;
    if (approval.signature !== null) {
      const check = await verifyDetachedSignature(Buffer.from(approval.statement, 'utf8'), approval.signature, trusted);
      const signer = check.signers[0];
      if (check.problems.length > 0 || !signer || check.signers.length !== 1)
        throw new AirlockError('RELEASE_APPROVAL_INVALID', `The decision of ${statement.operator} is not signed by a key this station trusts now.`, {
          data: { reason: 'signature' },
        });
      fingerprint = signer.fingerprint;
    }
    if (expect.required === 2 && fingerprint === null)
      throw new AirlockError('RELEASE_APPROVAL_INVALID', 'Two persons are required: each proves who they are by signing the release with their own key.', {
        data: { reason: 'unsigned' },
      });
    if (fingerprint !== null && checked.some((c) => c.fingerprint === fingerprint))
      throw new AirlockError('RELEASE_APPROVAL_INVALID', `The key ${fingerprint} has already approved this release: a second person must approve it.`, {
        data: { reason: 'same-approver' },
      });
    checked.push({ statement, fingerprint });
  }
  return checked;
}

function parseStatement(text: string): ReleaseStatement {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AirlockError('RELEASE_APPROVAL_INVALID', 'A recorded decision is not readable.');
  }
  const s = json as Partial<ReleaseStatement>;
  if (
    s.kind !== STATEMENT_KIND ||
    typeof s.id !== 'string' ||
    (s.tagmanifestSha256 !== null && typeof s.tagmanifestSha256 !== 'string') ||
    typeof s.destDir !== 'string' ||
    typeof s.reason !== 'string' ||
    typeof s.operator !== 'string' ||
    typeof s.at !== 'string'
  )
    throw new AirlockError('RELEASE_APPROVAL_INVALID', 'A recorded decision is malformed.');
  return s as ReleaseStatement;
}
