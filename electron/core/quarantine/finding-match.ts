/**
 * Release overrides ONLY the findings recorded when the bundle was kept: the same code about the
 * same file (and the same archive member, at any depth). Anything else found when the kept bundle
 * is verified again (a new finding, a checksum, a signature) refuses the release as it would any
 * import. Only content findings (quarantine-codes.ts) can ever be overridden, and only those about
 * a named file: a summary line ("N more entries ...") names none and overrides nothing.
 */
import type { Problem } from '../../../shared/problems.js';
import { QUARANTINE_CODES } from './quarantine-codes.js';

function findingKey(p: Problem): string | null {
  if (!QUARANTINE_CODES.has(p.code) || p.path === undefined) return null;
  return JSON.stringify([p.code, p.path, p.members ?? []]);
}

/** A predicate: true for a problem the recorded findings cover. */
export function recordedFindingMatcher(recorded: readonly Problem[]): (found: Problem) => boolean {
  const keys = new Set(recorded.map(findingKey).filter((k): k is string => k !== null));
  return (found) => {
    const key = findingKey(found);
    return key !== null && keys.has(key);
  };
}
