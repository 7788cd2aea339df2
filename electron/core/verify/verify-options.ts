/** What a verification is asked to do, and what it hands back (check-bundle.ts runs it). */
import type { Readable } from 'node:stream';
import type { ChannelStamp } from '../../../shared/channels.js';
import type { Problem } from '../../../shared/problems.js';
import type { ProgressListener } from '../../../shared/progress.js';
import type { SignerInfo, VerifyResult } from '../../../shared/results.js';
import type { PortabilityRules } from '../bundle/path-rules.js';
import type { TrustedKey } from '../crypto/detached-signature.js';
import type { BundleLimits } from '../policy/limits.js';
import type { StationPolicy } from '../policy/station-policy.js';
import type { ByteSource } from '../inspect/contract.js';
import type { PayloadInspector } from './inspectors.js';
import type { PayloadRows } from './payload-index.js';
import type { DigestSpill } from '../compact/digest-column.js';

/** Receives the bytes of each listed payload file as they stream (import writes them to staging). */
export interface PayloadSink {
  /**
   * `archiveOffset`: where the file's bytes start in the archive stream (tar-entries.ts archiveOffsetOf).
   * `writtenAhead`: the lanes wrote this file's bytes, exactly the bytes they hashed, to a file the
   * sink made with `writesAhead.create` (then the writer takes no bytes: its close(true) adopts that file).
   */
  openFile(payloadPath: string, size: number, archiveOffset?: number | undefined, writtenAhead?: WrittenAhead | undefined): Promise<PayloadFileWriter>;
  /**
   * Set by a sink whose large files the parallel pass may write ahead of the walk (an import's
   * staging: parallel/parallel-payload.ts): each lane writes the bytes it hashes to a private file
   * of the sink's, which becomes the payload file only when the walk reaches its entry and its
   * digest matched the signed manifest.
   */
  readonly writesAhead?: AheadFiles | undefined;
  /**
   * Set by a sink that takes payload files of at least this many bytes without their bytes (a
   * push-only import leaves large image blobs in the bundle file: oci/push/bundle-blobs.ts). Such
   * files may then be hashed on both cores (parallel/parallel-payload.ts); a file whose writer
   * does want its bytes gets them read from the bundle and hashed as they pass.
   */
  readonly bytelessFromBytes?: number | undefined;
}
/** Where the lanes may write large files ahead of the walk (PayloadSink.writesAhead). */
export interface AheadFiles {
  /** Only files of at least this many bytes. */
  readonly minBytes: number;
  /** A new file no final name reaches, open for writing. */
  create(size: number): Promise<AheadFile>;
}
export interface AheadFile {
  readonly path: string;
  readonly fd: number;
  /** Start writeback every this many bytes written; 0: nothing is flushed. */
  readonly flushEvery: number;
  close(): Promise<void>;
}
/** A claimed file the lanes write ahead: `file` resolves, once its digest is had, to the file holding exactly the bytes hashed. */
export interface WrittenAhead {
  readonly file: Promise<string>;
}
export interface PayloadFileWriter {
  /** False: the writer takes no bytes (write() is never needed), only the verdict at close(). */
  readonly takesBytes?: boolean | undefined;
  write(chunk: Buffer): Promise<void>;
  /** Called once: `verified` is true only when the file's checksum matched the signed manifest. */
  close(verified: boolean): Promise<void>;
  /** After a verified close: the written file's bytes, read again (content inspection; inspectors.ts). */
  written?(): ByteSource | null;
}

/** The archive's bytes from somewhere other than one file: a split bundle's parts chained in order, or an uncached read. */
export interface BundleSource {
  /** null when unknown (a bundle piped on stdin): progress then counts bytes without a total. */
  size: number | null;
  open(signal?: AbortSignal): Readable;
}

export interface CheckBundleOptions {
  /** The bundle file; with `source`, only the name reported for it. */
  bundlePath: string;
  source?: BundleSource | undefined;
  trusted: readonly TrustedKey[];
  limits?: BundleLimits;
  now?: Date | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
  payloadSink?: PayloadSink;
  /**
   * Import: at the first problem stop feeding the payload sink (nothing more is written), but
   * read on as verify does, so import refuses a bundle with the same problems verify reports
   * (a later entry can explain an earlier problem: a second copy of a file whose first copy
   * failed its checksum is a duplicate). Problems that end verification end it here too.
   */
  failFast?: boolean;
  /**
   * Name rules of the receiving station (control/bidi characters, names Windows cannot hold),
   * applied to every manifest path before any payload is read. Verify leaves them out: they
   * say whether this station will write a name, not whether the bundle is authentic.
   */
  portability?: PortabilityRules;
  /**
   * Name rules to report without refusing (verify): paths that break them are counted in the
   * policy findings, so the operator learns before importing that import would refuse them.
   */
  reportNames?: PortabilityRules;
  /** Most problems about single entries listed (PROBLEM_CAP by default); the rest are counted in one problem per code. */
  problemCap?: number;
  /**
   * A quarantine release (quarantine/finding-match.ts): findings this predicate accepts were
   * recorded when the bundle was kept and an operator decided to release it; they are reported
   * as `overridden`, not as problems. Every other problem refuses as usual.
   */
  acceptFinding?: ((found: Problem) => boolean) | undefined;
  /** Most failed and intact files listed in the per-file results (FILE_RESULT_CAP by default). */
  fileResultCap?: { ok: number; failed: number };
  /**
   * Runs once the tag manifest is authenticated and the manifest parsed, before a byte of
   * payload is read: import's replay guard and policy. Problems it returns reject the bundle.
   */
  afterAuthentication?: ((facts: AuthenticatedFacts) => Promise<Problem[]>) | undefined;
  /** Two-person rule; default: one trusted signer is enough. */
  requiredSigners?: StationPolicy['requiredSigners'];
  /** Allowance for signatures dated after `now`. */
  clockSkewSeconds?: number;
  /**
   * Checks of what listed payload files hold, run on every file's bytes as they stream and once
   * after the whole archive (inspectors.ts): content inspection and OCI checks plug in here.
   */
  inspectors?: readonly PayloadInspector[] | undefined;
  /**
   * A folder of the station's own (its spool) where a large manifest's checksums are kept in a
   * file instead of memory (compact/digest-column.ts). With it, the caller releases the result's
   * `payload` rows (`release`) once done with them; without it, everything stays in memory.
   */
  digestSpill?: DigestSpill | undefined;
  /**
   * Whether large payload files are hashed on both cores (verify/parallel/parallel-payload.ts):
   * by default for a plain bundle file of at least 64 MiB verified without a sink or inspectors.
   * 'off' keeps the sequential pass; tests give small sizes to run the parallel pass on small bundles.
   */
  payloadLanes?: PayloadLanes | undefined;
  /**
   * Whether a bundle of small files is read and hashed by a worker thread as the walk streams it
   * (verify/parallel/stream-lane.ts): by default while a core is free for it (warm-lane-worker.ts
   * streamLaneByDefault; AIRLOCK_STREAM_LANE forces it), for a plain bundle file
   * of at least 64 MiB whose first payload file the lanes would not claim, verified without a sink
   * or inspectors, unless `payloadLanes` is given. 'off' never; tests give sizes to run it on any bundle (`minBundleBytes`),
   * small chunks (`chunkBytes`) so entries straddle them, and `waitForWorker` so a small bundle is
   * not read whole by this thread while the worker boots.
   */
  streamLane?: 'off' | { minBundleBytes: number; chunkBytes?: number | undefined; waitForWorker?: boolean | undefined } | undefined;
}

/** Sizes for the parallel payload pass: the smallest bundle it runs for, the smallest file it hashes on the lanes, the scout's read size. */
export type PayloadLanes = 'off' | { minBundleBytes: number; claimMinBytes: number; scoutReadBytes?: number | undefined };

export interface AuthenticatedFacts {
  name: string;
  signers: SignerInfo[];
  tagmanifestSha256: string;
  uuid: string | null;
  sequence: number | null;
  station: string | null;
  /** The channel stamp (docs/channels.md), authenticated with the rest of bag-info; null when none. */
  channel: ChannelStamp | null;
  files: number;
  bytes: number | null;
}

export interface CheckBundleResult extends VerifyResult {
  /** Findings `acceptFinding` accepted (a quarantine release); absent when none was given. */
  overridden?: Problem[] | undefined;
  /** Payload paths (`data/...`) with their verified checksums and sizes, in archive order (read one row at a time). */
  payload: PayloadRows;
}
