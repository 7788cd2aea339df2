// @vitest-environment jsdom
/** Settings: current values and defaults, field checks with clear messages, save of only what changed with its confirmation, reset to defaults. */
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IpcRequest, StationSettingsView } from '../../../shared/ipc.js';
import { SettingsView } from '../../../renderer/src/views/SettingsView.js';
import { finishedJob, running, settings, status } from './fixtures.js';
import { inspectionOff } from './inspection-fixtures.js';
import { fakeApi, installDomShims, renderWithApi, unnamedControls, type Answers } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

/** What main answers a save with: the settings after the patch. */
function applied(request: IpcRequest<'saveSettings'>): StationSettingsView {
  const next = structuredClone(settings);
  Object.assign(next.config, request.config ?? {});
  Object.assign(next.policy, request.policy ?? {});
  return next;
}

function answers(extra: Answers = {}): Answers {
  return {
    stationStatus: status,
    getSettings: settings,
    inspectionStatus: inspectionOff,
    listMedia: { media: [] },
    saveSettings: (request) => ({
      changes: [
        ...Object.entries(request.config ?? {}).map(([field, to]) => ({
          field: field as 'operatorName',
          from: settings.config[field as 'operatorName'],
          to: to ?? null,
        })),
        ...Object.entries(request.policy ?? {}).map(([field, to]) => ({
          field: field as 'maxEntries',
          from: settings.policy[field as 'maxEntries'],
          to: to ?? null,
        })),
      ],
      auditEvent: 13,
      settings: applied(request),
    }),
    ...extra,
  };
}

const form = () => screen.findByRole('form', { name: 'Station settings' });
const save = () => screen.getByRole<HTMLButtonElement>('button', { name: 'Save settings' });

describe('settings view', () => {
  it('checks the scanner status again once a feed import ends (a new database shows without Check now)', async () => {
    const fake = fakeApi(
      answers({
        chooseBundle: { path: '/in/clamav-feed.airlock.tar' },
        startFeedImport: { jobId: 'feed-1' },
        getJob: (r) => running(r.jobId, 'feed-import'),
      }),
    );
    const user = userEvent.setup();
    renderWithApi(<SettingsView />, fake);
    await form();
    await waitFor(() => expect(fake.callsTo('inspectionStatus')).toHaveLength(1));
    const region = screen.getByRole('region', { name: 'Import a signature feed' });
    await user.click(within(region).getByRole('button', { name: 'Choose bundle…' }));
    await user.click(await within(region).findByRole('button', { name: 'Import feed' }));
    expect(fake.callsTo('inspectionStatus')).toHaveLength(1);
    act(() => fake.emit({ type: 'finished', job: finishedJob('feed-1', 'feed-import', null, { code: 'FEED_INVALID', message: 'older' }) }));
    await waitFor(() => expect(fake.callsTo('inspectionStatus')).toHaveLength(2));
  });

  it('shows what is set, and the default for what is not', async () => {
    renderWithApi(<SettingsView />, fakeApi(answers()));
    const f = await form();
    expect(within(f).getByLabelText<HTMLInputElement>(/^Station name/).value).toBe('ws-3');
    expect(within(f).getByLabelText<HTMLInputElement>(/^Operator name/).value).toBe('');
    expect(within(f).getByText(/Empty: this computer's name \(host-7\)/)).toBeTruthy();
    // 1 MiB is shown as 1 in MiB.
    expect(within(f).getByLabelText<HTMLInputElement>(/^Largest single file/).value).toBe('1');
    expect(within(f).getByLabelText<HTMLSelectElement>('Unit of largest single file').value).toBe('1048576');
    expect(within(f).getByText(/Empty: the default, 1,000,000\./)).toBeTruthy();
    expect(within(f).getByText(/Empty: the default, 4.40 TB \(4,398,046,511,104 bytes\)\./)).toBeTruthy();
    expect(f.textContent).toContain('kept exactly as they are when you save: config.json mediaRoots');
    expect(save().disabled).toBe(true);
    expect(within(f).getByText('No unsaved changes.')).toBeTruthy();
    expect(screen.getByRole('table', { name: 'This station' }).textContent).toContain(status.home);
  });

  it('saves only the fields that changed, and confirms what was saved with its audit event', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<SettingsView />, fake);
    const f = await form();
    await user.type(within(f).getByLabelText(/^Operator name/), '  J. Smith ');
    await user.type(within(f).getByLabelText(/^Required signers/), '2');
    await user.clear(within(f).getByLabelText(/^Largest single file/));
    await user.type(within(f).getByLabelText(/^Largest single file/), '2');
    await user.selectOptions(within(f).getByLabelText('Unit of largest single file'), 'GiB');
    expect(within(f).getByText('3 unsaved changes.')).toBeTruthy();
    await user.click(save());
    await waitFor(() =>
      expect(fake.callsTo('saveSettings')).toEqual([{ config: { operatorName: 'J. Smith' }, policy: { maxFileBytes: 2 * 1024 ** 3, requiredSigners: 2 } }]),
    );
    const confirmation = await screen.findByRole('status', { name: 'Settings saved' });
    const list = within(confirmation).getByRole('list', { name: 'What was saved' });
    expect(list.textContent).toContain('Operator name: not set (the OS user only) → “J. Smith”');
    expect(list.textContent).toContain('Largest single file: 1.05 MB (1,048,576 bytes) → 2.15 GB (2,147,483,648 bytes)');
    expect(list.textContent).toContain('Required signers: not set (default 1) → 2');
    expect(confirmation.textContent).toContain('Recorded in the audit log as event #13.');
    // The form now holds the saved values: nothing left to save; the status is read again.
    expect(within(f).getByText('No unsaved changes.')).toBeTruthy();
    expect(fake.callsTo('stationStatus')).toHaveLength(2);
  });

  it.each([
    ['Required signers', '17', 'Enter a whole number from 1 to 16.'],
    ['Required signers', '0', 'Enter a whole number from 1 to 16.'],
    ['Most files in a bundle', 'many', 'Enter a whole number (digits only), or leave it empty for the default.'],
    ['Most files in a bundle', '1.5', 'Enter a whole number (digits only), or leave it empty for the default.'],
    ['Allowed clock skew', '86401', 'Enter a whole number from 0 to 86,400.'],
    ['Largest bundle payload', '99999999999', 'Enter a size from 1 byte to 9007.2 TB.'],
    ['Organization', 'x'.repeat(201), 'At most 200 characters (now 201).'],
  ])('refuses %s = %s with a clear message, and will not save', async (label, value, message) => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<SettingsView />, fake);
    const f = await form();
    const input = within(f).getByLabelText(new RegExp(`^${label}`));
    await user.clear(input);
    await user.click(input);
    await user.paste(value);
    expect(within(f).getByText(message)).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(save().disabled).toBe(true);
    expect(within(f).getByText('Correct the fields marked above to save.')).toBeTruthy();
    await user.type(input, '{Enter}');
    expect(fake.callsTo('saveSettings')).toEqual([]);
  });

  it('refuses a name holding a tab or newline (pasted)', async () => {
    const user = userEvent.setup();
    renderWithApi(<SettingsView />, fakeApi(answers()));
    const f = await form();
    await user.click(within(f).getByLabelText(/^Operator name/));
    await user.paste('J.\tSmith');
    expect(within(f).getByText('One line of text, without tabs or other control characters.')).toBeTruthy();
  });

  it('resets every field to its default, and saves that as removals', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<SettingsView />, fake);
    const f = await form();
    await user.click(within(f).getByRole('button', { name: 'Reset to defaults' }));
    expect(screen.getByText(/Every field is empty now, so each default applies once you save\. Nothing is saved yet\./)).toBeTruthy();
    expect(fake.callsTo('saveSettings')).toEqual([]);
    expect(within(f).getByLabelText<HTMLInputElement>(/^Station name/).value).toBe('');
    expect(within(f).getByText('2 unsaved changes.')).toBeTruthy();
    await user.click(save());
    await waitFor(() => expect(fake.callsTo('saveSettings')).toEqual([{ config: { stationName: null }, policy: { maxFileBytes: null } }]));
    const list = await screen.findByRole('list', { name: 'What was saved' });
    expect(list.textContent).toContain("Station name: “ws-3” → not set (this computer's name, host-7)");
    expect(list.textContent).toContain('Largest single file: 1.05 MB (1,048,576 bytes) → not set (default 1.10 TB (1,099,511,627,776 bytes))');
  });

  it('shows a refused save with its code and next step, and keeps the edits', async () => {
    const user = userEvent.setup();
    renderWithApi(
      <SettingsView />,
      fakeApi(
        answers({
          saveSettings: {
            code: 'SETTINGS_INVALID',
            message: 'A setting is out of range or malformed; nothing was saved. policy.json requiredSigners.count: too big',
          },
        }),
      ),
    );
    const f = await form();
    await user.type(within(f).getByLabelText(/^Required signers/), '3');
    await user.click(save());
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('SETTINGS_INVALID');
    expect(alert.textContent).toContain('Next: Correct the value named in the message');
    expect(within(f).getByLabelText<HTMLInputElement>(/^Required signers/).value).toBe('3');
  });

  it('says which file is malformed instead of showing a form of defaults', async () => {
    renderWithApi(
      <SettingsView />,
      fakeApi(
        answers({
          getSettings: {
            code: 'CONFIG_INVALID',
            message: 'A station configuration file is malformed. policy.json: clockSkewSeconds: expected number',
            path: '/home/op/.config/Airlock/policy.json',
          },
        }),
      ),
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('CONFIG_INVALID');
    expect(alert.textContent).toContain('Concerning: /home/op/.config/Airlock/policy.json');
    expect(screen.queryByRole('form', { name: 'Station settings' })).toBeNull();
  });

  it('shows hostile names escaped', async () => {
    renderWithApi(<SettingsView />, fakeApi(answers({ getSettings: { ...settings, defaults: { ...settings.defaults, stationName: 'evil\u202Ehost' } } })));
    const f = await form();
    expect(f.textContent).toContain('evil\\u202ehost');
    expect(f.textContent).not.toContain('\u202E');
  });

  it('switches the language at once: saved through saveSettings (audited), and the view is German without a restart', async () => {
    const fake = fakeApi(
      answers({
        saveSettings: (request) => ({
          changes: [{ field: 'language', from: null, to: request.language ?? null }],
          auditEvent: 21,
          settings: { ...settings, language: { configured: request.language ?? null, effective: request.language ?? 'en' } },
        }),
      }),
    );
    const user = userEvent.setup();
    renderWithApi(<SettingsView />, fake);
    await form();
    const select = screen.getByLabelText<HTMLSelectElement>(/^Language of the app/);
    expect(select.value).toBe('en');
    await user.selectOptions(select, 'de');
    expect(fake.callsTo('saveSettings')).toEqual([{ language: 'de' }]);
    await screen.findByRole('heading', { name: 'Einstellungen' });
    expect(
      screen
        .getAllByRole('status')
        .map((s) => s.textContent)
        .join(' '),
    ).toContain('Sprache auf Deutsch gestellt. Im Prüfprotokoll als Ereignis #21 festgehalten.');
    expect(screen.getByRole('form', { name: 'Stationseinstellungen' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Einstellungen speichern' })).toBeTruthy();
    // The default largest single file (1 TiB) reads with the German decimal comma and thousands dots.
    expect(screen.getByText(/Leer: der Standard, 1,10 TB \(1\.099\.511\.627\.776 Byte\)\./u)).toBeTruthy();
  });

  it('starts in the language the station is set to', async () => {
    renderWithApi(<SettingsView />, fakeApi(answers({ getSettings: { ...settings, language: { configured: 'de', effective: 'de' } } })), 'de');
    await screen.findByRole('form', { name: 'Stationseinstellungen' });
    expect(screen.getByLabelText<HTMLSelectElement>(/^Sprache der App/).value).toBe('de');
  });

  it('names every button, input and select', async () => {
    renderWithApi(<SettingsView />, fakeApi(answers()));
    await form();
    expect(document.querySelectorAll('button, input, select').length).toBeGreaterThan(6);
    expect(unnamedControls()).toEqual([]);
  });
});
