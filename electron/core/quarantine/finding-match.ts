/**
 * Release overrides ONLY the findings recorded when the bundle was kept: the same code about the
 * same file (and the same archive member, at any depth). Anything else found when the kept bundle
 * is verified again (a new finding, a checksum, a signature) refuses the release as it would any
 * import. Only content findings (quarantine-codes.ts) can ever be overridden.
 *
 * A report lists the first 1,000 findings about single entries and counts the rest per code (a
 * summary line with `count`). Those counted findings were seen and recorded too, only not by name:
 * a release overrides up to that many more findings of that code (beyond the listed ones), so a
 * bundle with 100,000 findings is releasable without a list of 100,000. The bundle is the same
 * bytes (its tag manifest is checked first), so the same inspection finds the same findings; a
 * finding of another code, or more of a code than were counted, still refuses.
 */
import type { Problem, ProblemCode } from '../../../shared/problems.js';
import { QUARANTINE_CODES } from './quarantine-codes.js';

function findingKey(p: Problem): string | null {
  if (!QUARANTINE_CODES.has(p.code) || p.path === undefined) return null;
  return JSON.stringify([p.code, p.path, p.members ?? []]);
}

/** The content findings recorded: per code, how many in all (listed by name, and counted beyond the report's cap). */
export function recordedFindingCounts(recorded: readonly Problem[]): Partial<Record<ProblemCode, number>> {
  const counts: Partial<Record<ProblemCode, number>> = {};
  for (const p of recorded) {
    if (!QUARANTINE_CODES.has(p.code)) continue;
    const n = p.path !== undefined ? 1 : (p.count ?? 0);
    counts[p.code] = (counts[p.code] ?? 0) + n;
  }
  return counts;
}

/** A predicate: true for a problem the recorded findings cover. */
export function recordedFindingMatcher(recorded: readonly Problem[]): (found: Problem) => boolean {
  const keys = new Set(recorded.map(findingKey).filter((k): k is string => k !== null));
  // Findings counted beyond the report's cap, per code: each may override one finding of that code not listed by name.
  const beyondCap = new Map<ProblemCode, number>();
  for (const p of recorded)
    if (QUARANTINE_CODES.has(p.code) && p.path === undefined && (p.count ?? 0) > 0) beyondCap.set(p.code, (beyondCap.get(p.code) ?? 0) + (p.count ?? 0));
  return (found) => {
    const key = findingKey(found);
    if (key === null) return false;
    if (keys.has(key)) return true;
    const left = beyondCap.get(found.code) ?? 0;
    if (left <= 0) return false;
    beyondCap.set(found.code, left - 1);
    return true;
  };
}
