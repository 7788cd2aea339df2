// @vitest-environment jsdom
/**
 * The import's signing (issue #19): with a station key the destination step asks for its
 * passphrase (labelled, saying what it signs), or an explicit choice to import unsigned; the
 * passphrase goes to startImport and leaves the page's state as the job starts; a wrong one
 * comes back to the same step with its code and message announced, bundle and folder kept; the
 * result says whether the receipt is signed. A station without a key imports unsigned and says so.
 */
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImportFlow } from '../../../renderer/src/flows/import/ImportFlow.js';
import { finishedJob, GROUPED, imported, running, status, verified } from './fixtures.js';
import { refusedReport } from './inspection-fixtures.js';
import { fakeApi, installDomShims, renderWithApi, unnamedControls, type Answers } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const BUNDLE = '/media/usb/airlock-000007-20261128.airlock.tar';
const PASSPHRASE = 'receiving station 1, typed';
const RECEIPT = { json: '/srv/inbox/r.import-receipt.json', html: '/srv/inbox/r.import-receipt.html', pdf: '/srv/inbox/r.import-receipt.pdf' };

type User = ReturnType<typeof userEvent.setup>;
type Fake = ReturnType<typeof fakeApi>;

function answers(extra: Answers = {}): Answers {
  let jobs = 0;
  return {
    stationStatus: status,
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

/** From the bundle to the destination step with its folder chosen. */
async function toDestination(fake: Fake, user: User): Promise<void> {
  renderWithApi(<ImportFlow />, fake);
  await user.click(screen.getByRole('button', { name: 'Choose bundle…' }));
  await user.click(screen.getByRole('button', { name: 'Verify bundle' }));
  await screen.findByRole('heading', { name: 'Verifying the bundle' });
  act(() => fake.emit({ type: 'finished', job: finishedJob('verify-1', 'verify', verified) }));
  await user.click(await screen.findByRole('button', { name: 'Next: destination' }));
  await user.click(screen.getByRole('button', { name: 'Choose folder…' }));
  await screen.findByText('/srv/inbox');
}

const importButton = () => screen.getByRole<HTMLButtonElement>('button', { name: 'Import' });
const passphraseField = () => screen.getByLabelText<HTMLInputElement>(/Station key passphrase/);

describe('import signing', () => {
  it('asks for the passphrase, says what it signs, sends it, and keeps it no longer than the start', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    await toDestination(fake, user);
    expect(await screen.findByRole('heading', { name: 'Sign the import receipt' })).toBeTruthy();
    expect(screen.getByText(/signs the import receipt \(JSON and PDF\) and an audit checkpoint/)).toBeTruthy();
    expect(screen.getByLabelText(`Fingerprint ${GROUPED}`)).toBeTruthy();
    expect(unnamedControls()).toEqual([]);
    // A folder alone is not enough on a station with a key: sign, or choose unsigned on purpose.
    expect(importButton().disabled).toBe(true);
    await user.type(passphraseField(), PASSPHRASE);
    expect(importButton().disabled).toBe(false);
    await user.click(importButton());
    expect(await screen.findByRole('heading', { name: 'Importing' })).toBeTruthy();
    expect(fake.callsTo('startImport')).toEqual([{ bundlePath: BUNDLE, destDir: '/srv/inbox', passphrase: PASSPHRASE }]);
    expect(document.body.innerHTML).not.toContain(PASSPHRASE);
    const result = { ...imported, receipt: { ...RECEIPT, signature: `${RECEIPT.json}.asc`, pdfSignature: `${RECEIPT.pdf}.asc` } };
    act(() => fake.emit({ type: 'finished', job: finishedJob('import-1', 'import', result) }));
    expect(await screen.findByRole('heading', { name: 'Imported' })).toBeTruthy();
    const line = screen.getByText(/The receipt is signed/);
    expect(line.getAttribute('data-receipt-signed')).toBe('true');
    expect(line.textContent).toContain('✓');
  });

  it('a wrong passphrase comes back to the same step, announced with its code, bundle and folder kept; the retry signs', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    await toDestination(fake, user);
    await user.type(passphraseField(), 'not it');
    await user.click(importButton());
    await screen.findByRole('heading', { name: 'Importing' });
    act(() =>
      fake.emit({
        type: 'finished',
        job: finishedJob('import-1', 'import', null, { code: 'PASSPHRASE_WRONG', message: 'The passphrase does not unlock the station key.' }),
      }),
    );
    expect(await screen.findByRole('heading', { name: 'Choose where the files go' })).toBeTruthy();
    const alert = screen.getByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('PASSPHRASE_WRONG');
    expect(alert.textContent).toContain('The passphrase does not unlock the station key.');
    expect(alert.textContent).not.toContain('not it');
    // The typed passphrase left the state as the job started; the folder and the bundle stayed.
    expect(passphraseField().value).toBe('');
    expect(screen.getByText('/srv/inbox')).toBeTruthy();
    await user.type(passphraseField(), PASSPHRASE);
    await user.click(importButton());
    await waitFor(() => expect(fake.callsTo('startImport')).toHaveLength(2));
    expect(fake.callsTo('startImport')[1]).toEqual({ bundlePath: BUNDLE, destDir: '/srv/inbox', passphrase: PASSPHRASE });
    expect(fake.callsTo('chooseBundle')).toHaveLength(1);
    expect(fake.callsTo('startVerify')).toHaveLength(1);
  });

  it('imports unsigned only when chosen on purpose, and the result says the receipt is not signed', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    await toDestination(fake, user);
    await user.type(passphraseField(), 'half typed');
    await user.click(screen.getByRole('checkbox', { name: /Import without signing/ }));
    // Choosing unsigned drops what was typed and takes the field out of the way.
    expect(passphraseField().value).toBe('');
    expect(passphraseField().disabled).toBe(true);
    await user.click(importButton());
    await screen.findByRole('heading', { name: 'Importing' });
    expect(fake.callsTo('startImport')).toEqual([{ bundlePath: BUNDLE, destDir: '/srv/inbox' }]);
    expect(fake.callsTo('startImport')[0]).not.toHaveProperty('passphrase', expect.anything());
    act(() =>
      fake.emit({ type: 'finished', job: finishedJob('import-1', 'import', { ...imported, receipt: { ...RECEIPT, signature: null, pdfSignature: null } }) }),
    );
    await screen.findByRole('heading', { name: 'Imported' });
    const line = screen.getByText(/The receipt is not signed/);
    expect(line.getAttribute('data-receipt-signed')).toBe('false');
  });

  it('a station without a key says the receipt will be unsigned and asks for nothing', async () => {
    const fake = fakeApi(answers({ stationStatus: { ...status, hasKey: false, stationKey: null } }));
    const user = userEvent.setup();
    await toDestination(fake, user);
    expect(await screen.findByText(/This station has no signing key/)).toBeTruthy();
    expect(screen.queryByLabelText(/Station key passphrase/)).toBeNull();
    await user.click(importButton());
    await screen.findByRole('heading', { name: 'Importing' });
    expect(fake.callsTo('startImport')).toEqual([{ bundlePath: BUNDLE, destDir: '/srv/inbox' }]);
  });

  it('importing a REPLAY again after a signed import goes back to the form for the passphrase', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    await toDestination(fake, user);
    await user.type(passphraseField(), PASSPHRASE);
    await user.click(importButton());
    await screen.findByRole('heading', { name: 'Importing' });
    const replay = {
      ...imported,
      ok: false,
      destination: null,
      problems: [{ code: 'REPLAY' as const, message: 'This bundle was already imported on this station.' }],
    };
    act(() => fake.emit({ type: 'finished', job: finishedJob('import-1', 'import', replay) }));
    await user.click(await screen.findByRole('button', { name: 'Import again anyway (recorded)' }));
    expect(await screen.findByRole('heading', { name: 'Choose where the files go' })).toBeTruthy();
    expect(fake.callsTo('startImport')).toHaveLength(1);
    await user.type(passphraseField(), PASSPHRASE);
    await user.click(importButton());
    await waitFor(() => expect(fake.callsTo('startImport')).toHaveLength(2));
    expect(fake.callsTo('startImport')[1]).toEqual({ bundlePath: BUNDLE, destDir: '/srv/inbox', allowReplay: true, passphrase: PASSPHRASE });
  });

  it('a bundle kept in quarantine writes no receipt: its import asks for no passphrase and sends none', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<ImportFlow />, fake);
    await user.click(screen.getByRole('button', { name: 'Choose bundle…' }));
    await user.click(screen.getByRole('button', { name: 'Verify bundle' }));
    await screen.findByRole('heading', { name: 'Verifying the bundle' });
    act(() => fake.emit({ type: 'finished', job: finishedJob('verify-1', 'verify', refusedReport) }));
    await user.click(await screen.findByRole('button', { name: 'Next: keep it in quarantine' }));
    await screen.findByRole('heading', { name: 'Keep it in quarantine' });
    await user.click(screen.getByRole('button', { name: 'Choose folder…' }));
    expect(screen.queryByLabelText(/Station key passphrase/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Import and keep in quarantine' }));
    await waitFor(() => expect(fake.callsTo('startImport')).toHaveLength(1));
    expect(fake.callsTo('startImport')[0]).not.toHaveProperty('passphrase', expect.anything());
  });
});
