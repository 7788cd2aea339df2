/** A small import receipt and its annex rows, for tests that render PDFs without running an import. */
import type { TransferReceipt } from '../../electron/core/audit/receipt.js';

export function sampleImportReceipt(name: string): TransferReceipt {
  return {
    receipt: 'airlock-transfer-receipt',
    version: 1,
    kind: 'import',
    bundle: { name, uuid: null, tagmanifestSha256: 'ab'.repeat(32), path: `/in/${name}.airlock.tar` },
    signers: [],
    checks: [{ check: 'Replay guard', result: 'passed', detail: 'first import of this bundle' }],
    files: 2,
    bytes: 3,
    destination: `/data/${name}`,
    media: null,
    operator: 'op',
    station: 'st',
    startedAt: '2026-12-03T09:00:00.000Z',
    finishedAt: '2026-12-03T09:00:01.000Z',
    audit: { eventSeq: 1, eventHash: 'cd'.repeat(32), checkpoint: null },
  };
}

export const SAMPLE_ANNEX_ROWS = [
  { path: 'a.txt', size: 1, sha256: '1'.repeat(64) },
  { path: 'b.txt', size: 2, sha256: '2'.repeat(64) },
];
