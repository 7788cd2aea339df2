/**
 * The payload manifest parsed as a phase of its own ('reading-manifest'): a 200,000-line
 * manifest is seconds of parsing on a loaded machine, and a progress line silent that long looks
 * hung (issue #18). The parse runs in steps (payloadManifestSteps); between two, progress is
 * reported, the event loop runs (so a cancel can arrive) and the abort signal is checked. Nothing
 * is written during the phase, so a cancel there leaves nothing behind.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { throwIfAborted } from '../../errors.js';
import { payloadManifestSteps, type PayloadManifestRead } from '../tag-checks.js';
import type { VerifyState } from '../verify-state.js';

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
