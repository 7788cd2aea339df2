/**
 * Everything one verification knows, in one record that the steps (steps/*.ts) read and update
 * in turn: what the archive delivered so far, what was authenticated, and the observations the
 * report is made of. Every per-file structure in it is bounded or compact: a bundle may hold a
 * million files.
 */
import type { ChannelStamp } from '../../../shared/channels.js';
import type { FileOutcome, SignerInfo } from '../../../shared/results.js';
import type { Problem, ProblemCode } from '../../../shared/problems.js';
import { EntryRegistry } from '../bundle/entry-registry.js';
import type { PortabilityRules } from '../bundle/path-rules.js';
import { ProgressTracker } from '../jobs/progress-tracker.js';
import { DEFAULT_LIMITS, type BundleLimits } from '../policy/limits.js';
import type { LimitKind, NameRefusalCode } from '../policy/policy-findings.js';
import type { LayoutInspector } from '../oci/graph/layout-inspector.js';
import { FileTally } from './file-results.js';
import type { ParallelPayload } from './parallel/parallel-payload.js';
import type { StreamLane } from './parallel/stream-lane.js';
import type { PayloadIndex, VerifiedPayload } from './payload-index.js';
import { SeenPaths } from './payload-index.js';
import { ProblemList } from './problem-list.js';
import type { BagInfoFacts } from './tag-checks.js';
import type { CheckBundleOptions } from './verify-options.js';

export interface VerifyState {
  readonly options: CheckBundleOptions;
  readonly limits: BundleLimits;
  readonly now: Date;
  readonly tracker: ProgressTracker;
  readonly problems: ProblemList;
  /** Per-file results: counters and capped lists only, whatever the bundle's size. */
  readonly tally: FileTally;
  /** The bundle's size in bytes (null when unknown: a stream on stdin). */
  readonly fileSize: number | null;

  /** The bag's top directory, from the first entry. */
  top: string | null;
  /** Tag files are read until the first payload entry; then the tag manifest is authenticated. */
  phase: 'tags' | 'payload';
  /** Archive entries so far (directories and refused entries included). */
  entryCount: number;
  /** Names of the archive's entries, by collision key: a second copy is a duplicate. */
  readonly registry: EntryRegistry;
  /** Tag files read before the payload, whole (bounded by the tag-file limits). */
  readonly tagBytes: Map<string, Buffer>;
  /** Tag files after the payload: hashed only. */
  readonly lateTagHashes: Map<string, string>;
  /** Where the payload manifest lies in the bundle file, when it was hashed there rather than held (steps/tag-files.ts). */
  manifestSpan: ManifestSpan | null;

  /** Set by the authentication step. */
  signers: SignerInfo[];
  tagEntries: Map<string, string> | null;
  tagmanifestSha256: string | null;
  /** Set by the bag checks. */
  facts: BagInfoFacts | null;
  /** The channel stamp bag-info carries (docs/channels.md); null when none. Set by the bag checks. */
  channel: ChannelStamp | null;
  /** The signed manifest, compact (payload-index.ts): a bundle may list a million files. */
  manifest: PayloadIndex | null;
  payload: VerifiedPayload | null;
  /** The OCI graph check, when the manifest lists data/oci/index.json (steps/oci-layout.ts). */
  oci: LayoutInspector | null;
  /** Entries counted as delivered or refused (so not missing). */
  readonly seen: SeenPaths;
  /** Large payload files hashed on both cores ahead of the walk (parallel/parallel-payload.ts); null: the sequential pass. */
  parallel: ParallelPayload | null;
  /** A bundle of small files read and hashed by a worker as the walk streams it (parallel/stream-lane.ts); null: not this pass. */
  stream: StreamLane | null;
  payloadBytes: number;
  payloadFiles: number;
  /** Import writes nothing after the first problem; it reads on only to report what verify would. */
  writing: boolean;
  /** The whole archive was read. */
  complete: boolean;

  /** Observations for the policy findings (policy-findings.ts). */
  readonly observed: {
    signatureChecked: boolean;
    signatureProblem: Problem | null;
    futureDated: string[];
    signersShortfall: string | null | undefined;
    largestFile: number;
    deepestPath: number;
    longestPathBytes: number;
    structuralNameProblems: Record<NameRefusalCode, number>;
    /** Manifest paths refused (by the name rules) before their file was read. */
    refusedUnread: number;
    limitHits: Partial<Record<LimitKind, string>>;
    nameRules: PortabilityRules | null;
    nameBreaks: { count: number; examples: string[] };
  };
}

/** The payload manifest's bytes in the bundle file, as first read: the digest authenticated, and the lines counted. */
export interface ManifestSpan {
  /** Offset of its first byte in the bundle file. */
  offset: number;
  size: number;
  /** SHA-256 of the bytes as first read (lowercase hex): what the signed tag manifest is checked against. */
  sha256: string;
  lines: number;
}

export function createVerifyState(options: CheckBundleOptions, fileSize: number | null): VerifyState {
  return {
    options,
    limits: options.limits ?? DEFAULT_LIMITS,
    now: options.now ?? new Date(),
    tracker: new ProgressTracker(options.onProgress),
    problems: new ProblemList(options.problemCap, options.acceptFinding),
    tally: new FileTally(options.fileResultCap),
    fileSize,
    top: null,
    phase: 'tags',
    entryCount: 0,
    registry: new EntryRegistry(),
    tagBytes: new Map(),
    lateTagHashes: new Map(),
    manifestSpan: null,
    signers: [],
    tagEntries: null,
    tagmanifestSha256: null,
    facts: null,
    channel: null,
    manifest: null,
    payload: null,
    oci: null,
    seen: new SeenPaths(),
    parallel: null,
    stream: null,
    payloadBytes: 0,
    payloadFiles: 0,
    writing: true,
    complete: false,
    observed: {
      signatureChecked: false,
      signatureProblem: null,
      futureDated: [],
      signersShortfall: undefined,
      largestFile: 0,
      deepestPath: 0,
      longestPathBytes: 0,
      structuralNameProblems: { UNSAFE_PATH: 0, DUPLICATE_ENTRY: 0 },
      refusedUnread: 0,
      limitHits: {},
      nameRules: options.portability ?? options.reportNames ?? null,
      nameBreaks: { count: 0, examples: [] },
    },
  };
}

export function fileRow(state: VerifyState, path: string, size: number | null, outcome: FileOutcome, code: ProblemCode | null): void {
  state.tally.record(path, size, outcome, code);
}

/** The first detail of each limit exceeded. */
export function limitHit(state: VerifyState, kind: LimitKind, detail: string): void {
  state.observed.limitHits[kind] ??= detail;
}

/** A path that breaks the station's name rules (counted; a few kept as examples). */
export function nameBreak(state: VerifyState, path: string): void {
  const breaks = state.observed.nameBreaks;
  breaks.count += 1;
  if (breaks.examples.length < 5) breaks.examples.push(path);
}

/** A structural refusal of an entry's name: an unsafe path or a duplicate. */
export function refuseName(state: VerifyState, code: NameRefusalCode, detail: string, path: string, size: number | null): void {
  state.observed.structuralNameProblems[code] += 1;
  fileRow(state, path, size, 'refused-name', code);
  state.problems.add(code, detail, path);
}

/** Import: at the first problem, stop feeding the payload sink (options.failFast). */
export function afterProblem(state: VerifyState): void {
  if (state.options.failFast && state.problems.length > 0) state.writing = false;
}
