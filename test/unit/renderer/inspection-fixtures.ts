/** Content inspection and quarantine results as main sends them (issue #16), for component tests. */
import type { InspectionStatusView, VerifyReport } from '../../../shared/ipc.js';
import type { InspectedItem, InspectionSummary, QuarantineEntry, ScannerStatus } from '../../../shared/inspection.js';
import { problem } from '../../../shared/problems.js';
import { FPR, verified } from './fixtures.js';

export const scanner: ScannerStatus = {
  kind: 'clamd',
  address: 'unix:/run/clamav/clamd.ctl',
  reachable: true,
  engineVersion: 'ClamAV 1.4.6',
  databaseVersion: 27432,
  databaseDate: '2026-11-30T09:12:00.000Z',
  databaseAgeDays: 3,
  databaseSource: 'version-command',
  error: null,
};

export const cleanItem = (path: string, extra: Partial<InspectedItem> = {}): InspectedItem => ({
  path,
  members: [],
  size: 1200,
  detectedType: 'application/pdf',
  extension: 'pdf',
  macros: false,
  scan: 'clean',
  scanDetail: null,
  findings: [],
  warnings: [],
  ...extra,
});

export const inspectionPassed: InspectionSummary = {
  enabled: true,
  scanner,
  files: 3,
  members: 0,
  bytesScanned: 2_501_200,
  refused: 0,
  warned: 0,
  items: [cleanItem('data/reports/q4.pdf'), cleanItem('data/notes.txt', { detectedType: null, extension: 'txt' })],
  omitted: 1,
  complete: true,
};

/** A marker file two archives deep, its name hostile (a bidi override), and an extension that lies. */
export const malwareItem = cleanItem('data/archive.tar.gz', {
  members: ['inner/b\u202Efdp.zip', 'c.exe'],
  size: 68,
  detectedType: 'application/x-msdownload',
  extension: 'exe',
  scan: 'found',
  scanDetail: 'Airlock.Test.Marker.UNOFFICIAL',
  findings: ['MALWARE_FOUND'],
});
export const mismatchItem = cleanItem('data/report.pdf', {
  detectedType: 'application/x-elf',
  extension: 'pdf',
  findings: ['TYPE_MISMATCH'],
});

export const inspectionRefused: InspectionSummary = {
  ...inspectionPassed,
  members: 2,
  refused: 2,
  items: [malwareItem, mismatchItem, cleanItem('data/reports/q4.pdf')],
  omitted: 0,
};

export const refusedReport: VerifyReport = {
  ...verified,
  ok: false,
  problems: [
    { ...problem('MALWARE_FOUND', 'Airlock.Test.Marker.UNOFFICIAL', 'data/archive.tar.gz'), members: ['inner/b\u202Efdp.zip', 'c.exe'] },
    problem('TYPE_MISMATCH', 'named .pdf, content application/x-elf', 'data/report.pdf'),
  ],
  inspection: inspectionRefused,
};

export const inspectionOff: InspectionStatusView = { enabled: false, policy: null, scanner: null, checkedAt: '2026-12-03T08:00:00.000Z' };

export const inspectionOn: InspectionStatusView = {
  enabled: true,
  policy: {
    allowTypes: null,
    denyTypes: ['application/x-msdownload', 'application/x-elf'],
    allowExtensions: null,
    denyExtensions: ['exe', 'dll'],
    onMismatch: 'refuse',
    macros: 'refuse',
    archives: { expand: true, maxDepth: 5, maxEntries: 10_000, maxExpandedBytes: 4 * 1024 ** 3, maxRatio: 100 },
    scan: { maxDatabaseAgeDays: 7, onStaleDatabase: 'refuse', onError: 'refuse' },
    releaseApprovals: 1,
  },
  scanner,
  checkedAt: '2026-12-03T08:00:00.000Z',
};

export const heldEntry: QuarantineEntry = {
  id: '20261203T080000Z-7f3a',
  quarantinedAt: '2026-12-03T08:00:00.000Z',
  bundleName: 'airlock-000007-20261128',
  tagmanifestSha256: 'ab'.repeat(32),
  bytes: 2_516_992,
  codes: ['MALWARE_FOUND', 'TYPE_MISMATCH'],
  signers: [FPR],
  status: 'held',
  releases: [],
  releasedTo: null,
};

export const releasedEntry: QuarantineEntry = {
  ...heldEntry,
  id: '20261202T100000Z-01bc',
  quarantinedAt: '2026-12-02T10:00:00.000Z',
  bundleName: 'airlock-000006-20261127',
  codes: ['SCAN_DB_STALE'],
  status: 'released',
  releases: [{ operator: 'op (op)', reason: 'database was updated; false alarm', at: '2026-12-02T11:00:00.000Z' }],
  releasedTo: '/srv/inbox/airlock-000006-20261127',
};
