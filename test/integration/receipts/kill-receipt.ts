import type { TransferReceipt } from '../../../electron/core/audit/receipt.js';

/** The receipt the kill child writes and the test checks for. */
export const killReceipt: TransferReceipt = {
  receipt: 'airlock-transfer-receipt',
  version: 1,
  kind: 'import',
  bundle: { name: 'killed', uuid: null, tagmanifestSha256: 'ab'.repeat(32), path: '/x/killed.airlock.tar' },
  signers: [],
  checks: [{ check: 'Replay guard', result: 'passed', detail: 'first import of this bundle' }],
  files: 2,
  bytes: 3,
  destination: '/x/killed',
  media: null,
  operator: 'op',
  station: 'st',
  startedAt: '2026-12-03T09:00:00.000Z',
  finishedAt: '2026-12-03T09:00:01.000Z',
  audit: { eventSeq: 9, eventHash: 'cd'.repeat(32), checkpoint: null },
};

export const killRows = [
  { path: 'a.txt', size: 1, sha256: '1'.repeat(64) },
  { path: 'b.txt', size: 2, sha256: '2'.repeat(64) },
];
