/**
 * The payload manifest parsed as a phase of its own ('reading-manifest'): a 200,000-line
 * manifest is seconds of parsing on a loaded machine, and a progress line silent that long looks
 * hung (issue #18). The parse runs in steps (payloadManifestSteps); between two, progress is
 * reported, the event loop runs (so a cancel can arrive) and the abort signal is checked. Nothing
 * is written during the phase, so a cancel there leaves nothing behind.
 */
import type { FileHandle } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { problem, type Problem } from '../../../../shared/problems.js';
import { MANIFEST_NAME } from '../../bundle/format.js';
import { sha256 } from '../../crypto/sha256.js';
import { AirlockError, throwIfAborted } from '../../errors.js';
import { openRegular } from '../../fs/open-regular.js';
import { openDigestColumn } from '../../compact/digest-column.js';
import { ManifestParser, manifestBomProblem, payloadManifestSteps, type ManifestParseStep, type PayloadManifestRead } from '../tag-checks.js';
import type { ManifestSpan, VerifyState } from '../verify-state.js';

/** Bytes read back from the bundle file at a time (one buffer, reused). */
export const MANIFEST_READ_CHUNK = 1 << 20;

const LF = 0x0a;
const CR = 0x0d;

/**
 * Where the last whole line of a chunk ends (the index of its line end), or -1: after the last
 * LF, or after a later CR that is not the chunk's last byte (a CR last may be half of a CRLF).
 * CR-only line ends are cut too, so a manifest written with them is not gathered whole.
 */
function lastLineEnd(chunk: Buffer): number {
  const lf = chunk.lastIndexOf(LF);
  const cr = chunk.lastIndexOf(CR, chunk.length - 2);
  return Math.max(lf, cr);
}

export async function readManifestInSteps(state: VerifyState, bytes: Uint8Array): Promise<PayloadManifestRead> {
  const steps = payloadManifestSteps(bytes, state.limits);
  let lines = 0;
  let parsedBytes = 0;
  let started = false;
  for (;;) {
    const next = steps.next();
    if (next.done === true) {
      if (started && 'entries' in next.value) {
        state.tracker.addBytes(bytes.length - parsedBytes);
        state.tracker.addFiles(next.value.entries.size - lines);
      }
      if (started) state.tracker.flush();
      // A cancel that came during the phase stops here, before import's claim, however short the manifest.
      throwIfAborted(state.options.signal);
      return next.value;
    }
    const step = next.value;
    if (!started) {
      started = true;
      state.tracker.startPhase('reading-manifest', { bytes: bytes.length, files: step.linesTotal });
      continue;
    }
    state.tracker.addBytes(step.bytes - parsedBytes);
    state.tracker.addFiles(step.lines - lines);
    parsedBytes = step.bytes;
    lines = step.lines;
    await stepTurn(state.options.signal);
  }
}

/** Lets the event loop run (a cancel, a progress draw), then stops if the work was cancelled. */
export async function stepTurn(signal: AbortSignal | undefined): Promise<void> {
  await nextTurn();
  throwIfAborted(signal);
}

/**
 * The payload manifest read back from the bundle file (steps/tag-files.ts kept its place and the
 * digest the signed tag manifest matched) and parsed a chunk at a time, so it is never held whole.
 * The bytes are hashed again as they are read: only bytes equal to those authenticated are
 * accepted, so a bundle file changed since its first read is refused (CHECKSUM_MISMATCH), and that
 * refusal wins over anything the parse of changed bytes found (the rest is then hashed, not parsed).
 */
export async function readManifestAt(state: VerifyState, span: ManifestSpan): Promise<PayloadManifestRead> {
  const { bundlePath, signal } = state.options;
  let handle: FileHandle;
  try {
    ({ handle } = await openRegular(bundlePath));
  } catch (error) {
    if (error instanceof AirlockError) throw error;
    throw new AirlockError('BUNDLE_UNREADABLE', `${bundlePath}: ${(error as Error).message}`, { path: bundlePath, cause: error });
  }
  // A large manifest's checksums go to a spill in the station's folder (compact/digest-column.ts); released here unless handed on.
  const digests = openDigestColumn(span.lines, state.options.digestSpill);
  let handedOn = false;
  try {
    const parser = new ManifestParser(span.lines, state.limits, undefined, digests);
    const progress = new StepProgress(state, span);
    const hash = sha256();
    const buffer = Buffer.allocUnsafe(Math.min(MANIFEST_READ_CHUNK, Math.max(1, span.size)));
    let refused: Problem | null = null;
    // Bytes after the last line feed read so far: the start of the next slice.
    let carry = Buffer.alloc(0);
    let position = 0;
    while (position < span.size) {
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, span.size - position), span.offset + position);
      if (bytesRead === 0) break; // the file is shorter than it was: the digest below cannot match
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      if (position === 0) refused = manifestBomProblem(chunk);
      position += bytesRead;
      if (refused) continue;
      const lf = lastLineEnd(chunk);
      if (lf < 0) {
        carry = Buffer.concat([carry, chunk]);
        continue;
      }
      const slice = carry.length === 0 ? chunk.subarray(0, lf + 1) : Buffer.concat([carry, chunk.subarray(0, lf + 1)]);
      // The slice is decoded and parsed before the buffer is read into again; the carry is a copy.
      refused = await progress.parse(parser.slice(slice));
      carry = Buffer.from(chunk.subarray(lf + 1));
    }
    if (!refused && carry.length > 0) refused = await progress.parse(parser.slice(carry));
    // A cancel that came during the phase stops here, before import's claim, however short the manifest.
    throwIfAborted(signal);
    if (position !== span.size || hash.digest('hex') !== span.sha256) {
      return {
        problem: problem('CHECKSUM_MISMATCH', `The tag file ${MANIFEST_NAME} changed while it was read: it differs from what was signed.`, MANIFEST_NAME),
      };
    }
    if (refused) return { problem: refused };
    progress.finish(parser.entries.size);
    handedOn = true;
    return { entries: parser.entries };
  } catch (error) {
    if (error instanceof AirlockError) throw error;
    throw new AirlockError('BUNDLE_UNREADABLE', `${bundlePath}: ${(error as Error).message}`, { path: bundlePath, cause: error });
  } finally {
    if (!handedOn) digests.release();
    await handle.close();
  }
}

/** The 'reading-manifest' phase of a parse fed in slices: started at once, counted between steps, a turn of the event loop at each. */
class StepProgress {
  private lines = 0;
  private bytes = 0;

  constructor(
    private readonly state: VerifyState,
    private readonly span: ManifestSpan,
  ) {
    state.tracker.startPhase('reading-manifest', { bytes: span.size, files: span.lines });
  }

  /** Drain one slice's parse, reporting at each step; its refusal, else null. */
  async parse(steps: Generator<ManifestParseStep, Problem | null>): Promise<Problem | null> {
    for (;;) {
      const next = steps.next();
      if (next.done === true) return next.value;
      const { tracker } = this.state;
      tracker.addBytes(next.value.bytes - this.bytes);
      tracker.addFiles(next.value.lines - this.lines);
      this.bytes = next.value.bytes;
      this.lines = next.value.lines;
      await stepTurn(this.state.options.signal);
    }
  }

  finish(files: number): void {
    const { tracker } = this.state;
    tracker.addBytes(this.span.size - this.bytes);
    tracker.addFiles(files - this.lines);
    tracker.flush();
  }
}
