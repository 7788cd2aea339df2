/**
 * The audit and settings IPC channels through the real dispatcher and handlers, against a real
 * Station in a temp home: listing with filters and paging, the chain check started as a job
 * (two-person-ipc.test.ts runs it in a worker), export to the file the save dialog names, settings read and saved with their audit
 * event, and malformed payloads refused before any handler runs.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcMethod, IpcResponse, IpcResult } from '../../../shared/ipc.js';
import { Station } from '../../../electron/core/index.js';
import { createDispatch } from '../../../electron/main/ipc/dispatch.js';
import { createHandlers, type Dialogs } from '../../../electron/main/ipc/handlers.js';

let home: string;
let saveAs: string | null;
let dialogs: Dialogs;

const FRAME = { url: 'app://airlock/index.html', parent: null };
async function call(method: IpcMethod, payload: unknown): Promise<IpcResult<unknown>> {
  const handlers = createHandlers({
    openStation: () => Station.open({ home }),
    jobHost: { start: vi.fn(), list: vi.fn(() => []), get: vi.fn(), cancel: vi.fn(() => false) },
    dialogs,
    version: '1.2.3',
  });
  return createDispatch(handlers, { trustedOrigins: ['app://airlock'], log: () => undefined })(method, FRAME, payload);
}
/** The value of a call that must succeed, typed by its channel. */
async function value<M extends IpcMethod>(method: M, payload: unknown): Promise<IpcResponse<M>> {
  const answer = await call(method, payload);
  if (!answer.ok) throw new Error(`${method} failed: ${JSON.stringify(answer.error)}`);
  return answer.value as IpcResponse<M>;
}

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'airlock-audit-handlers-'));
  saveAs = null;
  dialogs = {
    chooseExportSources: vi.fn(async () => []),
    chooseFolder: vi.fn(async () => null),
    chooseBundle: vi.fn(async () => null),
    chooseFile: vi.fn(async () => []),
    chooseKeyFile: vi.fn(async () => null),
    chooseKeySaveFile: vi.fn(async () => null),
    chooseAuditExportFile: vi.fn(async () => saveAs),
  };
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

/** Five settings changes (#1-#5), then a failed trust of a file that holds no key (#6). */
async function someEvents(): Promise<void> {
  const station = await Station.open({ home, operator: 'Dana' });
  for (let i = 1; i <= 5; i += 1) await station.updateSettings({ policy: { clockSkewSeconds: i * 10 } });
  await writeFile(join(home, 'not-a-key.asc'), 'hello');
  await expect(station.trustKeyFile(join(home, 'not-a-key.asc'), { expectedFingerprint: 'A'.repeat(40) })).rejects.toMatchObject({ code: 'KEY_INVALID' });
  station.close();
}

describe('listAudit', () => {
  it('lists newest first with subjects, and pages with beforeSeq', async () => {
    await someEvents();
    const first = await value('listAudit', { limit: 4 });
    expect(first.hasMore).toBe(true);
    expect(first.events.map((e) => e.seq)).toEqual([6, 5, 4, 3]);
    expect(first.events[1]).toMatchObject({
      type: 'settings-change',
      outcome: 'ok',
      subject: 'clockSkewSeconds: 40 → 50',
      changes: [{ field: 'clockSkewSeconds', from: 40, to: 50 }],
    });
    expect(first.events[0]).toMatchObject({
      type: 'key-trust',
      outcome: 'failed',
      errorCode: 'KEY_INVALID',
      subject: join(home, 'not-a-key.asc'),
      message: expect.stringContaining('not a usable OpenPGP public key'),
    });
    expect(first.events[0]).not.toHaveProperty('details');
    expect(await value('listAudit', { limit: 4, beforeSeq: 3 })).toEqual({
      events: [expect.objectContaining({ seq: 2 }), expect.objectContaining({ seq: 1 })],
      hasMore: false,
    });
  });

  it('filters by type, outcome, time and text', async () => {
    await someEvents();
    const seqs = async (payload: unknown) => (await value('listAudit', payload)).events.map((e) => e.seq);
    expect(await seqs({ type: 'key-trust' })).toEqual([6]);
    expect(await seqs({ outcome: 'failed' })).toEqual([6]);
    expect(await seqs({ type: 'settings-change', text: 'DANA' })).toEqual([5, 4, 3, 2, 1]);
    expect(await seqs({ text: 'NOT-A-KEY' })).toEqual([6]);
    expect(await seqs({ text: '   ' })).toEqual([6, 5, 4, 3, 2, 1]);
    expect(await seqs({ since: '2000-01-01T00:00:00Z', until: '2001-01-01T00:00:00+01:00' })).toEqual([]);
    expect(await seqs({ since: new Date(Date.now() - 60_000).toISOString() })).toHaveLength(6);
  });

  it.each([
    ['an unknown key', { limit: 5, sql: '1=1' }],
    ['a limit of 0', { limit: 0 }],
    ['a limit above the page maximum', { limit: 201 }],
    ['a fractional limit', { limit: 2.5 }],
    ['a limit as text', { limit: '5' }],
    ['an unknown type', { type: 'drop-table' }],
    ['an unknown outcome', { outcome: 'maybe' }],
    ['a time that is not ISO', { since: 'yesterday' }],
    ['a text longer than 200', { text: 'x'.repeat(201) }],
    ['a negative beforeSeq', { beforeSeq: -1 }],
    ['not an object', 'list everything'],
  ])('refuses %s as USAGE', async (_what, payload) => {
    expect(await call('listAudit', payload)).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringContaining('airlock:audit-list') } });
  });
});

describe('startVerifyAudit', () => {
  // The check runs in a job worker (Station.verifyAudit with progress and a signal): two-person-ipc.test.ts runs it for real.
  it('starts an audit-verify job and takes no options', async () => {
    const start = vi.fn(() => 'job-7');
    const handlers = createHandlers({
      openStation: () => Station.open({ home }),
      jobHost: { start, list: vi.fn(() => []), get: vi.fn(), cancel: vi.fn(() => false) },
      dialogs,
      version: '1.2.3',
    });
    const dispatch = createDispatch(handlers, { trustedOrigins: ['app://airlock'], log: () => undefined });
    expect(await dispatch('startVerifyAudit', FRAME, {})).toEqual({ ok: true, value: { jobId: 'job-7' } });
    expect(start).toHaveBeenCalledWith('audit-verify', {});
    expect(await dispatch('startVerifyAudit', FRAME, { deep: true })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(start).toHaveBeenCalledTimes(1);
  });
});

describe('exportAudit', () => {
  it('writes nothing when the save dialog is cancelled', async () => {
    await someEvents();
    expect(await call('exportAudit', { format: 'csv' })).toEqual({ ok: true, value: { path: null, events: 0, checkpoints: 0 } });
    expect(dialogs.chooseAuditExportFile).toHaveBeenCalledWith('csv');
  });

  it('writes CSV to the chosen file: one row per event, matching the log', async () => {
    await someEvents();
    saveAs = join(home, 'audit.csv');
    expect(await call('exportAudit', { format: 'csv' })).toEqual({ ok: true, value: { path: saveAs, events: 6, checkpoints: 0 } });
    const rows = (await readFile(saveAs, 'utf8')).trim().split('\r\n');
    expect(rows[0]).toMatch(/^record,seq,at,type,outcome,operator,/u);
    const events = rows.slice(1).map((r) => r.split('","').slice(1, 5));
    expect(events.map(([seq, , type]) => `${seq} ${type}`)).toEqual([
      '1 settings-change',
      '2 settings-change',
      '3 settings-change',
      '4 settings-change',
      '5 settings-change',
      '6 key-trust',
    ]);
  });

  it('writes JSON when asked, and reports a folder that is gone with its code', async () => {
    await someEvents();
    saveAs = join(home, 'audit.json');
    expect(await call('exportAudit', { format: 'json' })).toMatchObject({ ok: true, value: { events: 6 } });
    expect((JSON.parse(await readFile(saveAs, 'utf8')) as { events: unknown[] }).events).toHaveLength(6);
    saveAs = join(home, 'gone', 'audit.csv');
    expect(await call('exportAudit', { format: 'csv' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', path: saveAs } });
    expect(await call('exportAudit', { format: 'xlsx' })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  });
});

describe('settings', () => {
  it('reads defaults, saves an operator name and policy limits with one audit event, and station status follows', async () => {
    expect(await value('getSettings', {})).toMatchObject({
      config: { stationName: null, operatorName: null, organization: null },
      policy: { maxEntries: null, requiredSigners: null },
      defaults: { policy: { requiredSigners: 1, clockSkewSeconds: 300 } },
      files: { config: join(home, 'config.json'), policy: join(home, 'policy.json') },
    });
    const saved = await value('saveSettings', {
      config: { operatorName: '  J. Smith ', organization: 'Example Agency' },
      policy: { maxFileBytes: 1_048_576, requiredSigners: 2 },
    });
    expect(saved.changes).toEqual([
      { field: 'operatorName', from: null, to: 'J. Smith' },
      { field: 'organization', from: null, to: 'Example Agency' },
      { field: 'maxFileBytes', from: null, to: 1_048_576 },
      { field: 'requiredSigners', from: null, to: 2 },
    ]);
    expect(saved.settings).toMatchObject({
      config: { operatorName: 'J. Smith' },
      effective: { operator: expect.stringMatching(/^J\. Smith \(/u), policy: { maxFileBytes: 1_048_576, requiredSigners: 2 } },
    });
    const [event] = (await value('listAudit', { type: 'settings-change' })).events;
    expect(event).toMatchObject({ seq: saved.auditEvent, subject: expect.stringContaining('operatorName: (default) → J. Smith') });
    expect((await value('stationStatus', {})).operator).toMatch(/^J\. Smith \(/u);

    // null resets a field to its default; the event says so.
    const reset = await value('saveSettings', { policy: { requiredSigners: null } });
    expect(reset.changes).toEqual([{ field: 'requiredSigners', from: 2, to: null }]);
    expect(reset.settings.effective.policy.requiredSigners).toBe(1);
  });

  it('keeps mediaRoots and policy fields the app does not edit', async () => {
    await writeFile(join(home, 'config.json'), JSON.stringify({ mediaRoots: ['/srv/diode'] }));
    await writeFile(join(home, 'policy.json'), JSON.stringify({ names: { allowBidiCharacters: true } }));
    expect((await value('getSettings', {})).preserved).toEqual(['config.json mediaRoots', 'policy.json names']);
    await call('saveSettings', { config: { stationName: 'rx-1' } });
    expect(JSON.parse(await readFile(join(home, 'config.json'), 'utf8'))).toEqual({ mediaRoots: ['/srv/diode'], stationName: 'rx-1' });
    expect(JSON.parse(await readFile(join(home, 'policy.json'), 'utf8'))).toEqual({ names: { allowBidiCharacters: true } });
  });

  it('says which file is malformed instead of showing defaults', async () => {
    await writeFile(join(home, 'policy.json'), '{ "clockSkewSeconds": "soon" }');
    expect(await call('getSettings', {})).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID', path: join(home, 'policy.json') } });
  });

  it.each([
    ['an empty name after trimming', { config: { operatorName: '   ' } }],
    ['a name with a newline', { config: { operatorName: 'J.\nSmith' } }],
    ['a name with an escape sequence', { config: { stationName: 'rx\u001b[31m' } }],
    ['a name of 201 characters', { config: { organization: 'x'.repeat(201) } }],
    ['mediaRoots (not editable here)', { config: { mediaRoots: ['/'] } }],
    ['name rules (not editable here)', { policy: { names: { allowControlCharacters: true } } }],
    ['a signer count of 17', { policy: { requiredSigners: 17 } }],
    ['a signer count of 0', { policy: { requiredSigners: 0 } }],
    ['a file count of 0', { policy: { maxEntries: 0 } }],
    ['a fractional byte limit', { policy: { maxTotalBytes: 1.5 } }],
    ['a byte limit beyond 2^53', { policy: { maxFileBytes: 2 ** 53 } }],
    ['a clock skew over a day', { policy: { clockSkewSeconds: 86_401 } }],
    ['a negative clock skew', { policy: { clockSkewSeconds: -1 } }],
    ['a number as text', { policy: { clockSkewSeconds: '60' } }],
    ['an unknown top-level key', { operator: 'x' }],
  ])('refuses %s as USAGE and writes nothing', async (_what, payload) => {
    expect(await call('saveSettings', payload)).toMatchObject({
      ok: false,
      error: { code: 'USAGE', message: expect.stringContaining('airlock:settings-save') },
    });
    expect((await value('listAudit', {})).events).toEqual([]);
  });
});
