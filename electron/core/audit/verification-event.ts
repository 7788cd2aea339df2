import type { VerifyResult } from '../../../shared/results.js';
import type { AuditEventInput } from './audit-event.js';

/** The audit fields a verification result gives an event (verify and import alike). */
export function verificationEventFields(result: VerifyResult): Omit<AuditEventInput, 'type' | 'details' | 'fileRows'> {
  return {
    outcome: result.ok ? 'ok' : 'rejected',
    bundleUuid: result.bundle.uuid,
    bundleName: result.bundle.name,
    tagmanifestSha256: result.bundle.tagmanifestSha256,
    signers: result.signers.map((s) => s.fingerprint),
    problemCodes: result.problems.map((p) => p.code),
    files: result.bundle.files,
    bytes: result.bundle.bytes,
  };
}
