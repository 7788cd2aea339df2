/**
 * Which refusals the station keeps in quarantine when the bundle is imported (core's
 * electron/core/quarantine/quarantine-codes.ts; both are shared/problems.ts CONTENT_FINDING_CODES): findings about what the bundle holds. Not the scanner's absence or an old
 * database (about the station), nor authenticity or integrity (nothing proves who sent it).
 */
import { CONTENT_FINDING_CODES, type Problem, type ProblemCode } from '../../../../shared/problems.js';

export const QUARANTINE_CASE_CODES: ReadonlySet<ProblemCode> = CONTENT_FINDING_CODES;

/** An import of a bundle with these problems would be refused and the bundle kept in quarantine (when the policy keeps, its default). */
export function isQuarantineCase(problems: readonly Problem[]): boolean {
  return problems.some((p) => QUARANTINE_CASE_CODES.has(p.code));
}
