/**
 * An Office container's own checks (issue #16.2/#16.3), wherever it is met: a payload file, a
 * member of an archive, a package nested in one. They need random access, so the caller hands
 * over a ByteSource (the staged file, a spooled member, the walk's spooled nested zip):
 * - macros (types.macros): OOXML and OpenDocument packages, OLE documents (types/office-macros.ts);
 * - for a zip-based package, its structure against its name (types/office-package.ts): not a
 *   valid package, or another kind than the name says, is TYPE_MISMATCH (types.onMismatch).
 * The parts of a package are walked as archive members by the caller; the rules those parts get
 * are `partPolicy`'s: the package's own type was checked against the allow lists, its parts (XML,
 * relationships, media) are its internals, so the allow lists and onUndetected do not apply to
 * them; deny rules, mismatch, polyglots and the scan do.
 */
import type { InspectPolicy } from '../policy/inspect-policy.js';
import type { ByteSource, ItemFinding, TypeDetection } from './contract.js';
import type { InspectionParts, MacroVerdict } from './inspection-parts.js';
import { byRule } from './item-verdict.js';

export interface OfficeChecks {
  /** The macro check's verdict; null when not run (no Office container, or macros allowed). */
  macros: MacroVerdict | null;
  /** Why a package is not what its name says (joins the item's TYPE_MISMATCH reasons); null when it is. */
  mismatch: string | null;
  /** A package whose structure could not be read: ARCHIVE_UNREADABLE / ARCHIVE_ENCRYPTED by the archive rules. */
  findings: ItemFinding[];
}

export const NO_OFFICE_CHECKS: OfficeChecks = { macros: null, mismatch: null, findings: [] };

/** Whether the checks need the bytes again (random access) under this policy. */
export function officeChecksWanted(detection: TypeDetection, policy: InspectPolicy): boolean {
  if (detection.office === null) return false;
  return policy.types.macros !== 'allow' || (detection.office === 'ooxml' && policy.types.onMismatch !== 'allow');
}

export async function officeChecks(
  parts: InspectionParts,
  policy: InspectPolicy,
  source: ByteSource,
  detection: TypeDetection,
  signal?: AbortSignal,
): Promise<OfficeChecks> {
  if (detection.office === null) return NO_OFFICE_CHECKS;
  // A cancel shows in the caller's next check (the inspector's CANCELLED); these reads take the signal themselves.
  const macros = policy.types.macros !== 'allow' ? await parts.officeMacros(source, signal) : null;
  const checks: OfficeChecks = { macros, mismatch: null, findings: [] };
  if (detection.office !== 'ooxml' || policy.types.onMismatch === 'allow') return checks;
  const verdict = await parts.officePackage(source, detection.extension, signal);
  if (verdict.kind === 'mismatch') checks.mismatch = verdict.detail;
  // The macro check met the same damage and said so already: one finding for it.
  else if (verdict.kind === 'unreadable' && macros?.kind !== 'unreadable') {
    const found = verdict.encrypted
      ? byRule(policy.archives.encrypted, 'ARCHIVE_ENCRYPTED', `Its package structure cannot be checked: ${verdict.detail}.`)
      : byRule(policy.archives.unreadable, 'ARCHIVE_UNREADABLE', `Its package structure cannot be checked: ${verdict.detail}.`);
    if (found) checks.findings.push(found);
  }
  return checks;
}

/** Both reasons for a TYPE_MISMATCH that are not the extension's: a polyglot, a package that is not what its name says. */
export function mismatchReasons(polyglot: string | null, checks: OfficeChecks): string | null {
  const reasons = [polyglot, checks.mismatch].filter((reason): reason is string => reason !== null);
  return reasons.length > 0 ? reasons.join('; ') : null;
}

/** The rules for the parts of an Office package (see the header): allow lists and onUndetected off. */
export function partPolicy(policy: InspectPolicy): InspectPolicy {
  return { ...policy, types: { ...policy.types, allow: null, allowExtensions: null, onUndetected: 'allow' } };
}

/** The rules for a package nested in an archive: only its own checks (macros, structure) speak; archives are not type-checked as members. */
export function nestedPackagePolicy(policy: InspectPolicy): InspectPolicy {
  return { ...partPolicy(policy), types: { ...partPolicy(policy).types, deny: [], denyExtensions: [] } };
}
