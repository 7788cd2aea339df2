// @vitest-environment jsdom
/**
 * The Quarantine view (#16.7): the list (id, date, bundle, codes, status in words and icon), the
 * details with the report kept with the bundle, release only with a destination, a reason and the
 * bundle's name typed exactly (a second operator where the policy says two persons), run as a job
 * with progress and cancel, and purge only after the name is typed. Hostile names shown escaped,
 * and typed in their shown form.
 */
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { QuarantineEntry } from '../../../shared/inspection.js';
import type { IpcRequest, IpcResponse, JobSnapshot } from '../../../shared/ipc.js';
import { QuarantineView } from '../../../renderer/src/views/quarantine/QuarantineView.js';
import { heldEntry, refusedReport, releasedEntry } from './inspection-fixtures.js';
import { fakeApi, installDomShims, renderWithApi, unnamedControls, type Answers } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const DEST = '/srv/inbox';

function answers(entries: QuarantineEntry[], required: 1 | 2 = 1, extra: Answers = {}): Answers {
  return {
    listQuarantine: (request) => ({ entries: entries.filter((e) => (request.status ?? 'held') === 'all' || e.status === (request.status ?? 'held')) }),
    showQuarantine: (request) => {
      const entry = entries.find((e) => e.id === request.id);
      if (!entry) return { code: 'QUARANTINE_NOT_FOUND', message: 'No quarantined bundle has that id.' };
      return {
        entry,
        report: refusedReport,
        files: [{ name: 'b.airlock.tar', bytes: entry.bytes }],
        approvals: { given: entry.releases.length, required },
        releasingTo: null,
      };
    },
    chooseFile: { paths: ['/home/b/my-key.asc'] },
    chooseFolder: { path: DEST },
    startQuarantineRelease: { jobId: 'job-r' },
    getJob: { code: 'JOB_NOT_FOUND', message: 'not yet' },
    cancelJob: { cancelling: true },
    ...extra,
  };
}

const openEntry = async (name: string) => {
  const row = (await screen.findByRole('table', { name: 'Quarantined bundles' })).querySelector(`[data-quarantine-id="${name}"]`) as HTMLElement;
  await userEvent.setup().click(within(row).getByRole('button', { name: /^Open/ }));
  return screen.findByTestId('quarantine-details');
};
const releaseConfirm = () => within(screen.getByTestId('release-form')).getByLabelText(/^Type the bundle's name to confirm/);
const releaseButton = () => screen.getByRole<HTMLButtonElement>('button', { name: 'Release and import' });

function finishedRelease(entry: QuarantineEntry, released: boolean): JobSnapshot {
  return {
    id: 'job-r',
    kind: 'quarantine-release',
    state: 'succeeded',
    subject: entry.id,
    startedAt: '2026-12-03T08:10:00.000Z',
    finishedAt: '2026-12-03T08:10:05.000Z',
    progress: null,
    error: null,
    result: {
      entry,
      approvals: { given: 1, required: released ? 1 : 2 },
      import: released ? { ...refusedReport, ok: true, problems: [], destination: `${DEST}/${entry.bundleName}`, warnings: [] } : null,
      auditEvent: 42,
    },
  };
}

describe('the quarantine list and details', () => {
  it('lists held bundles with id, date, bundle, codes and status, and opens one with the report kept with it', async () => {
    const fake = fakeApi(answers([heldEntry, releasedEntry]));
    renderWithApi(<QuarantineView />, fake);
    const table = await screen.findByRole('table', { name: 'Quarantined bundles' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(1);
    const row = rows[0] as HTMLElement;
    expect(row.textContent).toContain(heldEntry.id);
    expect(row.textContent).toContain('2026-12-03 08:00:00');
    expect(row.textContent).toContain(heldEntry.bundleName);
    expect(row.textContent).toContain('MALWARE_FOUND');
    expect(row.textContent).toContain('TYPE_MISMATCH');
    expect(row.textContent).toContain('■Held');
    const details = await openEntry(heldEntry.id);
    expect(within(details).getByRole('table', { name: 'Quarantined bundle' }).textContent).toContain('MALWARE_FOUND, TYPE_MISMATCH');
    // The report's inspection section names the member inside the archive.
    expect(within(details).getByTestId('inspection').textContent).toContain('data/archive.tar.gz › inner/b\\u202efdp.zip › c.exe');
    expect(screen.getByTestId('release-form')).toBeTruthy();
    expect(screen.getByTestId('purge-form')).toBeTruthy();
    expect(unnamedControls()).toEqual([]);
  });

  it('shows released entries with who decided, why, and where it went, and offers no release again', async () => {
    const user = userEvent.setup();
    renderWithApi(<QuarantineView />, fakeApi(answers([heldEntry, releasedEntry])));
    await screen.findByRole('table', { name: 'Quarantined bundles' });
    await user.selectOptions(screen.getByLabelText('Show quarantined bundles'), 'released');
    const details = await openEntry(releasedEntry.id);
    expect(within(details).getByRole('list', { name: 'Release decisions' }).textContent).toContain('op (op) (no key) — “database was updated; false alarm”');
    expect(details.textContent).toContain(`Imported to ${releasedEntry.releasedTo}`);
    expect(screen.queryByTestId('release-form')).toBeNull();
    // A released bundle's kept copy may still be purged.
    expect(screen.getByTestId('purge-form').textContent).toContain('the imported files stay where they are');
  });

  it('says when nothing is held, and shows a listing error with its next step', async () => {
    renderWithApi(<QuarantineView />, fakeApi(answers([])));
    expect(await screen.findByText('Nothing is held in quarantine.')).toBeTruthy();
    cleanup();
    renderWithApi(<QuarantineView />, fakeApi({ listQuarantine: { code: 'IO_ERROR', message: 'EACCES' } }));
    expect((await screen.findByRole('alert')).getAttribute('data-error-code')).toBe('IO_ERROR');
  });
});

describe('releasing a quarantined bundle', () => {
  it('asks for a destination, a reason and the exact name before it starts the release job, then follows it with cancel', async () => {
    const user = userEvent.setup();
    const fake = fakeApi(answers([heldEntry]));
    renderWithApi(<QuarantineView />, fake);
    await openEntry(heldEntry.id);
    expect(releaseButton().disabled).toBe(true);
    expect(screen.getByText(/Still needed: a destination folder, a reason, the bundle name typed exactly\./)).toBeTruthy();
    await user.click(within(screen.getByTestId('release-form')).getByRole('button', { name: 'Choose folder…' }));
    await user.type(screen.getByLabelText(/^Reason for the release/), '  security officer cleared it: false positive  ');
    await user.type(releaseConfirm(), 'airlock-000007');
    expect(screen.getByText('This is not the bundle’s name.')).toBeTruthy();
    expect(releaseButton().disabled).toBe(true);
    await user.type(releaseConfirm(), '-20261128');
    expect(releaseButton().disabled).toBe(false);
    await user.click(releaseButton());
    await waitFor(() =>
      expect(fake.callsTo('startQuarantineRelease')).toEqual([
        {
          id: heldEntry.id,
          destDir: DEST,
          reason: 'security officer cleared it: false positive',
          confirmName: heldEntry.bundleName,
          operator: undefined,
          signer: undefined,
        } satisfies IpcRequest<'startQuarantineRelease'>,
      ]),
    );
    const job = await screen.findByTestId('release-job');
    await user.click(within(job).getByRole('button', { name: /Cancel/ }));
    expect(fake.callsTo('cancelJob')).toEqual([{ jobId: 'job-r' }]);
    const listsBefore = fake.callsTo('listQuarantine').length;
    act(() => fake.emit({ type: 'finished', job: finishedRelease({ ...heldEntry, status: 'released' }, true) }));
    await waitFor(() => expect(fake.callsTo('listQuarantine').length).toBeGreaterThan(listsBefore));
    expect(within(job).getByRole('status').textContent).toContain(`imported to ${DEST}/${heldEntry.bundleName}`);
  });

  it('asks for a signed decision where the policy says two persons, and says the first approval was recorded', async () => {
    const user = userEvent.setup();
    const fake = fakeApi(answers([heldEntry], 2));
    renderWithApi(<QuarantineView />, fake);
    await openEntry(heldEntry.id);
    const form = screen.getByTestId('release-form');
    expect(form.textContent).toContain('Two persons are required: 0 of 2 approvals given.');
    // No unsigned choice: each of the two signs with their own key.
    expect(within(form).queryByLabelText(/^No key/)).toBeNull();
    await user.click(within(form).getByRole('button', { name: 'Choose folder…' }));
    await user.type(within(form).getByLabelText(/^Reason for the release/), 'cleared');
    await user.type(within(form).getByLabelText(/^Your name/), 'A. Smith');
    await user.type(releaseConfirm(), heldEntry.bundleName);
    await user.click(within(form).getByLabelText('My own key file'));
    expect(within(form).getByText(/Still needed: your key file\./)).toBeTruthy();
    await user.click(within(form).getByRole('button', { name: 'Choose key file…' }));
    expect(fake.callsTo('chooseFile')).toEqual([{ purpose: 'signing-key' }]);
    expect(within(form).getByText(/Still needed: your key's passphrase\./)).toBeTruthy();
    await user.type(within(form).getByLabelText(/^Passphrase/), 'secret words');
    await user.click(within(form).getByRole('button', { name: 'Approve the release' }));
    await waitFor(() => expect(fake.callsTo('startQuarantineRelease')).toHaveLength(1));
    expect(fake.callsTo('startQuarantineRelease')[0]).toMatchObject({
      operator: 'A. Smith',
      signer: { kind: 'key-file', file: '/home/b/my-key.asc', passphrase: 'secret words' },
    });
    act(() =>
      fake.emit({ type: 'finished', job: finishedRelease({ ...heldEntry, releases: [{ operator: 'A. Smith (op)', reason: 'cleared', at: 'now' }] }, false) }),
    );
    const recorded = await screen.findByText('Your approval is recorded');
    expect(recorded.closest('[role="status"]')?.textContent).toContain('1 of 2 approvals given');
    // The passphrase is not kept in the page.
    expect(document.body.innerHTML).not.toContain('secret words');
  });

  it('offers the second approval once the first is recorded', async () => {
    const first = { ...heldEntry, releases: [{ operator: 'A. Smith (op)', reason: 'cleared', at: '2026-12-03T08:05:00.000Z', fingerprint: 'AB'.repeat(20) }] };
    renderWithApi(<QuarantineView />, fakeApi(answers([first], 2)));
    await openEntry(heldEntry.id);
    const form = screen.getByTestId('release-form');
    expect(form.textContent).toContain('1 of 2 approvals given. You are the second operator');
    expect(within(form).getByRole('button', { name: 'Release and import' })).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Release decisions' }).textContent).toContain(`A. Smith (op) (key ${'AB'.repeat(20)})`);
  });

  it('shows why main refused the release, and keeps the form', async () => {
    const user = userEvent.setup();
    const fake = fakeApi(
      answers([heldEntry], 1, {
        startQuarantineRelease: { code: 'RELEASE_APPROVAL_INVALID', message: 'The release was not approved as the policy requires.' },
      }),
    );
    renderWithApi(<QuarantineView />, fake);
    await openEntry(heldEntry.id);
    await user.click(within(screen.getByTestId('release-form')).getByRole('button', { name: 'Choose folder…' }));
    await user.type(screen.getByLabelText(/^Reason for the release/), 'x');
    await user.type(releaseConfirm(), heldEntry.bundleName);
    await user.click(releaseButton());
    const alert = await within(screen.getByTestId('release-form')).findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('RELEASE_APPROVAL_INVALID');
    expect(screen.getByTestId('release-form')).toBeTruthy();
  });

  it('shows a hostile bundle name escaped, and takes its shown form as the confirmation', async () => {
    const user = userEvent.setup();
    const hostile = { ...heldEntry, bundleName: 'report\u202Efdp.exe' };
    const fake = fakeApi(answers([hostile]));
    renderWithApi(<QuarantineView />, fake);
    const table = await screen.findByRole('table', { name: 'Quarantined bundles' });
    expect(table.textContent).toContain('report\\u202efdp.exe');
    expect(table.textContent).not.toContain('\u202E');
    await openEntry(hostile.id);
    await user.click(within(screen.getByTestId('release-form')).getByRole('button', { name: 'Choose folder…' }));
    await user.type(screen.getByLabelText(/^Reason for the release/), 'x');
    await user.type(releaseConfirm(), 'report\\u202efdp.exe');
    expect(releaseButton().disabled).toBe(false);
  });
});

describe('purging a quarantined bundle', () => {
  it('purges only after the name is typed, and says it was recorded', async () => {
    const user = userEvent.setup();
    const purged: IpcResponse<'purgeQuarantine'> = { purged: [{ id: heldEntry.id, bundleName: heldEntry.bundleName, status: 'held' }], auditEvent: 43 };
    const fake = fakeApi(answers([heldEntry], 1, { purgeQuarantine: purged }));
    renderWithApi(<QuarantineView />, fake);
    await openEntry(heldEntry.id);
    const form = screen.getByTestId('purge-form');
    const button = within(form).getByRole<HTMLButtonElement>('button', { name: 'Purge for good' });
    expect(button.disabled).toBe(true);
    await user.type(within(form).getByLabelText(/^Type the bundle's name to confirm the purge/), 'wrong');
    expect(button.disabled).toBe(true);
    await user.clear(within(form).getByLabelText(/^Type the bundle's name to confirm the purge/));
    await user.type(within(form).getByLabelText(/^Type the bundle's name to confirm the purge/), heldEntry.bundleName);
    await user.click(button);
    await waitFor(() => expect(fake.callsTo('purgeQuarantine')).toEqual([{ id: heldEntry.id, confirmName: heldEntry.bundleName }]));
    expect((await screen.findByText(/Recorded in the audit log as event #43/)).textContent).toContain('deleted');
  });

  it('purges every released bundle at once after a second click, naming how many, and never offers it for held ones', async () => {
    const user = userEvent.setup();
    const other: QuarantineEntry = { ...releasedEntry, id: '20261202T110000Z-02cd', bundleName: 'airlock-000007-20261127' };
    let kept = [heldEntry, releasedEntry, other];
    const fake = fakeApi(
      answers([], 1, {
        listQuarantine: (request) => ({ entries: kept.filter((e) => e.status === (request.status ?? 'held')) }),
        purgeReleasedQuarantine: () => {
          const purged = kept.filter((e) => e.status === 'released').map((e) => ({ id: e.id, bundleName: e.bundleName, status: 'released' as const }));
          kept = kept.filter((e) => e.status !== 'released');
          return { purged, auditEvent: 44 };
        },
      }),
    );
    renderWithApi(<QuarantineView />, fake);
    await screen.findByRole('table', { name: 'Quarantined bundles' });
    expect(screen.queryByRole('button', { name: /released bundles…/ })).toBeNull();
    await user.selectOptions(screen.getByLabelText('Show quarantined bundles'), 'released');
    await user.click(await screen.findByRole('button', { name: 'Purge all 2 released bundles…' }));
    const ask = screen.getByTestId('purge-released');
    expect(ask.textContent).toContain('Bundles still held are not touched');
    expect(fake.callsTo('purgeReleasedQuarantine')).toEqual([]);
    await user.click(within(ask).getByRole('button', { name: 'Purge 2 bundles' }));
    await waitFor(() => expect(fake.callsTo('purgeReleasedQuarantine')).toEqual([{ expectedCount: 2 }]));
    expect((await screen.findByText('Purged 2 released bundles.')).getAttribute('role')).toBe('status');
    await waitFor(() => expect(screen.queryByTestId('purge-released')).toBeNull());
    expect(screen.queryByRole('button', { name: /released bundles…/ })).toBeNull();
    expect(unnamedControls()).toEqual([]);
  });
});
