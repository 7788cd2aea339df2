/**
 * The Staged exports view's last gaps over IPC (real dispatcher, handlers, Station and job
 * worker): a staged export finished onto a medium (a declared media root stands in for a stick)
 * as a job whose result says what reading it back proved; every medium and the passphrase checked
 * before any job starts; and a staging folder (`--prepare --staging DIR`) opened through main's
 * own dialog, its exports named by name and source, never by a path from the page, and kept in
 * config.json so a restarted main lists it again.
 */
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IpcMethod, IpcResponse, IpcResult } from '../../../shared/ipc.js';
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
let stick: string;
let shared: string;
let reviewerKey: string;
let payload: string;
let host: JobHost;
let dispatch: ReturnType<typeof createDispatch>;
const chooseFolder = vi.fn<Dialogs['chooseFolder']>(async () => null);

const dialogs: Dialogs = {
  chooseExportSources: vi.fn(async () => []),
  chooseFolder,
  chooseBundle: vi.fn(async () => null),
  chooseFile: vi.fn(async () => []),
  chooseKeyFile: vi.fn(async () => null),
  chooseKeySaveFile: vi.fn(async () => null),
  chooseAuditExportFile: vi.fn(async () => null),
};

const call = (method: IpcMethod, request: unknown): Promise<IpcResult<unknown>> => dispatch(method, FRAME, request);
/** Main's handlers as a fresh start of the app builds them over the same home. */
const startMain = () =>
  createDispatch(createHandlers({ openStation: () => Station.open({ home }), jobHost: host, dialogs, version: '1.2.3' }), {
    trustedOrigins: ['app://airlock'],
    log: () => undefined,
  });
async function value<M extends IpcMethod>(method: M, request: unknown): Promise<IpcResponse<M>> {
  const answer = await call(method, request);
  if (!answer.ok) throw new Error(`${method} failed: ${JSON.stringify(answer.error)}`);
  return answer.value as IpcResponse<M>;
}

/** Prepared and approved through the station, as the CLI does it: the IPC under test is what comes after. */
async function stageApproved(name: string, stagingDir?: string): Promise<string> {
  const station = await Station.open({ home });
  try {
    const staged = await station.prepareExport({ selection: [payload], name, stagingDir, signer: { kind: 'station', passphrase: PASSPHRASE } });
    await station.approveStaged(staged.stagedDir, { kind: 'key-file', file: reviewerKey, passphrase: REVIEWER_PASSPHRASE });
    return staged.stagedDir;
  } finally {
    station.close();
  }
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'airlock-two-person-media-ipc-'));
  home = join(base, 'home');
  stick = join(base, 'stick');
  shared = join(base, 'shared-staging');
  payload = join(base, 'release');
  await mkdir(payload, { recursive: true });
  await mkdir(stick);
  await mkdir(shared);
  await writeFile(join(payload, 'a.txt'), 'alpha\n');
  const station = await Station.open({ home, operator: 'Olga' });
  await station.generateKey({ name: 'Operator Olga', passphrase: PASSPHRASE });
  station.close();
  await writeFile(join(home, 'config.json'), JSON.stringify({ stationName: 'ipc-media', mediaRoots: [stick] }));
  const reviewerHome = join(base, 'reviewer');
  const reviewer = await Station.open({ home: reviewerHome });
  await reviewer.generateKey({ name: 'Reviewer Rafael', passphrase: REVIEWER_PASSPHRASE });
  reviewer.close();
  reviewerKey = join(reviewerHome, 'keys', 'station-key.private.asc');
  host = new JobHost({ workerScript: WORKER, station: { home } });
  dispatch = startMain();
}, 60_000);

afterAll(async () => {
  await host?.shutdown();
  await rm(base, { recursive: true, force: true });
});

describe('finishing a staged export onto a medium over IPC', () => {
  it('checks the medium and the passphrase before any job, then writes and reads back as an export to media', async () => {
    await stageApproved('to-stick');
    const before = host.list().length;
    expect(await call('startFinishExport', { name: 'to-stick', mediumIds: [join(base, 'not-a-medium')], passphrase: PASSPHRASE })).toMatchObject({
      ok: false,
      error: { code: 'MEDIA_NOT_LISTED' },
    });
    // Every medium of a set is checked before the job, not only the first (a later one gone would fail after volume 1 was written).
    expect(await call('startFinishExport', { name: 'to-stick', mediumIds: [stick, join(base, 'not-a-medium')], passphrase: PASSPHRASE })).toMatchObject({
      ok: false,
      error: { code: 'MEDIA_NOT_LISTED' },
    });
    expect(await call('startFinishExport', { name: 'to-stick', mediumIds: [stick] })).toMatchObject({ ok: false, error: { code: 'PASSPHRASE_REQUIRED' } });
    // A folder or media, never both or neither; each medium once; at least one: a malformed request.
    for (const malformed of [
      { mediumIds: [stick], outDir: base },
      {},
      { mediumIds: [] },
      { mediumIds: [stick, stick] },
      { mediumId: stick },
      { mediumIds: Array.from({ length: 17 }, (_, i) => `${stick}${i}`) },
    ]) {
      expect(await call('startFinishExport', { name: 'to-stick', passphrase: PASSPHRASE, ...malformed })).toMatchObject({
        ok: false,
        error: { code: 'USAGE' },
      });
    }
    expect(host.list()).toHaveLength(before);

    const { jobId } = await value('startFinishExport', { name: 'to-stick', mediumIds: [stick], passphrase: PASSPHRASE });
    const finished = await host.whenFinished(jobId);
    if (finished.kind !== 'export-finish' || !finished.result) throw new Error(`no export result: ${JSON.stringify(finished)}`);
    expect(finished).toMatchObject({ state: 'succeeded', subject: stick });
    expect(finished.result.signers).toHaveLength(2);
    expect(finished.result.media).toMatchObject({ split: false, readBackOk: true, volumes: [{ readBack: { ok: true } }] });
    expect(await readdir(stick)).toEqual(['to-stick.airlock.tar']);
    // The receipt stays in the home, not on the medium; the staged export is gone.
    expect((await readdir(join(home, 'receipts'))).some((f) => f.startsWith('to-stick.export-receipt'))).toBe(true);
    expect((await value('listStaged', {})).staged).toEqual([]);
  }, 60_000);
});

describe('a staging folder opened through main’s dialog', () => {
  it('lists its staged exports beside the home’s, by name and source; a cancelled dialog keeps it open', async () => {
    await stageApproved('elsewhere', join(shared, 'elsewhere'));
    expect((await value('listStaged', {})).staged).toEqual([]);
    expect(await call('describeStaged', { name: 'elsewhere', source: 'folder' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    chooseFolder.mockResolvedValueOnce(shared);
    const opened = await value('openStagingFolder', {});
    expect(chooseFolder).toHaveBeenLastCalledWith('staging-folder');
    expect(opened.folder).toBe(shared);
    expect(opened.staged).toEqual([expect.objectContaining({ name: 'elsewhere', state: 'ready', signatures: 2, source: 'folder' })]);
    // The home's list does not hold it: named without its source, it is not found.
    expect(await call('describeStaged', { name: 'elsewhere' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await value('describeStaged', { name: 'elsewhere', source: 'folder' })).toMatchObject({ name: 'elsewhere', fileCount: 1 });

    chooseFolder.mockResolvedValueOnce(null);
    expect((await value('openStagingFolder', {})).folder).toBe(shared);
    expect((await value('listStaged', {})).staged.map((s) => [s.name, s.source])).toEqual([['elsewhere', 'folder']]);

    expect(await value('discardStaged', { name: 'elsewhere', source: 'folder', confirmName: 'elsewhere' })).toEqual({
      name: 'elsewhere',
      dir: join(shared, 'elsewhere'),
    });
    expect((await value('listStaged', {})).staged).toEqual([]);
  }, 60_000);

  it('opens the folder a staged export was prepared into (DIR itself), and refuses a source the page makes up', async () => {
    const dir = await stageApproved('direct', join(base, 'direct-staging'));
    chooseFolder.mockResolvedValueOnce(dir);
    expect((await value('openStagingFolder', {})).staged).toEqual([expect.objectContaining({ name: 'direct-staging', source: 'folder' })]);
    expect(await call('describeStaged', { name: 'direct-staging', source: '/tmp' })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(await call('openStagingFolder', { folder: '/tmp' })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  }, 60_000);

  it('keeps the opened folder in config.json: a restarted main lists it, a folder gone is said so beside the home’s list, closing forgets it', async () => {
    const kept = join(base, 'kept-staging');
    await stageApproved('kept', join(kept, 'kept'));
    chooseFolder.mockResolvedValueOnce(kept);
    await value('openStagingFolder', {});
    const config = async () => JSON.parse(await readFile(join(home, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(await config()).toMatchObject({ stationName: 'ipc-media', mediaRoots: [stick], stagingFolder: kept });
    // Recorded as settings are: who opened which folder.
    const [event] = (await value('listAudit', { type: 'settings-change' })).events;
    expect(event?.subject).toMatch(/^stagingFolder: /u);
    expect(event?.subject).toContain(` → ${kept}`);

    // The app started again: no dialog, the folder is listed.
    const restarted = await startMain()('listStaged', FRAME, {});
    expect(restarted).toMatchObject({ ok: true, value: { folder: kept, folderUnavailable: null } });
    expect(restarted.ok && (restarted.value as IpcResponse<'listStaged'>).staged.map((s) => [s.name, s.source])).toEqual([['kept', 'folder']]);

    // Taken away (a stick out, a share not mounted): the home's list answers, the folder is said to be unreadable, and stays kept.
    await rename(kept, `${kept}-away`);
    const gone = await value('listStaged', {});
    expect(gone).toMatchObject({ folder: kept, folderUnavailable: { folder: kept, error: { code: 'NOT_FOUND' } } });
    expect(gone.staged).toEqual([]);
    expect(await call('describeStaged', { name: 'kept', source: 'folder' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await rename(`${kept}-away`, kept);
    expect((await value('listStaged', {})).staged.map((s) => s.name)).toEqual(['kept']);

    // The page can neither name the folder in a settings save nor in the close request: main's dialog is the one way in.
    expect(await call('saveSettings', { stagingFolder: '/etc' })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(await call('closeStagingFolder', { folder: kept })).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(await config()).toMatchObject({ stagingFolder: kept });

    const closed = await value('closeStagingFolder', {});
    expect(closed).toMatchObject({ folder: null, folderUnavailable: null, staged: [] });
    expect(await config()).not.toHaveProperty('stagingFolder');
    // Nothing in the folder was touched.
    expect(await readdir(kept)).toEqual(['kept']);
  }, 60_000);
});
