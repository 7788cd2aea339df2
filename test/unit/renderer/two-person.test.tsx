// @vitest-environment jsdom
/**
 * Two-person exports in the app, against a fake window.airlock: staging from the Export flow, the
 * Staged exports list (who prepared, approved or waiting, incomplete), approve after the review
 * and the typed name, finish as a job with progress and Cancel, discard; and the Audit view's
 * check as a job counting events, and its checkpoint.
 */
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StagedEntryView, StagedSummaryView } from '../../../shared/ipc.js';
import { ExportFlow } from '../../../renderer/src/flows/export/ExportFlow.js';
import { AuditView } from '../../../renderer/src/views/AuditView.js';
import { StagedExportsView } from '../../../renderer/src/views/staged/StagedExportsView.js';
import { auditEvents, chainIntact, exportResult, FPR, finishedJob, mediaExportResult, running, status, summary, tinyHostile, usbStick } from './fixtures.js';
import { fakeApi, installDomShims, renderWithApi, unnamedControls, type Answers } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const OLGA = { fingerprint: FPR, userIds: ['Operator Olga'] };
const RAFAEL = { fingerprint: 'FEDCBA9876543210FEDCBA9876543210FEDCBA98', userIds: ['Reviewer Rafael'] };

const entry = (name: string, over: Partial<StagedEntryView> = {}): StagedEntryView => ({
  name,
  dir: `/home/op/.config/Airlock/staged/${name}`,
  state: 'ready',
  reason: null,
  files: 3,
  bytes: 2_501_200,
  signatures: 1,
  createdAt: '2026-12-05T09:00:00Z',
  signers: [OLGA],
  ...over,
});

const stagedSummary: StagedSummaryView = {
  stagedDir: '/home/op/.config/Airlock/staged/q4-design',
  name: 'q4-design',
  uuid: 'f3093aa8-7394-44c9-808a-48db120c75e3',
  fileCount: 3,
  imageLayoutFiles: 0,
  files: ['data/reports/a.pdf', 'data/reports/b\u202Etxt.pdf', 'data/notes.txt'],
  totalBytes: 2_501_200,
  signatures: [{ ...OLGA, trustedLabel: 'this station', role: 'station' }],
};

const STAGES_LABEL = 'Stages';

/**
 * The job's Cancel shows once the view follows the job. An event emitted before that is heard
 * only through the view's one getJob, which may answer after the test's next assertion: so a test
 * waits for the view to follow before it emits, as the operator's app would be by then.
 */
async function followsTheJob(root: HTMLElement): Promise<void> {
  await within(root).findByRole('button', { name: 'Cancel' });
}

describe('staging from the Export flow', () => {
  it('prepares instead of writing: the station key signs, no bundle is written, the summary and the next step follow', async () => {
    const onOpenStaged = vi.fn();
    const fake = fakeApi({
      chooseExportSources: ({ kind }) => ({ paths: kind === 'files' ? ['/data/notes.txt'] : ['/data/reports'] }),
      summarizeSelection: summary,
      listMedia: { media: [] },
      stationStatus: status,
      startPrepareExport: { jobId: 'prep-1' },
      getJob: running('prep-1', 'export-prepare'),
    });
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} onOpenStaged={onOpenStaged} />, fake);
    await user.click(screen.getByRole('button', { name: 'Add files…' }));
    await user.click(screen.getByRole('button', { name: 'Add folders…' }));
    await user.click(screen.getByRole('button', { name: 'Next: review' }));
    await screen.findByRole('table', { name: 'Selection' });
    await user.click(screen.getByRole('button', { name: 'Next: destination' }));
    await user.click(screen.getByRole('radio', { name: /Stage for a second signature/ }));
    await user.type(screen.getByLabelText(/Bundle name/), 'q4-design');
    await user.click(screen.getByRole('button', { name: 'Next: sign' }));
    expect((await screen.findByText(/staged for a second signature/)).textContent).toContain('no bundle is written yet');
    await user.type(screen.getByLabelText(/Station key passphrase/), 'pw{Enter}');
    await waitFor(() =>
      expect(fake.callsTo('startPrepareExport')).toEqual([{ selection: ['/data/notes.txt', '/data/reports'], passphrase: 'pw', name: 'q4-design' }]),
    );
    expect(fake.callsTo('startExport')).toEqual([]);
    // While it runs, the step says what a prepare does: hash and sign, no write, no receipts yet.
    await screen.findByRole('heading', { name: /Preparing for a second signature/ });
    expect(screen.queryByRole('heading', { name: /Writing the bundle/ })).toBeNull();
    const stages = screen.getByRole('list', { name: STAGES_LABEL });
    expect(stages.textContent).toContain('Hash every file and sign the manifest');
    expect(stages.textContent).not.toMatch(/receipts|Write/);
    act(() => fake.emit({ type: 'finished', job: finishedJob('prep-1', 'export-prepare', stagedSummary) }));
    await screen.findByRole('heading', { name: 'Prepared for a second signature' });
    const files = screen.getByRole('list', { name: 'Files to be signed' });
    expect(files.textContent).toContain('data/reports/b\\u202etxt.pdf');
    expect(files.textContent).not.toContain('\u202E');
    expect(screen.getByText(/3 files, 2\.50 MB/)).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Signed so far by' }).textContent).toContain('Operator Olga [this station] role station');
    await user.click(screen.getByRole('button', { name: 'Open Staged exports' }));
    expect(onOpenStaged).toHaveBeenCalledTimes(1);
  });
});

function stagedAnswers(extra: Answers = {}): Answers {
  return {
    listStaged: {
      staged: [
        entry('q4-design'),
        entry('release-2', { signatures: 2, signers: [OLGA, RAFAEL] }),
        entry('broken', {
          state: 'invalid',
          reason: 'staged.json is missing or malformed',
          files: null,
          bytes: null,
          signatures: null,
          createdAt: null,
          signers: null,
        }),
      ],
    },
    describeStaged: stagedSummary,
    chooseFolder: { path: '/media/usb' },
    chooseFile: { paths: ['/home/rafael/key.asc'] },
    listMedia: { media: [] },
    startFinishExport: { jobId: 'fin-1' },
    getJob: running('fin-1', 'export-finish'),
    cancelJob: { cancelling: true },
    ...extra,
  };
}

const row = (name: string) => document.querySelector<HTMLElement>(`tr[data-staged="${name}"]`) as HTMLElement;

describe('Staged exports', () => {
  it('lists each staged export with who prepared it and whether it is approved, and names every control', async () => {
    renderWithApi(<StagedExportsView />, fakeApi(stagedAnswers()));
    await screen.findByRole('table', { name: 'Staged exports' });
    expect(row('q4-design').textContent).toContain('Operator Olga');
    expect(row('q4-design').textContent).toContain('Waiting for a second signature');
    expect(row('release-2').textContent).toContain('Approved');
    expect(row('release-2').textContent).toContain('by Reviewer Rafael');
    expect(row('broken').textContent).toContain('Incomplete');
    expect(row('broken').textContent).toContain('staged.json is missing or malformed');
    // An incomplete one can only be discarded.
    expect(within(row('broken')).queryByRole('button', { name: /approve/ })).toBeNull();
    expect(within(row('broken')).getByRole('button', { name: 'Discard broken' })).toBeTruthy();
    expect(unnamedControls()).toEqual([]);
  });

  it('says when there are none', async () => {
    renderWithApi(<StagedExportsView />, fakeApi({ listStaged: { staged: [] } }));
    expect((await screen.findByRole('status')).textContent).toBe('No staged exports.');
  });

  it('approves with the approver’s key file after the review and the typed name', async () => {
    const fake = fakeApi(
      stagedAnswers({ approveStaged: { ...stagedSummary, signatures: [...stagedSummary.signatures, { ...RAFAEL, trustedLabel: null, role: null }] } }),
    );
    const user = userEvent.setup();
    renderWithApi(<StagedExportsView />, fake);
    await user.click(await screen.findByRole('button', { name: 'Review and approve q4-design' }));
    const form = await screen.findByTestId('approve-form');
    await within(form).findByTestId('staged-summary');
    expect(fake.callsTo('describeStaged')).toEqual([{ name: 'q4-design' }]);
    const approve = within(form).getByRole<HTMLButtonElement>('button', { name: 'Approve and sign' });
    expect(approve.disabled).toBe(true);
    await user.click(within(form).getByRole('radio', { name: 'My own private key file' }));
    await user.click(within(form).getByRole('button', { name: /Choose key file/ }));
    await user.type(within(form).getByLabelText('Passphrase of the key file'), 'secret');
    await user.type(within(form).getByLabelText(/Type the bundle’s name/), 'q4-desig');
    expect(within(form).getByText('This is not the bundle’s name.')).toBeTruthy();
    expect(approve.disabled).toBe(true);
    await user.type(within(form).getByLabelText(/Type the bundle’s name/), 'n');
    expect(approve.disabled).toBe(false);
    await user.click(approve);
    const done = await screen.findByRole('status', { name: 'Approved q4-design: 2 signatures' });
    expect(fake.callsTo('approveStaged')).toEqual([
      { name: 'q4-design', confirmName: 'q4-design', signer: { kind: 'key-file', file: '/home/rafael/key.asc', passphrase: 'secret' } },
    ]);
    expect(done.textContent).toContain('FEDC BA98');
    await user.click(within(done).getByRole('button', { name: 'Back to the list' }));
    await waitFor(() => expect(fake.callsTo('listStaged')).toHaveLength(2));
  });

  it('shows a refused approval with its code and next step, and keeps the form', async () => {
    const fake = fakeApi(
      stagedAnswers({ approveStaged: { code: 'USAGE', message: 'ABCD has already signed this export; the rule needs a different person’s key.' } }),
    );
    const user = userEvent.setup();
    renderWithApi(<StagedExportsView />, fake);
    await user.click(await screen.findByRole('button', { name: 'Review and approve q4-design' }));
    const form = await screen.findByTestId('approve-form');
    await within(form).findByTestId('staged-summary');
    await user.type(within(form).getByLabelText('Station key passphrase'), 'pw');
    await user.type(within(form).getByLabelText(/Type the bundle’s name/), 'q4-design');
    await user.click(within(form).getByRole('button', { name: 'Approve and sign' }));
    const alert = await within(form).findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('USAGE');
    expect(alert.textContent).toContain('different person');
    expect(fake.callsTo('approveStaged')).toEqual([{ name: 'q4-design', confirmName: 'q4-design', signer: { kind: 'station', passphrase: 'pw' } }]);
    // The passphrase is not kept after the request.
    expect(within(form).getByLabelText<HTMLInputElement>('Station key passphrase').value).toBe('');
  });

  it('finishes to a folder as a job with progress and Cancel, warning when not approved, then shows the export', async () => {
    const fake = fakeApi(stagedAnswers());
    const user = userEvent.setup();
    renderWithApi(<StagedExportsView />, fake);
    await user.click(await screen.findByRole('button', { name: 'Finish q4-design' }));
    const form = await screen.findByTestId('finish-form');
    expect(within(form).getByRole('alert').textContent).toContain('Not approved yet');
    await user.click(within(form).getByRole('radio', { name: /Destination folder/ }));
    await user.click(within(form).getByRole('button', { name: 'Choose folder…' }));
    await within(form).findByText('/media/usb');
    await user.click(within(form).getByRole('button', { name: 'Write the bundle' }));
    await waitFor(() => expect(fake.callsTo('startFinishExport')).toEqual([{ name: 'q4-design', outDir: '/media/usb' }]));
    const job = await screen.findByTestId('finish-job');
    await followsTheJob(job);
    act(() =>
      fake.emit({
        type: 'progress',
        jobId: 'fin-1',
        progress: { phase: 'writing', bytesDone: 1_000_000, bytesTotal: 2_501_200, filesDone: 1, filesTotal: 3, rateBytesPerSecond: 5_000_000, etaSeconds: 1 },
      }),
    );
    expect(job.textContent).toContain('1 of 3 files');
    await user.click(within(job).getByRole('button', { name: 'Cancel' }));
    expect(fake.callsTo('cancelJob')).toEqual([{ jobId: 'fin-1' }]);
    act(() => fake.emit({ type: 'finished', job: finishedJob('fin-1', 'export-finish', exportResult) }));
    await screen.findByRole('heading', { name: 'Bundle written' });
  });

  it('finishes onto a detected medium: a too small one cannot be chosen, the passphrase is required, the result shows the read-back and Eject', async () => {
    const fake = fakeApi(stagedAnswers({ listMedia: { media: [usbStick, tinyHostile] } }));
    const user = userEvent.setup();
    renderWithApi(<StagedExportsView />, fake);
    await user.click(await screen.findByRole('button', { name: 'Finish release-2' }));
    const form = await screen.findByTestId('finish-form');
    const stick = await within(form).findByRole<HTMLInputElement>('radio', { name: /TRANSFER/ });
    const radios = within(form).getAllByRole<HTMLInputElement>('radio');
    // The tiny medium is listed, but cannot take the bundle.
    expect(radios.filter((r) => r.disabled)).toHaveLength(1);
    await user.click(stick);
    const write = within(form).getByRole<HTMLButtonElement>('button', { name: 'Write the bundle' });
    expect(write.disabled).toBe(true);
    const passphrase = within(form).getByLabelText<HTMLInputElement>(/^Station key passphrase/);
    expect(passphrase.required).toBe(true);
    await user.type(passphrase, 'pw');
    expect(write.disabled).toBe(false);
    await user.click(write);
    await waitFor(() => expect(fake.callsTo('startFinishExport')).toEqual([{ name: 'release-2', mediumIds: ['/dev/sdb1'], passphrase: 'pw' }]));
    expect(passphrase.value).toBe('');
    await followsTheJob(document.body);
    act(() => fake.emit({ type: 'finished', job: finishedJob('fin-1', 'export-finish', mediaExportResult) }));
    await screen.findByRole('heading', { name: /read back/i });
    expect(screen.getByRole('button', { name: /Eject/ })).toBeTruthy();
    expect(unnamedControls()).toEqual([]);
  });

  it('finishes over two media when neither holds it alone (the CLI’s --to-media A,B): volume 1 on the first, then the ones ticked', async () => {
    // release-2 is ~2.8 MB as a bundle; each stick keeps 1.25 MB free for core's margin and index.
    const first = { ...usbStick, id: '/dev/sdd1', device: '/dev/sdd1', disk: '/dev/sdd', label: 'HALF-A', free: 2_500_000 };
    const second = { ...usbStick, id: '/dev/sde1', device: '/dev/sde1', disk: '/dev/sde', label: 'HALF-B', free: 3_000_000 };
    const volume = mediaExportResult.media?.volumes[0];
    if (!volume || !mediaExportResult.media) throw new Error('the fixture writes one volume');
    const split = {
      ...mediaExportResult,
      media: { ...mediaExportResult.media, split: true, parts: 2, volumes: [volume, { ...volume, number: 2, medium: { ...volume.medium, label: 'HALF-B' } }] },
    };
    const fake = fakeApi(stagedAnswers({ listMedia: { media: [first, second, tinyHostile] } }));
    const user = userEvent.setup();
    renderWithApi(<StagedExportsView />, fake);
    await user.click(await screen.findByRole('button', { name: 'Finish release-2' }));
    const form = await screen.findByTestId('finish-form');
    const a = await within(form).findByRole<HTMLInputElement>('radio', { name: /HALF-A/ });
    // Too small on their own, both may start the set; the tiny one (no room past the margin) may not.
    expect(within(form).getByRole<HTMLInputElement>('radio', { name: /HALF-B/ }).disabled).toBe(false);
    expect(a.disabled).toBe(false);
    expect(
      within(form)
        .getAllByRole<HTMLInputElement>('radio')
        .filter((r) => r.disabled),
    ).toHaveLength(1);
    await user.click(a);
    await user.type(within(form).getByLabelText(/^Station key passphrase/), 'pw');
    const write = within(form).getByRole<HTMLButtonElement>('button', { name: 'Write the bundle' });
    expect(write.disabled).toBe(true);
    expect(within(form).getByRole('alert').textContent).toContain('Not enough room');
    const more = within(form).getByTestId('finish-more-media');
    // The first medium and the one with no room are not offered to continue onto.
    expect(
      within(more)
        .getAllByRole('checkbox')
        .map((c) => c.closest('.mantine-Checkbox-root')?.textContent ?? ''),
    ).toEqual([expect.stringContaining('HALF-B')]);
    await user.click(within(more).getByRole('checkbox', { name: /HALF-B/ }));
    expect(within(form).queryByRole('alert')).toBeNull();
    expect(write.disabled).toBe(false);
    await user.click(write);
    await waitFor(() => expect(fake.callsTo('startFinishExport')).toEqual([{ name: 'release-2', mediumIds: ['/dev/sdd1', '/dev/sde1'], passphrase: 'pw' }]));
    await followsTheJob(document.body);
    act(() => fake.emit({ type: 'finished', job: finishedJob('fin-1', 'export-finish', split) }));
    await screen.findByRole('heading', { name: /read back/i });
    // Each medium holding a volume gets its Eject.
    expect(screen.getAllByRole('button', { name: /Eject/ }).map((b) => b.textContent)).toEqual(['Eject HALF-A', 'Eject HALF-B']);
    expect(unnamedControls()).toEqual([]);
  });

  it('opens a staging folder through main’s dialog and names its exports by name and source', async () => {
    const elsewhere = entry('q4-elsewhere', { dir: '/srv/staging/q4-elsewhere', source: 'folder', signatures: 2, signers: [OLGA, RAFAEL] });
    const fake = fakeApi(
      stagedAnswers({
        listStaged: { staged: [], folder: null },
        openStagingFolder: { staged: [elsewhere], folder: '/srv/staging' },
        discardStaged: { name: 'q4-elsewhere', dir: '/srv/staging/q4-elsewhere' },
      }),
    );
    const user = userEvent.setup();
    renderWithApi(<StagedExportsView />, fake);
    await screen.findByText('No staged exports.');
    await user.click(screen.getByRole('button', { name: 'Open a staging folder…' }));
    expect(fake.callsTo('openStagingFolder')).toEqual([{}]);
    expect((await screen.findByText(/Also listed, also after a restart: the staged exports in/)).textContent).toContain('/srv/staging');
    expect(row('q4-elsewhere').textContent).toContain('in the opened staging folder');
    await user.click(within(row('q4-elsewhere')).getByRole('button', { name: 'Review and approve q4-elsewhere' }));
    await waitFor(() => expect(fake.callsTo('describeStaged')).toEqual([{ name: 'q4-elsewhere', source: 'folder' }]));
    await user.click(within(row('q4-elsewhere')).getByRole('button', { name: 'Discard q4-elsewhere' }));
    const form = await screen.findByTestId('discard-form');
    await user.type(within(form).getByLabelText(/Type the name to discard it/), 'q4-elsewhere');
    await user.click(within(form).getByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(fake.callsTo('discardStaged')).toEqual([{ name: 'q4-elsewhere', source: 'folder', confirmName: 'q4-elsewhere' }]));
  });

  it('says a kept staging folder that cannot be read now beside the home’s list, and closes it on request', async () => {
    const fake = fakeApi(
      stagedAnswers({
        listStaged: {
          staged: [entry('q4-design')],
          folder: '/media/op/STAGING',
          folderUnavailable: { folder: '/media/op/STAGING', error: { code: 'NOT_FOUND', message: 'No such file or directory: /media/op/STAGING' } },
        },
        closeStagingFolder: { staged: [entry('q4-design')], folder: null, folderUnavailable: null },
      }),
    );
    const user = userEvent.setup();
    renderWithApi(<StagedExportsView />, fake);
    const notice = await screen.findByTestId('staging-folder-unavailable');
    expect(notice.getAttribute('role')).toBe('status');
    expect(notice.textContent).toContain('/media/op/STAGING cannot be read now (No such file or directory');
    // Not an error: the home's exports are there.
    expect(row('q4-design')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Close the staging folder' }));
    expect(fake.callsTo('closeStagingFolder')).toEqual([{}]);
    await waitFor(() => expect(screen.queryByTestId('staging-folder-unavailable')).toBeNull());
    expect(screen.queryByRole('button', { name: 'Close the staging folder' })).toBeNull();
  });

  it('discards after the typed name', async () => {
    const fake = fakeApi(stagedAnswers({ discardStaged: { name: 'q4-design', dir: '/home/op/.config/Airlock/staged/q4-design' } }));
    const user = userEvent.setup();
    renderWithApi(<StagedExportsView />, fake);
    await user.click(await screen.findByRole('button', { name: 'Discard q4-design' }));
    const form = await screen.findByTestId('discard-form');
    const discard = within(form).getByRole<HTMLButtonElement>('button', { name: 'Discard' });
    expect(discard.disabled).toBe(true);
    await user.type(within(form).getByLabelText(/Type the name to discard it/), 'q4-design');
    await user.click(discard);
    await screen.findByRole('status', { name: 'Discarded q4-design.' });
    expect(fake.callsTo('discardStaged')).toEqual([{ name: 'q4-design', confirmName: 'q4-design' }]);
  });
});

describe('the audit chain in the Audit view', () => {
  const auditAnswers = (extra: Answers = {}): Answers => {
    let n = 0;
    return {
      listAudit: { events: auditEvents, hasMore: false },
      startVerifyAudit: () => ({ jobId: `audit-${++n}` }),
      getJob: ({ jobId }) => running(jobId, 'audit-verify'),
      cancelJob: { cancelling: true },
      ...extra,
    };
  };

  it('checks as a job counting events with their rate, cancels, and shows the verdict when it ends', async () => {
    const fake = fakeApi(auditAnswers());
    const user = userEvent.setup();
    renderWithApi(<AuditView />, fake);
    const region = await screen.findByRole('region', { name: 'Audit chain check' });
    await waitFor(() => expect(fake.callsTo('startVerifyAudit')).toHaveLength(1));
    await followsTheJob(region);
    act(() =>
      fake.emit({
        type: 'progress',
        jobId: 'audit-1',
        progress: {
          phase: 'verifying-audit-chain',
          bytesDone: 0,
          bytesTotal: null,
          filesDone: 500_000,
          filesTotal: 1_000_000,
          rateBytesPerSecond: null,
          etaSeconds: 2,
          itemsPerSecond: 250_000,
        },
      }),
    );
    expect(region.textContent).toContain('500,000 of 1,000,000 events');
    expect(region.textContent).toContain('250,000 events/s');
    expect(region.textContent).not.toContain('files');
    await user.click(within(region).getByRole('button', { name: 'Cancel' }));
    expect(fake.callsTo('cancelJob')).toEqual([{ jobId: 'audit-1' }]);
    act(() =>
      fake.emit({ type: 'finished', job: finishedJob('audit-1', 'audit-verify', null, { code: 'CANCELLED', message: 'The operation was cancelled.' }) }),
    );
    expect((await within(region).findByRole('alert')).textContent).toContain('Check cancelled');
    await user.click(within(region).getByRole('button', { name: 'Verify chain again' }));
    await waitFor(() => expect(fake.callsTo('startVerifyAudit')).toHaveLength(2));
    await followsTheJob(region);
    act(() => fake.emit({ type: 'finished', job: finishedJob('audit-2', 'audit-verify', chainIntact) }));
    expect((await within(region).findByRole('status', { name: 'Chain intact' })).textContent).toContain('the latest covers event #9');
  });

  it('signs a checkpoint with the station key passphrase, shows the signed head, and checks again', async () => {
    const fake = fakeApi(auditAnswers({ checkpointAudit: { checkpoint: { seq: 12, hash: 'ab'.repeat(32), at: '2026-12-05T10:00:00Z', fingerprint: FPR } } }));
    const user = userEvent.setup();
    renderWithApi(<AuditView />, fake);
    const form = await screen.findByRole('form', { name: 'Sign a checkpoint now' });
    await waitFor(() => expect(fake.callsTo('startVerifyAudit')).toHaveLength(1));
    await followsTheJob(document.body);
    act(() => fake.emit({ type: 'finished', job: finishedJob('audit-1', 'audit-verify', chainIntact) }));
    // No passphrase field until asked for: the view stays mounted while hidden.
    expect(within(form).queryByLabelText(/Station key passphrase/)).toBeNull();
    await user.click(within(form).getByRole('button', { name: 'Sign a checkpoint…' }));
    await user.type(within(form).getByLabelText(/Station key passphrase/), 'pw');
    await user.click(within(form).getByRole('button', { name: 'Sign the head of the log' }));
    const signed = await within(form).findByRole('status', { name: 'Signed the head: event #12' });
    expect(signed.textContent).toContain('ab'.repeat(32));
    expect(fake.callsTo('checkpointAudit')).toEqual([{ passphrase: 'pw' }]);
    // Signed: the field is gone again, and with it the passphrase.
    expect(within(form).queryByLabelText(/Station key passphrase/)).toBeNull();
    // The check runs again, so its verdict counts the new checkpoint.
    await waitFor(() => expect(fake.callsTo('startVerifyAudit')).toHaveLength(2));
  });

  it('says an empty log has nothing to sign, and shows a wrong passphrase with its next step', async () => {
    let answer: unknown = { checkpoint: null };
    const fake = fakeApi(auditAnswers({ checkpointAudit: () => answer as never }));
    const user = userEvent.setup();
    renderWithApi(<AuditView />, fake);
    const form = await screen.findByRole('form', { name: 'Sign a checkpoint now' });
    await user.click(within(form).getByRole('button', { name: 'Sign a checkpoint…' }));
    await user.type(within(form).getByLabelText(/Station key passphrase/), 'pw{Enter}');
    expect((await within(form).findByRole('status')).textContent).toBe('The log is empty: nothing to sign.');
    answer = { code: 'PASSPHRASE_WRONG', message: 'The passphrase does not unlock the station key.' };
    await user.click(within(form).getByRole('button', { name: 'Sign a checkpoint…' }));
    await user.type(within(form).getByLabelText(/Station key passphrase/), 'nope{Enter}');
    const alert = await within(form).findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('PASSPHRASE_WRONG');
    expect(alert.textContent).toContain('Next:');
  });
});
