// @vitest-environment jsdom
/**
 * Keys view: the CLI's other keys commands in the app. Rotate (passphrases checked, outcome with
 * both fingerprints and the hint), export-public (no path sent from the page), backup, restore
 * and revoke-import, each showing an error with its code and next step.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { groupFingerprint } from '../../../shared/fingerprint.js';
import { KeysView } from '../../../renderer/src/views/KeysView.js';
import { FPR, stationKey, status } from './fixtures.js';
import { fakeApi, installDomShims, renderWithApi, type Answers } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const NEW_FPR = '0123456789ABCDEF0123456789ABCDEF01234567';
const SENDER_FPR = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678';
const sender = { ...stationKey, fingerprint: SENDER_FPR, role: null, label: 'Lab B', userIds: ['Sender <sender@example.org>'] };
const newKey = { fingerprint: NEW_FPR, userIds: ['Station 3 (2027)'], algorithm: 'eddsaLegacy', created: '2026-12-05T03:00:00Z', expires: null };

function answers(extra: Answers = {}): Answers {
  return { stationStatus: status, listTrusted: { signers: [stationKey, sender] }, ...extra };
}

describe('rotate', () => {
  it('asks for the new name and both passphrases, then shows the retired and the new fingerprint and the hint', async () => {
    const fake = fakeApi(answers({ rotateKey: { retired: FPR, current: newKey } }));
    const user = userEvent.setup();
    renderWithApi(<KeysView />, fake);
    await user.click(await screen.findByRole('button', { name: 'Rotate key…' }));
    const form = await screen.findByRole('form', { name: 'Rotate the station key' });
    expect(within(form).getByText(/The current key is retired: it stays trusted here/)).toBeTruthy();
    await user.type(within(form).getByLabelText(/Name for the new key/), 'Station 3 (2027)');
    await user.selectOptions(within(form).getByLabelText(/^Algorithm/), 'rsa4096');
    await user.type(within(form).getByLabelText(/Current passphrase/), 'old');
    await user.type(within(form).getByLabelText(/^New passphrase/), 'new');
    await user.type(within(form).getByLabelText(/Repeat new passphrase/), 'other');
    const submit = within(form).getByRole<HTMLButtonElement>('button', { name: 'Retire the current key and create a new one' });
    expect(within(form).getByText('The two passphrases differ.')).toBeTruthy();
    expect(submit.disabled).toBe(true);
    await user.clear(within(form).getByLabelText(/Repeat new passphrase/));
    await user.type(within(form).getByLabelText(/Repeat new passphrase/), 'new');
    await user.click(submit);
    await waitFor(() =>
      expect(fake.callsTo('rotateKey')).toEqual([{ name: 'Station 3 (2027)', passphrase: 'old', newPassphrase: 'new', algorithm: 'rsa4096' }]),
    );
    const outcome = await screen.findByRole('status');
    expect(within(outcome).getByText('New station key created')).toBeTruthy();
    // Retired first, then the new key, each grouped for reading aloud.
    expect([...outcome.querySelectorAll('[data-fingerprint]')].map((el) => el.textContent)).toEqual([groupFingerprint(FPR), groupFingerprint(NEW_FPR)]);
    expect(outcome.textContent).toContain('Give receiving stations the new public key');
    expect(outcome.textContent).toContain('still trusted for verification');
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Rotate the station key' })).toBeNull());
  });

  it('keeps the dialog open with the error and its next step when the current passphrase is wrong', async () => {
    const fake = fakeApi(answers({ rotateKey: { code: 'PASSPHRASE_WRONG', message: 'The passphrase does not unlock the station key.' } }));
    const user = userEvent.setup();
    renderWithApi(<KeysView />, fake);
    await user.click(await screen.findByRole('button', { name: 'Rotate key…' }));
    const form = await screen.findByRole('form', { name: 'Rotate the station key' });
    await user.type(within(form).getByLabelText(/Name for the new key/), 'S');
    await user.type(within(form).getByLabelText(/Current passphrase/), 'wrong');
    await user.type(within(form).getByLabelText(/^New passphrase/), 'n');
    await user.type(within(form).getByLabelText(/Repeat new passphrase/), 'n');
    await user.click(within(form).getByRole('button', { name: 'Retire the current key and create a new one' }));
    const alert = await within(form).findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('PASSPHRASE_WRONG');
    expect(alert.textContent).toContain('Next:');
  });
});

describe('export-public', () => {
  it('exports the station key and a signer’s key, sending only the fingerprint, and says where it went', async () => {
    const fake = fakeApi(
      answers({
        exportPublicKey: (request) =>
          request.fingerprint ? { path: '/media/usb/sender.asc', fingerprint: SENDER_FPR } : { path: '/media/usb/station.asc', fingerprint: null },
      }),
    );
    const user = userEvent.setup();
    renderWithApi(<KeysView />, fake);
    await user.click(await screen.findByRole('button', { name: 'Export public key…' }));
    expect(await screen.findByText(/Saved the public key to \/media\/usb\/station.asc/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Export the public key of Sender <sender@example.org>' }));
    expect(await screen.findByText('Saved the public key of Sender <sender@example.org> to /media/usb/sender.asc.')).toBeTruthy();
    expect(fake.callsTo('exportPublicKey')).toEqual([{}, { fingerprint: SENDER_FPR }]);
  });

  it('says nothing when the save dialog is cancelled', async () => {
    const fake = fakeApi(answers({ exportPublicKey: { path: null, fingerprint: null } }));
    const user = userEvent.setup();
    renderWithApi(<KeysView />, fake);
    await user.click(await screen.findByRole('button', { name: 'Export public key…' }));
    await waitFor(() => expect(fake.callsTo('exportPublicKey')).toHaveLength(1));
    expect(screen.queryByText(/Saved the public key/)).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('backup', () => {
  it('proves the passphrase, then reports the file written; a wrong passphrase shows its error', async () => {
    const fake = fakeApi(
      answers({
        backupKey: (request) =>
          request.passphrase === 'right'
            ? { path: '/media/offline/station-key.backup.asc' }
            : { code: 'PASSPHRASE_WRONG', message: 'The passphrase does not unlock the station key.' },
      }),
    );
    const user = userEvent.setup();
    renderWithApi(<KeysView />, fake);
    await user.click(await screen.findByRole('button', { name: 'Back up key…' }));
    const form = await screen.findByRole('form', { name: 'Back up the station key' });
    await user.type(within(form).getByLabelText(/Station key passphrase/), 'wrong');
    await user.click(within(form).getByRole('button', { name: 'Choose where to save…' }));
    expect((await within(form).findByRole('alert')).getAttribute('data-error-code')).toBe('PASSPHRASE_WRONG');
    await user.clear(within(form).getByLabelText(/Station key passphrase/));
    await user.type(within(form).getByLabelText(/Station key passphrase/), 'right');
    await user.click(within(form).getByRole('button', { name: 'Choose where to save…' }));
    expect(await screen.findByText(/Wrote \/media\/offline\/station-key.backup.asc \(mode 0600\)/)).toBeTruthy();
    expect(fake.callsTo('backupKey')).toEqual([{ passphrase: 'wrong' }, { passphrase: 'right' }]);
  });
});

describe('restore', () => {
  it('is offered without a station key: chooses the backup in main’s dialog, unlocks it, shows the key', async () => {
    let hasKey = false;
    const fake = fakeApi(
      answers({
        stationStatus: () => (hasKey ? status : { ...status, hasKey: false, stationKey: null }),
        listTrusted: { signers: [] },
        chooseFile: { paths: ['/media/offline/station-key.backup.asc'] },
        restoreKey: () => {
          hasKey = true;
          return { fingerprint: FPR, userIds: ['Station 3'], algorithm: 'eddsaLegacy', created: '2026-11-28T10:00:00Z', expires: null };
        },
      }),
    );
    const user = userEvent.setup();
    renderWithApi(<KeysView />, fake);
    const form = await screen.findByRole('form', { name: 'Restore from a backup' });
    expect(within(form).queryByRole('button', { name: 'Restore station key' })).toBeNull();
    await user.click(within(form).getByRole('button', { name: 'Choose backup file…' }));
    expect(await within(form).findByText('Backup file: /media/offline/station-key.backup.asc')).toBeTruthy();
    await user.type(within(form).getByLabelText(/The key’s passphrase/), 'pw');
    await user.click(within(form).getByRole('button', { name: 'Restore station key' }));
    expect(await screen.findByText('Restored the station key Station 3.')).toBeTruthy();
    expect(fake.callsTo('chooseFile')).toEqual([{ purpose: 'key-backup' }]);
    expect(fake.callsTo('restoreKey')).toEqual([{ file: '/media/offline/station-key.backup.asc', passphrase: 'pw' }]);
    expect(await screen.findByLabelText('Station key')).toBeTruthy();
  });
});

describe('revoke-import', () => {
  it('applies a chosen certificate only on a second click and marks the signer revoked', async () => {
    let revoked = false;
    const fake = fakeApi(
      answers({
        listTrusted: () => ({ signers: [stationKey, revoked ? { ...sender, revokedAt: '2026-12-05T03:00:00Z' } : sender] }),
        chooseFile: { paths: ['/media/usb/sender.rev'] },
        importRevocation: () => {
          revoked = true;
          return { ...sender, revokedAt: '2026-12-05T03:00:00Z' };
        },
      }),
    );
    const user = userEvent.setup();
    renderWithApi(<KeysView />, fake);
    await user.click(await screen.findByRole('button', { name: 'Choose revocation certificate…' }));
    expect(await screen.findByText('Certificate: /media/usb/sender.rev')).toBeTruthy();
    expect(fake.callsTo('importRevocation')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Apply the revocation' }));
    expect(await screen.findByText('REVOKED Sender <sender@example.org>: no signature by it is accepted any more.')).toBeTruthy();
    expect(fake.callsTo('chooseFile')).toEqual([{ purpose: 'revocation' }]);
    expect(fake.callsTo('importRevocation')).toEqual([{ file: '/media/usb/sender.rev' }]);
    const table = screen.getByRole('table', { name: 'Trusted signers' });
    expect(await within(table).findByText('revoked')).toBeTruthy();
  });

  it('shows why a file is refused, with its next step', async () => {
    const fake = fakeApi(
      answers({
        chooseFile: { paths: ['/media/usb/not-a-revocation.asc'] },
        importRevocation: { code: 'KEY_INVALID', message: 'It is not a revocation for any trusted key.' },
      }),
    );
    const user = userEvent.setup();
    renderWithApi(<KeysView />, fake);
    await user.click(await screen.findByRole('button', { name: 'Choose revocation certificate…' }));
    await user.click(await screen.findByRole('button', { name: 'Apply the revocation' }));
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('KEY_INVALID');
    expect(alert.textContent).toContain('Next:');
  });
});
