/** Realistic results as main sends them, for component tests. */
import type { AuditEventView, AuditVerifyReport, ExportReport, ImportReport, JobSnapshot, SelectionSummary, StationSettingsView, TrustedSignerView, VerifyReport } from '../../../shared/ipc.js';

export const FPR = '0123456789ABCDEF0123456789ABCDEF01234567';
export const GROUPED = '0123 4567 89AB CDEF 0123 4567 89AB CDEF 0123 4567';

export const stationKey: TrustedSignerView = {
  fingerprint: FPR,
  label: 'this station',
  role: 'station',
  userIds: ['Station 3 <s3@example.org>'],
  algorithm: 'eddsaLegacy (ed25519)',
  addedAt: '2026-11-28T10:00:00.000Z',
};

export const status = { version: '0.1.0', home: '/home/op/.config/Airlock', station: 'ws-3', operator: 'op', hasKey: true, stationKey };

export const summary: SelectionSummary = {
  items: [
    { path: '/data/reports', name: 'reports', kind: 'folder', files: 2, bytes: 2_500_000 },
    { path: '/data/notes.txt', name: 'notes.txt', kind: 'file', files: 1, bytes: 1200 },
  ],
  totalFiles: 3,
  totalBytes: 2_501_200,
  warnings: [{ path: '/data/reports/empty', message: 'empty folder: not carried (bundles carry files only)', blocking: false }],
  truncated: false,
};

export const exportResult: ExportReport = {
  bundlePath: '/media/usb/airlock-000007-20261128.airlock.tar',
  name: 'airlock-000007-20261128',
  uuid: '6f1c2a9e-2b7d-4c41-9d55-0d4f0b8f2a11',
  sequence: 7,
  files: 3,
  bytes: 2_501_200,
  bundleBytes: 2_516_992,
  tagmanifestSha256: 'ab'.repeat(32),
  signers: [{ fingerprint: FPR, userIds: ['Station 3 <s3@example.org>'] }],
  warnings: [],
};

export const verified: VerifyReport = {
  ok: true,
  bundle: {
    name: 'airlock-000007-20261128',
    path: '/media/usb/airlock-000007-20261128.airlock.tar',
    uuid: exportResult.uuid,
    station: 'ws-3',
    operator: 'op (op)',
    sequence: 7,
    created: '2026-11-28T10:00:00Z',
    files: 3,
    bytes: 2_501_200,
    tagmanifestSha256: 'ab'.repeat(32),
  },
  signers: [{ fingerprint: FPR, userIds: ['Station 3 <s3@example.org>'], label: 'Lab B diode', role: null, signedAt: '2026-11-28T10:00:00.000Z' }],
  problems: [],
};

export const rejected: VerifyReport = {
  ...verified,
  ok: false,
  problems: [
    {
      code: 'CHECKSUM_MISMATCH',
      path: 'data/reports/q3\u202Etxt.pdf',
      message: 'A file’s contents do not match the checksum recorded when it was signed.',
    },
  ],
};

export const imported: ImportReport = { ...verified, destination: '/srv/inbox/airlock-000007-20261128', warnings: ['Sequence number 7 is lower than 9.'] };

export function finishedJob<K extends JobSnapshot['kind']>(id: string, kind: K, result: unknown, error: JobSnapshot['error'] = null): JobSnapshot {
  return {
    id,
    kind,
    state: error ? (error.code === 'CANCELLED' ? 'cancelled' : 'failed') : 'succeeded',
    subject: '/x',
    startedAt: '2026-11-28T10:00:00Z',
    finishedAt: '2026-11-28T10:00:05Z',
    progress: null,
    error,
    result: error ? null : result,
  } as JobSnapshot;
}

export const running = (id: string, kind: JobSnapshot['kind']): JobSnapshot =>
  ({ id, kind, state: 'running', subject: '/x', startedAt: '2026-11-28T10:00:00Z', finishedAt: null, progress: null, error: null, result: null }) as JobSnapshot;

export const auditEvents: AuditEventView[] = [
  {
    seq: 12, at: '2026-11-28T10:05:00.000Z', type: 'settings-change', outcome: 'ok', operator: 'op (op)', station: 'ws-3', bundleName: null, bundleUuid: null,
    signers: [], problemCodes: [], errorCode: null, files: null, bytes: null, subject: 'operatorName: (default) → J. Smith', message: null,
    changes: [{ field: 'operatorName', from: null, to: 'J. Smith' }],
  },
  {
    seq: 11, at: '2026-11-28T10:04:00.000Z', type: 'verify', outcome: 'rejected', operator: 'op (op)', station: 'ws-3', bundleName: 'q3\u202Etxt.pdf', bundleUuid: exportResult.uuid,
    signers: [FPR], problemCodes: ['CHECKSUM_MISMATCH'], errorCode: null, files: 3, bytes: 2_501_200, subject: '/media/usb/q3.airlock.tar', message: null, changes: [],
  },
  {
    seq: 10, at: '2026-11-28T10:03:00.000Z', type: 'export', outcome: 'cancelled', operator: 'op (op)', station: 'ws-3', bundleName: null, bundleUuid: null,
    signers: [], problemCodes: [], errorCode: 'CANCELLED', files: null, bytes: null, subject: '/media/usb', message: 'The operation was cancelled; nothing was left half-written.', changes: [],
  },
];

export const chainIntact: AuditVerifyReport = { ok: true, events: 12, checkpoints: 1, lastCheckpointSeq: 9, firstBroken: null, notes: ['Events #10-#12 are chained but not yet covered by a signed checkpoint.'] };

export const settings: StationSettingsView = {
  config: { stationName: 'ws-3', operatorName: null, organization: null },
  policy: { maxEntries: null, maxTotalBytes: null, maxFileBytes: 1_048_576, requiredSigners: null, clockSkewSeconds: null },
  effective: { station: 'ws-3', operator: 'op', organization: null, policy: { maxEntries: 1_000_000, maxTotalBytes: 4096 * 1024 ** 3, maxFileBytes: 1_048_576, requiredSigners: 1, clockSkewSeconds: 300 } },
  defaults: { stationName: 'host-7', operator: 'op', policy: { maxEntries: 1_000_000, maxTotalBytes: 4096 * 1024 ** 3, maxFileBytes: 1024 * 1024 ** 3, requiredSigners: 1, clockSkewSeconds: 300 } },
  preserved: ['config.json mediaRoots'],
  files: { config: '/home/op/.config/Airlock/config.json', policy: '/home/op/.config/Airlock/policy.json' },
};
