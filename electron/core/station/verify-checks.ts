import type { VerifyChecks } from '../media/read-back/media-verify.js';
import type { StationPolicy } from '../policy/station-policy.js';

/**
 * What a verify (of a bundle or of a medium) checks a bundle against: the trusted keys and the
 * station's limits, signer count and clock skew. The name rules are import policy: verify reports
 * what import would refuse, and refuses nothing for them (reportNames).
 */
export function verifyChecks(trusted: VerifyChecks['trusted'], policy: StationPolicy, now: Date | undefined): VerifyChecks {
  return {
    trusted,
    limits: policy.limits,
    requiredSigners: policy.requiredSigners,
    clockSkewSeconds: policy.clockSkewSeconds,
    reportNames: policy.names,
    now,
  };
}
