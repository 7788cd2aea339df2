/**
 * The station policy checks of one verification, each with its outcome, for the operator: the
 * verify pipeline enforces the policy where it can decide each rule (docs/design-notes.md §1);
 * this turns what it observed into one finding per check, in a fixed order (POLICY_CHECKS).
 * Pure: check-bundle gathers the observations in constant memory, station adds the replay guard.
 */
import { formatSize, plural } from '../../../shared/format.js';
import type { Problem, ProblemCode } from '../../../shared/problems.js';
import type { PolicyCheck, PolicyFinding, PolicySummary, SignerInfo } from '../../../shared/results.js';
import type { PortabilityRules } from '../bundle/path-rules.js';
import type { BundleLimits } from './limits.js';

export type LimitKind = 'files' | 'total-bytes' | 'file-bytes' | 'paths';

/** What check-bundle saw, all of it bounded in size. */
export interface PolicyObservations {
  limits: BundleLimits;
  requiredSigners: { count: number; roles: readonly string[] } | undefined;
  clockSkewSeconds: number;
  now: Date;
  /** The signature step ran (the archive got that far). */
  signatureChecked: boolean;
  signers: readonly SignerInfo[];
  /** Fingerprints of trusted signers whose signature is dated beyond the clock-skew allowance. */
  futureDated: readonly string[];
  /** The first problem of the signature step, if it failed. */
  signatureProblem: Problem | null;
  /** requiredSignersShortfall(): a reason, null when satisfied; undefined when not evaluated. */
  signersShortfall: string | null | undefined;
  /** Payload files listed in the signed manifest (null until it was read), and archive entries seen. */
  manifestFiles: number | null;
  entries: number;
  payloadBytes: number;
  largestFile: number;
  deepestPath: number;
  longestPathBytes: number;
  /** The first detail of each limit that was exceeded. */
  limitHits: Partial<Record<LimitKind, string>>;
  /** Name rules: how many paths break them and a few of them; `enforced` when this operation refuses them (import). */
  names: { rules: PortabilityRules; count: number; examples: readonly string[]; enforced: boolean } | null;
  /** Structural path problems found in the archive, by the code each file was refused with (an unsafe or a duplicate name). */
  structuralNameProblems: Record<NameRefusalCode, number>;
  /** The archive was read to its end (nothing stopped verification early). */
  complete: boolean;
}

/** The codes a file's name is refused with for its structure, whatever the station's name rules. */
export type NameRefusalCode = 'UNSAFE_PATH' | 'DUPLICATE_ENTRY';

/** "1 entry has", "3 entries have". */
function entries(count: number): string {
  return `${count} entr${count === 1 ? 'y has' : 'ies have'}`;
}

function finding(
  check: PolicyCheck,
  outcome: PolicyFinding['outcome'],
  rule: string,
  detail: string,
  code: ProblemCode | null,
  refusedBy: PolicyFinding['refusedBy'] = 'verify',
): PolicyFinding {
  return { check, outcome, rule, detail, code, refusedBy };
}

/**
 * An integer with a comma between groups of three digits, exactly as `toLocaleString('en-US')`
 * writes it, without ICU: the first call into ICU's number formatting costs 20-60 ms (measured,
 * `node -e`), and this report is made after the last payload byte is hashed, on every verify's
 * serial tail (docs/design-notes.md, verify3). Anything but a safe integer goes to ICU as before.
 */
export function groupedCount(value: number): string {
  if (!Number.isSafeInteger(value) || Object.is(value, -0)) return value.toLocaleString('en-US');
  const digits = String(Math.abs(value));
  let grouped = digits.slice(0, digits.length % 3 || 3);
  for (let at = grouped.length; at < digits.length; at += 3) grouped += `,${digits.slice(at, at + 3)}`;
  return value < 0 ? `-${grouped}` : grouped;
}

const STOPPED = 'Not reached: verification stopped before this could be checked.';

function signerName(s: SignerInfo): string {
  return s.label ?? s.userIds[0] ?? s.fingerprint;
}

function nameRule(rules: PortabilityRules): string {
  const refused = [
    rules.allowControlCharacters ? null : 'control characters',
    rules.allowBidiCharacters ? null : 'bidirectional-text controls',
    rules.allowWindowsIncompatibleNames ? null : 'names Windows cannot hold (< > : " | ? *, trailing dot or space, CON, NUL, ...)',
  ].filter((x): x is string => x !== null);
  const station = refused.length > 0 ? `; this station also refuses ${refused.join(', ')}` : '';
  return `No absolute, "..", backslash or duplicate (Unicode or case twin) paths${station}.`;
}

export function policyFindings(o: PolicyObservations): PolicySummary {
  const findings: PolicyFinding[] = [];
  const l = o.limits;

  // Signer and signature.
  const signatureRule = 'A signature over the tag manifest by a key this station trusts, neither expired nor revoked.';
  if (o.signers.length > 0) {
    findings.push(finding('trusted-signer', 'pass', signatureRule, `Signed by ${o.signers.map(signerName).join(', ')}.`, null));
  } else if (o.signatureProblem) {
    findings.push(finding('trusted-signer', 'fail', signatureRule, o.signatureProblem.message, o.signatureProblem.code));
  } else {
    findings.push(finding('trusted-signer', 'not-checked', signatureRule, STOPPED, null));
  }

  const required = o.requiredSigners ?? { count: 1, roles: [] };
  const requiredRule = `At least ${required.count} distinct trusted signer${required.count === 1 ? '' : 's'}${required.roles.length > 0 ? `, covering the roles ${required.roles.join(', ')}` : ''}.`;
  if (o.signersShortfall) findings.push(finding('required-signers', 'fail', requiredRule, o.signersShortfall, 'POLICY_DENIED'));
  else if (o.signers.length > 0) {
    const roles = o.signers.map((s) => s.role).filter((r): r is string => r !== null);
    findings.push(
      finding(
        'required-signers',
        'pass',
        requiredRule,
        `${plural(new Set(o.signers.map((s) => s.fingerprint)).size, 'distinct trusted signer')}${roles.length > 0 ? ` with roles ${[...new Set(roles)].join(', ')}` : ''}.`,
        null,
      ),
    );
  } else findings.push(finding('required-signers', 'not-checked', requiredRule, 'No trusted signature was proven, so there were no signers to count.', null));

  const dateRule = `Signature dated no later than this station's clock plus ${o.clockSkewSeconds} s of allowed clock skew.`;
  if (o.futureDated.length > 0) {
    findings.push(
      finding(
        'signature-date',
        'fail',
        dateRule,
        `Key ${o.futureDated.join(', ')} signed with a date after ${new Date(o.now.getTime() + o.clockSkewSeconds * 1000).toISOString()} (station clock ${o.now.toISOString()}).`,
        'SIGNATURE_INVALID',
      ),
    );
  } else if (o.signers.length > 0) {
    findings.push(
      finding('signature-date', 'pass', dateRule, `Signed at ${o.signers.map((s) => s.signedAt).join(', ')}; station clock ${o.now.toISOString()}.`, null),
    );
  } else {
    findings.push(
      finding('signature-date', 'not-checked', dateRule, o.signatureChecked ? 'No signature by a trusted key was dated: see the signer check.' : STOPPED, null),
    );
  }

  // Limits.
  const limit = (check: PolicyCheck, kind: LimitKind, rule: string, seen: string) => {
    const hit = o.limitHits[kind];
    if (hit !== undefined) findings.push(finding(check, 'fail', rule, hit, 'LIMIT_EXCEEDED'));
    else if (o.complete) findings.push(finding(check, 'pass', rule, seen, null));
    else findings.push(finding(check, 'not-checked', rule, `${STOPPED} So far: ${seen}`, null));
  };
  limit(
    'limit-files',
    'files',
    `At most ${groupedCount(l.maxEntries)} archive entries and manifest lines.`,
    `${o.manifestFiles === null ? 'manifest not read' : `${o.manifestFiles} files listed`}, ${o.entries} archive entries.`,
  );
  limit('limit-total-bytes', 'total-bytes', `Payload of at most ${formatSize(l.maxTotalBytes)}.`, `${formatSize(o.payloadBytes)} of payload read.`);
  limit('limit-file-bytes', 'file-bytes', `No file larger than ${formatSize(l.maxFileBytes)}.`, `Largest file ${formatSize(o.largestFile)}.`);
  limit(
    'limit-paths',
    'paths',
    `Paths at most ${l.maxDepth} levels deep and ${l.maxPathBytes} bytes long, each name at most ${l.maxComponentBytes} bytes.`,
    `Deepest path ${o.deepestPath} levels, longest ${o.longestPathBytes} bytes.`,
  );

  // File names: structural rules always (verify), the station's name rules at import.
  const names = o.names;
  const rule = nameRule(names?.rules ?? { allowControlCharacters: true, allowBidiCharacters: true, allowWindowsIncompatibleNames: true });
  const { UNSAFE_PATH: unsafe, DUPLICATE_ENTRY: duplicate } = o.structuralNameProblems;
  if (unsafe + duplicate > 0) {
    // The code the refused files carry (verify report, per-file rows): UNSAFE_PATH, the graver, when both occur.
    const counts = [unsafe > 0 ? `${entries(unsafe)} an unsafe path` : null, duplicate > 0 ? `${entries(duplicate)} a duplicate path` : null];
    const detail = `${counts.filter((c) => c !== null).join(' and ')}: see the files marked "name refused".`;
    findings.push(finding('file-names', 'fail', rule, detail, unsafe > 0 ? 'UNSAFE_PATH' : 'DUPLICATE_ENTRY'));
  } else if (names && names.count > 0) {
    const more = names.count > names.examples.length ? ` and ${names.count - names.examples.length} more` : '';
    const what = `${names.count} name${names.count === 1 ? '' : 's'} break${names.count === 1 ? 's' : ''} this station's name rules: ${names.examples.map((e) => `"${e}"`).join(', ')}${more}.`;
    findings.push(
      finding('file-names', 'fail', rule, names.enforced ? what : `${what} Verify reports this; import refuses the bundle.`, 'UNSAFE_PATH', 'import'),
    );
  } else if (names && o.manifestFiles !== null) {
    findings.push(finding('file-names', 'pass', rule, `All ${o.manifestFiles} listed paths and the bundle's name pass.`, null, 'import'));
  } else {
    findings.push(finding('file-names', 'not-checked', rule, o.manifestFiles === null ? STOPPED : 'Name rules were not evaluated.', null, 'import'));
  }

  findings.push(replayNotChecked());
  return { findings };
}

const REPLAY_RULE =
  'A bundle this station already imported (same signed tag manifest, or same bundle id) is not imported again without the explicit, recorded override.';

export function replayNotChecked(detail = STOPPED): PolicyFinding {
  return finding('replay', 'not-checked', REPLAY_RULE, detail, null, 'import');
}

export function replayFinding(outcome: 'pass' | 'fail', detail: string): PolicyFinding {
  return finding('replay', outcome, REPLAY_RULE, detail, outcome === 'fail' ? 'REPLAY' : null, 'import');
}

/** Replace one check's finding (the replay guard is decided by station and import, outside check-bundle). */
export function withFinding(summary: PolicySummary, replacement: PolicyFinding): PolicySummary {
  return { findings: summary.findings.map((f) => (f.check === replacement.check ? replacement : f)) };
}

/** Every check not reached: a split bundle rejected before its parts were reassembled. */
export function policyNotReached(limits: BundleLimits, clockSkewSeconds: number, requiredSigners?: { count: number; roles: readonly string[] }): PolicySummary {
  return policyFindings({
    limits,
    requiredSigners,
    clockSkewSeconds,
    now: new Date(),
    signatureChecked: false,
    signers: [],
    futureDated: [],
    signatureProblem: null,
    signersShortfall: undefined,
    manifestFiles: null,
    entries: 0,
    payloadBytes: 0,
    largestFile: 0,
    deepestPath: 0,
    longestPathBytes: 0,
    limitHits: {},
    names: null,
    structuralNameProblems: { UNSAFE_PATH: 0, DUPLICATE_ENTRY: 0 },
    complete: false,
  });
}
