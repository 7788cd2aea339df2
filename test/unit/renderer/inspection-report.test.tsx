// @vitest-environment jsdom
/**
 * Content inspection in the reports and Settings (#16.7): per item (and archive member, with its
 * chain of names inwards) the type by content, the extension, the scan result and the scanner's
 * words; what each finding means and the next step; the signature database's version and age in
 * view whenever a scanner is configured, an old or unknown one standing out in words and icon,
 * not colour alone; hostile names shown escaped; Settings asks the scanner again on "Check now".
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../shared/ipc.js';
import { PROBLEM_TEXT } from '../../../shared/problems.js';
import { ITEMS_PAGE_SIZE } from '../../../renderer/src/components/inspection/InspectedItemsTable.js';
import { VerificationReport } from '../../../renderer/src/components/VerificationReport.js';
import { ImportResultStep } from '../../../renderer/src/flows/import/ImportResultStep.js';
import { ScannerStatusPanel } from '../../../renderer/src/views/ScannerStatusPanel.js';
import { verified } from './fixtures.js';
import { cleanItem, inspectionOff, inspectionOn, inspectionPassed, inspectionRefused, refusedReport, scanner } from './inspection-fixtures.js';
import { fakeApi, installDomShims, renderWithApi, unnamedControls } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const section = () => screen.getByTestId('inspection');
const itemsTable = () => screen.getByRole('table', { name: 'Inspected items' });
const rowsOf = (table: HTMLElement) => within(table).getAllByRole('row').slice(1);

describe('the inspection section of a report', () => {
  it('names a refused archive member by its chain of names, with type, extension, scan result and the meaning of each code', () => {
    renderWithApi(<VerificationReport report={refusedReport} />, fakeApi({}));
    expect(section().getAttribute('data-inspection')).toBe('refused');
    const rows = rowsOf(itemsTable());
    // Refused items only, by default: the clean one is behind the filter.
    expect(rows).toHaveLength(2);
    const member = rows[0] as HTMLElement;
    // The bidi override in a member's name is shown as an escape, never applied.
    expect(member.textContent).toContain('data/archive.tar.gz › inner/b\\u202efdp.zip › c.exe');
    expect(member.textContent).not.toContain('\u202E');
    expect(member.textContent).toContain('archive member, 2 levels deep');
    expect(member.textContent).toContain('application/x-msdownload');
    expect(member.textContent).toContain('Threat found');
    expect(member.textContent).toContain('Airlock.Test.Marker.UNOFFICIAL');
    expect(member.textContent).toContain('Refused');
    expect(member.getAttribute('data-findings')).toBe('MALWARE_FOUND');
    const mismatch = rows[1] as HTMLElement;
    expect(mismatch.textContent).toContain('application/x-elf');
    expect(mismatch.textContent).toContain('pdf');
    expect(mismatch.textContent).toContain('TYPE_MISMATCH');
    const meanings = screen.getByRole('list', { name: 'What the inspection findings mean' });
    for (const code of ['MALWARE_FOUND', 'TYPE_MISMATCH'] as const) {
      const entry = meanings.querySelector(`[data-finding-code="${code}"]`) as HTMLElement;
      expect(entry.textContent).toContain(PROBLEM_TEXT[code].message);
      expect(entry.textContent).toContain(PROBLEM_TEXT[code].action);
    }
    expect(within(section()).getByRole('alert').textContent).toContain('quarantine');
    // The problem list names the member inside the file too.
    const problems = screen.getByRole('list', { name: 'Problems found' });
    expect(problems.textContent).toContain('data/archive.tar.gz › inner/b\\u202efdp.zip › c.exe');
    expect(unnamedControls()).toEqual([]);
  });

  it('shows every listed item on request, and pages a long list', async () => {
    const user = userEvent.setup();
    const many = Array.from({ length: ITEMS_PAGE_SIZE + 5 }, (_, i) => cleanItem(`data/f${i}.pdf`));
    renderWithApi(
      <VerificationReport report={{ ...refusedReport, inspection: { ...inspectionRefused, items: [...inspectionRefused.items, ...many] } }} />,
      fakeApi({}),
    );
    await user.selectOptions(screen.getByLabelText('Show inspected items'), 'all');
    expect(rowsOf(itemsTable())).toHaveLength(ITEMS_PAGE_SIZE);
    expect(screen.getByText(`Showing 1-${ITEMS_PAGE_SIZE} of ${ITEMS_PAGE_SIZE + 8}`)).toBeTruthy();
    await user.click(within(section()).getByRole('button', { name: '2' }));
    expect(rowsOf(itemsTable())).toHaveLength(8);
  });

  it('keeps the database version and age in view on a clean import, with the counts', () => {
    const result: ImportReport = { ...verified, inspection: inspectionPassed, destination: '/srv/inbox/b', warnings: [], receipt: null };
    renderWithApi(<ImportResultStep result={result} onDone={() => undefined} />, fakeApi({}));
    const line = screen.getByTestId('scanner-line');
    expect(line.getAttribute('data-database-state')).toBe('current');
    expect(line.textContent).toContain('Signature database current');
    expect(line.textContent).toContain('version 27432, built 2026-11-30 (3 days old)');
    expect(line.textContent).toContain('unix:/run/clamav/clamd.ctl');
    expect(line.textContent).toContain('✓');
    expect(screen.getByText(/3 payload files inspected, 2.50 MB sent to the scanner: nothing refused\. 1 clean item counted but not listed/)).toBeTruthy();
    expect(section().getAttribute('data-inspection')).toBe('passed');
  });

  it.each([
    ['a database the inspection reported stale', { ...scanner, databaseAgeDays: 40 }, [{ code: 'SCAN_DB_STALE' as const, message: 'old' }], 'stale', /too old/],
    ['a database of unknown age', { ...scanner, databaseDate: null, databaseAgeDays: null }, [], 'unknown', /age unknown/],
    ['a scanner that did not answer', { ...scanner, reachable: false, error: 'connect ENOENT /run/clamav/clamd.ctl' }, [], 'unreachable', /not reachable/],
  ])('makes %s stand out in words and icon', (_name, status, problems, state, words) => {
    renderWithApi(
      <VerificationReport report={{ ...verified, ok: problems.length === 0, problems, inspection: { ...inspectionPassed, scanner: status } }} />,
      fakeApi({}),
    );
    const line = screen.getByTestId('scanner-line');
    expect(line.getAttribute('data-database-state')).toBe(state);
    expect(line.textContent).toMatch(words);
    expect(line.textContent).toMatch(/[⚠?✗]/u);
  });

  it('says plainly when the contents were not inspected, or nothing was scanned', () => {
    renderWithApi(<VerificationReport report={verified} />, fakeApi({}));
    expect(section().getAttribute('data-inspection')).toBe('off');
    expect(section().textContent).toContain('Contents not inspected');
    cleanup();
    renderWithApi(<VerificationReport report={{ ...verified, inspection: { ...inspectionPassed, scanner: null } }} />, fakeApi({}));
    expect(section().textContent).toContain('No malware scanner is configured');
    expect(screen.queryByTestId('scanner-line')).toBeNull();
  });

  it('offers the quarantine after a refused import, and says nothing reached the destination', async () => {
    const user = userEvent.setup();
    let opened = 0;
    const result: ImportReport = {
      ...refusedReport,
      destination: null,
      warnings: [],
      receipt: null,
      quarantine: { id: 'q-1', path: '/home/op/quarantine/q-1' },
    };
    renderWithApi(<ImportResultStep result={result} onDone={() => undefined} onOpenQuarantine={() => (opened += 1)} />, fakeApi({}));
    const kept = screen.getByText('Kept in quarantine').closest('[data-quarantine-id]') as HTMLElement;
    expect(kept.getAttribute('data-quarantine-id')).toBe('q-1');
    expect(kept.textContent).toContain('Nothing of it reached the destination');
    await user.click(screen.getByRole('button', { name: 'Open the quarantine' }));
    expect(opened).toBe(1);
  });
});

describe('the scanner status in Settings', () => {
  it('shows address, reachability, engine, database version, date and age against the policy, and the policy in brief', async () => {
    renderWithApi(<ScannerStatusPanel />, fakeApi({ inspectionStatus: inspectionOn }));
    const table = await screen.findByRole('table', { name: 'Scanner status' });
    expect(table.textContent).toContain('clamd at unix:/run/clamav/clamd.ctl');
    expect(table.textContent).toContain('✓ Yes, it answered');
    expect(table.textContent).toContain('ClamAV 1.4.6');
    expect(table.textContent).toContain('27432');
    expect(table.textContent).toContain('3 days old; at most 7 allowed');
    const policy = screen.getByRole('list', { name: 'Inspection policy' });
    expect(policy.textContent).toContain('application/x-msdownload, application/x-elf');
    expect(policy.textContent).toContain('up to 5 deep');
    expect(policy.textContent).toContain('at most 7 days old');
    expect(unnamedControls()).toEqual([]);
  });

  it('marks a database older than the policy allows, and asks the scanner again on Check now', async () => {
    const user = userEvent.setup();
    let asked = 0;
    const fake = fakeApi({
      inspectionStatus: () => {
        asked += 1;
        return asked === 1
          ? { ...inspectionOn, scanner: { ...scanner, databaseAgeDays: 12 } }
          : { ...inspectionOn, scanner: { ...scanner, reachable: false, error: 'connection refused' } };
      },
    });
    renderWithApi(<ScannerStatusPanel />, fake);
    await waitFor(() => expect(screen.getByTestId('scanner-line').getAttribute('data-database-state')).toBe('stale'));
    expect(screen.getByTestId('scanner-line').textContent).toContain('The policy allows at most 7 days.');
    await user.click(screen.getByRole('button', { name: 'Check now' }));
    await waitFor(() => expect(screen.getByTestId('scanner-line').getAttribute('data-database-state')).toBe('unreachable'));
    expect(screen.getByRole('table', { name: 'Scanner status' }).textContent).toContain('✗ No: connection refused');
    expect(fake.callsTo('inspectionStatus')).toHaveLength(2);
  });

  it('says inspection is off when the policy has no inspect section, and shows an error with its next step', async () => {
    renderWithApi(<ScannerStatusPanel />, fakeApi({ inspectionStatus: inspectionOff }));
    expect(await screen.findByText('Content inspection is off')).toBeTruthy();
    cleanup();
    renderWithApi(
      <ScannerStatusPanel />,
      fakeApi({ inspectionStatus: { code: 'CONFIG_INVALID', message: 'policy.json: inspect.scan.clamd is not an address' } }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('CONFIG_INVALID');
  });

  it('does not ask the scanner while Settings is hidden', () => {
    const fake = fakeApi({ inspectionStatus: inspectionOn });
    renderWithApi(<ScannerStatusPanel active={false} />, fake);
    expect(fake.callsTo('inspectionStatus')).toEqual([]);
  });
});
