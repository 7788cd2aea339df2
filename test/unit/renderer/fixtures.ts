/** Realistic results as main sends them, for component tests. */
import type {
  AuditEventView,
  AuditVerifyReport,
  ExportReport,
  ImportReport,
  JobSnapshot,
  MediaVerifyView,
  MediaVolumeView,
  MediumBundle,
  SelectionSummary,
  StationSettingsView,
  TrustedSignerView,
  VerifyReport,
} from '../../../shared/ipc.js';
import type { PolicyFinding } from '../../../shared/results.js';

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
  files: {
    listed: [
      { path: 'data/reports/q3\u202Etxt.pdf', size: 2_000_000, outcome: 'ok', code: null },
      { path: 'data/reports/q4.pdf', size: 500_000, outcome: 'ok', code: null },
      { path: 'data/notes.txt', size: 1200, outcome: 'ok', code: null },
    ],
    counts: { ok: 3, 'checksum-mismatch': 0, missing: 0, unlisted: 0, 'refused-name': 0, 'refused-type': 0, 'refused-limit': 0 },
    cap: { ok: 500, failed: 1000 },
    omitted: { ok: 0, failed: 0 },
    notChecked: 0,
    complete: true,
  },
  policy: { findings: policyFindings() },
};

/** The nine findings as core reports them, every one passing unless overridden. */
export function policyFindings(overrides: Partial<Record<PolicyFinding['check'], Partial<PolicyFinding>>> = {}): PolicyFinding[] {
  const base: PolicyFinding[] = [
    {
      check: 'trusted-signer',
      outcome: 'pass',
      rule: 'A signature over the tag manifest by a key this station trusts, neither expired nor revoked.',
      detail: 'Signed by Lab B diode.',
      code: null,
      refusedBy: 'verify',
    },
    {
      check: 'required-signers',
      outcome: 'pass',
      rule: 'At least 1 distinct trusted signer.',
      detail: '1 distinct trusted signer(s).',
      code: null,
      refusedBy: 'verify',
    },
    {
      check: 'signature-date',
      outcome: 'pass',
      rule: "Signature dated no later than this station's clock plus 300 s of allowed clock skew.",
      detail: 'Signed at 2026-11-28T10:00:00.000Z.',
      code: null,
      refusedBy: 'verify',
    },
    {
      check: 'limit-files',
      outcome: 'pass',
      rule: 'At most 1,000,000 archive entries and manifest lines.',
      detail: '3 files listed, 9 archive entries.',
      code: null,
      refusedBy: 'verify',
    },
    { check: 'limit-total-bytes', outcome: 'pass', rule: 'Payload of at most 4.40 TB.', detail: '2.50 MB of payload read.', code: null, refusedBy: 'verify' },
    { check: 'limit-file-bytes', outcome: 'pass', rule: 'No file larger than 1.10 TB.', detail: 'Largest file 2.00 MB.', code: null, refusedBy: 'verify' },
    {
      check: 'limit-paths',
      outcome: 'pass',
      rule: 'Paths at most 64 levels deep and 4096 bytes long, each name at most 255 bytes.',
      detail: 'Deepest path 3 levels, longest 24 bytes.',
      code: null,
      refusedBy: 'verify',
    },
    {
      check: 'file-names',
      outcome: 'pass',
      rule: 'No absolute, "..", backslash or duplicate (Unicode or case twin) paths.',
      detail: "All 3 listed paths and the bundle's name pass.",
      code: null,
      refusedBy: 'import',
    },
    {
      check: 'replay',
      outcome: 'pass',
      rule: 'A bundle this station already imported is not imported again without the explicit, recorded override.',
      detail: 'Not imported on this station before.',
      code: null,
      refusedBy: 'import',
    },
  ];
  return base.map((f) => ({ ...f, ...overrides[f.check] }));
}

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
  files: {
    ...verified.files,
    listed: [
      { path: 'data/reports/q3\u202Etxt.pdf', size: 2_000_000, outcome: 'checksum-mismatch', code: 'CHECKSUM_MISMATCH' },
      { path: 'data/reports/q4.pdf', size: 500_000, outcome: 'ok', code: null },
      { path: 'data/notes.txt', size: 1200, outcome: 'ok', code: null },
    ],
    counts: { ...verified.files.counts, ok: 2, 'checksum-mismatch': 1 },
  },
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

export const running = (id: string, kind: JobSnapshot['kind']): JobSnapshot => ({
  id,
  kind,
  state: 'running',
  subject: '/x',
  startedAt: '2026-11-28T10:00:00Z',
  finishedAt: null,
  progress: null,
  error: null,
  result: null,
});

export const auditEvents: AuditEventView[] = [
  {
    seq: 12,
    at: '2026-11-28T10:05:00.000Z',
    type: 'settings-change',
    outcome: 'ok',
    operator: 'op (op)',
    station: 'ws-3',
    bundleName: null,
    bundleUuid: null,
    signers: [],
    problemCodes: [],
    errorCode: null,
    files: null,
    bytes: null,
    subject: 'operatorName: (default) → J. Smith',
    message: null,
    changes: [{ field: 'operatorName', from: null, to: 'J. Smith' }],
  },
  {
    seq: 11,
    at: '2026-11-28T10:04:00.000Z',
    type: 'verify',
    outcome: 'rejected',
    operator: 'op (op)',
    station: 'ws-3',
    bundleName: 'q3\u202Etxt.pdf',
    bundleUuid: exportResult.uuid,
    signers: [FPR],
    problemCodes: ['CHECKSUM_MISMATCH'],
    errorCode: null,
    files: 3,
    bytes: 2_501_200,
    subject: '/media/usb/q3.airlock.tar',
    message: null,
    changes: [],
  },
  {
    seq: 10,
    at: '2026-11-28T10:03:00.000Z',
    type: 'export',
    outcome: 'cancelled',
    operator: 'op (op)',
    station: 'ws-3',
    bundleName: null,
    bundleUuid: null,
    signers: [],
    problemCodes: [],
    errorCode: 'CANCELLED',
    files: null,
    bytes: null,
    subject: '/media/usb',
    message: 'The operation was cancelled; nothing was left half-written.',
    changes: [],
  },
];

export const chainIntact: AuditVerifyReport = {
  ok: true,
  events: 12,
  checkpoints: 1,
  lastCheckpointSeq: 9,
  firstBroken: null,
  notes: ['Events #10-#12 are chained but not yet covered by a signed checkpoint.'],
};

export const settings: StationSettingsView = {
  config: { stationName: 'ws-3', operatorName: null, organization: null },
  policy: { maxEntries: null, maxTotalBytes: null, maxFileBytes: 1_048_576, requiredSigners: null, clockSkewSeconds: null },
  effective: {
    station: 'ws-3',
    operator: 'op',
    organization: null,
    policy: { maxEntries: 1_000_000, maxTotalBytes: 4096 * 1024 ** 3, maxFileBytes: 1_048_576, requiredSigners: 1, clockSkewSeconds: 300 },
  },
  defaults: {
    stationName: 'host-7',
    operator: 'op',
    policy: { maxEntries: 1_000_000, maxTotalBytes: 4096 * 1024 ** 3, maxFileBytes: 1024 * 1024 ** 3, requiredSigners: 1, clockSkewSeconds: 300 },
  },
  language: { configured: null, effective: 'en' },
  preserved: ['config.json mediaRoots'],
  files: { config: '/home/op/.config/Airlock/config.json', policy: '/home/op/.config/Airlock/policy.json' },
};

// Removable media ------------------------------------------------------------

export const usbStick: MediaVolumeView = {
  id: '/dev/sdb1',
  device: '/dev/sdb1',
  disk: '/dev/sdb',
  label: 'TRANSFER',
  filesystem: 'vfat',
  size: 15_600_000_000,
  free: 15_500_000_000,
  mountPoint: '/media/op/TRANSFER',
  vendor: 'SanDisk',
  model: 'Cruzer Blade',
  serial: '4C530001230517115104',
  readOnly: false,
  removable: true,
  source: 'lsblk',
};

/** Too small for the fixture selection, with a label crafted to reorder what the operator reads. */
export const tinyHostile: MediaVolumeView = {
  ...usbStick,
  id: '/dev/sdc1',
  device: '/dev/sdc1',
  disk: '/dev/sdc',
  label: 'EVIL\u202Egpj.exe',
  filesystem: 'ext4',
  size: 2_000_000,
  free: 1_000_000,
  mountPoint: '/media/op/EVIL',
  serial: null,
};

export const declaredFolder: MediaVolumeView = {
  ...usbStick,
  id: '/srv/diode/outbox',
  device: null,
  disk: null,
  label: null,
  filesystem: 'ext4',
  mountPoint: '/srv/diode/outbox',
  vendor: null,
  model: null,
  serial: null,
  removable: false,
  source: 'config',
};

export const mediumBundles: MediumBundle[] = [
  { name: 'q3\u202Egpj', kind: 'bundle', path: '/media/op/TRANSFER/q3\u202Egpj.airlock.tar', bytes: 10_240, partsHere: 0, partsTotal: null, indexHere: false },
  {
    name: 'scans',
    kind: 'split',
    path: '/media/op/TRANSFER/scans.airlock.tar.part-001-of-003',
    bytes: 8_000_000_000,
    partsHere: 2,
    partsTotal: 3,
    indexHere: true,
  },
];

export const readBack = {
  ok: true,
  method: 'o-direct' as const,
  bypassesCache: true,
  methodDetail: 'dd iflag=direct on vfat',
  files: [],
  problems: [],
  bytes: 2_516_992,
  seconds: 0.4,
};

export const mediaExportResult: ExportReport = {
  ...exportResult,
  bundlePath: '/media/op/TRANSFER/airlock-000007-20261128.airlock.tar',
  media: {
    bundle: { name: exportResult.name, uuid: exportResult.uuid, tagmanifestSha256: exportResult.tagmanifestSha256 },
    split: false,
    parts: 1,
    volumes: [
      {
        number: 1,
        medium: { label: 'TRANSFER', serial: usbStick.serial, device: '/dev/sdb1', mountPoint: usbStick.mountPoint, filesystem: 'vfat' },
        files: ['/media/op/TRANSFER/airlock-000007-20261128.airlock.tar'],
        readBack: {
          ...readBack,
          files: [
            {
              file: '/media/op/TRANSFER/airlock-000007-20261128.airlock.tar',
              size: 2_516_992,
              expectedSha256: 'cd'.repeat(32),
              actualSha256: 'cd'.repeat(32),
              ok: true,
            },
          ],
        },
      },
    ],
    files: [{ path: '/media/op/TRANSFER/airlock-000007-20261128.airlock.tar', size: 2_516_992, sha256: 'cd'.repeat(32), volume: 1, kind: 'bundle' }],
    indexFile: null,
    removedLeftovers: [],
    readBackOk: true,
  },
};

export const mediumVerified: MediaVerifyView = {
  ok: true,
  dir: '/media/op/TRANSFER',
  medium: { label: 'TRANSFER', serial: usbStick.serial, device: '/dev/sdb1', mountPoint: usbStick.mountPoint, filesystem: 'vfat' },
  readBack: { method: 'o-direct', bypassesCache: true, detail: 'dd iflag=direct' },
  items: [{ kind: 'bundle', file: '/media/op/TRANSFER/airlock-000007-20261128.airlock.tar', ok: true, reassembled: false, result: verified }],
  problems: [],
  warnings: [],
  seconds: 1.2,
};

export const mediumRejected: MediaVerifyView = {
  ...mediumVerified,
  ok: false,
  items: [{ kind: 'bundle', file: '/media/op/TRANSFER/airlock-000007-20261128.airlock.tar', ok: false, reassembled: false, result: rejected }],
  problems: [{ ...rejected.problems[0]!, path: '/media/op/TRANSFER/airlock-000007-20261128.airlock.tar:data/reports/q3\u202Etxt.pdf' }],
  warnings: ['/media/op/TRANSFER/.x.airlock.tar.0123456789ab.partial is left over from an interrupted write.'],
};
