/**
 * Step 4, every payload file (`data/...`): within the station's limits, listed in the signed
 * manifest, within Payload-Oxum; then its bytes streamed once through SHA-256, to the payload
 * sink (import's staging) and to the inspectors (inspectors.ts), and the checksum compared with
 * the signed one.
 */
import type { Problem } from '../../../../shared/problems.js';
import { PAYLOAD_DIR } from '../../bundle/format.js';
import { errnoOf } from '../../errors.js';
import type { FileInspection } from '../inspectors.js';
import { Fatal } from '../problem-list.js';
import { afterProblem, fileRow, limitHit, refuseName, type VerifyState } from '../verify-state.js';
import type { PayloadFileWriter, PayloadSink, WrittenAhead } from '../verify-options.js';
import { ArchiveError, archiveOffsetOf, entryDataOffset, type TarEntry } from '../../bundle/tar-entries.js';
import { fileRangeSource } from '../../inspect/byte-sources.js';
import type { ByteSource } from '../../inspect/contract.js';
import { drainEntry, hashEntry } from './entry-bytes.js';
import { sha256 } from '../../crypto/sha256.js';
import type { ParallelPayload } from '../parallel/parallel-payload.js';
import type { StreamLane } from '../parallel/stream-lane.js';

export function isPayloadPath(rel: string): boolean {
  return rel.startsWith(`${PAYLOAD_DIR}/`);
}

export async function checkPayloadEntry(state: VerifyState, entry: TarEntry, rel: string): Promise<void> {
  const { options, limits, problems, observed } = state;
  const files = state.manifest;
  if (!files) throw new Fatal();
  if (entry.size > observed.largestFile) observed.largestFile = entry.size;
  if (entry.size > limits.maxFileBytes) {
    limitHit(state, 'file-bytes', `"${rel}" is ${entry.size} bytes; the limit is ${limits.maxFileBytes}.`);
    fileRow(state, rel, entry.size, 'refused-limit', 'LIMIT_EXCEEDED');
    problems.add('LIMIT_EXCEEDED', `"${rel}" is ${entry.size} bytes; the limit is ${limits.maxFileBytes}.`, rel);
    state.seen.add(rel);
    afterProblem(state);
    return;
  }
  // Unlisted first: an added file is that file's problem, not an intact file's Oxum overrun.
  const expected = files.ordinalOf(rel);
  if (expected < 0) {
    fileRow(state, rel, entry.size, 'unlisted', 'FILE_UNLISTED');
    problems.addExplainable('FILE_UNLISTED', `"${rel}" is not in manifest-sha256.txt.`, rel);
    afterProblem(state);
    return;
  }
  state.payloadBytes += entry.size;
  if (state.payloadBytes > limits.maxTotalBytes) {
    limitHit(state, 'total-bytes', `The payload exceeds ${limits.maxTotalBytes} bytes at "${rel}".`);
    fileRow(state, rel, entry.size, 'refused-limit', 'LIMIT_EXCEEDED');
    state.problems.fail('LIMIT_EXCEEDED', `The payload exceeds ${limits.maxTotalBytes} bytes.`, rel);
  }
  const oxum = state.facts?.oxum;
  if (oxum && state.payloadBytes > oxum.octets)
    state.problems.fail('PAYLOAD_OXUM_MISMATCH', `The payload holds more than the ${oxum.octets} bytes Payload-Oxum declares.`, rel);
  const claimed = state.parallel?.claimed(entry) === true;
  // Claimed by the lanes for an import: they write the file as they hash it, and the sink adopts it if its digest matches.
  const ahead = claimed ? (state.parallel?.writtenAhead(entry) ?? null) : null;
  const writer = options.payloadSink && state.writing ? await openStaged(options.payloadSink, rel, entry, ahead) : null;
  if (writer === 'exists') {
    // The destination's file system took two names the collision key keeps apart for one: still a duplicate, not an I/O error.
    state.seen.add(rel);
    refuseName(
      state,
      'DUPLICATE_ENTRY',
      `"${rel}" lands on a file already written: the destination's file system treats the two names as one.`,
      rel,
      entry.size,
    );
    afterProblem(state);
    return;
  }
  const inspections = startInspections(state, rel, entry.size, () => rereadSource(state, entry, writer));
  let actual: Buffer;
  try {
    actual =
      claimed && state.parallel
        ? await hashClaimed(state.parallel, entry, writer, inspections, ahead !== null)
        : writer === null && inspections === null && state.stream?.hashes(entry) === true
          ? await hashStreamed(state.stream, entry)
          : await hashEntry(entry, writer || inspections ? (chunk) => feed(chunk, writer, inspections) : undefined);
  } catch (error) {
    await writer?.close(false);
    throw error;
  }
  state.seen.add(rel);
  state.payloadFiles += 1;
  state.tracker.addFiles(1);
  const matches = files.matches(expected, actual);
  await writer?.close(matches);
  if (!matches) {
    fileRow(state, rel, entry.size, 'checksum-mismatch', 'CHECKSUM_MISMATCH');
    problems.addExplainable('CHECKSUM_MISMATCH', `"${rel}" differs from the signed manifest.`, rel);
    afterProblem(state);
  } else {
    fileRow(state, rel, entry.size, 'ok', null);
    state.payload?.add(expected, entry.size);
  }
  if (inspections) {
    const found = await endInspections(inspections, matches);
    for (const each of found) problems.addFound(each);
    if (found.length > 0) afterProblem(state);
  }
}

/**
 * A file hashed on the lanes (parallel/parallel-payload.ts): the walk's stream holds zeros in its
 * place and is read to its end all the same (a truncated archive is found exactly as before); the
 * digest is the lanes'. An inspector or a sink's writer that needs the bytes themselves gets them
 * read from the bundle here and hashed as they pass, so it sees exactly the bytes that were hashed
 * (a push-only import's sink takes its large blobs without bytes: oci/push/bundle-blobs.ts). A
 * file the lanes wrote ahead (`writtenAhead`) is what they hashed: bytes read again for an
 * inspector must hash the same, or the bundle changed between the two reads.
 */
async function hashClaimed(
  parallel: ParallelPayload,
  entry: TarEntry,
  writer: PayloadFileWriter | null,
  inspections: FileInspection[] | null,
  writtenAhead: boolean,
): Promise<Buffer> {
  await drainEntry(entry);
  const writes = writer !== null && writer.takesBytes !== false;
  // Inspections that read no bytes hear only the end (endInspections, after the checksum verdict).
  const inspects = inspections !== null && inspections.some((inspection) => inspection.readsBytes !== false);
  if (!writes && !inspects) return parallel.digest(entry);
  const hash = sha256();
  for await (const chunk of parallel.read(entry)) {
    hash.update(chunk);
    await feed(chunk, writes ? writer : null, inspects ? inspections : null);
  }
  const digest = hash.digest();
  if (writtenAhead && !digest.equals(await parallel.digest(entry)))
    throw new ArchiveError(`the bundle changed while it was read: "${entry.path}" read differently the second time`);
  return digest;
}

/**
 * A file the stream lane's worker hashed (parallel/stream-lane.ts) from the chunk the walk is
 * reading: read to its end here (a truncated archive is found exactly as before), then its digest,
 * which came with the chunk holding its last byte.
 */
async function hashStreamed(stream: StreamLane, entry: TarEntry): Promise<Buffer> {
  await drainEntry(entry);
  return stream.digest(entry);
}

async function feed(chunk: Buffer, writer: PayloadFileWriter | null, inspections: FileInspection[] | null): Promise<void> {
  if (writer) await writer.write(chunk);
  if (inspections) for (const inspection of inspections) await inspection.update(chunk);
}

/** The inspections of one file, or null when no inspector looks at it (the common case costs nothing per chunk). */
function startInspections(state: VerifyState, path: string, size: number, reread: () => ByteSource | null): FileInspection[] | null {
  const inspectors = state.options.inspectors ?? [];
  if (inspectors.length === 0 && state.oci === null) return null;
  const started: FileInspection[] = [];
  for (const inspector of state.oci ? [state.oci, ...inspectors] : inspectors) {
    const inspection = inspector.inspect?.({ path, size, reread }) ?? null;
    if (inspection) started.push(inspection);
  }
  return started.length > 0 ? started : null;
}

async function endInspections(inspections: readonly FileInspection[], verified: boolean): Promise<Problem[]> {
  const found: Problem[] = [];
  for (const inspection of inspections) found.push(...(await inspection.end(verified)));
  return found;
}

/**
 * Where a verified file's bytes can be read again: what the sink wrote (import's staged copy), else
 * the bundle file itself at the entry's data offset; null for a bundle read from a stream or parts.
 */
function rereadSource(state: VerifyState, entry: TarEntry, writer: PayloadFileWriter | null): ByteSource | null {
  const written = writer?.written?.() ?? null;
  if (written) return written;
  if (state.options.source) return null;
  const offset = entryDataOffset(entry);
  return offset === null ? null : fileRangeSource(state.options.bundlePath, offset, entry.size);
}

/** The sink's writer for a payload file, or 'exists' when the sink already holds a file by that name (its open is exclusive). */
async function openStaged(sink: PayloadSink, rel: string, entry: TarEntry, ahead: WrittenAhead | null): Promise<PayloadFileWriter | 'exists'> {
  try {
    return await sink.openFile(rel.slice(PAYLOAD_DIR.length + 1), entry.size, archiveOffsetOf(entry), ahead ?? undefined);
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return 'exists';
    throw error;
  }
}
