import type { ChannelFinding, ChannelStamp } from './channels.js';
import type { ImageSummary } from './images.js';
import type { InspectionSummary } from './inspection.js';
import type { Problem, ProblemCode } from './problems.js';

/** A signer proven by a verified signature over the tag manifest. */
export interface SignerInfo {
  fingerprint: string;
  userIds: string[];
  label: string | null;
  /** The role the station gave this signer when trusting it (e.g. operator, reviewer). */
  role: string | null;
  /** Signature creation time as the signer stated it (ISO 8601). */
  signedAt: string;
}

export interface BundleSummary {
  name: string | null;
  path: string;
  uuid: string | null;
  station: string | null;
  operator: string | null;
  sequence: number | null;
  created: string | null;
  files: number;
  bytes: number;
  /** SHA-256 of the signed tagmanifest-sha256.txt: the bundle's identity. */
  tagmanifestSha256: string | null;
}

/**
 * What happened to one file of the bundle. `refused-name`: a path (or a Unicode/case twin) the
 * bundle format or the station's name rules refuse; `refused-type`: a link, device or other
 * special entry; `refused-limit`: a file, path or payload over a station limit.
 */
export const FILE_OUTCOMES = ['ok', 'checksum-mismatch', 'missing', 'unlisted', 'refused-name', 'refused-type', 'refused-limit'] as const;
export type FileOutcome = (typeof FILE_OUTCOMES)[number];

export interface FileResult {
  /** Path inside the bag (`data/...`), or the archive entry's raw path when it lies outside the bag. Hostile text. */
  path: string;
  /** Bytes as the archive declares them; null for a file the archive does not hold (missing) or a manifest path refused before reading. */
  size: number | null;
  outcome: FileOutcome;
  /** The problem code of a file that failed; null when ok. */
  code: ProblemCode | null;
}

/**
 * Per-file results, bounded: a bundle may hold a million files, so only the first `cap.failed`
 * failed files and the first `cap.ok` intact ones are listed (archive order, missing files last);
 * `counts` covers every file checked, `omitted` says how many were counted but not listed.
 */
export interface FileResults {
  listed: FileResult[];
  counts: Record<FileOutcome, number>;
  cap: { ok: number; failed: number };
  omitted: { ok: number; failed: number };
  /** Listed in the signed manifest but never reached: verification stopped first (import stops at the first problem). */
  notChecked: number;
  /** False when verification stopped before the end of the archive: later files were neither checked nor counted. */
  complete: boolean;
}

/** One station policy check (policy.json, the trust store, the import ledger). */
export const POLICY_CHECKS = [
  'trusted-signer',
  'required-signers',
  'signature-date',
  'limit-files',
  'limit-total-bytes',
  'limit-file-bytes',
  'limit-paths',
  'file-names',
  'replay',
] as const;
export type PolicyCheck = (typeof POLICY_CHECKS)[number];

export interface PolicyFinding {
  check: PolicyCheck;
  /** `not-checked`: verification stopped before this could be decided (or the operation does not apply it). */
  outcome: 'pass' | 'fail' | 'not-checked';
  /** What the station requires, in words (from its policy). */
  rule: string;
  /** What this bundle showed. May quote bundle text: hostile. */
  detail: string;
  /** The problem code of a failure; null otherwise. */
  code: ProblemCode | null;
  /**
   * Which operation refuses a bundle failing this check: `verify` (verify and import both),
   * or `import` (verify only reports it: name rules and the replay guard are import policy).
   */
  refusedBy: 'verify' | 'import';
}

export interface PolicySummary {
  findings: PolicyFinding[];
}

/** What verify/import found of a bundle's channel stamp, checked against this station's channel state. */
export interface ChannelReport {
  stamp: ChannelStamp;
  /** The signer whose channel state it was checked against (the first trusted signer). */
  signer: string;
  /** Empty when the sequence and back-link are exactly what was expected. */
  findings: ChannelFinding[];
  /** A gap's missing sequence numbers (at most 100 listed; the CHANNEL_GAP message counts them all). */
  missing?: number[] | undefined;
}

export interface VerifyResult {
  ok: boolean;
  /** Images and charts the bundle carries (docs/bundle-format.md §15); absent when it carries none. */
  images?: ImageSummary[] | undefined;
  /** Content inspection (issue #16): present when the station's policy has an `inspect` section. */
  inspection?: InspectionSummary | undefined;
  /** Channel stamp and findings (issue #17, docs/channels.md); absent when the bundle carries no channel fields. */
  channel?: ChannelReport | undefined;
  bundle: BundleSummary;
  signers: SignerInfo[];
  problems: Problem[];
  /** Every payload file's outcome (bounded, see FileResults). */
  files: FileResults;
  /** Each station policy check and its outcome, in a fixed order (POLICY_CHECKS). */
  policy: PolicySummary;
  /** A split bundle: its parts as found and checked against the signed volume index before reassembly. */
  parts?:
    | {
        count: number;
        volumes: number;
        indexFiles: string[];
        files: Array<{ file: string; volume: number; path: string | null }>;
      }
    | undefined;
}

export interface ExportResult {
  bundlePath: string;
  name: string;
  uuid: string;
  sequence: number;
  files: number;
  bytes: number;
  bundleBytes: number;
  tagmanifestSha256: string;
  signers: Array<{ fingerprint: string; userIds: string[] }>;
}
