import { hostname, userInfo } from 'node:os';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { AirlockError } from '../errors.js';
import { readJsonConfig } from '../fs/read-json-config.js';
import type { HomePaths } from './station-home.js';
import { STATION_LANGUAGES } from '../../../shared/language.js';
import { onFirstUse } from '../on-first-use.js';
import { forwardConfigSchema } from './forward-config.js';
import { isPlainSingleLine, plainStationConfig } from './station-config-plain.js';

// The schemas are built on first use (a home without config.json never builds them); a config.json
// as most stations have is read without them (station-config-plain.ts), anything else is judged by them.
export const singleLine = onFirstUse(() =>
  z
    .string()
    .min(1)
    .max(200)
    .refine((value) => !/[\r\n\u0000-\u001f]/u.test(value), 'must be one line without control characters'),
);

export const stationConfigSchema = onFirstUse(() =>
  z
    .object({
      stationName: singleLine().optional(),
      operatorName: singleLine().optional(),
      organization: singleLine().optional(),
      /** Folders listed as removable media (a diode's receive folder, a test's loop mount): absolute paths. */
      mediaRoots: z
        .array(
          z
            .string()
            .min(1)
            .max(4096)
            .refine((path) => isAbsolute(path) && !/[\u0000-\u001f]/u.test(path), 'must be an absolute path without control characters'),
        )
        .max(64)
        .optional(),
      /** Audit forwarding to a SIEM (issue #17.3, docs/siem.md): contract names, see forward-config.ts. */
      forward: forwardConfigSchema().optional(),
      /** Media larger than this many bytes get a warning before writing (issue #19.4). Default 512 GiB (shared/media.ts). */
      largeMediumBytes: z.number().int().positive().optional(),
      /** The station's language (issue #19): its PDF receipts are written in it. Default "en". */
      language: z.enum(STATION_LANGUAGES).optional(),
      /** The staging folder the app's Staged exports view opened last (shared/settings.ts STAGING_FOLDER_FIELD): an absolute path. */
      stagingFolder: z
        .string()
        .min(1)
        .max(4096)
        .refine((path) => isAbsolute(path) && !/[\u0000-\u001f]/u.test(path), 'must be an absolute path without control characters')
        .optional(),
    })
    .strict(),
);

export type StationConfig = z.infer<ReturnType<typeof stationConfigSchema>>;

export interface StationIdentity {
  station: string;
  /** The OS user, and the operator name from config or --operator when one is set. */
  operator: string;
  organization: string | null;
}

export async function readStationConfig(paths: HomePaths): Promise<StationConfig> {
  return readJsonConfig(paths.config, stationConfigSchema, {}, plainStationConfig);
}

export function stationIdentity(config: StationConfig, operatorOverride?: string): StationIdentity {
  const osUser = safeOsUser();
  const operatorName = operatorOverride ?? config.operatorName;
  // A name the plain check takes is one the schema takes (station-config-plain.ts); any other goes to the schema.
  if (operatorName !== undefined && !isPlainSingleLine(operatorName) && !singleLine().safeParse(operatorName).success) {
    throw new AirlockError('USAGE', 'The operator name must be one line of at most 200 characters.');
  }
  return {
    station: config.stationName ?? hostname(),
    operator: operatorName ? `${operatorName} (${osUser})` : osUser,
    organization: config.organization ?? null,
  };
}

export function safeOsUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}
