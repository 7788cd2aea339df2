/** Station settings in the IPC contract: config.json and policy.json as the settings view reads and saves them. */
import { z } from 'zod';
import { STATION_LANGUAGES } from '../language.js';
import {
  CONFIG_FIELDS,
  LANGUAGE_FIELD,
  POLICY_BOUNDS,
  POLICY_FIELDS,
  STAGING_FOLDER_FIELD,
  type PolicyField,
  type SettingChange,
  type StationSettings,
} from '../settings.js';
import { inSync, NoRequest, type ChannelBlock, type Same } from './common.js';

/** One field changed, old -> new (a settings-change audit event carries these too). */
export const SettingChangeSchema = z.object({
  field: z.enum([...CONFIG_FIELDS, ...POLICY_FIELDS, LANGUAGE_FIELD, STAGING_FOLDER_FIELD]),
  from: z.union([z.string(), z.number()]).nullable(),
  to: z.union([z.string(), z.number()]).nullable(),
});

/** One line of 1-200 characters without control characters, as config.json accepts. */
const SettingText = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f]*$/u);
const policyValue = (field: PolicyField) => z.number().int().min(POLICY_BOUNDS[field].min).max(POLICY_BOUNDS[field].max).nullable().optional();

const PolicyNumbers = z.object({
  maxEntries: z.number(),
  maxTotalBytes: z.number(),
  maxFileBytes: z.number(),
  requiredSigners: z.number(),
  clockSkewSeconds: z.number(),
});

export const StationSettingsSchema = z.object({
  config: z.object({ stationName: z.string().nullable(), operatorName: z.string().nullable(), organization: z.string().nullable() }),
  policy: z.object({
    maxEntries: z.number().nullable(),
    maxTotalBytes: z.number().nullable(),
    maxFileBytes: z.number().nullable(),
    requiredSigners: z.number().nullable(),
    clockSkewSeconds: z.number().nullable(),
  }),
  effective: z.object({ station: z.string(), operator: z.string(), organization: z.string().nullable(), policy: PolicyNumbers }),
  defaults: z.object({ stationName: z.string(), operator: z.string(), policy: PolicyNumbers }),
  language: z.object({ configured: z.enum(STATION_LANGUAGES).nullable(), effective: z.enum(STATION_LANGUAGES) }),
  stagingFolder: z.string().nullable().optional(),
  preserved: z.array(z.string()),
  files: z.object({ config: z.string(), policy: z.string() }),
});
export type StationSettingsView = z.infer<typeof StationSettingsSchema>;

/** The settings block of the channel table. */
export const SETTINGS_CHANNELS = {
  getSettings: {
    channel: 'airlock:settings-get',
    request: NoRequest,
    response: StationSettingsSchema,
  },
  saveSettings: {
    channel: 'airlock:settings-save',
    /** A value sets a field, null removes it (the default applies), an absent field is left as it is. */
    request: z.strictObject({
      config: z
        .strictObject({
          stationName: SettingText.nullable().optional(),
          operatorName: SettingText.nullable().optional(),
          organization: SettingText.nullable().optional(),
        })
        .optional(),
      policy: z
        .strictObject({
          maxEntries: policyValue('maxEntries'),
          maxTotalBytes: policyValue('maxTotalBytes'),
          maxFileBytes: policyValue('maxFileBytes'),
          requiredSigners: policyValue('requiredSigners'),
          clockSkewSeconds: policyValue('clockSkewSeconds'),
        })
        .optional(),
      /** config.json `language`: the app's language and the receipts' (null: back to the default). */
      language: z.enum(STATION_LANGUAGES).nullable().optional(),
    }),
    response: z.object({ changes: z.array(SettingChangeSchema), auditEvent: z.number().nullable(), settings: StationSettingsSchema }),
  },
} as const satisfies ChannelBlock;

inSync<Same<z.infer<typeof StationSettingsSchema>, StationSettings>>();
inSync<Same<z.infer<typeof SettingChangeSchema>, SettingChange>>();
