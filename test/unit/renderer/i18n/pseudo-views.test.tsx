// @vitest-environment jsdom
/**
 * The Inbox and Quarantine views, populated, and the Quarantine's release and purge forms with
 * the inspection report they show, walked in the pseudo-locale (en-XA): every word on screen,
 * every accessible name, placeholder and title must come from the catalogue (between ⟦ ⟧). The
 * Chromium walk (test/e2e/i18n.e2e.test.ts) sees these views only empty on a fresh station; this
 * walk fills them from the fixtures the views' own tests use (watchers running, stale and dead,
 * outcomes, findings, a gap, a heartbeat alarm, a SIEM backlog; a held bundle with a refused
 * inspection, one-person and two-person release forms, the purge form).
 */
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { QuarantineEntry } from '../../../../shared/inspection.js';
import { RegistryPushOptions } from '../../../../renderer/src/flows/import/RegistryPushOptions.js';
import { InboxView } from '../../../../renderer/src/views/inbox/InboxView.js';
import { QuarantineView } from '../../../../renderer/src/views/quarantine/QuarantineView.js';
import { isData, PSEUDO_SKIP, unmarkedTokens } from '../../../helpers/pseudo-leftovers.js';
import { alarm, channelGaps, dead, overview, running, stale } from '../inbox-fixtures.js';
import { heldEntry, refusedReport, releasedEntry } from '../inspection-fixtures.js';
import { fakeApi, installDomShims, renderWithApi, type Answers } from '../render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const NEVER = 3_600_000;

/**
 * The fixtures' own data the report shows as it came: bundle name and uuid, quarantine id, the
 * signer's user id, the sending station's host and user, the bundle's recorded creation time and
 * the scanner engine's name (as the Chromium walk lets the station's own data through).
 */
const FIXTURE_DATA = new Set([
  'airlock-000007-20261128',
  '20261203T080000Z-7f3a',
  'Station',
  '<s3@example.org>',
  '6f1c2a9e-2b7d-4c41-9d55-0d4f0b8f2a11',
  'ws-3',
  'op',
  '(op)',
  '2026-11-28T10:00:00Z',
  'ClamAV',
]);

/** Words on screen (text, accessible names, placeholders, titles) outside the markers and not data. */
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

function quarantineAnswers(entries: QuarantineEntry[], required: 1 | 2, given = 0): Answers {
  return {
    listQuarantine: (request) => ({ entries: entries.filter((e) => (request.status ?? 'held') === 'all' || e.status === (request.status ?? 'held')) }),
    showQuarantine: (request) => {
      const entry = entries.find((e) => e.id === request.id) ?? heldEntry;
      return { entry, report: refusedReport, files: [{ name: 'b.airlock.tar', bytes: entry.bytes }], approvals: { given, required }, releasingTo: null };
    },
    chooseFolder: { path: '/srv/dest' },
    chooseFile: { paths: ['/home/b/my-key.asc'] },
  };
}

describe('the pseudo-locale over populated views and forms', () => {
  it('Inbox: watchers (running, gone quiet, dead), outcomes, findings, channels with a gap, a heartbeat alarm and a SIEM backlog', async () => {
    const watchers = [running, { ...stale, inbox: '/srv/inbox-c' }, dead];
    renderWithApi(
      <InboxView pollMs={NEVER} />,
      fakeApi({
        inboxOverview: overview({
          watchers: { state: 'available', value: watchers },
          channels: { state: 'available', value: [channelGaps, { ...channelGaps, channel: 'quiet', alarm }] },
        }),
      }),
      'en-XA',
    );
    await screen.findAllByRole('article');
    await screen.findByTestId('heartbeat-alarms');
    expect(leftovers()).toEqual([]);
  });

  it('Inbox: parts that are not available or could not be read, and nothing configured', async () => {
    renderWithApi(
      <InboxView pollMs={NEVER} />,
      fakeApi({
        inboxOverview: overview({
          watchers: { state: 'available', value: [] },
          channels: { state: 'available', value: [] },
          forward: { state: 'available', value: { configured: false, sinks: [] } },
        }),
      }),
      'en-XA',
    );
    await screen.findByTestId('no-watcher');
    expect(leftovers()).toEqual([]);
  });

  it('Quarantine: the list, a held bundle with its refused inspection report, the release form as it fills in, and the purge form', async () => {
    const user = userEvent.setup();
    renderWithApi(<QuarantineView />, fakeApi(quarantineAnswers([heldEntry, releasedEntry], 1)), 'en-XA');
    const table = await screen.findByRole('table');
    await user.click(within(table).getAllByRole('button')[0] as HTMLElement);
    const form = await screen.findByTestId('release-form');
    expect(leftovers()).toEqual([]);
    // The form's answers as they change: a key file chosen, a name typed wrong.
    await user.click(within(form).getAllByRole('radio')[2] as HTMLElement);
    await user.type(within(form).getAllByRole('textbox').at(-1) as HTMLElement, 'wrong');
    expect(leftovers()).toEqual([]);
  });

  it('Quarantine: the two-person release form, first and second approval, and the list of every status', async () => {
    const user = userEvent.setup();
    renderWithApi(<QuarantineView />, fakeApi(quarantineAnswers([heldEntry, releasedEntry], 2, 1)), 'en-XA');
    await user.selectOptions(await screen.findByRole('combobox'), 'all');
    const table = await screen.findByRole('table');
    await user.click(within(table).getAllByRole('button')[0] as HTMLElement);
    await screen.findByTestId('release-form');
    expect(leftovers()).toEqual([]);
  });

  it('Import: the registry push options with every problem they can show, and a chosen CA file', () => {
    const choice = { enabled: true, registry: 'https://registry.internal', insecure: true, caFile: null, username: 'u', password: '' };
    renderWithApi(<RegistryPushOptions imageCount={2} choice={choice} onChange={() => undefined} />, fakeApi({}), 'en-XA');
    expect(leftovers()).toEqual([]);
    cleanup();
    renderWithApi(
      <RegistryPushOptions imageCount={1} choice={{ ...choice, registry: 'registry.internal:5000', caFile: '/etc/ca.pem' }} onChange={() => undefined} />,
      fakeApi({}),
      'en-XA',
    );
    expect(leftovers()).toEqual([]);
  });

  it('German: the Quarantine list and a held bundle in German words, its times in the German date format, names and codes as they came', async () => {
    const user = userEvent.setup();
    renderWithApi(<QuarantineView />, fakeApi(quarantineAnswers([heldEntry], 1)), 'de');
    expect(await screen.findByRole('heading', { name: 'Quarantäne' })).toBeTruthy();
    const table = await screen.findByRole('table', { name: 'Pakete in Quarantäne' });
    expect(table.textContent).toMatch(/\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2} UTC/u);
    expect(table.textContent).toContain(heldEntry.bundleName);
    await user.click(within(table).getByRole('button', { name: `${heldEntry.bundleName} öffnen` }));
    const form = await screen.findByTestId('release-form');
    expect(within(form).getByRole('button', { name: 'Freigeben und importieren' })).toBeTruthy();
    expect(screen.getByTestId('purge-form').textContent).toContain('Endgültig löschen');
  });
});
