// @vitest-environment jsdom
/** The export flow, one screen at a time, against a fake window.airlock. */
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExportFlow } from '../../../renderer/src/flows/export/ExportFlow.js';
import { exportResult, finishedJob, GROUPED, running, status, summary } from './fixtures.js';
import { fakeApi, installDomShims, renderWithApi, type Answers } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

function answers(extra: Answers = {}): Answers {
  return {
    chooseExportSources: ({ kind }) => ({ paths: kind === 'files' ? ['/data/notes.txt'] : ['/data/reports'] }),
    summarizeSelection: summary,
    chooseFolder: { path: '/media/usb' },
    listMedia: { media: [] },
    stationStatus: status,
    startExport: { jobId: 'job-1' },
    getJob: running('job-1', 'export'),
    cancelJob: { cancelling: true },
    ...extra,
  };
}

async function walkToSign(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('button', { name: 'Add files…' }));
  await user.click(screen.getByRole('button', { name: 'Add folders…' }));
  await user.click(screen.getByRole('button', { name: 'Next: review' }));
  await screen.findByRole('table', { name: 'Selection' });
  await user.click(screen.getByRole('button', { name: 'Next: destination' }));
  await user.click(screen.getByRole('radio', { name: /A folder/ }));
  await user.click(screen.getByRole('button', { name: 'Choose folder…' }));
  await screen.findByText('/media/usb');
  await user.click(screen.getByRole('button', { name: 'Next: sign' }));
  await screen.findByLabelText(/Station key passphrase/);
}

describe('export flow', () => {
  it('step 1: adds files and folders by dialog and by drop, and removes them', async () => {
    const fake = fakeApi(answers(), { 'dropped.bin': '/home/op/dropped.bin' });
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} />, fake);
    expect(screen.getByRole('heading', { name: 'Choose what to send' })).toBeTruthy();
    expect(screen.getByText(/Nothing is read or written yet/)).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Next: review' }).disabled).toBe(true);

    await user.click(screen.getByRole('button', { name: 'Add files…' }));
    await user.click(screen.getByRole('button', { name: 'Add folders…' }));
    expect(fake.callsTo('chooseExportSources')).toEqual([{ kind: 'files' }, { kind: 'folders' }]);

    const file = new File(['x'], 'dropped.bin');
    fireEvent.drop(screen.getByTestId('drop-zone'), { dataTransfer: { files: [file] } });
    const list = screen.getByRole('list', { name: 'Selected files and folders' });
    expect(list.textContent).toContain('/data/notes.txt');
    expect(list.textContent).toContain('/data/reports');
    expect(list.textContent).toContain('/home/op/dropped.bin');

    await user.click(screen.getByRole('button', { name: 'Remove /home/op/dropped.bin' }));
    expect(list.textContent).not.toContain('dropped.bin');
  });

  it('step 2: shows totals and warnings, and blocks what the export will refuse', async () => {
    const blocking = { ...summary, warnings: [{ path: '/data/link', message: 'a symbolic link: the export will refuse it', blocking: true }] };
    const fake = fakeApi(answers({ summarizeSelection: blocking }));
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} />, fake);
    await user.click(screen.getByRole('button', { name: 'Add files…' }));
    await user.click(screen.getByRole('button', { name: 'Next: review' }));
    const table = await screen.findByRole('table', { name: 'Selection' });
    expect(table.textContent).toContain('reports');
    expect(table.textContent).toContain('2.50 MB');
    expect(screen.getByRole('alert').textContent).toContain('/data/link: a symbolic link');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Next: destination' }).disabled).toBe(true);
  });

  it('steps 3-4: destination (no medium: a folder, name) and a passphrase that is never kept', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} />, fake);
    await user.click(screen.getByRole('button', { name: 'Add files…' }));
    await user.click(screen.getByRole('button', { name: 'Next: review' }));
    await screen.findByRole('table', { name: 'Selection' });
    await user.click(screen.getByRole('button', { name: 'Next: destination' }));
    expect(screen.getByRole('heading', { name: 'Choose where the bundle goes' })).toBeTruthy();
    expect(await screen.findByText('No medium detected')).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Next: sign' }).disabled).toBe(true);
    await user.click(screen.getByRole('radio', { name: /A folder/ }));
    await user.type(screen.getByLabelText(/Bundle name/), '.hidden');
    expect(screen.getByText(/not starting with a dot/)).toBeTruthy();
    await user.clear(screen.getByLabelText(/Bundle name/));
    await user.type(screen.getByLabelText(/Bundle name/), 'weekly-report');
    await user.click(screen.getByRole('button', { name: 'Choose folder…' }));
    await user.click(screen.getByRole('button', { name: 'Next: sign' }));

    expect(await screen.findByRole('heading', { name: 'Sign the bundle' })).toBeTruthy();
    expect(await screen.findByLabelText(`Fingerprint ${GROUPED}`)).toBeTruthy();
    const field = screen.getByLabelText<HTMLInputElement>(/Station key passphrase/);
    await user.type(field, 'secret phrase{Enter}');
    await waitFor(() => expect(fake.callsTo('startExport')).toHaveLength(1));
    expect(fake.callsTo('startExport')[0]).toEqual({
      selection: ['/data/notes.txt'],
      destination: { kind: 'folder', path: '/media/usb' },
      name: 'weekly-report',
      passphrase: 'secret phrase',
    });
    expect(await screen.findByRole('heading', { name: 'Writing the bundle' })).toBeTruthy();
    expect(document.body.innerHTML).not.toContain('secret phrase');
  });

  it('step 4: without a station key, says so and offers to create one', async () => {
    const openKeys = vi.fn();
    const fake = fakeApi(answers({ stationStatus: { ...status, hasKey: false, stationKey: null } }));
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={openKeys} />, fake);
    await walkToSign(user);
    expect(await screen.findByText(/no signing key yet/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Create the station key' }));
    expect(openKeys).toHaveBeenCalled();
  });

  it('step 5: live progress with rate and ETA, cancel, and the cancelled outcome', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} />, fake);
    await walkToSign(user);
    await user.type(screen.getByLabelText(/Station key passphrase/), 'pw{Enter}');
    await screen.findByRole('heading', { name: 'Writing the bundle' });
    act(() =>
      fake.emit({
        type: 'progress',
        jobId: 'job-1',
        progress: {
          phase: 'writing',
          bytesDone: 50_000_000,
          bytesTotal: 200_000_000,
          filesDone: 1,
          filesTotal: 3,
          rateBytesPerSecond: 25_000_000,
          etaSeconds: 6,
        },
      }),
    );
    expect(screen.getByText('Writing the bundle', { selector: '[data-phase]' })).toBeTruthy();
    expect(screen.getByText('50.0 MB of 200.0 MB')).toBeTruthy();
    expect(screen.getByText('1 of 3 files')).toBeTruthy();
    expect(screen.getByText('25.0 MB/s')).toBeTruthy();
    expect(screen.getByText('about 0:06 left in this step')).toBeTruthy();
    expect(screen.getByRole('progressbar').getAttribute('aria-label')).toBe('Writing the bundle, 25 percent');

    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(fake.callsTo('cancelJob')).toEqual([{ jobId: 'job-1' }]);
    act(() =>
      fake.emit({
        type: 'finished',
        job: finishedJob('job-1', 'export', null, { code: 'CANCELLED', message: 'The operation was cancelled; nothing was left half-written.' }),
      }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('CANCELLED');
    expect(alert.textContent).toContain('nothing was left half-written');
    expect(alert.textContent).toContain('Next: Nothing to clean up');
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it('step 5: the one-pass export names its stages for what they do, as core reports them', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} />, fake);
    await walkToSign(user);
    await user.type(screen.getByLabelText(/Station key passphrase/), 'pw{Enter}');
    await screen.findByRole('heading', { name: 'Writing the bundle' });
    const base = { bytesDone: 0, bytesTotal: 1000, filesDone: 0, filesTotal: 3, rateBytesPerSecond: null, etaSeconds: null };
    act(() => fake.emit({ type: 'progress', jobId: 'job-1', progress: { ...base, phase: 'hashing-and-writing' } }));
    expect(screen.getByText('Hashing and writing every file', { selector: '[data-phase]' })).toBeTruthy();
    const stages = screen.getByRole('list', { name: 'Stages' });
    expect(within(stages).getByText('Hash and write every file').closest('li')?.getAttribute('aria-current')).toBe('step');
    act(() => fake.emit({ type: 'progress', jobId: 'job-1', progress: { ...base, phase: 'writing-tag-files' } }));
    expect(screen.getByText('Writing the signed manifest', { selector: '[data-phase]' })).toBeTruthy();
    expect(within(stages).getByText('Hash and write every file').closest('li')?.textContent).toContain('done');
    expect(within(stages).getByText('Sign the manifest, write it and flush').closest('li')?.getAttribute('aria-current')).toBe('step');
    expect(screen.getByText('The passphrase unlocked the station key and the manifest is signed.')).toBeTruthy();
  });

  it('step 5: once the bundle is published, the receipts phase shows it written and Cancel is gone', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} />, fake);
    await walkToSign(user);
    await user.type(screen.getByLabelText(/Station key passphrase/), 'pw{Enter}');
    await screen.findByRole('heading', { name: 'Writing the bundle' });
    const base = { bytesDone: 1000, bytesTotal: 1000, filesDone: 3, filesTotal: 3, rateBytesPerSecond: null, etaSeconds: null };
    act(() => fake.emit({ type: 'progress', jobId: 'job-1', progress: { ...base, phase: 'syncing' } }));
    // Before publish a cancel still undoes the export.
    screen.getByRole('button', { name: 'Cancel' }).focus();
    act(() => fake.emit({ type: 'progress', jobId: 'job-1', progress: { ...base, phase: 'writing-receipts', bytesDone: 0, bytesTotal: null } }));
    // The focused Cancel went away: the focus is on the step's heading, not lost to the page's start.
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 2, name: 'Writing the bundle' }));
    expect(screen.getByText('Done, writing receipts', { selector: '[data-phase]' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(screen.getByText(/The bundle is written and published; nothing is left to cancel/)).toBeTruthy();
    const stages = screen.getByRole('list', { name: 'Stages' });
    expect(within(stages).getByText('Sign the manifest, write it and flush').closest('li')?.textContent).toContain('done');
    expect(
      within(stages)
        .getByText(/Write the receipts/)
        .closest('li')
        ?.getAttribute('aria-current'),
    ).toBe('step');
    expect(fake.callsTo('cancelJob')).toEqual([]);
  });

  it('step 5: a two-pass export keeps its stages in the receipts phase, Cancel gone', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} />, fake);
    await walkToSign(user);
    await user.type(screen.getByLabelText(/Station key passphrase/), 'pw{Enter}');
    await screen.findByRole('heading', { name: 'Writing the bundle' });
    const base = { bytesDone: 0, bytesTotal: null, filesDone: 3, filesTotal: 3, rateBytesPerSecond: null, etaSeconds: null };
    act(() => fake.emit({ type: 'progress', jobId: 'job-1', progress: { ...base, phase: 'writing' } }));
    act(() => fake.emit({ type: 'progress', jobId: 'job-1', progress: { ...base, phase: 'writing-receipts' } }));
    const stages = screen.getByRole('list', { name: 'Stages' });
    expect(within(stages).getByText('Write and flush').closest('li')?.textContent).toContain('done');
    expect(within(stages).queryByText('Hash and write every file')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it('step 5: a wrong passphrase returns to the sign screen with the error and its next action', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} />, fake);
    await walkToSign(user);
    await user.type(screen.getByLabelText(/Station key passphrase/), 'wrong{Enter}');
    await screen.findByRole('heading', { name: 'Writing the bundle' });
    act(() =>
      fake.emit({
        type: 'finished',
        job: finishedJob('job-1', 'export', null, { code: 'PASSPHRASE_WRONG', message: 'The passphrase does not unlock the station key.' }),
      }),
    );
    expect(await screen.findByRole('heading', { name: 'Sign the bundle' })).toBeTruthy();
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('PASSPHRASE_WRONG');
    expect(alert.textContent).toContain('Caps Lock');
  });

  it('step 6: the result with path, id, counts and the grouped signer fingerprint', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ExportFlow onOpenKeys={() => undefined} />, fake);
    await walkToSign(user);
    await user.type(screen.getByLabelText(/Station key passphrase/), 'pw{Enter}');
    await screen.findByRole('heading', { name: 'Writing the bundle' });
    act(() => fake.emit({ type: 'finished', job: finishedJob('job-1', 'export', exportResult) }));
    expect(await screen.findByRole('heading', { name: 'Bundle written' })).toBeTruthy();
    const table = screen.getByRole('table', { name: 'Export result' });
    expect(table.textContent).toContain(exportResult.bundlePath);
    expect(table.textContent).toContain(exportResult.uuid);
    expect(table.textContent).toContain('3 files, 2.50 MB');
    expect(screen.getByLabelText(`Fingerprint ${GROUPED}`)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Export something else' }));
    expect(screen.getByRole('heading', { name: 'Choose what to send' })).toBeTruthy();
  });

  it('step 6: names the PDF receipt for the paper file beside the HTML one (none when the PDF could not be made)', async () => {
    const base = '/media/usb/airlock-000007-20261128.export-receipt';
    const receipt = { json: `${base}.json`, signature: `${base}.json.asc`, html: `${base}.html`, pdf: `${base}.pdf`, pdfSignature: `${base}.pdf.asc` };
    for (const [pdf, shown] of [
      [receipt.pdf, true],
      [null, false],
    ] as const) {
      const fake = fakeApi(answers());
      const user = userEvent.setup();
      const view = renderWithApi(<ExportFlow onOpenKeys={() => undefined} />, fake);
      await walkToSign(user);
      await user.type(screen.getByLabelText(/Station key passphrase/), 'pw{Enter}');
      await screen.findByRole('heading', { name: 'Writing the bundle' });
      act(() => fake.emit({ type: 'finished', job: finishedJob('job-1', 'export', { ...exportResult, receipt: { ...receipt, pdf } }) }));
      await screen.findByRole('heading', { name: 'Bundle written' });
      const table = screen.getByRole('table', { name: 'Export result' });
      expect(table.textContent).toContain(receipt.html);
      expect(within(table).queryByText('Receipt for the paper file (PDF)') !== null, `PDF row with pdf ${String(pdf)}`).toBe(shown);
      expect(table.textContent?.includes(receipt.pdf)).toBe(shown);
      view.unmount();
    }
  });
});
