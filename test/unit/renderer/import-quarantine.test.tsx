// @vitest-environment jsdom
/**
 * The import flow with content inspection (#16.7): a bundle refused for what it holds offers no
 * way to its files, only on to an import that is refused and keeps it in quarantine (the report
 * says so first); the result says where it is kept and leads to the Quarantine view. A refusal
 * that is not a quarantine case (the scanner down, a bad checksum) offers neither. The renderer's
 * list of quarantine cases is core's list.
 */
import { act, cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { problem, PROBLEM_CODES } from '../../../shared/problems.js';
import { QUARANTINE_CODES } from '../../../electron/core/quarantine/quarantine-codes.js';
import { QUARANTINE_CASE_CODES } from '../../../renderer/src/components/inspection/quarantine-case.js';
import { ImportFlow } from '../../../renderer/src/flows/import/ImportFlow.js';
import { finishedJob, running, status } from './fixtures.js';
import { inspectionPassed, refusedReport } from './inspection-fixtures.js';
import { fakeApi, installDomShims, renderWithApi, unnamedControls, type Answers } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const BUNDLE = '/media/usb/airlock-000007-20261128.airlock.tar';

function answers(extra: Answers = {}): Answers {
  return {
    // A station without a key imports unsigned (import-signing.test.tsx walks the signing).
    stationStatus: { ...status, hasKey: false, stationKey: null },
    chooseBundle: { path: BUNDLE },
    listMedia: { media: [] },
    chooseFolder: { path: '/srv/inbox' },
    startVerify: { jobId: 'verify-1' },
    startImport: { jobId: 'import-1' },
    getJob: ({ jobId }) => running(jobId, jobId.startsWith('verify') ? 'verify' : 'import'),
    ...extra,
  };
}

async function verifyWith(fake: ReturnType<typeof fakeApi>, report: unknown): Promise<void> {
  const user = userEvent.setup();
  await user.click(screen.getByRole('button', { name: 'Choose bundle…' }));
  await user.click(screen.getByRole('button', { name: 'Verify bundle' }));
  await screen.findByRole('heading', { name: 'Verifying the bundle' });
  act(() => fake.emit({ type: 'finished', job: finishedJob('verify-1', 'verify', report) }));
  await screen.findByRole('heading', { name: 'Bundle rejected' });
}

describe('a bundle refused for what it holds', () => {
  it('goes on only to an import that keeps it in quarantine, and leads to the Quarantine view', async () => {
    const user = userEvent.setup();
    const fake = fakeApi(answers());
    let opened = 0;
    renderWithApi(<ImportFlow onOpenQuarantine={() => (opened += 1)} />, fake);
    await verifyWith(fake, refusedReport);
    expect(screen.queryByRole('button', { name: 'Next: destination' })).toBeNull();
    expect(screen.getByText('Refused for what it holds')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Next: keep it in quarantine' }));
    expect(await screen.findByRole('heading', { name: 'Keep it in quarantine' })).toBeTruthy();
    expect(screen.getByText(/Refused by content inspection: MALWARE_FOUND, TYPE_MISMATCH\./)).toBeTruthy();
    const go = screen.getByRole<HTMLButtonElement>('button', { name: 'Import and keep in quarantine' });
    expect(go.disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Choose folder…' }));
    expect(unnamedControls()).toEqual([]);
    await user.click(go);
    expect(fake.callsTo('startImport')).toEqual([{ bundlePath: BUNDLE, destDir: '/srv/inbox', allowReplay: undefined, pushTo: undefined }]);
    act(() =>
      fake.emit({
        type: 'finished',
        job: finishedJob('import-1', 'import', { ...refusedReport, destination: null, warnings: [], quarantine: { id: 'q-7', path: '/h/quarantine/q-7' } }),
      }),
    );
    expect(await screen.findByRole('heading', { name: 'Nothing was imported' })).toBeTruthy();
    expect(screen.getByText('Kept in quarantine').closest('[data-quarantine-id]')?.getAttribute('data-quarantine-id')).toBe('q-7');
    await user.click(screen.getByRole('button', { name: 'Open the quarantine' }));
    expect(opened).toBe(1);
  });

  it.each([
    ['the scanner did not answer', [problem('SCANNER_UNAVAILABLE', 'connect ENOENT')]],
    ['its database is too old', [problem('SCAN_DB_STALE', '40 days')]],
    ['a checksum does not match', [problem('CHECKSUM_MISMATCH', undefined, 'data/a.txt')]],
  ])('offers no quarantine when %s', async (_name, problems) => {
    const fake = fakeApi(answers());
    renderWithApi(<ImportFlow />, fake);
    await verifyWith(fake, { ...refusedReport, problems, inspection: { ...inspectionPassed, refused: 0 } });
    expect(screen.queryByRole('button', { name: 'Next: keep it in quarantine' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Next: destination' })).toBeNull();
  });
});

describe('the quarantine cases', () => {
  it('are the codes core keeps a refused bundle for', () => {
    expect([...QUARANTINE_CASE_CODES].sort()).toEqual([...QUARANTINE_CODES].sort());
    for (const code of QUARANTINE_CASE_CODES) expect(PROBLEM_CODES).toContain(code);
  });
});
