// @vitest-environment jsdom
/** Audit log: events from the station's log with filters, search, paging, the chain's verification in words, and export with its result. */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuditVerifyReport, IpcRequest } from '../../../shared/ipc.js';
import { AuditView } from '../../../renderer/src/views/AuditView.js';
import { auditEvents, chainIntact, finishedJob } from './fixtures.js';
import { fakeApi, installDomShims, renderWithApi, unnamedControls, type Answers } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

/** The audit check is a job: each start a new id, whose snapshot (asked for once) has finished with this report. */
function auditCheck(report: AuditVerifyReport): Answers {
  let n = 0;
  return {
    startVerifyAudit: () => ({ jobId: `audit-${++n}` }),
    getJob: ({ jobId }) => finishedJob(jobId, 'audit-verify', report),
  };
}

function answers(extra: Answers = {}, report: AuditVerifyReport = chainIntact): Answers {
  return { listAudit: { events: auditEvents, hasMore: false }, ...auditCheck(report), ...extra };
}

const rows = () =>
  within(screen.getByRole('table', { name: 'Audit events' }))
    .getAllByRole('row')
    .slice(1);

describe('audit view', () => {
  it('lists the events with their type, outcome, operator and details, hostile names escaped', async () => {
    renderWithApi(<AuditView />, fakeApi(answers()));
    await screen.findByRole('table', { name: 'Audit events' });
    const [settingsRow, verifyRow, exportRow] = rows();
    expect(settingsRow?.textContent).toContain('12');
    expect(settingsRow?.textContent).toContain('2026-11-28 10:05:00 UTC');
    expect(settingsRow?.textContent).toContain('Settings changed');
    expect(settingsRow?.textContent).toContain('operatorName: (default) → J. Smith');
    expect(verifyRow?.textContent).toContain('Rejected');
    expect(verifyRow?.textContent).toContain('CHECKSUM_MISMATCH');
    expect(verifyRow?.textContent).toContain('bundle q3\\u202etxt.pdf');
    expect(verifyRow?.textContent).not.toContain('\u202E');
    expect(verifyRow?.textContent).toContain('3 files');
    expect(exportRow?.textContent).toContain('Cancelled');
    expect(exportRow?.textContent).toContain('CANCELLED');
    expect(exportRow?.textContent).toContain('nothing was left half-written');
  });

  it('says the chain is intact, with checkpoint coverage and notes', async () => {
    renderWithApi(<AuditView />, fakeApi(answers()));
    const status = await screen.findByRole('status', { name: 'Chain intact' });
    expect(status.textContent).toContain('All 12 events are linked to the one before');
    expect(status.textContent).toContain('1 signed checkpoint; the latest covers event #9');
    expect(status.textContent).toContain('Events #10-#12 are chained but not yet covered');
  });

  it('says where a broken chain breaks and what to do', async () => {
    const fake = fakeApi(
      answers(
        {},
        {
          ok: false,
          events: 12,
          checkpoints: 1,
          lastCheckpointSeq: 9,
          firstBroken: { seq: 7, reason: 'event #7 was edited after it was recorded' },
          notes: [],
        },
      ),
    );
    renderWithApi(<AuditView />, fake);
    const alert = await screen.findByRole('alert', { name: 'Chain broken at event #7' });
    expect(alert.textContent).toContain('event #7 was edited after it was recorded');
    expect(alert.textContent).toContain('Next: Do not rely on events from #7 on.');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Verify chain again' }));
    await waitFor(() => expect(fake.callsTo('startVerifyAudit')).toHaveLength(2));
  });

  it('filters by type and outcome at once, searches on Enter, takes a day range, and clears', async () => {
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<AuditView />, fake);
    await screen.findByRole('table', { name: 'Audit events' });
    const filters = screen.getByRole('form', { name: 'Audit filters' });
    await user.selectOptions(within(filters).getByLabelText('Type'), 'Verify');
    await user.selectOptions(within(filters).getByLabelText('Outcome'), 'Rejected');
    await user.type(within(filters).getByLabelText(/^Search/), '  0123 4567 {Enter}');
    await user.type(within(filters).getByLabelText('From (day)'), '2026-11-28');
    await user.type(within(filters).getByLabelText('To (day, inclusive)'), '2026-11-28');
    const last = fake.callsTo('listAudit').at(-1) as IpcRequest<'listAudit'>;
    expect(last).toMatchObject({ limit: 50, type: 'verify', outcome: 'rejected', text: '0123 4567' });
    // The day range is local midnight to the next local midnight.
    expect(last.since).toBe(new Date(2026, 10, 28).toISOString());
    expect(last.until).toBe(new Date(2026, 10, 29).toISOString());
    expect(fake.callsTo('listAudit')).toContainEqual({ limit: 50, type: 'verify' });

    await user.click(within(filters).getByRole('button', { name: 'Clear filters' }));
    expect(fake.callsTo('listAudit').at(-1)).toEqual({ limit: 50 });
    expect(within(filters).getByLabelText<HTMLInputElement>(/^Search/).value).toBe('');
  });

  it('says when nothing matches, without showing any sample rows', async () => {
    const fake = fakeApi(answers({ listAudit: (request) => (request.text ? { events: [], hasMore: false } : { events: auditEvents, hasMore: false }) }));
    const user = userEvent.setup();
    renderWithApi(<AuditView />, fake);
    await screen.findByRole('table', { name: 'Audit events' });
    await user.type(screen.getByLabelText(/^Search/), 'nobody{Enter}');
    expect(await screen.findByText('No events match these filters.')).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'Audit events' })).toBeNull();
  });

  it('says when the log is empty', async () => {
    renderWithApi(<AuditView />, fakeApi(answers({ listAudit: { events: [], hasMore: false } })));
    expect(await screen.findByText('The log is empty: nothing has been recorded yet.')).toBeTruthy();
  });

  it('pages to older events by sequence number and back', async () => {
    const older = [{ ...auditEvents[2]!, seq: 9, subject: '/older' }];
    const fake = fakeApi(
      answers({ listAudit: (request) => (request.beforeSeq === 10 ? { events: older, hasMore: false } : { events: auditEvents, hasMore: true }) }),
    );
    const user = userEvent.setup();
    renderWithApi(<AuditView />, fake);
    await screen.findByText('Page 1: events #12 to #10');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Newer events' }).disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Older events' }));
    await screen.findByText('Page 2: events #9 to #9');
    expect(fake.callsTo('listAudit').at(-1)).toEqual({ limit: 50, beforeSeq: 10 });
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Older events' }).disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Newer events' }));
    await screen.findByText('Page 1: events #12 to #10');
  });

  it('exports CSV to the file chosen and says what was written; a cancelled dialog writes nothing', async () => {
    let answer: { path: string | null; events: number; checkpoints: number } = { path: '/media/officer/audit.csv', events: 12, checkpoints: 1 };
    const fake = fakeApi(answers({ exportAudit: () => answer }));
    const user = userEvent.setup();
    renderWithApi(<AuditView />, fake);
    await user.click(screen.getByRole('button', { name: 'Export CSV…' }));
    expect(await screen.findByText('Exported 12 events and 1 signed checkpoint to /media/officer/audit.csv.')).toBeTruthy();
    expect(fake.callsTo('exportAudit')).toEqual([{ format: 'csv' }]);
    answer = { path: null, events: 0, checkpoints: 0 };
    await user.click(screen.getByRole('button', { name: 'Export JSON…' }));
    expect(await screen.findByText('Export cancelled: nothing was written.')).toBeTruthy();
    expect(fake.callsTo('exportAudit')).toEqual([{ format: 'csv' }, { format: 'json' }]);
  });

  it('shows a failed export with its code and next step', async () => {
    renderWithApi(<AuditView />, fakeApi(answers({ exportAudit: { code: 'NO_SPACE', message: 'There is not enough free space at the destination.' } })));
    await userEvent.setup().click(screen.getByRole('button', { name: 'Export CSV…' }));
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('NO_SPACE');
    expect(alert.textContent).toContain('Next: Free some space at the destination');
  });

  it('loads only while shown, and again each time it is shown', async () => {
    // The shell keeps hidden sections mounted and says which one is shown.
    function Shell() {
      const [shown, setShown] = useState(false);
      return (
        <>
          <button type="button" onClick={() => setShown(!shown)}>
            toggle
          </button>
          <AuditView active={shown} />
        </>
      );
    }
    const fake = fakeApi(answers());
    const user = userEvent.setup();
    renderWithApi(<Shell />, fake);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.callsTo('listAudit')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'toggle' }));
    await waitFor(() => expect(fake.callsTo('listAudit')).toHaveLength(1));
    await user.click(screen.getByRole('button', { name: 'toggle' }));
    await user.click(screen.getByRole('button', { name: 'toggle' }));
    await waitFor(() => expect(fake.callsTo('listAudit')).toHaveLength(2));
    expect(fake.callsTo('startVerifyAudit')).toHaveLength(2);
  });

  it('names every button, input and select', async () => {
    renderWithApi(<AuditView />, fakeApi(answers()));
    await screen.findByRole('table', { name: 'Audit events' });
    expect(document.querySelectorAll('button, input, select').length).toBeGreaterThan(6);
    expect(unnamedControls()).toEqual([]);
  });
});
