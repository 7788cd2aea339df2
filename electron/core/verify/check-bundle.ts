/**
 * The verify pipeline (docs/bundle-format.md §Verification): read the tag files first,
 * authenticate the tag manifest by a trusted fingerprint before trusting any manifest, check
 * bagit.txt, bag-info and Payload-Oxum, then stream the payload once, hashing every entry,
 * and check completeness both ways. The bundle is read once, front to back.
 *
 * This driver only runs the steps (steps/*.ts) in order over one state record (verify-state.ts);
 * a step that finds a problem after which reading on would mean trusting what was not proven
 * throws Fatal (problem-list.ts), and the report is made from whatever the state holds. Checks of
 * what the payload holds plug in as inspectors (inspectors.ts, docs/design-notes.md).
 */
import { ArchiveError, readTarEntries } from '../bundle/tar-entries.js';
import type { Readable } from 'node:stream';
import { AirlockError, throwIfAborted } from '../errors.js';
import { isFiller } from './parallel/filled-source.js';
import { ParallelPayload } from './parallel/parallel-payload.js';
import { openStreamLane } from './parallel/stream-lane.js';
import { dropWarmLaneWorker } from './parallel/warm-lane-worker.js';
import { Fatal } from './problem-list.js';
import { authenticateTagFiles } from './steps/authenticate.js';
import { checkBag } from './steps/bag-checks.js';
import { checkCompleteness } from './steps/completeness.js';
import { admitEntry } from './steps/entry-names.js';
import { findings } from './steps/findings.js';
import { bundleSize, openBundle } from './steps/open-bundle.js';
import { checkPayloadEntry, isPayloadPath } from './steps/payload-entry.js';
import { checkTagEntry } from './steps/tag-files.js';
import { createVerifyState, fileRow, type VerifyState } from './verify-state.js';
import type { CheckBundleOptions, CheckBundleResult } from './verify-options.js';

export type {
  AheadFile,
  AheadFiles,
  AuthenticatedFacts,
  BundleSource,
  CheckBundleOptions,
  CheckBundleResult,
  PayloadFileWriter,
  PayloadLanes,
  PayloadSink,
  WrittenAhead,
} from './verify-options.js';
export type { FileInspection, InspectedFile, PayloadInspector } from './inspectors.js';
export { PROBLEM_CAP } from './problem-list.js';

export async function checkBundle(options: CheckBundleOptions): Promise<CheckBundleResult> {
  const state = createVerifyState(options, await bundleSize(options));
  // A bundle of small files: a worker reads and hashes the stream (stream-lane.ts); one with large files: the payload lanes.
  const stream = await openStreamLane(options, state.fileSize);
  const parallel = stream === null ? await ParallelPayload.open(options, state.fileSize, state.tracker) : null;
  state.stream = stream;
  state.parallel = parallel;
  // The sequential pass (a split bundle, standard input, inspection): a worker warmed for the lanes is not needed.
  if (parallel === null && stream === null) dropWarmLaneWorker();
  let result: CheckBundleResult | undefined;
  try {
    result = await walk(state, parallel?.source ?? stream?.source ?? openBundle(options));
    return result;
  } finally {
    // The index's digests (a spill file for a large manifest) go now unless the caller got them as its rows to release.
    if (result?.payload !== state.payload) state.manifest?.release();
    await stream?.close();
    await parallel?.close();
    dropWarmLaneWorker();
  }
}

async function walk(state: VerifyState, source: Readable): Promise<CheckBundleResult> {
  const { signal } = state.options;
  state.tracker.startPhase('verifying-signature', { bytes: state.fileSize });
  // Claimed data (zeros in the stream) is counted by the lanes as they hash it.
  const onBytes = (bytes: number, chunk: Buffer): void => {
    if (!isFiller(chunk)) state.tracker.addBytes(bytes);
  };
  try {
    // Data offsets are kept (the default) for readers that read a verified file back from the bundle:
    // inspectors (inspectors.ts), a push-only import's payload sink (oci/push/bundle-blobs.ts), the parallel pass.
    // With the stream lane, past its hand-over the guard's reading alone gives the entries (guard-entries.ts).
    const handedOver = state.stream ? (): boolean => state.stream?.source.handedOver === true : undefined;
    for await (const entry of readTarEntries(source, onBytes, { headersByGuard: handedOver })) {
      throwIfAborted(signal);
      state.parallel?.pass(entry);
      const rel = admitEntry(state, entry);
      if (rel === null) continue;
      if (!isPayloadPath(rel)) {
        await checkTagEntry(state, entry, rel);
        continue;
      }
      if (state.phase === 'tags') await beginPayload(state);
      await checkPayloadEntry(state, entry, rel);
    }
    if (state.phase === 'tags') await beginPayload(state);
    state.parallel?.finishWalk();
  } catch (error) {
    source.destroy();
    if (error instanceof ArchiveError) reportArchiveError(state, error);
    else if (!(error instanceof Fatal)) throw signal?.aborted ? new AirlockError('CANCELLED') : error;
    return findings(state);
  }
  await checkCompleteness(state);
  state.tracker.flush();
  return findings(state);
}

/** The first payload entry (or the archive's end): authenticate what was read, then the bag. */
async function beginPayload(state: VerifyState): Promise<void> {
  state.phase = 'payload';
  await authenticateTagFiles(state);
  await checkBag(state);
  // Only now may a payload byte be hashed: the lanes take the listed files within the limits (the walk asks for any other it needs).
  state.stream?.startHashing();
  const { manifest, top, limits } = state;
  // An import's lanes also write what they hash, within what the signed bag-info and the limits allow in all (parallel-payload.ts).
  const oxum = state.facts?.oxum?.octets ?? Infinity;
  state.parallel?.startHashing((claim) => claim.size <= limits.maxFileBytes && manifest?.has(claim.path.slice((top?.length ?? 0) + 1)) === true, {
    budget: Math.min(oxum, limits.maxTotalBytes),
    writing: () => state.writing,
  });
}

/** The archive itself cannot be read on (node-tar or the tar guards refused it). */
function reportArchiveError(state: VerifyState, error: ArchiveError): void {
  if (error.kind === 'unsafe-type' && error.path !== undefined) fileRow(state, error.path, null, 'refused-type', 'UNSAFE_ENTRY_TYPE');
  state.problems.add(
    error.kind === 'unsafe-type' ? 'UNSAFE_ENTRY_TYPE' : 'ARCHIVE_CORRUPT',
    `${error.message}.`,
    error.kind === 'unsafe-type' ? error.path : undefined,
  );
}
