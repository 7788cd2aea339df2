/**
 * Names of a split bundle's files (docs/bundle-format.md §14): NAME.airlock.tar.part-001-of-003
 * (number and count zero-padded to one width, at least 3 digits, so the names sort in order),
 * and the signed volume index NAME.airlock-index.json + NAME.airlock-index.json.asc.
 */
import { BUNDLE_SUFFIX } from '../../bundle/format.js';
import { parseOwnedTempName } from '../../fs/owned-temp.js';

export const INDEX_SUFFIX = '.airlock-index.json';
export const INDEX_SIGNATURE_SUFFIX = `${INDEX_SUFFIX}.asc`;

const NAME = '[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}';
const PART_RE = new RegExp(`^(${NAME})\\.airlock\\.tar\\.part-(\\d{3,})-of-(\\d{3,})$`, 'u');
const INDEX_RE = new RegExp(`^(${NAME})\\.airlock-index\\.json$`, 'u');
const INDEX_SIG_RE = new RegExp(`^(${NAME})\\.airlock-index\\.json\\.asc$`, 'u');
/** The files Airlock writes to media: a bundle, its parts, the volume index and its signature. */
const MEDIA_FILE_RE = new RegExp(`^(${NAME})\\.airlock(?:\\.tar(?:\\.part-\\d{3,}-of-\\d{3,})?|-index\\.json(?:\\.asc)?)$`, 'u');
/** Temp names of earlier Airlock versions, which carried no owner: `.FILE.<12 hex>.partial`. */
const LEGACY_TEMP_RE = new RegExp(`^\\.(${NAME})\\.airlock(?:\\.tar(?:\\.part-\\d{3,}-of-\\d{3,})?|-index\\.json(?:\\.asc)?)\\.[0-9a-f]{12}\\.partial$`, 'u');

export function partWidth(count: number): number {
  return Math.max(3, String(count).length);
}

export function partFileName(name: string, number: number, count: number): string {
  const width = partWidth(count);
  return `${name}${BUNDLE_SUFFIX}.part-${String(number).padStart(width, '0')}-of-${String(count).padStart(width, '0')}`;
}

export interface PartName {
  name: string;
  number: number;
  count: number;
}

/** A part's name parsed; null when the file is not named like a part (or its widths disagree). */
export function parsePartFileName(file: string): PartName | null {
  const m = PART_RE.exec(file);
  if (!m?.[1] || !m[2] || !m[3]) return null;
  const count = Number(m[3]);
  const number = Number(m[2]);
  if (m[2].length !== m[3].length || m[3].length !== partWidth(count) || number < 1 || count < 1) return null;
  return { name: m[1], number, count };
}

export function indexFileName(name: string): string {
  return `${name}${INDEX_SUFFIX}`;
}

export function indexSignatureFileName(name: string): string {
  return `${name}${INDEX_SIGNATURE_SUFFIX}`;
}

/** The bundle name of an index (or its .asc); null for other files. */
export function parseIndexFileName(file: string): string | null {
  return INDEX_RE.exec(file)?.[1] ?? INDEX_SIG_RE.exec(file)?.[1] ?? null;
}

/** Whether `file` is a media file Airlock writes (bundle, part, index, index signature). */
export function isMediaFileName(file: string): boolean {
  return MEDIA_FILE_RE.test(file);
}

/** A temp name of an earlier Airlock version (no owner in it). */
export function isLegacyTempName(file: string): boolean {
  return LEGACY_TEMP_RE.test(file);
}

/** Whether `file` is a temp file of an Airlock media write (owner-marked, fs/owned-temp.ts, or of an earlier version). */
export function isAirlockTempName(file: string): boolean {
  if (LEGACY_TEMP_RE.test(file)) return true;
  const owned = parseOwnedTempName(file);
  return owned !== null && MEDIA_FILE_RE.test(owned.final);
}
