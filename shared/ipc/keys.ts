/** Keys in the IPC contract: the station and its key, the trust store, key files. */
import { z } from 'zod';
import { KEY_ALGORITHMS } from '../key-algorithms.js';
import { Fingerprint, NoRequest, PathString, type ChannelBlock } from './common.js';

/** A trusted signer as the UI sees it: the armored key stays in main. */
export const TrustedSignerViewSchema = z.object({
  fingerprint: z.string(),
  label: z.string().nullable(),
  role: z.string().nullable(),
  userIds: z.array(z.string()),
  algorithm: z.string(),
  addedAt: z.string(),
  /** When a revocation was imported: nothing it signs is accepted any more. */
  revokedAt: z.string().optional(),
  /** A former station key after `rotate`: still trusted for earlier bundles. */
  retiredAt: z.string().optional(),
  /**
   * Refused at verify now: trusted before hostile8's rules (SHA-1-bound, not v4), or expired or
   * without a valid signing key since it was trusted (the code verify gives): the code and the owner's next step.
   */
  refusal: z
    .object({ code: z.enum(['KEY_SHA1_BINDING', 'KEY_V6_UNSUPPORTED', 'SIGNER_EXPIRED', 'SIGNER_REVOKED']), detail: z.string(), next: z.string() })
    .optional(),
  /**
   * Accepted, but a signing subkey of it expired or was revoked beside a good one: what that subkey
   * signs is refused with this code (the first such subkey's), what the good one signs passes.
   */
  warning: z.object({ code: z.enum(['SIGNER_EXPIRED', 'SIGNER_REVOKED']), detail: z.string(), next: z.string() }).optional(),
});
export type TrustedSignerView = z.infer<typeof TrustedSignerViewSchema>;

export const KeyDescriptionSchema = z.object({
  fingerprint: z.string(),
  userIds: z.array(z.string()),
  algorithm: z.string(),
  created: z.string(),
  expires: z.string().nullable(),
});
export type KeyDescriptionView = z.infer<typeof KeyDescriptionSchema>;

/** The keys block of the channel table: the station, its key and the signers it trusts. */
export const KEY_CHANNELS = {
  // Removable media: its own block (see MEDIA_CHANNELS above).
  stationStatus: {
    channel: 'airlock:station-status',
    request: NoRequest,
    response: z.object({
      version: z.string(),
      home: z.string(),
      station: z.string(),
      operator: z.string(),
      hasKey: z.boolean(),
      /** The station's own key as listed in the trust store (role "station"), when there is one. */
      stationKey: TrustedSignerViewSchema.nullable(),
    }),
  },
  generateKey: {
    channel: 'airlock:keys-generate',
    request: z.strictObject({
      name: z.string().trim().min(1).max(200),
      email: z.string().trim().max(200).optional(),
      passphrase: z.string().min(1).max(1024),
      /** `keys generate --algorithm`; absent: ed25519. */
      algorithm: z.enum(KEY_ALGORITHMS).optional(),
    }),
    response: KeyDescriptionSchema,
  },
  listTrusted: {
    channel: 'airlock:keys-list',
    request: NoRequest,
    response: z.object({ signers: z.array(TrustedSignerViewSchema) }),
  },
  inspectKeyFile: {
    channel: 'airlock:keys-inspect-file',
    request: z.strictObject({ file: PathString }),
    response: KeyDescriptionSchema,
  },
  trustKeyFile: {
    channel: 'airlock:keys-trust',
    request: z.strictObject({
      file: PathString,
      label: z.string().trim().max(200).optional(),
      /** `keys trust --role`: the signer's role for policy.json requiredSigners.roles; core checks its form (USAGE). */
      role: z.string().trim().min(1).max(64).optional(),
      /** The fingerprint the operator confirmed: core refuses the file if it holds another key. */
      expectedFingerprint: Fingerprint,
    }),
    /** sha1Subkeys: signing subkeys bound by SHA-1 beside a good one; verify refuses what they sign. */
    response: z.object({ signer: TrustedSignerViewSchema, alreadyTrusted: z.boolean(), sha1Subkeys: z.array(z.string()).optional() }),
  },
  untrustKey: {
    channel: 'airlock:keys-untrust',
    request: z.strictObject({ fingerprint: Fingerprint }),
    response: TrustedSignerViewSchema,
  },
  chooseKeyFile: {
    channel: 'airlock:dialog-key-file',
    request: NoRequest,
    response: z.object({ path: z.string().nullable() }),
  },
  /** `keys rotate`: the current key's passphrase is proved first; the old key stays trusted (retired) for earlier bundles. */
  rotateKey: {
    channel: 'airlock:keys-rotate',
    request: z.strictObject({
      name: z.string().trim().min(1).max(200),
      email: z.string().trim().max(200).optional(),
      passphrase: z.string().min(1).max(1024),
      newPassphrase: z.string().min(1).max(1024),
      /** `keys rotate --algorithm`; absent: ed25519. */
      algorithm: z.enum(KEY_ALGORITHMS).optional(),
    }),
    response: z.object({ retired: z.string(), current: KeyDescriptionSchema }),
  },
  /**
   * `keys export-public`: the station's public key, or a trusted signer's. Main asks where with
   * its own save dialog (the renderer never names the file written); path null: cancelled.
   */
  exportPublicKey: {
    channel: 'airlock:keys-export-public',
    request: z.strictObject({ fingerprint: Fingerprint.optional() }),
    response: z.object({ path: z.string().nullable(), fingerprint: z.string().nullable() }),
  },
  /** `keys backup`: the passphrase is proved before main's save dialog asks where; the file is never overwritten. */
  backupKey: {
    channel: 'airlock:keys-backup',
    request: z.strictObject({ passphrase: z.string().min(1).max(1024) }),
    response: z.object({ path: z.string().nullable() }),
  },
  /** `keys restore`: a backup file (chosen with chooseFile 'key-backup') into a home without a station key. */
  restoreKey: {
    channel: 'airlock:keys-restore',
    request: z.strictObject({ file: PathString, passphrase: z.string().min(1).max(1024) }),
    response: KeyDescriptionSchema,
  },
  /** `keys revoke-import`: a revocation certificate (chosen with chooseFile 'revocation') applied to a trusted key. */
  importRevocation: {
    channel: 'airlock:keys-revoke-import',
    request: z.strictObject({ file: PathString }),
    response: TrustedSignerViewSchema,
  },
} as const satisfies ChannelBlock;
