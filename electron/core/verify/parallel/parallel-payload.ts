/**
 * Verify's payload on both cores (docs/design-notes.md, "Verify on both cores"). The walk
 * (check-bundle.ts) is unchanged: it reads every header, checks every entry in archive order and
 * records every result in the same order, and it still authenticates the tag manifest and parses
 * the payload manifest before a payload byte is hashed. What changes is where a large payload
 * file's bytes are hashed: by two lanes (hash-lanes.ts) reading the file at the entry's offset,
 * ahead of the walk, which reads zeros in their place (filled-source.ts) and takes the digest
 * when it reaches the entry.
 *
 * For a bundle that is one plain file read by verify; by a push-only import whose sink takes its
 * large files without their bytes (PayloadSink.bytelessFromBytes: the blobs stay in the bundle
 * file, oci/push/bundle-blobs.ts); and by an import whose sink lets the lanes write large files
 * ahead of the walk (PayloadSink.writesAhead: import/staging.ts). There each lane writes every
 * chunk it hashes, the same buffer, to a private file of the sink's (so the bytes written are the
 * bytes hashed), and the walk, on reaching the entry and matching its digest with the signed
 * manifest, has the sink adopt that file under the payload name. A split bundle's parts and
 * standard input cannot be read at an offset, and content inspection reads every byte anyway:
 * they keep the sequential pass.
 *
 * What the lanes write ahead is bounded: only wanted claims (listed, within the per-file limit),
 * each header path once, while the import still writes (its first problem stops that), and in
 * all no more than the signed Payload-Oxum and the station's total limit allow. A hostile archive
 * repeating a listed entry cannot make the lanes fill the disk while the walk reports it.
 */
import type { FileHandle } from 'node:fs/promises';
import { ArchiveError } from '../../bundle/archive-error.js';
import { BLOCK } from '../../bundle/tar-block.js';
import { entryDataOffset, entryKind, type TarEntry } from '../../bundle/tar-entries.js';
import { HASH_CHUNK_BYTES } from '../../crypto/sha256.js';
import { readAt } from '../../crypto/range-hash.js';
import { AirlockError } from '../../errors.js';
import { openRegular } from '../../fs/open-regular.js';
import type { ProgressTracker } from '../../jobs/progress-tracker.js';
import type { AheadFiles, CheckBundleOptions, PayloadLanes, PayloadSink, WrittenAhead } from '../verify-options.js';
import { ClaimBook, type Claim } from './claim-book.js';
import { FilledSource } from './filled-source.js';
import { HashLanes, type LaneFile } from './hash-lanes.js';
import { CLAIM_MIN_BYTES, PARALLEL_MIN_BYTES, scoutPayload } from './payload-scout.js';
import { dropWarmLaneWorker } from './warm-lane-worker.js';

export { PARALLEL_MIN_BYTES } from './payload-scout.js';

const DEFAULT_LANES: Exclude<PayloadLanes, 'off'> = { minBundleBytes: PARALLEL_MIN_BYTES, claimMinBytes: CLAIM_MIN_BYTES };

function roundUp(value: number, unit: number): number {
  return Math.ceil(value / unit) * unit;
}

/**
 * The lanes' settings with a payload sink: none for a sink that writes every byte; for one that
 * takes files from some size on without their bytes, claims only from that size (a smaller
 * claimed file the sink writes would be read twice: as zeros by the walk, then again for the writer).
 */
function withSink(settings: Exclude<PayloadLanes, 'off'>, sink: PayloadSink | undefined): Exclude<PayloadLanes, 'off'> | null {
  if (sink === undefined) return settings;
  const from = sink.bytelessFromBytes ?? sink.writesAhead?.minBytes;
  if (from === undefined) return null;
  return { ...settings, claimMinBytes: Math.max(settings.claimMinBytes, from) };
}

/** What the lanes may write ahead of the walk, given when hashing starts (startHashing). */
export interface AheadRule {
  /** Bytes written ahead in all, at most. */
  budget: number;
  /** Whether the import still writes payload files (false after its first problem). */
  writing: () => boolean;
}

/** A claim written ahead: its file's path once the lane has closed it. */
interface AheadClaim extends WrittenAhead {
  resolve(path: string): void;
}

function aheadClaim(): AheadClaim {
  let resolve!: (path: string) => void;
  const file = new Promise<string>((done) => {
    resolve = done;
  });
  return { file, resolve };
}

export class ParallelPayload {
  readonly source: FilledSource;
  private readonly book = new ClaimBook();
  private readonly lanes: HashLanes;
  private readonly scout: Promise<void>;
  private current: { entry: TarEntry; claim: Claim } | null = null;
  /** Claimed bytes read again on this thread for an inspector that needs them (read()). */
  rereadBytes = 0;
  /** Set by startHashing for a sink that takes files written ahead. */
  private wanted: ((claim: Claim) => boolean) | null = null;
  private rule: AheadRule | null = null;
  /** Each claim's decision, taken once (by its lane or by the walk, whichever asks first): written ahead, or null. */
  private readonly decided = new Map<Claim, AheadClaim | null>();
  private readonly aheadPaths = new Set<string>();
  private aheadBytes = 0;

  private constructor(
    private readonly handle: FileHandle,
    private readonly tracker: ProgressTracker,
    signal: AbortSignal | undefined,
    settings: Exclude<PayloadLanes, 'off'>,
    private readonly ahead: AheadFiles | null,
  ) {
    this.source = new FilledSource(handle.fd, this.book);
    const output = ahead ? (claim: Claim) => this.laneFile(ahead, claim) : null;
    this.lanes = new HashLanes(handle.fd, this.book, (claim, bytes) => this.count(claim, bytes), signal, output);
    this.scout = scoutPayload(handle.fd, this.book, settings, signal)
      .catch(() => {
        // A read the scout could not make, the walk makes too, and reports.
      })
      .finally(() => {
        // No large file, so no worker lane: a worker warmed for this verification is not needed (warm-lane-worker.ts).
        if (!this.lanes.workerTried) dropWarmLaneWorker();
      });
  }

  /** The parallel pass for this verification, or null where the sequential pass runs (see above). */
  static async open(options: CheckBundleOptions, fileSize: number | null, tracker: ProgressTracker): Promise<ParallelPayload | null> {
    const chosen = options.payloadLanes ?? DEFAULT_LANES;
    if (chosen === 'off' || options.source || (options.inspectors?.length ?? 0) > 0) return null;
    const settings = withSink(chosen, options.payloadSink);
    if (settings === null || fileSize === null || fileSize < settings.minBundleBytes) return null;
    // Never a blocking open (a path swapped for a FIFO since bundleSize's stat): fs/open-regular.ts.
    const { handle } = await openRegular(options.bundlePath);
    const ahead = options.payloadSink?.bytelessFromBytes === undefined ? (options.payloadSink?.writesAhead ?? null) : null;
    return new ParallelPayload(handle, tracker, options.signal, settings, ahead);
  }

  /** The walk met `entry` (every entry, in order, before anything else is done with it). */
  pass(entry: TarEntry): void {
    this.current = null;
    const start = entryDataOffset(entry);
    if (entryKind(entry) !== 'file' || start === null) return;
    const claim = this.book.pass(start, entry.size, start + roundUp(entry.size, BLOCK));
    if (claim) this.current = { entry, claim };
  }

  /** The tag manifest is authenticated and the payload manifest parsed: the lanes may hash what `wanted` accepts. */
  startHashing(wanted: (claim: Claim) => boolean, rule?: AheadRule): void {
    this.wanted = wanted;
    this.rule = rule ?? null;
    this.book.open(wanted);
    this.lanes.start();
  }

  /** For the walk at a claimed entry: whether (and where) the lanes write its bytes ahead; the sink's writer then adopts that file. */
  writtenAhead(entry: TarEntry): WrittenAhead | null {
    return this.decide(this.claimOf(entry));
  }

  private decide(claim: Claim): AheadClaim | null {
    const known = this.decided.get(claim);
    if (known !== undefined) return known;
    const rule = this.rule;
    const writes =
      this.ahead !== null &&
      rule !== null &&
      this.wanted?.(claim) === true &&
      rule.writing() &&
      !this.aheadPaths.has(claim.path) &&
      this.aheadBytes + claim.size <= rule.budget;
    const decision = writes ? aheadClaim() : null;
    if (decision) {
      this.aheadPaths.add(claim.path);
      this.aheadBytes += claim.size;
    }
    this.decided.set(claim, decision);
    return decision;
  }

  /** The lane's file for a claim written ahead (null: hashed only); its path is handed to the walk once closed. */
  private async laneFile(ahead: AheadFiles, claim: Claim): Promise<LaneFile | null> {
    const decision = this.decide(claim);
    if (decision === null) return null;
    const file = await ahead.create(claim.size);
    return {
      copyTo: { fd: file.fd, flushEvery: file.flushEvery },
      close: async () => {
        await file.close();
        decision.resolve(file.path);
      },
    };
  }

  /** Whether the walk reads zeros for this entry's data (its bytes are to be had from digest() or read()). */
  claimed(entry: TarEntry): boolean {
    return this.current?.entry === entry;
  }

  /** The SHA-256 of the claimed entry's data as the lanes read it from the bundle. */
  async digest(entry: TarEntry): Promise<Buffer> {
    const claim = this.claimOf(entry);
    this.book.demand(claim);
    const { digest, read } = await claim.result;
    if (read !== claim.size) throw new ArchiveError(`the bundle changed while it was read: "${claim.path}" now ends after ${read} of its ${claim.size} bytes`);
    this.count(claim, claim.end - claim.start);
    return Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength);
  }

  /** The claimed entry's bytes read from the bundle here, for a caller that needs them (an inspector): hashed by whoever reads them. */
  async *read(entry: TarEntry): AsyncGenerator<Buffer> {
    const claim = this.claimOf(entry);
    let position = claim.start;
    const end = claim.start + claim.size;
    while (position < end) {
      const chunk = Buffer.allocUnsafe(Math.min(HASH_CHUNK_BYTES, end - position));
      const bytes = await readAt(this.handle.fd, chunk, chunk.length, position);
      if (bytes === 0)
        throw new ArchiveError(`the bundle changed while it was read: "${claim.path}" now ends after ${position - claim.start} of its ${claim.size} bytes`);
      position += bytes;
      this.rereadBytes += bytes;
      this.count(claim, bytes);
      yield chunk.subarray(0, bytes);
    }
    this.count(claim, claim.end - claim.start);
  }

  /** The walk read the whole archive: every claimed range must have been an entry's data. */
  finishWalk(): void {
    this.book.assertAllPassed();
  }

  /** Stop the scout, the source and the lanes, then close the descriptor they share. */
  async close(): Promise<void> {
    this.book.close(new AirlockError('CANCELLED'));
    this.source.destroy();
    await this.lanes.close();
    await this.scout;
    await this.source.settled();
    await this.handle.close();
  }

  /** Progress: a claim's bytes count once, as they are hashed (its padding with the last of them). */
  private count(claim: Claim, bytes: number): void {
    const add = Math.min(bytes, claim.end - claim.start - claim.counted);
    if (add <= 0) return;
    claim.counted += add;
    this.tracker.addBytes(add);
  }

  private claimOf(entry: TarEntry): Claim {
    if (this.current?.entry !== entry) throw new AirlockError('INTERNAL', `"${entry.path}" was not claimed for hashing on the lanes.`);
    return this.current.claim;
  }
}
