import { STATION_LANGUAGES } from '../../../shared/language.js';
import { isPlainAbsolutePath, plainForwardConfig } from './forward-config-plain.js';
import type { StationConfig } from './station-config.js';

/**
 * config.json checked without zod, for the common case (home/station-config.ts): most stations
 * have one, every command reads it, and loading zod for it cost more than the rest of `keys
 * list` (docs/design-notes.md, "CLI start-up, round 4"). Like keys/trust-store-plain.ts it says
 * yes only where the schema says yes with the same result, and returns undefined for everything
 * else: an unknown field, a value it does not accept, a text over its limit in UTF-16 units (zod
 * counts code points). The schema then decides, with its own messages. `forward`: forward-config-plain.ts.
 * test/unit/core/home/station-config-plain.test.ts holds both side by side over hostile files.
 */
export function plainStationConfig(json: unknown): StationConfig | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const file = json as Record<string, unknown>;
  // The schema is strict: an unknown field is its error to word.
  for (const key of Object.keys(file)) if (!PLAIN_FIELDS.has(key)) return undefined;
  const config: StationConfig = {};
  for (const key of ['stationName', 'operatorName', 'organization'] as const) {
    const value = present(file, key);
    if (value === ABSENT) continue;
    if (!isPlainSingleLine(value)) return undefined;
    config[key] = value;
  }
  const mediaRoots = present(file, 'mediaRoots');
  if (mediaRoots !== ABSENT) {
    if (!Array.isArray(mediaRoots) || mediaRoots.length > 64 || !mediaRoots.every(isPlainAbsolutePath)) return undefined;
    config.mediaRoots = [...mediaRoots];
  }
  const forward = present(file, 'forward');
  if (forward !== ABSENT) {
    const checked = plainForwardConfig(forward);
    if (checked === undefined) return undefined;
    config.forward = checked;
  }
  const largeMediumBytes = present(file, 'largeMediumBytes');
  if (largeMediumBytes !== ABSENT) {
    if (typeof largeMediumBytes !== 'number' || !Number.isSafeInteger(largeMediumBytes) || largeMediumBytes <= 0) return undefined;
    config.largeMediumBytes = largeMediumBytes;
  }
  const language = present(file, 'language');
  if (language !== ABSENT) {
    const known = STATION_LANGUAGES.find((code) => code === language);
    if (known === undefined) return undefined;
    config.language = known;
  }
  const stagingFolder = present(file, 'stagingFolder');
  if (stagingFolder !== ABSENT) {
    if (!isPlainAbsolutePath(stagingFolder)) return undefined;
    config.stagingFolder = stagingFolder;
  }
  return config;
}

/**
 * A one-line name (stationName, operatorName, organization; `--operator`): 1-200 characters, no
 * line breaks or control characters. True only where the schema's `singleLine` accepts it; false
 * means "ask the schema" (a name over 200 UTF-16 units may still be 200 code points).
 */
export function isPlainSingleLine(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= 200 && !/[\r\n\u0000-\u001f]/u.test(value);
}

const PLAIN_FIELDS = new Set(['stationName', 'operatorName', 'organization', 'mediaRoots', 'forward', 'largeMediumBytes', 'language', 'stagingFolder']);
const ABSENT = Symbol('absent');

/** The field's value; ABSENT when the file does not have it (a field present as undefined, which JSON cannot hold, is not absent: the schema decides). */
function present(file: Record<string, unknown>, key: string): unknown {
  const value = file[key];
  return value === undefined && !(key in file) ? ABSENT : value;
}
