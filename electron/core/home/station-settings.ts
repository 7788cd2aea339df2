/**
 * Reading and changing the settings the app edits (shared/settings.ts): config.json's identity
 * fields and policy.json's limits, signer count and clock skew. A change is a patch of the
 * fields the operator touched, applied to the files as they are now; every other field
 * (mediaRoots, name rules, signer roles, path limits) is written back unchanged. Both results
 * are validated with the files' own schemas before either is written, and each file is
 * replaced durably (temp name, fsync, rename, fsync the folder). Read, change and write run under
 * one lock for both files (home-file-lock.ts): two saves at once each wrote what it had read, so
 * one save's fields were lost while both said done and both were recorded (lostupd).
 */
import { hostname } from 'node:os';
import type { z } from 'zod';
import { DEFAULT_STATION_LANGUAGE } from '../../../shared/language.js';
import {
  CONFIG_FIELDS,
  LANGUAGE_FIELD,
  POLICY_FIELDS,
  STAGING_FOLDER_FIELD,
  type PolicyField,
  type SettingChange,
  type SettingsPatch,
  type StationSettings,
} from '../../../shared/settings.js';
import { AirlockError } from '../errors.js';
import { writeFileDurably } from '../fs/durable.js';
import { readJsonConfig } from '../fs/read-json-config.js';
import { homeFileLockPath, withHomeFileLock, type HomeFileHold } from './home-file-lock.js';
import { DEFAULT_POLICY, resolvePolicy, stationPolicySchema, type StationPolicy, type StationPolicyFile } from '../policy/station-policy.js';
import { readStationConfig, safeOsUser, stationConfigSchema, stationIdentity, type StationConfig } from './station-config.js';
import type { HomePaths } from './station-home.js';

type PolicyValues = { [F in PolicyField]: number };

export function policyValues(policy: StationPolicy): PolicyValues {
  return {
    maxEntries: policy.limits.maxEntries,
    maxTotalBytes: policy.limits.maxTotalBytes,
    maxFileBytes: policy.limits.maxFileBytes,
    requiredSigners: policy.requiredSigners.count,
    clockSkewSeconds: policy.clockSkewSeconds,
  };
}

function policyFileValue(file: StationPolicyFile, field: PolicyField): number | null {
  switch (field) {
    case 'maxEntries':
    case 'maxTotalBytes':
    case 'maxFileBytes':
      return file.limits?.[field] ?? null;
    case 'requiredSigners':
      return file.requiredSigners?.count ?? null;
    case 'clockSkewSeconds':
      return file.clockSkewSeconds ?? null;
  }
}

/** Fields set in the files that the app shows but does not edit. */
function preservedFields(config: StationConfig, policy: StationPolicyFile): string[] {
  const kept: string[] = [];
  if (config.mediaRoots !== undefined) kept.push('config.json mediaRoots');
  for (const key of Object.keys(policy.limits ?? {})) if (!(POLICY_FIELDS as readonly string[]).includes(key)) kept.push(`policy.json limits.${key}`);
  if (policy.names !== undefined) kept.push('policy.json names');
  if (policy.requiredSigners?.roles !== undefined) kept.push('policy.json requiredSigners.roles');
  return kept;
}

export function readStationPolicyFile(paths: HomePaths): Promise<StationPolicyFile> {
  return readJsonConfig(paths.policy, stationPolicySchema, {});
}

export async function readStationSettings(paths: HomePaths): Promise<StationSettings> {
  const [config, policyFile] = await Promise.all([readStationConfig(paths), readStationPolicyFile(paths)]);
  const identity = stationIdentity(config);
  return {
    config: { stationName: config.stationName ?? null, operatorName: config.operatorName ?? null, organization: config.organization ?? null },
    policy: Object.fromEntries(POLICY_FIELDS.map((f) => [f, policyFileValue(policyFile, f)])) as StationSettings['policy'],
    effective: { station: identity.station, operator: identity.operator, organization: identity.organization, policy: policyValues(resolvePolicy(policyFile)) },
    defaults: { stationName: hostname(), operator: safeOsUser(), policy: policyValues(DEFAULT_POLICY) },
    language: { configured: config.language ?? null, effective: config.language ?? DEFAULT_STATION_LANGUAGE },
    stagingFolder: config.stagingFolder ?? null,
    preserved: preservedFields(config, policyFile),
    files: { config: paths.config, policy: paths.policy },
  };
}

/** The new config.json content and what changed; mediaRoots and any field not in the patch stay. Pure. */
export function applyConfigPatch(
  current: StationConfig,
  patch: SettingsPatch['config'] = {},
  language: SettingsPatch['language'] = undefined,
  stagingFolder: SettingsPatch['stagingFolder'] = undefined,
): { next: StationConfig; changes: SettingChange[] } {
  const next: StationConfig = { ...current };
  const changes: SettingChange[] = [];
  for (const field of CONFIG_FIELDS) {
    const wanted = patch[field];
    if (wanted === undefined) continue;
    const from = current[field] ?? null;
    if (wanted === from) continue;
    if (wanted === null) delete next[field];
    else next[field] = wanted;
    changes.push({ field, from, to: wanted });
  }
  const fromLanguage = current.language ?? null;
  if (language !== undefined && language !== fromLanguage) {
    if (language === null) delete next.language;
    else next.language = language;
    changes.push({ field: LANGUAGE_FIELD, from: fromLanguage, to: language });
  }
  const fromFolder = current.stagingFolder ?? null;
  if (stagingFolder !== undefined && stagingFolder !== fromFolder) {
    if (stagingFolder === null) delete next.stagingFolder;
    else next.stagingFolder = stagingFolder;
    changes.push({ field: STAGING_FOLDER_FIELD, from: fromFolder, to: stagingFolder });
  }
  return { next, changes };
}

/** The new policy.json content and what changed; name rules, roles and other limits stay. Pure. */
export function applyPolicyPatch(current: StationPolicyFile, patch: SettingsPatch['policy'] = {}): { next: StationPolicyFile; changes: SettingChange[] } {
  const next: StationPolicyFile = structuredClone(current);
  const changes: SettingChange[] = [];
  for (const field of POLICY_FIELDS) {
    const wanted = patch[field];
    if (wanted === undefined) continue;
    const from = policyFileValue(current, field);
    if (wanted === from) continue;
    switch (field) {
      case 'maxEntries':
      case 'maxTotalBytes':
      case 'maxFileBytes': {
        const limits = { ...next.limits };
        if (wanted === null) delete limits[field];
        else limits[field] = wanted;
        if (Object.keys(limits).length === 0) delete next.limits;
        else next.limits = limits;
        break;
      }
      case 'requiredSigners': {
        const roles = next.requiredSigners?.roles;
        // The count is required whenever roles are listed: "not set" then means the default count.
        if (wanted === null && roles === undefined) delete next.requiredSigners;
        else next.requiredSigners = { count: wanted ?? DEFAULT_POLICY.requiredSigners.count, ...(roles === undefined ? {} : { roles }) };
        break;
      }
      case 'clockSkewSeconds':
        if (wanted === null) delete next.clockSkewSeconds;
        else next.clockSkewSeconds = wanted;
        break;
    }
    changes.push({ field, from, to: policyFileValue(next, field) });
  }
  return { next, changes };
}

function validated<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${file} ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ');
  throw new AirlockError('SETTINGS_INVALID', issues);
}

/**
 * Apply a patch: read both files as they are now, validate both results, then write only the
 * files that change. Returns the changes (empty when the patch changes nothing: nothing is written).
 */
export function updateStationSettings(paths: HomePaths, patch: SettingsPatch, held?: HomeFileHold): Promise<SettingChange[]> {
  return withHomeFileLock(settingsLockPath(paths), () => applyToFiles(paths, patch), { held });
}

/** The one lock of config.json and policy.json (a patch may change both), beside config.json. */
export function settingsLockPath(paths: HomePaths): string {
  return homeFileLockPath(paths.config);
}

async function applyToFiles(paths: HomePaths, patch: SettingsPatch): Promise<SettingChange[]> {
  const [config, policyFile] = await Promise.all([readStationConfig(paths), readStationPolicyFile(paths)]);
  const configUpdate = applyConfigPatch(config, patch.config, patch.language, patch.stagingFolder);
  const policyUpdate = applyPolicyPatch(policyFile, patch.policy);
  const nextConfig = validated(stationConfigSchema(), configUpdate.next, 'config.json');
  const nextPolicy = validated(stationPolicySchema(), policyUpdate.next, 'policy.json');
  if (configUpdate.changes.length > 0) await writeFileDurably(paths.config, `${JSON.stringify(nextConfig, null, 2)}\n`);
  if (policyUpdate.changes.length > 0) await writeFileDurably(paths.policy, `${JSON.stringify(nextPolicy, null, 2)}\n`);
  return [...configUpdate.changes, ...policyUpdate.changes];
}
