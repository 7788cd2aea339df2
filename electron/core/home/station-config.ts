import { readFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { AirlockError } from '../errors.js';
import type { HomePaths } from './station-home.js';

const singleLine = z
  .string()
  .min(1)
  .max(200)
  .refine((value) => !/[\r\n\u0000-\u001f]/u.test(value), 'must be one line without control characters');

export const StationConfigSchema = z
  .object({
    stationName: singleLine.optional(),
    operatorName: singleLine.optional(),
    organization: singleLine.optional(),
    /** Folders listed as removable media (a diode's receive folder, a test's loop mount): absolute paths. */
    mediaRoots: z
      .array(z.string().min(1).max(4096).refine((path) => isAbsolute(path) && !/[\u0000-\u001f]/u.test(path), 'must be an absolute path without control characters'))
      .max(64)
      .optional(),
  })
  .strict();

export type StationConfig = z.infer<typeof StationConfigSchema>;

export interface StationIdentity {
  station: string;
  /** The OS user, and the operator name from config or --operator when one is set. */
  operator: string;
  organization: string | null;
}

export async function readStationConfig(paths: HomePaths): Promise<StationConfig> {
  let text: string;
  try {
    text = await readFile(paths.config, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new AirlockError('CONFIG_INVALID', `${paths.config}: ${(error as Error).message}`, { path: paths.config });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AirlockError('CONFIG_INVALID', `${paths.config} is not valid JSON: ${(error as Error).message}`, { path: paths.config });
  }
  const parsed = StationConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new AirlockError('CONFIG_INVALID', `${paths.config}: ${issues}`, { path: paths.config });
  }
  return parsed.data;
}

export function stationIdentity(config: StationConfig, operatorOverride?: string): StationIdentity {
  const osUser = safeOsUser();
  const operatorName = operatorOverride ?? config.operatorName;
  if (operatorName !== undefined && !singleLine.safeParse(operatorName).success) {
    throw new AirlockError('USAGE', 'The operator name must be one line of at most 200 characters.');
  }
  return {
    station: config.stationName ?? hostname(),
    operator: operatorName ? `${operatorName} (${osUser})` : osUser,
    organization: config.organization ?? null,
  };
}

function safeOsUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}
