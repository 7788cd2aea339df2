// @vitest-environment jsdom
/**
 * The per-file results table, the station policy findings, their place in the verification
 * report and the import flow (before the destination), and the whole-job ETA.
 */
import { MantineProvider } from '@mantine/core';
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactElement } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FileResult, FileResults } from '../../../shared/results.js';
import { FileResultsTable } from '../../../renderer/src/components/FileResultsTable.js';
import { JobProgress } from '../../../renderer/src/components/JobProgress.js';
import { PolicyFindings } from '../../../renderer/src/components/PolicyFindings.js';
import { VerificationReport } from '../../../renderer/src/components/VerificationReport.js';
import { ImportFlow } from '../../../renderer/src/flows/import/ImportFlow.js';
import { ReportStep } from '../../../renderer/src/flows/verify/ReportStep.js';
import { I18nRoot } from '../../../renderer/src/i18n/I18nRoot.js';
import { theme } from '../../../renderer/src/theme.js';
import { finishedJob, policyFindings, rejected, running, verified } from './fixtures.js';
import { fakeApi, installDomShims, renderWithApi, unnamedControls } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

function renderUi(ui: ReactElement, scheme: 'light' | 'dark' = 'light') {
  return render(
    <MantineProvider theme={theme} defaultColorScheme={scheme}>
      <I18nRoot initial="en">{ui}</I18nRoot>
    </MantineProvider>,
  );
}

function manyFiles(ok: number, failed: number, extra: Partial<FileResults> = {}): FileResults {
  const listed: FileResult[] = [];
  for (let i = 0; i < ok + failed; i += 1) {
    const bad = i % Math.ceil((ok + failed) / Math.max(1, failed)) === 0 && listed.filter((r) => r.outcome !== 'ok').length < failed;
    listed.push({
      path: `data/f${String(i).padStart(3, '0')}.txt`,
      size: 1000 + i,
      outcome: bad ? 'checksum-mismatch' : 'ok',
      code: bad ? 'CHECKSUM_MISMATCH' : null,
    });
  }
  const failedCount = listed.filter((r) => r.outcome !== 'ok').length;
  return {
    listed,
    counts: {
      ok: listed.length - failedCount,
      'checksum-mismatch': failedCount,
      missing: 0,
      unlisted: 0,
      'refused-name': 0,
      'refused-type': 0,
      'refused-limit': 0,
    },
    cap: { ok: 500, failed: 1000 },
    omitted: { ok: 0, failed: 0 },
    notChecked: 0,
    complete: true,
    ...extra,
  };
}

function bodyRows(): HTMLElement[] {
  const table = screen.getByRole('table', { name: 'Files checked' });
  return within(table).getAllByRole('row').slice(1);
}

describe('per-file results table', () => {
  it('opens on the problems, names the tampered file with its code, and shows hostile names escaped', () => {
    renderUi(<FileResultsTable files={rejected.files} />);
    const rows = bodyRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.textContent).toContain('data/reports/q3\\u202etxt.pdf');
    expect(rows[0]?.textContent).toContain('Checksum mismatch');
    expect(rows[0]?.textContent).toContain('CHECKSUM_MISMATCH');
    expect(screen.getByRole('table', { name: 'Files checked' }).textContent).not.toContain('\u202E');
    expect(screen.getByText(/3 files checked: 2 intact, 1 checksum mismatch\./u)).toBeTruthy();
  });

  it('filters by outcome with the keyboard', async () => {
    const user = userEvent.setup();
    renderUi(<FileResultsTable files={rejected.files} />);
    const select = screen.getByRole('combobox', { name: 'Show files' });
    await user.tab();
    expect(document.activeElement).toBe(select);
    await user.selectOptions(select, 'all');
    expect(bodyRows()).toHaveLength(3);
    await user.selectOptions(select, 'ok');
    expect(bodyRows().map((r) => r.getAttribute('data-outcome'))).toEqual(['ok', 'ok']);
  });

  it('sorts by size and path from the keyboard, saying how it is sorted', async () => {
    const user = userEvent.setup();
    renderUi(<FileResultsTable files={verified.files} />);
    const sizeButton = screen.getByRole('button', { name: 'Sort by size' });
    sizeButton.focus();
    await user.keyboard('{Enter}');
    expect(bodyRows().map((r) => r.querySelector('code')?.textContent)).toEqual(['data/notes.txt', 'data/reports/q4.pdf', 'data/reports/q3\\u202etxt.pdf']);
    expect(screen.getByRole('columnheader', { name: /Size/u }).getAttribute('aria-sort')).toBe('ascending');
    await user.keyboard('{Enter}');
    expect(screen.getByRole('columnheader', { name: /Size/u }).getAttribute('aria-sort')).toBe('descending');
    expect(bodyRows()[0]?.textContent).toContain('q3');
    await user.click(screen.getByRole('button', { name: 'Sort by path' }));
    expect(bodyRows()[0]?.textContent).toContain('data/notes.txt');
  });

  it('pages through many files, 25 at a time', async () => {
    const user = userEvent.setup();
    renderUi(<FileResultsTable files={manyFiles(60, 0)} />);
    expect(bodyRows()).toHaveLength(25);
    expect(screen.getByText('Showing 1-25 of 60')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: '3' }));
    expect(bodyRows()).toHaveLength(10);
    expect(bodyRows()[0]?.textContent).toContain('data/f050.txt');
    expect(screen.getByText('Showing 51-60 of 60')).toBeTruthy();
  });

  it('says when core listed only part of the files, and when verification stopped early', () => {
    renderUi(
      <FileResultsTable
        files={manyFiles(10, 2, {
          omitted: { ok: 99_990, failed: 0 },
          counts: { ok: 100_000, 'checksum-mismatch': 2, missing: 0, unlisted: 0, 'refused-name': 0, 'refused-type': 0, 'refused-limit': 0 },
        })}
      />,
    );
    const summary = document.querySelector('[data-files-summary]')?.textContent ?? '';
    expect(summary).toContain('100,002 files checked');
    expect(summary).toContain('only the first 1,000 failed and 500 intact files are listed');
    expect(summary).toContain('99,990 more intact files were checked and counted but are not listed');
    cleanup();
    renderUi(<FileResultsTable files={{ ...rejected.files, complete: false, notChecked: 7 }} />);
    expect(document.querySelector('[data-files-summary]')?.textContent).toContain('Verification stopped before the end: 7 listed files were not checked.');
  });

  it('every control has an accessible name, in light and dark themes', () => {
    for (const scheme of ['light', 'dark'] as const) {
      renderUi(<FileResultsTable files={manyFiles(60, 3)} />, scheme);
      expect(unnamedControls()).toEqual([]);
      cleanup();
    }
  });
});

describe('policy findings', () => {
  it('lists every check with its outcome; a failure gives its code, message and next step', () => {
    const policy = {
      findings: policyFindings({
        'required-signers': { outcome: 'fail', code: 'POLICY_DENIED', detail: 'The station requires 2 distinct trusted signers; 1 signed.' },
        'limit-total-bytes': { outcome: 'not-checked', detail: 'Not reached: verification stopped before this could be checked.' },
      }),
    };
    renderUi(<PolicyFindings policy={policy} context="verify" />);
    const list = screen.getByRole('list', { name: 'Station policy checks' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(9);
    const twoPerson = screen.getByLabelText('Required signers (two-person rule): Fail');
    expect(twoPerson.textContent).toContain('POLICY_DENIED');
    expect(twoPerson.textContent).toContain('The station’s policy does not allow this bundle.');
    expect(twoPerson.textContent).toContain('Next: Ask your security officer whether the policy should allow it.');
    expect(twoPerson.textContent).toContain('1 signed');
    expect(screen.getByLabelText('Limit: total size: Not checked')).toBeTruthy();
    expect(screen.getByLabelText('Signed by a trusted key: Pass')).toBeTruthy();
  });

  it('an import-only rule that fails in a verify report says the import will be refused; hostile names stay escaped', () => {
    const names = {
      'file-names': {
        outcome: 'fail' as const,
        code: 'UNSAFE_PATH' as const,
        refusedBy: 'import' as const,
        detail: '1 name breaks this station\u2019s name rules: "data/invoice\u202Etxt.exe".',
      },
    };
    renderUi(<PolicyFindings policy={{ findings: policyFindings(names) }} context="verify" />);
    const item = screen.getByLabelText('File-name rules: Fail');
    expect(item.textContent).toContain('importing this bundle on this station will be refused');
    expect(item.textContent).toContain('data/invoice\\u202etxt.exe');
    expect(item.textContent).not.toContain('\u202E');
    cleanup();
    renderUi(<PolicyFindings policy={{ findings: policyFindings(names) }} context="import" />);
    expect(screen.getByLabelText('File-name rules: Fail').textContent).not.toContain('will be refused');
  });
});

describe('verification report', () => {
  it('shows signer card, then per-file results, then policy findings, then problems', () => {
    renderUi(<VerificationReport report={rejected} />);
    const signer = screen.getByLabelText('Signer Station 3 <s3@example.org>');
    const files = screen.getByRole('table', { name: 'Files checked' });
    const policy = screen.getByRole('list', { name: 'Station policy checks' });
    const problems = screen.getByRole('list', { name: 'Problems found' });
    const follows = (a: Element, b: Element) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
    expect(follows(signer, files)).toBe(true);
    expect(follows(files, policy)).toBe(true);
    expect(follows(policy, problems)).toBe(true);
  });

  it('a verified bundle that import would refuse says so in the verdict', () => {
    const report = {
      ...verified,
      policy: { findings: policyFindings({ replay: { outcome: 'fail', code: 'REPLAY', refusedBy: 'import', detail: 'Imported before.' } }) },
    };
    renderUi(<VerificationReport report={report} />);
    expect(screen.getByRole('status').textContent).toContain("this station's import policy refuses it: Not already imported (replay guard)");
  });
});

describe('import flow report step', () => {
  it('offers no destination when the station would refuse the file names', () => {
    const report = { ...verified, policy: { findings: policyFindings({ 'file-names': { outcome: 'fail', code: 'UNSAFE_PATH', refusedBy: 'import' } }) } };
    renderUi(<ReportStep flow="Import" of={6} report={report} onAnother={() => undefined} onContinue={() => undefined} />);
    expect(screen.queryByRole('button', { name: 'Next: destination' })).toBeNull();
    expect(screen.getByText(/this station refuses some of the file names/u)).toBeTruthy();
  });

  it('warns of an earlier import but still lets the operator go on (the override comes after)', () => {
    const report = { ...verified, policy: { findings: policyFindings({ replay: { outcome: 'fail', code: 'REPLAY', refusedBy: 'import' } }) } };
    renderUi(<ReportStep flow="Import" of={6} report={report} onAnother={() => undefined} onContinue={() => undefined} />);
    expect(screen.getByText('Already imported here')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Next: destination' })).toBeTruthy();
  });

  it('in the import flow, per-file results and policy findings come before the destination step', async () => {
    const fake = fakeApi({
      chooseBundle: { path: '/media/usb/b.airlock.tar' },
      listMedia: { media: [] },
      startVerify: { jobId: 'verify-1' },
      getJob: ({ jobId }) => running(jobId, 'verify'),
    });
    const user = userEvent.setup();
    renderWithApi(<ImportFlow />, fake);
    await user.click(screen.getByRole('button', { name: 'Choose bundle…' }));
    await user.click(screen.getByRole('button', { name: 'Verify bundle' }));
    await screen.findByRole('heading', { name: 'Verifying the bundle' });
    act(() => fake.emit({ type: 'finished', job: finishedJob('verify-1', 'verify', verified) }));
    await screen.findByRole('heading', { name: 'Bundle verified' });
    expect(screen.getByRole('table', { name: 'Files checked' })).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Station policy checks' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Choose where the files go' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Next: destination' }));
    expect(screen.getByRole('heading', { name: 'Choose where the files go' })).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Proven so far' }).textContent).toContain('Station policy: 9 of 9 checks passed.');
  });
});

describe('job progress', () => {
  it('shows the whole job’s time left beside the step’s', () => {
    renderUi(
      <JobProgress
        progress={{
          phase: 'hashing',
          bytesDone: 250,
          bytesTotal: 1000,
          filesDone: 1,
          filesTotal: 4,
          rateBytesPerSecond: 10,
          etaSeconds: 75,
          jobEtaSeconds: 175,
        }}
      />,
    );
    expect(screen.getByText('about 1:15 left in this step')).toBeTruthy();
    expect(screen.getByText('Whole job: about 2:55 left')).toBeTruthy();
  });

  it('says nothing of the whole job when core has no estimate', () => {
    renderUi(
      <JobProgress
        progress={{
          phase: 'hashing',
          bytesDone: 0,
          bytesTotal: 1000,
          filesDone: 0,
          filesTotal: 4,
          rateBytesPerSecond: null,
          etaSeconds: null,
          jobEtaSeconds: null,
        }}
      />,
    );
    expect(screen.queryByText(/Whole job/u)).toBeNull();
  });

  it('counts the files an export has found while it scans (no total yet), not "0 B"', () => {
    renderUi(
      <JobProgress
        progress={{
          phase: 'scanning',
          bytesDone: 0,
          bytesTotal: null,
          filesDone: 123_456,
          filesTotal: null,
          rateBytesPerSecond: null,
          etaSeconds: null,
        }}
      />,
    );
    expect(screen.getByText('123,456 files')).toBeTruthy();
    expect(screen.queryByText('0 B')).toBeNull();
  });
});
