/**
 * Verify a bundle twice, by the sequential pass and by the parallel one forced onto every payload
 * file however small (electron/core/verify/parallel/), and require the two reports to be the same
 * in every field: problems (codes, messages, paths, order), per-file results, the bundle's facts,
 * policy findings and the verified payload rows. Hostile-bundle tests verify through this, so each
 * of their cases is also a differential test of the parallel pass.
 */
import { expect } from 'vitest';
import { checkBundle, type CheckBundleOptions, type CheckBundleResult, type PayloadLanes } from '../../electron/core/verify/check-bundle.js';

/** The parallel pass on every file with data, whatever its size: the scout reads one tar block at a time. */
export const EVERY_FILE_ON_LANES: PayloadLanes = { minBundleBytes: 0, claimMinBytes: 1, scoutReadBytes: 512 };

/** The report as plain data (payload rows are read once, as the audit log reads them). */
export function reportOf(result: CheckBundleResult): Record<string, unknown> {
  return { ...result, payload: [...result.payload] };
}

/** The sequential pass's result, after checking the parallel pass reports exactly the same. */
export async function verifyBothWays(options: Omit<CheckBundleOptions, 'payloadLanes'>, lanes: PayloadLanes = EVERY_FILE_ON_LANES): Promise<CheckBundleResult> {
  // One clock for both: the signature-date finding quotes it.
  const now = options.now ?? new Date();
  const sequential = await checkBundle({ ...options, now, payloadLanes: 'off' });
  const parallel = await checkBundle({ ...options, now, payloadLanes: lanes });
  expect(reportOf(parallel)).toEqual(reportOf(sequential));
  return sequential;
}
