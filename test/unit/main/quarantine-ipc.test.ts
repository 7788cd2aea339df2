/**
 * Quarantine and inspection over IPC (#16.7), through the real dispatcher and handlers over a
 * station double: hostile requests refused as USAGE before the station is opened or a job
 * starts; main itself checks what a release or purge needs (the entry held, the typed name, a
 * second and different operator where the policy says two persons), never trusting the page's
 * form; the release job gets the approvers in order; the scanner status maps the policy in brief.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createDispatch } from '../../../electron/main/ipc/dispatch.js';
import { createHandlers, type Dialogs, type StationOps } from '../../../electron/main/ipc/handlers.js';
import type { QuarantineEntry } from '../../../shared/inspection.js';
import type { IpcMethod } from '../../../shared/ipc.js';
import { resolveInspectPolicy } from '../../../electron/core/policy/inspect-policy.js';
import { heldEntry, refusedReport, releasedEntry, scanner } from '../renderer/inspection-fixtures.js';

const dialogs = {} as Dialogs;
const jobHost = { start: vi.fn(() => 'job-q'), list: vi.fn(() => []), get: vi.fn(() => undefined), cancel: vi.fn(() => false) };
const FRAME = { url: 'app://airlock/index.html', parent: null };
let approvals: 1 | 2 = 1;
let entries: QuarantineEntry[] = [];
const station = {
  identity: { station: 'ws-3', operator: 'A. Smith (op)' },
  close: vi.fn(),
  inspectionStatus: vi.fn(async () => ({ policy: resolveInspectPolicy({ scan: { clamd: scanner.address }, quarantine: { releaseApprovals: approvals } }), scanner })),
  quarantineList: vi.fn(async () => entries),
  quarantineShow: vi.fn(async (id: string) => {
    const entry = entries.find((e) => e.id === id);
    if (!entry) throw Object.assign(new Error('nope'), { code: 'QUARANTINE_NOT_FOUND' });
    return { entry, report: refusedReport };
  }),
  quarantinePurge: vi.fn(async (id: string) => ({ entry: { ...(entries.find((e) => e.id === id) as QuarantineEntry), status: 'purged' as const }, auditEvent: 9 })),
};
const openStation = vi.fn(async () => station as unknown as StationOps);
const call = (method: IpcMethod, payload: unknown) =>
  createDispatch(createHandlers({ openStation, jobHost, dialogs, version: '1' }), { trustedOrigins: ['app://airlock'], log: () => undefined })(
    method,
    FRAME,
    payload,
  );
const releaseOf = (fields: Record<string, unknown> = {}) => ({ id: heldEntry.id, destDir: '/srv/in', reason: 'cleared', confirmName: heldEntry.bundleName, ...fields });

beforeEach(() => {
  approvals = 1;
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
    ['inspectionStatus', { scanner: 'tcp:evil:1' }],
  ] as const)('%s %j is USAGE, before the station is opened', async (method, payload) => {
    expect(await call(method, payload)).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringContaining('malformed') } });
    expect(openStation).not.toHaveBeenCalled();
    expect(jobHost.start).not.toHaveBeenCalled();
  });
});

describe('the checks main makes itself', () => {
  it('starts the release job with the operator at the station as the first approver', async () => {
    expect(await call('startQuarantineRelease', releaseOf({ reason: '  cleared by J. Doe  ' }))).toEqual({ ok: true, value: { jobId: 'job-q' } });
    expect(jobHost.start).toHaveBeenCalledWith('quarantine-release', {
      id: heldEntry.id,
      destDir: '/srv/in',
      approvers: [{ operator: 'A. Smith (op)', reason: 'cleared by J. Doe' }],
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
    expect(await call('purgeQuarantine', { id: heldEntry.id, confirmName: 'wrong' })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(await call('purgeQuarantine', { id: releasedEntry.id, confirmName: releasedEntry.bundleName })).toMatchObject({
      ok: false,
      error: { code: 'QUARANTINE_NOT_HELD' },
    });
    expect(jobHost.start).not.toHaveBeenCalled();
    expect(station.quarantinePurge).not.toHaveBeenCalled();
  });

  it('takes the escaped form of a hostile name as the confirmation', async () => {
    entries = [{ ...heldEntry, bundleName: 'report\u202Efdp.exe' }];
    expect(await call('startQuarantineRelease', releaseOf({ confirmName: 'report\\u202efdp.exe' }))).toMatchObject({ ok: true });
  });

  it('requires a second, different operator where the policy says two persons', async () => {
    approvals = 2;
    expect(await call('startQuarantineRelease', releaseOf())).toMatchObject({ ok: false, error: { code: 'RELEASE_APPROVAL_INVALID' } });
    expect(await call('startQuarantineRelease', releaseOf({ secondApprover: { operator: 'a. smith (OP)', reason: 'me again' } }))).toMatchObject({
      ok: false,
      error: { code: 'RELEASE_APPROVAL_INVALID' },
    });
    expect(jobHost.start).not.toHaveBeenCalled();
    expect(await call('startQuarantineRelease', releaseOf({ secondApprover: { operator: 'B. Jones', reason: 'agreed' } }))).toMatchObject({ ok: true });
    expect(jobHost.start).toHaveBeenCalledWith('quarantine-release', {
      id: heldEntry.id,
      destDir: '/srv/in',
      approvers: [
        { operator: 'A. Smith (op)', reason: 'cleared' },
        { operator: 'B. Jones', reason: 'agreed' },
      ],
    });
  });

  it('purges a held bundle once the name is typed', async () => {
    expect(await call('purgeQuarantine', { id: heldEntry.id, confirmName: heldEntry.bundleName })).toMatchObject({
      ok: true,
      value: { entry: { id: heldEntry.id, status: 'purged' }, auditEvent: 9 },
    });
    expect(station.quarantinePurge).toHaveBeenCalledWith(heldEntry.id);
  });

  it('lists held bundles by default, newest first, with what the policy asks of a release', async () => {
    entries = [heldEntry, { ...heldEntry, id: 'newer', quarantinedAt: '2026-12-03T09:00:00.000Z' }, releasedEntry];
    approvals = 2;
    const answer = await call('listQuarantine', {});
    expect(answer).toMatchObject({ ok: true, value: { releaseApprovals: 2 } });
    expect((answer as { value: { entries: QuarantineEntry[] } }).value.entries.map((e) => e.id)).toEqual(['newer', heldEntry.id]);
    const all = await call('listQuarantine', { status: 'all' });
    expect((all as { value: { entries: QuarantineEntry[] } }).value.entries).toHaveLength(3);
  });

  it('answers the scanner status with the policy in brief', async () => {
    expect(await call('inspectionStatus', {})).toMatchObject({
      ok: true,
      value: {
        enabled: true,
        scanner,
        policy: { scan: { maxDatabaseAgeDays: 7, onStaleDatabase: 'refuse', onError: 'refuse' }, archives: { maxDepth: 5 }, releaseApprovals: 1 },
      },
    });
  });
});
