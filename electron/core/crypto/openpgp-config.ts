import type { PartialConfig } from 'openpgp';

/**
 * One explicit openpgp.js configuration for every call. The insecure switches stay off
 * (docs/security-notes.md); the library's default reject sets (SHA-1 signatures, weak curves)
 * are kept as they are. v4 keys only: GnuPG 2.2/2.4 cannot read v6 keys.
 */
export const OPENPGP_CONFIG: PartialConfig = {
  v6Keys: false,
  allowInsecureVerificationWithReformattedKeys: false,
  allowMissingKeyFlags: false,
  enableParsingV5Entities: false,
};

// The same over openpgp.js's defaults (a complete Config) is openpgpFullConfig() in openpgp-lazy.ts:
// it needs openpgp.js loaded, which this module does not do.
