/**
 * Two-person exports and the audit chain's check and checkpoint through the real dispatcher and
 * handlers, a real Station in a temp home and a real job host (worker threads): prepare as a job,
 * the staged list with who prepared, approve by a second key after the typed name (the preparer's
 * own key refused, as in the CLI), finish to a folder as a job, discard; the audit check as a job
 * with events as its progress unit, and cancelled; a checkpoint on an empty log and after events.
 */
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IpcMethod, IpcResponse, IpcResult, JobEvent } from '../../../shared/ipc.js';
import { Station } from '../../../electron/core/index.js';
import { createDispatch } from '../../../electron/main/ipc/dispatch.js';
import { createHandlers, type Dialogs } from '../../../electron/main/ipc/handlers.js';
import { JobHost } from '../../../electron/main/jobs/job-host.js';

const WORKER = new URL('../../helpers/job-worker-tsx.mjs', import.meta.url);
const PASSPHRASE = 'operator passphrase one';
const REVIEWER_PASSPHRASE = 'reviewer passphrase two';
const FRAME = { url: 'app://airlock/index.html', parent: null };

let base: string;
let home: string;
let reviewerKey: string;
let payload: string;
let host: JobHost;
const events: JobEvent[] = [];

const dialogs: Dialogs = {
  chooseExportSources: vi.fn(async () => []),
  chooseFolder: vi.fn(async () => null),
  chooseBundle: vi.fn(async () => null),
  chooseFile: vi.fn(async () => []),
  chooseKeyFile: vi.fn(async () => null),
  chooseKeySaveFile: vi.fn(async () => null),
  chooseAuditExportFile: vi.fn(async () => null),
};

function dispatchIn(stationHome: string, jobHost: JobHost) {
  const handlers = createHandlers({ openStation: () => Station.open({ home: stationHome }), jobHost, dialogs, version: '1.2.3' });
  return createDispatch(handlers, { trustedOrigins: ['app://airlock'], log: () => undefined });
}
async function call(method: IpcMethod, payloadOf: unknown): Promise<IpcResult<unknown>> {
  return dispatchIn(home, host)(method, FRAME, payloadOf);
}
async function value<M extends IpcMethod>(method: M, request: unknown): Promise<IpcResponse<M>> {
  const answer = await call(method, request);
  if (!answer.ok) throw new Error(`${method} failed: ${JSON.stringify(answer.error)}`);
  return answer.value as IpcResponse<M>;
}
async function jobOf(method: 'startPrepareExport' | 'startFinishExport' | 'startVerifyAudit', request: unknown) {
  const { jobId } = await value(method, request);
  return host.whenFinished(jobId);
}
async function auditTypes(): Promise<string[]> {
  const station = await Station.open({ home });
  try {
    return station.listAudit({ limit: 100 }).map((e) => `${e.type}:${e.outcome}`);
  } finally {
    station.close();
  }
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'airlock-two-person-ipc-'));
  home = join(base, 'home');
  payload = join(base, 'release');
  await mkdir(join(payload, 'docs'), { recursive: true });
  await writeFile(join(payload, 'docs', 'a.txt'), 'alpha\n');
  await writeFile(join(payload, 'b.bin'), Buffer.alloc(5000, 2));
  const station = await Station.open({ home, operator: 'Olga' });
  await station.generateKey({ name: 'Operator Olga', passphrase: PASSPHRASE });
  station.close();
  // The second person's own key: another station's key file, as `approve --key FILE` takes it.
  const reviewerHome = join(base, 'reviewer');
  const reviewer = await Station.open({ home: reviewerHome });
  await reviewer.generateKey({ name: 'Reviewer Rafael', passphrase: REVIEWER_PASSPHRASE });
  reviewer.close();
  reviewerKey = join(reviewerHome, 'keys', 'station-key.private.asc');
  host = new JobHost({ workerScript: WORKER, station: { home }, onEvent: (e) => events.push(e) });
}, 60_000);

afterAll(async () => {
  await host.shutdown();
  await rm(base, { recursive: true, force: true });
});

describe('two-person exports over IPC', () => {
  it('prepares as a job, lists who prepared it, approves with a second key after the typed name, and finishes to a folder', async () => {
    const prepared = await jobOf('startPrepareExport', { selection: [payload], name: 'release-1', passphrase: PASSPHRASE });
    expect(prepared).toMatchObject({ kind: 'export-prepare', state: 'succeeded', subject: 'release-1' });
    if (prepared.kind !== 'export-prepare' || !prepared.result) throw new Error('no staged summary');
    expect(prepared.result).toMatchObject({ name: 'release-1', fileCount: 2, files: ['data/release/b.bin', 'data/release/docs/a.txt'], totalBytes: 5006 });
    expect(prepared.result.signatures.map((s) => s.userIds)).toEqual([['Operator Olga']]);
    expect(prepared.result.stagedDir).toBe(join(home, 'staged', 'release-1'));

    const listed = await value('listStaged', {});
    expect(listed.staged).toEqual([
      expect.objectContaining({
        name: 'release-1',
        state: 'ready',
        files: 2,
        bytes: 5006,
        signatures: 1,
        signers: [expect.objectContaining({ userIds: ['Operator Olga'] })],
      }),
    ]);
    expect(await value('describeStaged', { name: 'release-1' })).toMatchObject({
      name: 'release-1',
      fileCount: 2,
      signatures: [{ userIds: ['Operator Olga'] }],
    });

    // The name typed must be the export's: nothing is signed otherwise.
    const key = { kind: 'key-file', file: reviewerKey, passphrase: REVIEWER_PASSPHRASE };
    expect(await call('approveStaged', { name: 'release-1', confirmName: 'release-2', signer: key })).toMatchObject({
      ok: false,
      error: { code: 'USAGE', message: expect.stringContaining('typed to confirm') },
    });
    // The preparer's own key is one person: core's rule, as the CLI's approve has it.
    expect(await call('approveStaged', { name: 'release-1', confirmName: 'release-1', signer: { kind: 'station', passphrase: PASSPHRASE } })).toMatchObject({
      ok: false,
      error: { code: 'USAGE', message: expect.stringContaining('has already signed') },
    });
    expect((await value('listStaged', {})).staged[0]?.signatures).toBe(1);
    const approved = await value('approveStaged', { name: 'release-1', confirmName: ' release-1 ', signer: key });
    expect(approved.signatures.map((s) => s.userIds[0])).toEqual(['Operator Olga', 'Reviewer Rafael']);
    expect((await value('listStaged', {})).staged[0]).toMatchObject({
      signatures: 2,
      signers: [{ userIds: ['Operator Olga'] }, { userIds: ['Reviewer Rafael'] }],
    });

    const out = join(base, 'out');
    await mkdir(out);
    const finished = await jobOf('startFinishExport', { name: 'release-1', outDir: out, passphrase: PASSPHRASE });
    expect(finished).toMatchObject({ kind: 'export-finish', state: 'succeeded', subject: out });
    if (finished.kind !== 'export-finish' || !finished.result) throw new Error('no export result');
    expect(finished.result).toMatchObject({ name: 'release-1', files: 2, bundlePath: join(out, 'release-1.airlock.tar') });
    expect(finished.result.signers).toHaveLength(2);
    expect((await readdir(out)).filter((f) => f.endsWith('.airlock.tar'))).toEqual(['release-1.airlock.tar']);
    expect((await value('listStaged', {})).staged).toEqual([]);
    // The same audit events the CLI records, newest first.
    expect((await auditTypes()).slice(0, 4)).toEqual(['export:ok', 'export-approve:ok', 'export-approve:failed', 'export-prepare:ok']);
  }, 60_000);

  it('names staged exports only by a name in the home: an unknown one is NOT_FOUND, a path is malformed', async () => {
    expect(await call('describeStaged', { name: 'nothing-here' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await call('startFinishExport', { name: 'nothing-here', outDir: base })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    for (const name of ['..', '../home', '/tmp/staged', 'a\\b']) {
      expect(await call('describeStaged', { name })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    }
    expect(await call('approveStaged', { name: 'x', confirmName: 'x', signer: { kind: 'station' } })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  });

  it('discards a staged export after its typed name, on record', async () => {
    await jobOf('startPrepareExport', { selection: [payload], name: 'to-discard', passphrase: PASSPHRASE });
    expect(await call('discardStaged', { name: 'to-discard', confirmName: 'to-disc' })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect((await value('listStaged', {})).staged.map((s) => s.name)).toEqual(['to-discard']);
    expect(await value('discardStaged', { name: 'to-discard', confirmName: 'to-discard' })).toEqual({
      name: 'to-discard',
      dir: join(home, 'staged', 'to-discard'),
    });
    expect((await value('listStaged', {})).staged).toEqual([]);
    expect((await auditTypes())[0]).toBe('export-discard:ok');
  }, 60_000);

  it('refuses a prepare with the wrong passphrase as the job error the sign step shows', async () => {
    const failed = await jobOf('startPrepareExport', { selection: [payload], name: 'wrong-pass', passphrase: 'not it' });
    expect(failed).toMatchObject({ kind: 'export-prepare', state: 'failed', error: { code: 'PASSPHRASE_WRONG' } });
    expect((await value('listStaged', {})).staged).toEqual([]);
  }, 60_000);
});

describe("a staged export on a channel over IPC (the CLI's export --prepare --channel)", () => {
  it('refuses a channel name that breaks the rules with CHANNEL_NAME_INVALID before a job starts', async () => {
    const before = host.list().length;
    const answer = await call('startPrepareExport', { selection: [payload], name: 'bad-channel', passphrase: PASSPHRASE, channel: 'no/slashes' });
    expect(answer.ok ? null : answer.error.code).toBe('CHANNEL_NAME_INVALID');
    expect(host.list()).toHaveLength(before);
  });

  it('takes the number at prepare and carries it through approve and finish', async () => {
    const prepared = await jobOf('startPrepareExport', { selection: [payload], name: 'on-channel', passphrase: PASSPHRASE, channel: 'nightly' });
    expect(prepared).toMatchObject({ kind: 'export-prepare', state: 'succeeded' });
    const key = { kind: 'key-file', file: reviewerKey, passphrase: REVIEWER_PASSPHRASE };
    await value('approveStaged', { name: 'on-channel', confirmName: 'on-channel', signer: key });
    const out = join(base, 'out-channel');
    await mkdir(out);
    const finished = await jobOf('startFinishExport', { name: 'on-channel', outDir: out, passphrase: PASSPHRASE });
    if (finished.kind !== 'export-finish' || !finished.result) throw new Error(`no export result: ${JSON.stringify(finished)}`);
    expect(finished.result.channel).toMatchObject({ channel: 'nightly', sequence: 1, heartbeat: false });
  }, 60_000);
});

describe('the audit chain over IPC', () => {
  it('checks the chain as a job reporting events, then signs a checkpoint that the next check counts', async () => {
    events.length = 0;
    const checked = await jobOf('startVerifyAudit', {});
    expect(checked).toMatchObject({ kind: 'audit-verify', state: 'succeeded', subject: join(home, 'airlock.db'), result: { ok: true, firstBroken: null } });
    if (checked.kind !== 'audit-verify' || !checked.result) throw new Error('no report');
    const eventCount = checked.result.events;
    expect(eventCount).toBeGreaterThan(5);
    const progress = events.flatMap((e) => (e.type === 'progress' && e.jobId === checked.id ? [e.progress] : []));
    expect(progress.some((p) => p.phase === 'verifying-audit-chain' && p.filesTotal === eventCount)).toBe(true);

    expect(await call('checkpointAudit', { passphrase: 'not it' })).toMatchObject({ ok: false, error: { code: 'PASSPHRASE_WRONG' } });
    const signed = await value('checkpointAudit', { passphrase: PASSPHRASE });
    expect(signed.checkpoint).toMatchObject({
      seq: expect.any(Number),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/u),
      fingerprint: expect.stringMatching(/^[0-9A-F]{40}$/u),
    });
    expect(signed.checkpoint).not.toHaveProperty('signature');
    const again = await jobOf('startVerifyAudit', {});
    expect(again).toMatchObject({ state: 'succeeded', result: { ok: true, lastCheckpointSeq: signed.checkpoint?.seq } });
  }, 60_000);

  it('names the first broken event of an edited log', async () => {
    const edited = join(base, 'edited');
    const station = await Station.open({ home: edited });
    for (let i = 1; i <= 4; i += 1) await station.updateSettings({ policy: { clockSkewSeconds: i * 10 } });
    station.close();
    const db = new Database(join(edited, 'airlock.db'));
    db.prepare("UPDATE audit_events SET operator = 'someone else' WHERE seq = 3").run();
    db.close();
    const editedHost = new JobHost({ workerScript: WORKER, station: { home: edited } });
    try {
      const answer = await dispatchIn(edited, editedHost)('startVerifyAudit', FRAME, {});
      if (!answer.ok) throw new Error(JSON.stringify(answer.error));
      expect(await editedHost.whenFinished((answer.value as { jobId: string }).jobId)).toMatchObject({
        state: 'succeeded',
        result: { ok: false, firstBroken: { seq: 3, reason: 'event #3 was edited after it was recorded' } },
      });
    } finally {
      await editedHost.shutdown();
    }
  }, 60_000);

  it('cancels the check: CANCELLED, no verdict', async () => {
    const { jobId } = await value('startVerifyAudit', {});
    expect(await value('cancelJob', { jobId })).toEqual({ cancelling: true });
    expect(await host.whenFinished(jobId)).toMatchObject({ kind: 'audit-verify', state: 'cancelled', result: null, error: { code: 'CANCELLED' } });
  }, 60_000);

  it('says an empty log has nothing to sign (null, as the CLI says it)', async () => {
    // A home whose log holds no event yet, with a station key (copied in: generating one records key-generate).
    const bare = join(base, 'bare');
    await Station.open({ home: bare }).then((s) => s.close());
    await cp(join(home, 'keys'), join(bare, 'keys'), { recursive: true });
    expect(await dispatchIn(bare, host)('checkpointAudit', FRAME, { passphrase: PASSPHRASE })).toEqual({ ok: true, value: { checkpoint: null } });
  }, 60_000);
});
