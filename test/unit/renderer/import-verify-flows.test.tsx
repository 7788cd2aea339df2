// @vitest-environment jsdom
/** The import and verify flows, one screen at a time, against a fake window.airlock. */
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImportFlow } from '../../../renderer/src/flows/import/ImportFlow.js';
import { VerifyFlow } from '../../../renderer/src/flows/verify/VerifyFlow.js';
import { finishedJob, GROUPED, imported, rejected, running, status, verified } from './fixtures.js';
import { fakeApi, installDomShims, renderWithApi, type Answers } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const BUNDLE = '/media/usb/airlock-000007-20261128.airlock.tar';

function answers(extra: Answers = {}): Answers {
  let jobs = 0;
  return {
    // A station without a key imports unsigned (import-signing.test.tsx walks the signing).
    stationStatus: { ...status, hasKey: false, stationKey: null },
    chooseBundle: { path: BUNDLE },
    listMedia: { media: [] },
    chooseFolder: { path: '/srv/inbox' },
    startVerify: { jobId: 'verify-1' },
    startImport: () => ({ jobId: `import-${++jobs}` }),
    getJob: ({ jobId }) => running(jobId, jobId.startsWith('verify') ? 'verify' : 'import'),
    cancelJob: { cancelling: true },
    ...extra,
  };
}

describe('verify flow', () => {
  it('chooses a bundle, shows progress, then the signer card and that every file matched', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<VerifyFlow />, fake);
    expect(screen.getByText(/Nothing is written anywhere/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Choose bundle…' }));
    await user.click(screen.getByRole('button', { name: 'Verify bundle' }));
    expect(await screen.findByRole('heading', { name: 'Verifying the bundle' })).toBeTruthy();
    expect(fake.callsTo('startVerify')).toEqual([{ bundlePath: BUNDLE }]);
    act(() =>
      fake.emit({
        type: 'progress',
        jobId: 'verify-1',
        progress: { phase: 'verifying-signature', bytesDone: 0, bytesTotal: null, filesDone: 0, filesTotal: null, rateBytesPerSecond: null, etaSeconds: null },
      }),
    );
    expect(screen.getByText('Checking the signature', { selector: '[data-phase]' })).toBeTruthy();
    act(() => fake.emit({ type: 'finished', job: finishedJob('verify-1', 'verify', verified) }));
    expect(await screen.findByRole('heading', { name: 'Bundle verified' })).toBeTruthy();
    const card = screen.getByLabelText('Signer Station 3 <s3@example.org>');
    expect(card.textContent).toContain('Trusted: Lab B diode');
    expect(screen.getByLabelText(`Fingerprint ${GROUPED}`)).toBeTruthy();
    expect(screen.getByRole('table', { name: 'Bundle facts' }).textContent).toContain('3 files, 2.50 MB: every checksum matches');
    expect(screen.queryByRole('button', { name: 'Next: destination' })).toBeNull();
  });

  it('shows a rejected bundle with each problem, its path made visible, and the next action', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<VerifyFlow />, fake);
    await user.click(screen.getByRole('button', { name: 'Choose bundle…' }));
    await user.click(screen.getByRole('button', { name: 'Verify bundle' }));
    await screen.findByRole('heading', { name: 'Verifying the bundle' });
    act(() => fake.emit({ type: 'finished', job: finishedJob('verify-1', 'verify', rejected) }));
    expect(await screen.findByRole('heading', { name: 'Bundle rejected' })).toBeTruthy();
    const problems = screen.getByRole('list', { name: 'Problems found' });
    expect(problems.textContent).toContain('CHECKSUM_MISMATCH');
    // The bidi override in the hostile file name is shown, not obeyed.
    expect(problems.textContent).toContain('data/reports/q3\\u202etxt.pdf');
    expect(problems.textContent).not.toContain('\u202E');
    expect(problems.textContent).toContain('Next: Do not import it. The media may be damaged or tampered with');
  });

  it('reports an unreadable bundle with its code and next action', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<VerifyFlow />, fake);
    await user.click(screen.getByRole('button', { name: 'Choose bundle…' }));
    await user.click(screen.getByRole('button', { name: 'Verify bundle' }));
    await screen.findByRole('heading', { name: 'Verifying the bundle' });
    act(() =>
      fake.emit({
        type: 'finished',
        job: finishedJob('verify-1', 'verify', null, { code: 'BUNDLE_UNREADABLE', message: 'The bundle file cannot be opened.' }),
      }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('BUNDLE_UNREADABLE');
    expect(alert.textContent).toContain('Next: Check that the media is inserted');
  });
});

describe('import flow', () => {
  async function toReport(fake: ReturnType<typeof fakeApi>, user: ReturnType<typeof userEvent.setup>, report = verified) {
    renderWithApi(<ImportFlow />, fake);
    await user.click(screen.getByRole('button', { name: 'Choose bundle…' }));
    await user.click(screen.getByRole('button', { name: 'Verify bundle' }));
    await screen.findByRole('heading', { name: 'Verifying the bundle' });
    act(() => fake.emit({ type: 'finished', job: finishedJob('verify-1', 'verify', report) }));
  }

  /** From a verified report through the destination step to the running import. */
  async function toImporting(fake: ReturnType<typeof fakeApi>, user: ReturnType<typeof userEvent.setup>) {
    await toReport(fake, user);
    await user.click(await screen.findByRole('button', { name: 'Next: destination' }));
    await user.click(screen.getByRole('button', { name: 'Choose folder…' }));
    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect(await screen.findByRole('heading', { name: 'Importing' })).toBeTruthy();
  }

  it('verifies, then asks for a destination, imports and shows where the files are', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    await toReport(fake, user);
    await user.click(await screen.findByRole('button', { name: 'Next: destination' }));
    expect(screen.getByRole('heading', { name: 'Choose where the files go' })).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Proven so far' }).textContent).toContain(GROUPED);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Import' }).disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Choose folder…' }));
    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect(await screen.findByRole('heading', { name: 'Importing' })).toBeTruthy();
    expect(fake.callsTo('startImport')).toEqual([{ bundlePath: BUNDLE, destDir: '/srv/inbox' }]);
    act(() => fake.emit({ type: 'finished', job: finishedJob('import-1', 'import', imported) }));
    expect(await screen.findByRole('heading', { name: 'Imported' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('/srv/inbox/airlock-000007-20261128');
    expect(screen.getByText('Sequence number 7 is lower than 9.')).toBeTruthy();
  });

  it('offers Cancel until the commit and none once the files are in place (settling, writing receipts: nothing left to undo)', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    await toImporting(fake, user);
    const base = { bytesDone: 0, bytesTotal: null, filesDone: 3, filesTotal: 3, rateBytesPerSecond: null, etaSeconds: null };
    act(() => fake.emit({ type: 'progress', jobId: 'import-1', progress: { ...base, phase: 'recording-files' } }));
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeTruthy();
    act(() => fake.emit({ type: 'progress', jobId: 'import-1', progress: { ...base, phase: 'settling' } }));
    expect(screen.getByText('Files in place, recording the import', { selector: '[data-phase]' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    act(() => fake.emit({ type: 'progress', jobId: 'import-1', progress: { ...base, phase: 'writing-receipts' } }));
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    expect(fake.callsTo('cancelJob')).toEqual([]);
  });

  it('offers no destination for a rejected bundle', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    await toReport(fake, user, rejected);
    expect(await screen.findByRole('heading', { name: 'Bundle rejected' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Next: destination' })).toBeNull();
    expect(screen.getByText(/Nothing will be imported/)).toBeTruthy();
  });

  it('offers a recorded override when the only problem is REPLAY', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    await toImporting(fake, user);
    const replay = {
      ...imported,
      ok: false,
      destination: null,
      problems: [{ code: 'REPLAY' as const, message: 'This bundle was already imported on this station.' }],
    };
    act(() => fake.emit({ type: 'finished', job: finishedJob('import-1', 'import', replay) }));
    expect(await screen.findByRole('heading', { name: 'Nothing was imported' })).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Problems found' }).textContent).toContain('Next: Check the audit log');
    await user.click(screen.getByRole('button', { name: 'Import again anyway (recorded)' }));
    await waitFor(() => expect(fake.callsTo('startImport')).toHaveLength(2));
    expect(fake.callsTo('startImport')[1]).toEqual({ bundlePath: BUNDLE, destDir: '/srv/inbox', allowReplay: true });
  });
});
