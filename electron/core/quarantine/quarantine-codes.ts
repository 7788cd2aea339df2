/**
 * Which refusals put a bundle in quarantine (issue #16.5; docs/operator-guide.md, Quarantine).
 *
 * Kept: findings about what the bundle HOLDS, proven by this station's inspection of an
 * authenticated bundle: a denied or disguised type, macros, an archive beyond a limit, encrypted
 * or unreadable, malware, and a file the scanner could not prove clean (SCAN_FAILED: too large
 * for it, a scan limit, an error on that file). The security officer decides about those, and
 * the bundle must be on record as it arrived.
 *
 * Not kept: refusals about the STATION, not the content. SCANNER_UNAVAILABLE (the scanner did
 * not answer, nothing was scanned) and SCAN_DB_STALE (its database is too old) say nothing about
 * the bundle: it is not malware, the operator's media is unchanged, and once the scanner is
 * back (or a feed brings a current database) the same bundle imports as usual. Keeping those
 * would fill the quarantine with clean bundles and teach operators to release without looking.
 * Refusals of authenticity and integrity alone (signature, checksum, names) are not kept either:
 * content is inspected only once the signature is proven, and the next attempt reads the media
 * again. A refusal with a content finding among other problems is kept whole (its report holds
 * them all); a release overrides only the content findings, so such a bundle never releases.
 */
import { CONTENT_FINDING_CODES, type Problem, type ProblemCode } from '../../../shared/problems.js';

export const QUARANTINE_CODES: ReadonlySet<ProblemCode> = CONTENT_FINDING_CODES;

/** The content findings among a refusal's problems: those that make it a quarantine case. */
export function contentFindings(problems: readonly Problem[]): Problem[] {
  return problems.filter((p) => QUARANTINE_CODES.has(p.code));
}

/** The problem codes, distinct, in first-seen order. */
export function distinctCodes(problems: readonly Problem[]): ProblemCode[] {
  return [...new Set(problems.map((p) => p.code))];
}
