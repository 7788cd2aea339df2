// @vitest-environment jsdom
/**
 * Staged exports (list, approve form with its summary, finish form) and the Audit view's chain
 * check and checkpoint, populated, in the pseudo-locale (en-XA): every word on screen, every
 * accessible name, placeholder and title must come from the catalogue (between ⟦ ⟧), except the
 * fixtures' own data (names, ids, user ids, paths) as the station shows them.
 */
import { act, cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StagedEntryView, StagedSummaryView } from '../../../../shared/ipc.js';
import { AuditChainPanel } from '../../../../renderer/src/views/AuditChainPanel.js';
import { StagedExportsView } from '../../../../renderer/src/views/staged/StagedExportsView.js';
import { isData, PSEUDO_SKIP, unmarkedTokens } from '../../../helpers/pseudo-leftovers.js';
import { FPR, running } from '../fixtures.js';
import { fakeApi, installDomShims, renderWithApi } from '../render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const FIXTURE_DATA = new Set([
  'q4-design',
  'q4-design-2',
  'broken',
  'Operator',
  'Olga',
  'Reviewer',
  'Rafael',
  'f3093aa8-7394-44c9-808a-48db120c75e3',
  '/srv/out',
]);

function leftovers(root: HTMLElement = document.body): string[] {
  const parts: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    parts.push(!parent || parent.closest(PSEUDO_SKIP) || parent.closest('[hidden]') ? ' ' : (node.textContent ?? ''));
  }
  for (const el of root.querySelectorAll('[aria-label], [placeholder], [title]')) {
    if (el.closest(PSEUDO_SKIP)) continue;
    for (const name of ['aria-label', 'placeholder', 'title']) {
      const value = el.getAttribute(name);
      if (value) parts.push(` ${value} `);
    }
  }
  return unmarkedTokens(parts.join(' ')).filter((token) => !isData(token, FIXTURE_DATA));
}

const OLGA = { fingerprint: FPR, userIds: ['Operator Olga'] };
const entry = (name: string, over: Partial<StagedEntryView> = {}): StagedEntryView => ({
  name,
  dir: `/srv/staged/${name}`,
  state: 'ready',
  reason: null,
  files: 3,
  bytes: 2_501_200,
  signatures: 1,
  createdAt: '2026-12-05T09:00:00Z',
  signers: [OLGA],
  ...over,
});
const summary: StagedSummaryView = {
  stagedDir: '/srv/staged/q4-design',
  name: 'q4-design',
  uuid: 'f3093aa8-7394-44c9-808a-48db120c75e3',
  fileCount: 1,
  imageLayoutFiles: 0,
  files: ['data/q4-design'],
  totalBytes: 2_501_200,
  signatures: [{ ...OLGA, trustedLabel: null, role: null }],
};

describe('the pseudo-locale over two-person exports and the audit chain', () => {
  it('Staged exports: the list (waiting, approved, incomplete), the approve form filling in, the finish form', async () => {
    const user = userEvent.setup();
    renderWithApi(
      <StagedExportsView />,
      fakeApi({
        listStaged: {
          staged: [
            entry('q4-design'),
            entry('q4-design-2', { signatures: 2, signers: [OLGA, { fingerprint: FPR, userIds: ['Reviewer Rafael'] }] }),
            entry('broken', { state: 'invalid', reason: null, files: null, bytes: null, signatures: null, createdAt: null, signers: null }),
          ],
        },
        describeStaged: summary,
        chooseFolder: { path: '/srv/out' },
      }),
      'en-XA',
    );
    const table = await screen.findByRole('table');
    expect(leftovers()).toEqual([]);
    await user.click(within(table).getAllByRole('button')[0] as HTMLElement);
    const form = await screen.findByTestId('approve-form');
    await within(form).findByTestId('staged-summary');
    await user.click(within(form).getAllByRole('radio')[2] as HTMLElement);
    await user.type(within(form).getAllByRole('textbox').at(-1) as HTMLElement, 'wrong');
    expect(leftovers()).toEqual([]);
    await user.click(within(table).getAllByRole('button')[1] as HTMLElement);
    await screen.findByTestId('finish-form');
    expect(leftovers()).toEqual([]);
  });

  it('Audit: the chain check running with its events and the checkpoint form', async () => {
    const fake = fakeApi({ startVerifyAudit: { jobId: 'a-1' }, getJob: running('a-1', 'audit-verify') }, {});
    renderWithApi(<AuditChainPanel active />, fake, 'en-XA');
    await screen.findByRole('region');
    act(() =>
      fake.emit({
        type: 'progress',
        jobId: 'a-1',
        progress: {
          phase: 'verifying-audit-chain',
          bytesDone: 0,
          bytesTotal: null,
          filesDone: 5,
          filesTotal: 10,
          rateBytesPerSecond: null,
          etaSeconds: 2,
          itemsPerSecond: 3,
        },
      }),
    );
    await screen.findByText(/⟦/u, { selector: '[data-phase]' });
    expect(leftovers()).toEqual([]);
    await userEvent.setup().click(within(screen.getByRole('form')).getByRole('button'));
    expect(screen.getAllByLabelText(/⟦/u, { selector: 'input' })).toHaveLength(1);
    expect(leftovers()).toEqual([]);
  });
});
