/** Keys in the IPC contract: the station and its key, the trust store, key files. */
import { z } from 'zod';
import { Fingerprint, NoRequest, PathString, type ChannelBlock } from './common.js';

/** A trusted signer as the UI sees it: the armored key stays in main. */
export const TrustedSignerViewSchema = z.object({
  fingerprint: z.string(),
  label: z.string().nullable(),
  role: z.string().nullable(),
  userIds: z.array(z.string()),
  algorithm: z.string(),
  addedAt: z.string(),
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
      /** The fingerprint the operator confirmed: core refuses the file if it holds another key. */
      expectedFingerprint: Fingerprint,
    }),
    response: z.object({ signer: TrustedSignerViewSchema, alreadyTrusted: z.boolean() }),
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
} as const satisfies ChannelBlock;
