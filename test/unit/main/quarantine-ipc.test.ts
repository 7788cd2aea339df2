/**
 * Quarantine and inspection over IPC (#16.7), through the real dispatcher and handlers over a
 * station double: hostile requests refused as USAGE before the station is opened or a job
 * starts; main itself checks what a release or purge needs (the entry held, the typed name, a
 * signed decision where the policy says two persons), never trusting the page's form; the release
 * job gets the decision as given; the scanner status maps the policy in brief.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createDispatch } from '../../../electron/main/ipc/dispatch.js';
import { createHandlers, type Dialogs, type StationOps } from '../../../electron/main/ipc/handlers.js';
import type { QuarantineEntry } from '../../../shared/inspection.js';
import type { IpcMethod } from '../../../shared/ipc.js';
import { AirlockError } from '../../../electron/core/index.js';
import { resolveInspectPolicy } from '../../../electron/core/policy/inspect-policy.js';
import { heldEntry, refusedReport, releasedEntry, scanner } from '../renderer/inspection-fixtures.js';

const dialogs = {} as Dialogs;
const jobHost = { start: vi.fn(() => 'job-q'), list: vi.fn(() => []), get: vi.fn(() => undefined), cancel: vi.fn(() => false) };
const FRAME = { url: 'app://airlock/index.html', parent: null };
let required: 1 | 2 = 1;
let entries: QuarantineEntry[] = [];
const detailOf = (id: string) => {
  const entry = entries.find((e) => e.id === id);
  if (!entry) throw new AirlockError('QUARANTINE_NOT_FOUND', `No ${id}.`);
  return {
    entry,
    path: `/home/op/quarantine/${id}`,
    report: refusedReport,
    files: [{ name: 'b.airlock.tar', bytes: entry.bytes }],
    approvals: { given: entry.releases.length, required },
    releasingTo: null,
  };
};
const station = {
  identity: { station: 'ws-3', operator: 'A. Smith (op)' },
  close: vi.fn(),
  inspectionStatus: vi.fn(async () => ({
    policy: resolveInspectPolicy({ scan: { clamd: scanner.address }, quarantine: { releaseApprovals: required } }),
    scanner,
  })),
  quarantineList: vi.fn(async () => entries),
  quarantineShow: vi.fn(async (id: string) => detailOf(id)),
  quarantinePurge: vi.fn(async (request: { ids?: readonly string[] }) => ({
    purged: (request.ids ?? []).map((id) => ({ id, bundleName: detailOf(id).entry.bundleName, status: detailOf(id).entry.status })),
    auditEvent: 9,
  })),
};
const openStation = vi.fn(async () => station as unknown as StationOps);
const call = (method: IpcMethod, payload: unknown) =>
  createDispatch(createHandlers({ openStation, jobHost, dialogs, version: '1' }), { trustedOrigins: ['app://airlock'], log: () => undefined })(
    method,
    FRAME,
    payload,
  );
const releaseOf = (fields: Record<string, unknown> = {}) => ({
  id: heldEntry.id,
  destDir: '/srv/in',
  reason: 'cleared',
  confirmName: heldEntry.bundleName,
  ...fields,
});

beforeEach(() => {
  required = 1;
  entries = [releasedEntry, heldEntry];
  jobHost.start.mockClear();
  openStation.mockClear();
  station.quarantinePurge.mockClear();
});

describe('hostile quarantine requests', () => {
  it.each([
    ['showQuarantine', { id: '../../etc/passwd' }],
    ['showQuarantine', { id: 'q/../../x' }],
    ['showQuarantine', { id: '..' }],
    ['showQuarantine', {}],
    ['listQuarantine', { status: 'everything' }],
    ['purgeQuarantine', { id: heldEntry.id }],
    ['purgeQuarantine', { id: heldEntry.id, confirmName: heldEntry.bundleName, force: true }],
    ['startQuarantineRelease', releaseOf({ reason: '' })],
    ['startQuarantineRelease', releaseOf({ reason: 'fine\r\nOPERATOR: someone else' })],
    ['startQuarantineRelease', releaseOf({ reason: 'x'.repeat(1001) })],
    ['startQuarantineRelease', releaseOf({ id: '../held' })],
    ['startQuarantineRelease', releaseOf({ destDir: 42 })],
    ['startQuarantineRelease', releaseOf({ approvers: [{ operator: 'x', reason: 'y' }] })],
    ['startQuarantineRelease', releaseOf({ signer: { kind: 'key-file', file: '/k.asc' } })],
    ['startQuarantineRelease', releaseOf({ operator: 'Mallory\u202e' })],
    ['inspectionStatus', { scanner: 'tcp:evil:1' }],
  ] as const)('%s %j is USAGE, before the station is opened', async (method, payload) => {
    expect(await call(method, payload)).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringContaining('malformed') } });
    expect(openStation).not.toHaveBeenCalled();
    expect(jobHost.start).not.toHaveBeenCalled();
  });
});

describe('the checks main makes itself', () => {
  it('starts the release job with the decision as given, the typed name left in main', async () => {
    const signer = { kind: 'station', passphrase: 'pw' } as const;
    expect(await call('startQuarantineRelease', releaseOf({ reason: '  cleared by J. Doe  ', operator: 'J. Doe', signer }))).toEqual({
      ok: true,
      value: { jobId: 'job-q' },
    });
    expect(jobHost.start).toHaveBeenCalledWith('quarantine-release', {
      id: heldEntry.id,
      destDir: '/srv/in',
      reason: 'cleared by J. Doe',
      operator: 'J. Doe',
      signer,
    });
  });

  it('refuses a typed name that is not the bundle’s, and a bundle no longer held', async () => {
    expect(await call('startQuarantineRelease', releaseOf({ confirmName: 'airlock-000007' }))).toMatchObject({
      ok: false,
      error: { code: 'USAGE', message: expect.stringContaining('not this bundle') },
    });
    expect(await call('startQuarantineRelease', releaseOf({ id: releasedEntry.id, confirmName: releasedEntry.bundleName }))).toMatchObject({
      ok: false,
      error: { code: 'QUARANTINE_NOT_HELD' },
    });
    expect(await call('startQuarantineRelease', releaseOf({ id: 'no-such-entry' }))).toMatchObject({ ok: false, error: { code: 'QUARANTINE_NOT_FOUND' } });
    expect(await call('purgeQuarantine', { id: heldEntry.id, confirmName: 'wrong' })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(jobHost.start).not.toHaveBeenCalled();
    expect(station.quarantinePurge).not.toHaveBeenCalled();
  });

  it('takes the escaped form of a hostile name as the confirmation', async () => {
    entries = [{ ...heldEntry, bundleName: 'report\u202Efdp.exe' }];
    expect(await call('startQuarantineRelease', releaseOf({ confirmName: 'report\\u202efdp.exe' }))).toMatchObject({ ok: true });
  });

  it('requires a signed decision where the policy says two persons', async () => {
    required = 2;
    expect(await call('startQuarantineRelease', releaseOf())).toMatchObject({ ok: false, error: { code: 'RELEASE_APPROVAL_INVALID' } });
    expect(jobHost.start).not.toHaveBeenCalled();
    expect(await call('startQuarantineRelease', releaseOf({ signer: { kind: 'gpg', fingerprint: 'AB'.repeat(20) } }))).toMatchObject({ ok: true });
  });

  it('purges one entry once its name is typed, held or released', async () => {
    expect(await call('purgeQuarantine', { id: heldEntry.id, confirmName: heldEntry.bundleName })).toEqual({
      ok: true,
      value: { purged: [{ id: heldEntry.id, bundleName: heldEntry.bundleName, status: 'held' }], auditEvent: 9 },
    });
    expect(station.quarantinePurge).toHaveBeenCalledWith({ ids: [heldEntry.id] });
    expect(await call('purgeQuarantine', { id: releasedEntry.id, confirmName: releasedEntry.bundleName })).toMatchObject({ ok: true });
  });

  it('purges every released bundle by id, only when as many are released as the operator was shown', async () => {
    const other = { ...releasedEntry, id: '20261202T110000Z-02cd', bundleName: 'airlock-000007-20261127' };
    entries = [releasedEntry, heldEntry, other];
    // A release (or purge) since the list was shown: refused, nothing purged.
    expect(await call('purgeReleasedQuarantine', { expectedCount: 1 })).toMatchObject({
      ok: false,
      error: { code: 'QUARANTINE_BUSY', message: expect.stringContaining('Nothing was purged') },
    });
    expect(station.quarantinePurge).not.toHaveBeenCalled();
    for (const malformed of [{}, { expectedCount: 0 }, { expectedCount: 1.5 }, { expectedCount: 2, allReleased: true }]) {
      expect(await call('purgeReleasedQuarantine', malformed)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    }
    expect(await call('purgeReleasedQuarantine', { expectedCount: 2 })).toMatchObject({ ok: true, value: { auditEvent: 9 } });
    // The held one is never in the set: core is given the released ids, not "all released" to choose again.
    expect(station.quarantinePurge).toHaveBeenCalledWith({ ids: [releasedEntry.id, other.id] });
  });

  it('lists held bundles by default, newest first; shows one without its folder path', async () => {
    entries = [heldEntry, { ...heldEntry, id: 'newer', quarantinedAt: '2026-12-03T09:00:00.000Z' }, releasedEntry];
    const answer = (await call('listQuarantine', {})) as { ok: true; value: { entries: QuarantineEntry[] } };
    expect(answer.value.entries.map((e) => e.id)).toEqual(['newer', heldEntry.id]);
    const all = (await call('listQuarantine', { status: 'all' })) as { ok: true; value: { entries: QuarantineEntry[] } };
    expect(all.value.entries).toHaveLength(3);
    const shown = await call('showQuarantine', { id: heldEntry.id });
    expect(shown).toMatchObject({ ok: true, value: { entry: { id: heldEntry.id }, approvals: { given: 0, required: 1 }, releasingTo: null } });
    expect(JSON.stringify(shown)).not.toContain('/home/op/quarantine');
  });

  it('answers the scanner status with the policy in brief', async () => {
    required = 2;
    expect(await call('inspectionStatus', {})).toMatchObject({
      ok: true,
      value: {
        enabled: true,
        scanner,
        policy: { scan: { maxDatabaseAgeDays: 7, onStaleDatabase: 'refuse', onError: 'refuse' }, archives: { maxDepth: 5 }, releaseApprovals: 2 },
      },
    });
  });
});
