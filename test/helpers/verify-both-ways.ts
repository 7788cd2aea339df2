/**
 * Verify a bundle three times, by the sequential pass, by the parallel one forced onto every
 * payload file however small, and by the stream lane in small chunks that headers and data
 * straddle (electron/core/verify/parallel/), and require the reports to be the same in every
 * field: problems (codes, messages, paths, order), per-file results, the bundle's facts, policy
 * findings and the verified payload rows. Hostile-bundle tests verify through this, so each of
 * their cases is also a differential test of both passes on two cores.
 */
import { stat } from 'node:fs/promises';
import { expect } from 'vitest';
import { checkBundle, type CheckBundleOptions, type CheckBundleResult, type PayloadLanes } from '../../electron/core/verify/check-bundle.js';

/** The parallel pass on every file with data, whatever its size: the scout reads one tar block at a time. */
export const EVERY_FILE_ON_LANES: PayloadLanes = { minBundleBytes: 0, claimMinBytes: 1, scoutReadBytes: 512 };

/**
 * The stream lane on any bundle, in chunks of 1000 bytes (not a whole number of tar blocks: headers,
 * data and padding straddle them, and a chunk ends inside a block), its worker waited for. Every
 * source verify reads from a file reads 256 KiB at a time; standard input and split parts arrive in
 * reads of any size. readTarEntries hands node-tar whole blocks only, so the reports must not
 * depend on the chunk edges (docs/design-notes.md, smallver2's finding, hostile8).
 */
export const STREAM_LANE_SMALL_CHUNKS = { minBundleBytes: 0, chunkBytes: 1000, waitForWorker: true } as const;

/** The report as plain data (payload rows are read once, as the audit log reads them). */
export function reportOf(result: CheckBundleResult): Record<string, unknown> {
  return { ...result, payload: [...result.payload] };
}

/** The sequential pass's result, after checking the parallel pass reports exactly the same. */
export async function verifyBothWays(options: Omit<CheckBundleOptions, 'payloadLanes'>, lanes: PayloadLanes = EVERY_FILE_ON_LANES): Promise<CheckBundleResult> {
  // One clock for all: the signature-date finding quotes it.
  const now = options.now ?? new Date();
  const sequential = await checkBundle({ ...options, now, payloadLanes: 'off', streamLane: 'off' });
  const parallel = await checkBundle({ ...options, now, payloadLanes: lanes, streamLane: 'off' });
  expect(reportOf(parallel)).toEqual(reportOf(sequential));
  // The stream lane keeps no bytes: only where the caller keeps none either (it is not used with a sink or inspectors).
  const readable = options.source === undefined && (await stat(options.bundlePath).catch(() => null))?.isFile() === true;
  if (readable && options.payloadSink === undefined && (options.inspectors?.length ?? 0) === 0) {
    const streamed = await checkBundle({ ...options, now, payloadLanes: 'off', streamLane: STREAM_LANE_SMALL_CHUNKS });
    expect(reportOf(streamed)).toEqual(reportOf(sequential));
  }
  return sequential;
}
