/**
 * The station settings the app edits: who the station is (config.json) and the policy limits
 * an operator may change (policy.json). Shared so core, the IPC contract and the renderer name
 * the same fields. Fields the app does not edit (mediaRoots, name rules, signer roles, path
 * limits) are kept as they are whenever the app writes a file.
 */
import type { StationLanguage } from './language.js';

export const CONFIG_FIELDS = ['stationName', 'operatorName', 'organization'] as const;
export type ConfigField = (typeof CONFIG_FIELDS)[number];

export const POLICY_FIELDS = ['maxEntries', 'maxTotalBytes', 'maxFileBytes', 'requiredSigners', 'clockSkewSeconds'] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];

/**
 * config.json `language` (shared/language.ts): the app's language and the PDF receipts'. Not a
 * text field like CONFIG_FIELDS: a choice among STATION_LANGUAGES, chosen in Settings.
 */
export const LANGUAGE_FIELD = 'language';
/**
 * config.json `stagingFolder`: the staging folder (`export --prepare --staging DIR`) last opened in
 * the app's Staged exports view, listed there beside the home's on every start. Set by main from
 * its own folder dialog only: the page never names it, and the Settings form does not edit it.
 */
export const STAGING_FOLDER_FIELD = 'stagingFolder';
export type SettingField = ConfigField | PolicyField | typeof LANGUAGE_FIELD | typeof STAGING_FOLDER_FIELD;

/** Inclusive bounds of each policy field, as policy.json's schema accepts them. */
export const POLICY_BOUNDS: { readonly [F in PolicyField]: { min: number; max: number } } = {
  maxEntries: { min: 1, max: Number.MAX_SAFE_INTEGER },
  maxTotalBytes: { min: 1, max: Number.MAX_SAFE_INTEGER },
  maxFileBytes: { min: 1, max: Number.MAX_SAFE_INTEGER },
  requiredSigners: { min: 1, max: 16 },
  clockSkewSeconds: { min: 0, max: 86_400 },
};

/** Where each field lives in its file, for messages and the audit record. */
export const SETTING_PATHS: { readonly [F in ConfigField | PolicyField]: string } = {
  stationName: 'config.json stationName',
  operatorName: 'config.json operatorName',
  organization: 'config.json organization',
  maxEntries: 'policy.json limits.maxEntries',
  maxTotalBytes: 'policy.json limits.maxTotalBytes',
  maxFileBytes: 'policy.json limits.maxFileBytes',
  requiredSigners: 'policy.json requiredSigners.count',
  clockSkewSeconds: 'policy.json clockSkewSeconds',
};

/** What the operator asks to change: a value sets the field, null removes it (back to the default). Absent fields stay. */
export interface SettingsPatch {
  config?: { [F in ConfigField]?: string | null | undefined } | undefined;
  policy?: { [F in PolicyField]?: number | null | undefined } | undefined;
  /** config.json `language`; null removes it (the default language applies). */
  language?: StationLanguage | null | undefined;
  /** config.json `stagingFolder` (an absolute path); null removes it. Main's to set, never the page's. */
  stagingFolder?: string | null | undefined;
}

/** One changed field, as recorded in the audit event `settings-change` (null: not set, the default applies). */
export interface SettingChange {
  field: SettingField;
  from: string | number | null;
  to: string | number | null;
}

export interface StationSettings {
  /** What config.json sets (null: not set). */
  config: { [F in ConfigField]: string | null };
  /** What policy.json sets (null: not set, the default applies). */
  policy: { [F in PolicyField]: number | null };
  /** What applies now. */
  effective: { station: string; operator: string; organization: string | null; policy: { [F in PolicyField]: number } };
  /** What applies when a field is not set. */
  defaults: { stationName: string; operator: string; policy: { [F in PolicyField]: number } };
  /** config.json `language`: what it sets (null: not set) and the language that applies. */
  language: { configured: StationLanguage | null; effective: StationLanguage };
  /** config.json `stagingFolder` (null: not set); absent from an older main's answer. */
  stagingFolder?: string | null | undefined;
  /** Fields the files set that the app does not edit; kept as they are on every save. */
  preserved: string[];
  files: { config: string; policy: string };
}

/** Longest text a config.json field holds. */
export const SETTING_TEXT_MAX = 200;

/** config.json fields are one line: no control characters (tabs, newlines, escape sequences). */
export function hasControlCharacters(text: string): boolean {
  return /[\u0000-\u001f\u007f]/u.test(text);
}
