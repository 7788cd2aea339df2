/**
 * Quarantine ids: the folder name of one kept bundle under `<home>/quarantine/`, a sortable UTC
 * time and a random part (`20261203T064512Z-9f3a1c2e`). An id arrives from the command line, the
 * app and scripts: only text of exactly this shape ever names a folder, so `../x`, an absolute
 * path, a temp name or anything else never reaches the file system.
 */
import { randomBytes } from 'node:crypto';
import { AirlockError } from '../errors.js';

const ID_RE = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/u;

export function newQuarantineId(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/gu, '')
    .replace(/\.\d{3}Z$/u, 'Z');
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}

export function isQuarantineId(text: string): boolean {
  return ID_RE.test(text);
}

/** The id as given, when it is one; QUARANTINE_NOT_FOUND otherwise (the text is hostile: shown escaped by the front ends). */
export function assertQuarantineId(text: string): string {
  if (!isQuarantineId(text))
    throw new AirlockError('QUARANTINE_NOT_FOUND', `"${text.slice(0, 80)}" is not a quarantine id (they look like 20261203T064512Z-9f3a1c2e).`, {
      data: { reason: 'id-format' },
    });
  return text;
}
