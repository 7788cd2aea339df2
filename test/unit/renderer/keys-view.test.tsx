// @vitest-environment jsdom
/** Keys: create the station key, trust a key only after confirming its fingerprint, untrust with confirmation. */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeysView } from '../../../renderer/src/views/KeysView.js';
import { FPR, GROUPED, stationKey, status } from './fixtures.js';
import { fakeApi, installDomShims, renderWithApi, type Answers } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const SENDER_FPR = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678';
const SENDER_GROUPED = 'A1B2 C3D4 E5F6 0718 293A 4B5C 6D7E 8F90 1234 5678';
const sender = { ...stationKey, fingerprint: SENDER_FPR, role: null, label: 'Lab B', userIds: ['Sender <sender@example.org>'] };

function answers(extra: Answers = {}): Answers {
  return {
    stationStatus: status,
    listTrusted: { signers: [stationKey, sender] },
    chooseKeyFile: { path: '/media/usb/sender.asc' },
    inspectKeyFile: {
      fingerprint: SENDER_FPR,
      userIds: ['Sender <sender@example.org>'],
      algorithm: 'eddsaLegacy (ed25519)',
      created: '2026-11-01T00:00:00.000Z',
      expires: null,
    },
    trustKeyFile: { signer: sender, alreadyTrusted: false },
    untrustKey: sender,
    ...extra,
  };
}

describe('keys view', () => {
  it('creates the station key with a confirmed passphrase', async () => {
    let hasKey = false;
    const fake = fakeApi(
      answers({
        stationStatus: () => (hasKey ? status : { ...status, hasKey: false, stationKey: null }),
        listTrusted: { signers: [] },
        generateKey: () => {
          hasKey = true;
          return { fingerprint: FPR, userIds: ['Station 3'], algorithm: 'eddsaLegacy', created: '2026-11-28T10:00:00Z', expires: null };
        },
      }),
    );
    const user = userEvent.setup();
    renderWithApi(<KeysView />, fake);
    const form = await screen.findByRole('form', { name: 'Create the station key' });
    await user.type(within(form).getByLabelText(/Station name/), 'Station 3');
    // keys generate --algorithm: ed25519 unless chosen otherwise.
    expect(within(form).getByLabelText<HTMLSelectElement>(/^Algorithm/).value).toBe('ed25519');
    await user.selectOptions(within(form).getByLabelText(/^Algorithm/), 'p384');
    await user.type(within(form).getByLabelText(/^Passphrase/), 'one');
    await user.type(within(form).getByLabelText(/Repeat passphrase/), 'two');
    expect(screen.getByText('The two passphrases differ.')).toBeTruthy();
    expect(within(form).getByRole<HTMLButtonElement>('button', { name: 'Create station key' }).disabled).toBe(true);
    await user.clear(within(form).getByLabelText(/Repeat passphrase/));
    await user.type(within(form).getByLabelText(/Repeat passphrase/), 'one');
    await user.click(within(form).getByRole('button', { name: 'Create station key' }));
    await waitFor(() => expect(fake.callsTo('generateKey')).toEqual([{ name: 'Station 3', passphrase: 'one', algorithm: 'p384' }]));
    expect(await screen.findByLabelText('Station key')).toBeTruthy();
    expect(screen.getByText('Station key created.')).toBeTruthy();
  });

  it('lists the station key and trusted signers with grouped fingerprints', async () => {
    renderWithApi(<KeysView />, fakeApi(answers()));
    const table = await screen.findByRole('table', { name: 'Trusted signers' });
    expect(within(table).getByLabelText(`Fingerprint ${GROUPED}`)).toBeTruthy();
    expect(within(table).getByLabelText(`Fingerprint ${SENDER_GROUPED}`)).toBeTruthy();
    expect(table.textContent).toContain('this station');
    expect(table.textContent).toContain('Lab B');
  });

  it('flags a key trusted before the SHA-1 rule: code, what to do, the owner’s commands (EN and DE)', async () => {
    const refusal = {
      code: 'KEY_SHA1_BINDING' as const,
      detail: `In ${SENDER_FPR}, its self-signature (binding its user ID) is made with SHA-1: verify refuses the signatures it makes.`,
      next: `The key's owner re-signs it with SHA-256 (gpg --cert-digest-algo SHA256 --quick-set-expire ${SENDER_FPR} 2y) and sends the new public key.`,
    };
    for (const [locale, badge, words] of [
      ['en', 'refused at verify (KEY_SHA1_BINDING)', 'Ask its owner to re-sign the key with SHA-256'],
      ['de', 'bei der Prüfung abgelehnt (KEY_SHA1_BINDING)', 'mit SHA-256 neu zu signieren'],
    ] as const) {
      renderWithApi(<KeysView />, fakeApi(answers({ listTrusted: { signers: [stationKey, { ...sender, refusal }] } })), locale);
      const table = await screen.findByRole('table');
      const rows = within(table).getAllByRole('row');
      const flagged = rows.find((r) => r.textContent?.includes('Lab B'));
      expect(flagged?.textContent).toContain(badge);
      expect(flagged?.textContent).toContain(words);
      expect(flagged?.textContent).toContain(`--quick-set-expire ${SENDER_FPR} 2y`);
      // The station's own key carries no refusal: no marker on its row.
      expect(rows.filter((r) => r.textContent?.includes('KEY_SHA1_BINDING'))).toHaveLength(1);
      cleanup();
    }
  });

  it('warns of a key with one refused signing subkey beside a good one: a warning badge, not a refusal (EN and DE)', async () => {
    const warning = {
      code: 'SIGNER_REVOKED' as const,
      detail: `${SENDER_FPR} has a valid signing key, but its signing subkey 0123456789ABCDEF was revoked by its owner.`,
      next: 'Nothing to do at this station while bundles come signed by the valid key.',
    };
    for (const [locale, badge, words] of [
      ['en', 'a signing subkey is refused (SIGNER_REVOKED)', 'This key is accepted'],
      ['de', 'ein Signatur-Unterschlüssel wird abgelehnt (SIGNER_REVOKED)', 'Dieser Schlüssel wird angenommen'],
    ] as const) {
      renderWithApi(<KeysView />, fakeApi(answers({ listTrusted: { signers: [stationKey, { ...sender, warning }] } })), locale);
      const rows = within(await screen.findByRole('table')).getAllByRole('row');
      const warned = rows.find((r) => r.textContent?.includes('Lab B'));
      expect(warned?.textContent, locale).toContain(badge);
      expect(warned?.textContent, locale).toContain(words);
      expect(warned?.textContent, locale).toContain('0123456789ABCDEF');
      expect(warned?.textContent, locale).not.toContain('refused at verify');
      cleanup();
    }
  });

  it('flags a key expired or revoked since it was trusted with the code verify gives and its own sentence (EN expired, DE revoked)', async () => {
    for (const [code, locale, words] of [
      ['SIGNER_EXPIRED', 'en', 'has expired since it was trusted'],
      ['SIGNER_REVOKED', 'de', 'jeden Signatur-Unterschlüssel dieses Schlüssels widerrufen'],
    ] as const) {
      const refusal = { code, detail: `${SENDER_FPR} expired on 2026-11-26T08:00:00.000Z.`, next: `gpg --quick-set-expire ${SENDER_FPR} 2y` };
      renderWithApi(<KeysView />, fakeApi(answers({ listTrusted: { signers: [stationKey, { ...sender, refusal }] } })), locale);
      const rows = within(await screen.findByRole('table')).getAllByRole('row');
      const flagged = rows.find((r) => r.textContent?.includes('Lab B'));
      expect(flagged?.textContent, `${code} ${locale}`).toContain(`(${code})`);
      expect(flagged?.textContent, `${code} ${locale}`).toContain(words);
      cleanup();
    }
  });

  it('trusts a key only after the fingerprint is typed back, and passes it as expectedFingerprint', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<KeysView />, fake);
    await user.click(await screen.findByRole('button', { name: 'Choose key file…' }));
    const panel = await screen.findByLabelText('Key to trust');
    expect(within(panel).getByLabelText(`Fingerprint ${SENDER_GROUPED}`)).toBeTruthy();
    const trust = within(panel).getByRole<HTMLButtonElement>('button', { name: 'Trust this key' });
    expect(trust.disabled).toBe(true);

    const typed = within(panel).getByLabelText(/Type the fingerprint/);
    await user.type(typed, 'A1B2 C3D4 E5F6 0718 293A 4B5C 6D7E 8F90 1234 0000');
    expect(within(panel).getByText(/Do not trust it/)).toBeTruthy();
    expect(trust.disabled).toBe(true);
    await user.clear(typed);
    await user.type(typed, SENDER_GROUPED.toLowerCase());
    expect(within(panel).getByText('The fingerprint you typed matches the key.')).toBeTruthy();
    await user.type(within(panel).getByLabelText(/Label/), 'Lab B');
    await user.type(within(panel).getByLabelText(/^Role/), 'reviewer');
    await user.click(trust);
    await waitFor(() =>
      expect(fake.callsTo('trustKeyFile')).toEqual([{ file: '/media/usb/sender.asc', expectedFingerprint: SENDER_FPR, label: 'Lab B', role: 'reviewer' }]),
    );
    expect(await screen.findByText('Now trusted: Sender <sender@example.org>')).toBeTruthy();
  });

  it('warns after trusting a key whose old signing subkey is bound with SHA-1, naming that subkey', async () => {
    const fake = fakeApi(answers({ trustKeyFile: { signer: sender, alreadyTrusted: false, sha1Subkeys: ['0123456789ABCDEF'] } }));
    const user = userEvent.setup();
    renderWithApi(<KeysView />, fake);
    await user.click(await screen.findByRole('button', { name: 'Choose key file…' }));
    const panel = await screen.findByLabelText('Key to trust');
    await user.type(within(panel).getByLabelText(/Type the fingerprint/), SENDER_FPR);
    await user.click(within(panel).getByRole('button', { name: 'Trust this key' }));
    const notice = await screen.findByText(/^Now trusted: Sender <sender@example.org> Warning: its signing subkey 0123456789ABCDEF is bound with SHA-1/u);
    expect(notice.textContent).toContain('refused at verify (SIGNER_SHA1_BINDING)');
  });

  it('offers no way around typing the fingerprint, and shows FINGERPRINT_MISMATCH from core', async () => {
    const fake = fakeApi(
      answers({
        trustKeyFile: {
          code: 'FINGERPRINT_MISMATCH',
          message: 'The key file does not have the fingerprint you expected: it may have been swapped. Nothing was trusted.',
        },
      }),
    );
    const user = userEvent.setup();
    renderWithApi(<KeysView />, fake);
    await user.click(await screen.findByRole('button', { name: 'Choose key file…' }));
    const panel = await screen.findByLabelText('Key to trust');
    expect(within(panel).queryByRole('checkbox')).toBeNull();
    expect(within(panel).getByRole<HTMLButtonElement>('button', { name: 'Trust this key' }).disabled).toBe(true);
    await user.type(within(panel).getByLabelText(/Type the fingerprint/), SENDER_GROUPED);
    await user.click(within(panel).getByRole('button', { name: 'Trust this key' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('FINGERPRINT_MISMATCH');
    expect(alert.textContent).toContain('Next: Do not trust this file.');
  });

  it('untrusts only after confirmation', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<KeysView />, fake);
    await user.click(await screen.findByRole('button', { name: 'Stop trusting Sender <sender@example.org>' }));
    const dialog = await screen.findByRole('dialog', { name: 'Stop trusting this signer?' });
    await user.click(within(dialog).getByRole('button', { name: 'Keep trusting' }));
    expect(fake.callsTo('untrustKey')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Stop trusting Sender <sender@example.org>' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Stop trusting' }));
    await waitFor(() => expect(fake.callsTo('untrustKey')).toEqual([{ fingerprint: SENDER_FPR }]));
    expect(await screen.findByText('No longer trusted: Sender <sender@example.org>')).toBeTruthy();
  });
});
