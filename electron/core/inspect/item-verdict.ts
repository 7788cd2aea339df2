/**
 * From what inspection observed of one item (a payload file, or a member of an archive inside
 * one) to its findings, problems and report row. One place decides what each observation means
 * under the policy, so a file and an archive member get the same codes for the same content.
 */
import type { InspectedItem, ScanOutcome } from '../../../shared/inspection.js';
import { problem, type Problem, type ProblemCode } from '../../../shared/problems.js';
import type { InspectPolicy, RuleAction } from '../policy/inspect-policy.js';
import type { ArchiveWalkFinding, ItemFinding, ScanVerdict, TypeDetection } from './contract.js';
import type { InspectionTally } from './inspection-tally.js';
import type { SettledItem } from './scan-verdicts.js';

/** A verdict meaning nothing was asked of a scanner (no scanner in the policy, or an empty file). */
export const NOT_SCANNED: { outcome: ScanOutcome; detail: string | null } = { outcome: 'not-scanned', detail: null };

/** The scanner's verdict as a finding (only `clean` is clean: issue #16.4). */
export function scanFinding(verdict: ScanVerdict, onError: 'refuse' | 'warn'): ItemFinding | null {
  switch (verdict.outcome) {
    case 'clean':
      return null;
    case 'found':
      return { code: 'MALWARE_FOUND', severity: 'refuse', detail: `The scanner reports ${JSON.stringify(verdict.detail ?? 'a threat')}.` };
    case 'error':
      return { code: 'SCAN_FAILED', severity: onError, detail: `The scanner said: ${JSON.stringify(verdict.detail ?? 'an error')}.` };
    case 'unavailable':
      return { code: 'SCANNER_UNAVAILABLE', severity: 'refuse', detail: `During the scan: ${JSON.stringify(verdict.detail ?? 'no answer')}.` };
  }
}

/** A rule's action as a finding's severity; null for `allow`. */
export function byRule(action: RuleAction, code: ProblemCode, detail: string): ItemFinding | null {
  if (action === 'allow') return null;
  return { code, severity: action, detail };
}

/** What stopped or limited an archive walk: a limit is always refused (never a silent pass); encrypted and unreadable by policy. */
export function walkFinding(found: ArchiveWalkFinding, policy: InspectPolicy['archives']): ItemFinding | null {
  switch (found.code) {
    case 'ARCHIVE_LIMIT':
      return { code: 'ARCHIVE_LIMIT', severity: 'refuse', detail: found.detail };
    case 'ARCHIVE_ENCRYPTED':
      return byRule(policy.encrypted, 'ARCHIVE_ENCRYPTED', found.detail);
    case 'ARCHIVE_UNREADABLE':
      return byRule(policy.unreadable, 'ARCHIVE_UNREADABLE', found.detail);
  }
}

/** `inside "a.zip" → "b/c.txt"`: where in the archive tree a member is. Names are hostile: quoted and escaped (the CLI escapes bidi text too). */
export function memberChain(members: readonly string[]): string {
  return members.map((name) => JSON.stringify(name)).join(' → ');
}

/** The problem for one refuse-severity finding of an item (path is the payload file; members the chain inside it). */
export function itemProblem(finding: ItemFinding, path: string, members: readonly string[]): Problem {
  const where = members.length > 0 ? `In ${JSON.stringify(path)} at ${memberChain(members)}: ` : `${JSON.stringify(path)}: `;
  const found = problem(finding.code, `${where}${finding.detail}`, path);
  return members.length > 0 ? { ...found, members: [...members] } : found;
}

export interface ItemObservation {
  path: string;
  members: string[];
  size: number;
  detection: TypeDetection | null;
  macros: boolean;
  scan: { outcome: ScanOutcome; detail: string | null };
}

/** The report row, and the problems of its refuse-severity findings (`rowOnly`: in the row, their problems made elsewhere). */
export function itemVerdict(
  seen: ItemObservation,
  findings: readonly ItemFinding[],
  rowOnly: readonly ItemFinding[] = [],
): { item: InspectedItem; problems: Problem[] } {
  const all = [...findings, ...rowOnly];
  const refused = all.filter((f) => f.severity === 'refuse');
  const warned = all.filter((f) => f.severity === 'warn');
  const item: InspectedItem = {
    path: seen.path,
    members: seen.members,
    size: seen.size,
    detectedType: seen.detection?.mime ?? null,
    extension: seen.detection?.extension ?? null,
    macros: seen.macros,
    scan: seen.scan.outcome,
    scanDetail: seen.scan.detail,
    findings: distinct(refused.map((f) => f.code)),
    warnings: distinct(warned.map((f) => f.code)),
  };
  const own = findings.filter((f) => f.severity === 'refuse');
  return { item, problems: own.map((f) => itemProblem(f, seen.path, seen.members)) };
}

function distinct(codes: readonly ProblemCode[]): ProblemCode[] {
  return [...new Set(codes)];
}

/** What turning a verdict into a report row needs: where rows go, what a scan error means, whether a scanner is configured. */
export interface ItemSettling {
  tally: InspectionTally;
  onError: 'refuse' | 'warn';
  scanning: boolean;
}

/**
 * An item once its scan verdict is in (scan-verdicts.ts): its report row (the findings known
 * before, plus the scan's) and the scan's problem. `verdict` null: nothing was scanned (no
 * scanner, or no bytes: `emptyDetail` says so).
 */
export function settleItem(
  settling: ItemSettling,
  seen: ItemObservation,
  findings: readonly ItemFinding[],
  rowOnly: readonly ItemFinding[],
  verdict: ScanVerdict | null,
  emptyDetail: string,
): SettledItem {
  const scanFound = verdict ? scanFinding(verdict, settling.onError) : null;
  const scan = verdict ?? (settling.scanning ? { outcome: 'not-scanned' as const, detail: emptyDetail } : NOT_SCANNED);
  const { item } = itemVerdict({ ...seen, scan }, scanFound ? [...findings, scanFound] : findings, rowOnly);
  return {
    problems: scanFound?.severity === 'refuse' ? [itemProblem(scanFound, seen.path, seen.members)] : [],
    record: () => settling.tally.record(item),
  };
}
