/**
 * The IPC schemas of content inspection and the quarantine (#16.7). Results: the job host parses
 * every job result with these schemas, and zod drops keys a schema does not name, so the
 * inspection, the quarantine id and a problem's archive members must be in them or the app would
 * silently show a report without them; and every string and array is bounded, so a runaway
 * answer never reaches the page. Requests: quarantine ids that are not one folder name, reasons
 * that are empty or carry control or bidi characters, unknown keys: all refused.
 */
import { describe, expect, it } from 'vitest';
import {
  ImportResultSchema,
  INSPECTION_IPC_LIMITS,
  InspectionStatusSchema,
  IPC_CHANNELS,
  JobSnapshotSchema,
  QuarantineEntrySchema,
  VerifyResultSchema,
} from '../../../shared/ipc.js';
import { heldEntry, inspectionOn, refusedReport } from '../renderer/inspection-fixtures.js';

const L = INSPECTION_IPC_LIMITS;

describe('verify and import results keep what inspection adds', () => {
  it('keeps the inspection summary, the problems’ archive members and the quarantine id through the job host’s parse', () => {
    const verify = VerifyResultSchema.parse(refusedReport);
    expect(verify.inspection).toEqual(refusedReport.inspection);
    expect(verify.problems[0]?.members).toEqual(['inner/b\u202Efdp.zip', 'c.exe']);
    const imported = ImportResultSchema.parse({ ...refusedReport, destination: null, warnings: [], quarantine: { id: 'q-1', path: '/h/quarantine/q-1' } });
    expect(imported.quarantine).toEqual({ id: 'q-1', path: '/h/quarantine/q-1' });
    expect(imported.inspection?.items).toHaveLength(3);
  });

  it('carries a finished release job', () => {
    const snapshot = {
      id: 'j',
      kind: 'quarantine-release',
      state: 'succeeded',
      subject: heldEntry.id,
      startedAt: 'x',
      finishedAt: 'y',
      progress: null,
      error: null,
      result: {
        entry: { ...heldEntry, status: 'released' },
        approvals: { given: 1, required: 1 },
        import: { ...refusedReport, ok: true, problems: [], destination: '/srv/in/b', warnings: [] },
        auditEvent: 4,
      },
    };
    expect(JobSnapshotSchema.parse(snapshot)).toEqual(snapshot);
  });

  const item = refusedReport.inspection?.items[0];
  it.each([
    ['too many items', { items: Array.from({ length: L.items + 1 }, () => item) }],
    ['a path over the limit', { items: [{ ...item, path: `data/${'a'.repeat(L.name)}` }] }],
    ['a member name over the limit', { items: [{ ...item, members: ['x'.repeat(L.name + 1)] }] }],
    ['members nested beyond the limit', { items: [{ ...item, members: Array.from({ length: L.members + 1 }, () => 'm') }] }],
    ['a scanner detail over the limit', { items: [{ ...item, scanDetail: 'x'.repeat(L.detail + 1) }] }],
    ['an unknown problem code', { items: [{ ...item, findings: ['EVIL'] }] }],
    ['an unknown scan outcome', { items: [{ ...item, scan: 'probably-clean' }] }],
    ['a scanner address over the limit', { scanner: { ...refusedReport.inspection?.scanner, address: 'x'.repeat(L.detail + 1) } }],
  ])('refuses an inspection with %s', (_name, change) => {
    expect(VerifyResultSchema.safeParse({ ...refusedReport, inspection: { ...refusedReport.inspection, ...change } }).success).toBe(false);
  });

  it('bounds quarantine entries and the scanner status', () => {
    expect(QuarantineEntrySchema.safeParse({ ...heldEntry, bundleName: 'b'.repeat(4097) }).success).toBe(false);
    expect(QuarantineEntrySchema.safeParse({ ...heldEntry, status: 'maybe' }).success).toBe(false);
    expect(
      QuarantineEntrySchema.safeParse({ ...heldEntry, releases: Array.from({ length: 17 }, () => ({ operator: 'o', reason: 'r', at: 't' })) }).success,
    ).toBe(false);
    expect(InspectionStatusSchema.safeParse(inspectionOn).success).toBe(true);
    expect(InspectionStatusSchema.safeParse({ ...inspectionOn, policy: { ...inspectionOn.policy, releaseApprovals: 3 } }).success).toBe(false);
  });
});

describe('quarantine requests', () => {
  const release = (fields: Record<string, unknown>) =>
    IPC_CHANNELS.startQuarantineRelease.request.safeParse({
      id: heldEntry.id,
      destDir: '/srv/in',
      reason: 'cleared',
      confirmName: heldEntry.bundleName,
      ...fields,
    });

  it('takes a well-formed release, trimming the reason', () => {
    const parsed = release({ reason: '  cleared by the security officer ', operator: ' B. Jones ', signer: { kind: 'station', passphrase: 'pw' } });
    expect(parsed.success && parsed.data.reason).toBe('cleared by the security officer');
    expect(parsed.success && parsed.data.operator).toBe('B. Jones');
    for (const signer of [
      { kind: 'key-file', file: '/home/b/key.asc', passphrase: 'pw' },
      { kind: 'gpg', fingerprint: 'AB'.repeat(20) },
      { kind: 'gpg', fingerprint: 'AB'.repeat(20), passphrase: 'pw' },
    ]) {
      expect(release({ signer }).success, JSON.stringify(signer)).toBe(true);
    }
  });

  it.each([
    ['a path as id', { id: '../../etc' }],
    ['a slash in the id', { id: 'a/b' }],
    ['a dot id', { id: '.' }],
    ['a dot-dot id', { id: '..' }],
    ['a NUL in the id', { id: 'a\u0000b' }],
    ['an id over the limit', { id: 'a'.repeat(129) }],
    ['an empty id', { id: '' }],
    ['a number id', { id: 7 }],
    ['no reason', { reason: undefined }],
    ['an empty reason', { reason: '' }],
    ['a reason of spaces', { reason: '   ' }],
    ['a reason with a newline', { reason: 'ok\nforged audit line' }],
    ['a reason with a bidi override', { reason: 'ok \u202Edesaeler' }],
    ['a reason over the limit', { reason: 'r'.repeat(1001) }],
    ['no confirmation', { confirmName: undefined }],
    ['an empty destination', { destDir: '' }],
    ['a destination over the limit', { destDir: `/${'d'.repeat(4096)}` }],
    ['an operator name with an escape sequence', { operator: 'B\u001b[2J' }],
    ['an operator name over the limit', { operator: 'B'.repeat(201) }],
    ['an unknown signer kind', { signer: { kind: 'smartcard', passphrase: 'pw' } }],
    ['a station signer without a passphrase', { signer: { kind: 'station' } }],
    ['a key file signer with an empty path', { signer: { kind: 'key-file', file: '', passphrase: 'pw' } }],
    ['a GnuPG signer with a short fingerprint', { signer: { kind: 'gpg', fingerprint: 'ABCD' } }],
    ['a GnuPG signer with a home folder', { signer: { kind: 'gpg', fingerprint: 'AB'.repeat(20), homedir: '/tmp/evil' } }],
    ['a signer with an unknown key', { signer: { kind: 'station', passphrase: 'pw', cache: true } }],
    ['an unknown key', { force: true }],
  ])('refuses a release with %s', (_name, fields) => {
    expect(release(fields).success).toBe(false);
  });

  it('refuses malformed list, show and purge requests', () => {
    expect(IPC_CHANNELS.listQuarantine.request.safeParse({}).success).toBe(true);
    expect(IPC_CHANNELS.listQuarantine.request.safeParse({ status: 'deleted' }).success).toBe(false);
    expect(IPC_CHANNELS.listQuarantine.request.safeParse({ status: 'purged' }).success).toBe(false);
    expect(IPC_CHANNELS.listQuarantine.request.safeParse({ status: 'held', limit: 5 }).success).toBe(false);
    expect(IPC_CHANNELS.showQuarantine.request.safeParse({ id: '../x' }).success).toBe(false);
    expect(IPC_CHANNELS.purgeQuarantine.request.safeParse({ id: heldEntry.id }).success).toBe(false);
    expect(IPC_CHANNELS.purgeQuarantine.request.safeParse({ id: heldEntry.id, confirmName: '' }).success).toBe(false);
    expect(IPC_CHANNELS.inspectionStatus.request.safeParse({ refresh: true }).success).toBe(false);
  });
});
