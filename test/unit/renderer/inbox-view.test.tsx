// @vitest-environment jsdom
/**
 * The Inbox view (#17.4) in every state main can answer: no watcher (with what to do next), a
 * running watcher with its queue, current bundle, counts, channel findings and outcomes (codes in
 * words, hostile names escaped), a dead one and one gone quiet, heartbeat alarms (text and icon,
 * announced), channel states with missing numbers, the SIEM backlog per sink, forwarding not
 * configured, a part not available or failing on its own, the whole call failing; refresh on
 * demand and on its own; reached from the navigation by keyboard with the focus on its heading.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { displayText } from '../../../shared/display-text.js';
import { ERROR_CODES } from '../../../shared/errors.js';
import { PROBLEM_TEXT } from '../../../shared/problems.js';
import { WATCH_ENTRY_CODES } from '../../../shared/watch-codes.js';
import { App } from '../../../renderer/src/App.js';
import { InboxView } from '../../../renderer/src/views/inbox/InboxView.js';
import { alarm, channelGaps, CHECKED_AT, dead, HOSTILE_NAME, overview, running, stale } from './inbox-fixtures.js';
import { status } from './fixtures.js';
import { fakeApi, installDomShims, renderWithApi, unnamedControls } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const view = () => screen.getByTestId('inbox-view');
const watcher = (inbox: string) => screen.getByRole('article', { name: `Watcher of ${inbox}` });
/** The view as the shell holds it: shown until the operator goes elsewhere. */
function Hideable({ pollMs }: { pollMs: number }) {
  const [active, setActive] = useState(true);
  return (
    <>
      <button type="button" onClick={() => setActive(false)}>
        Hide the view
      </button>
      <InboxView pollMs={pollMs} active={active} />
    </>
  );
}

/** No poll during a test unless it asks for one. */
const NEVER = 3_600_000;

describe('the Inbox view', () => {
  it('says what to do next when no watcher runs on this station', async () => {
    const fake = fakeApi({ inboxOverview: overview({ watchers: { state: 'available', value: [] }, channels: { state: 'available', value: [] } }) });
    renderWithApi(<InboxView pollMs={NEVER} />, fake);
    const empty = await screen.findByTestId('no-watcher');
    expect(empty.textContent).toContain('No watcher runs on this station');
    expect(empty.textContent).toContain('airlock watch INBOX --dest DIR');
    expect(screen.getByTestId('no-channels').textContent).toContain('airlock export --channel C');
    expect(screen.queryByRole('article')).toBeNull();
    expect(screen.queryByTestId('heartbeat-alarms')).toBeNull();
  });

  it('shows a running watcher: state in words, paths, what it works on, the queue and the counts', async () => {
    renderWithApi(<InboxView pollMs={NEVER} />, fakeApi({ inboxOverview: overview() }));
    const card = await screen.findByRole('article', { name: 'Watcher of /srv/inbox' });
    expect(card.getAttribute('data-watcher-state')).toBe('running');
    expect(within(card).getByTestId('watcher-state').textContent).toMatch(/^▶Running It holds its lock/u);
    expect(card.textContent).toContain('/srv/imported');
    expect(card.textContent).toContain('4242, started 2026-12-03 08:00:00 UTC');
    expect(within(card).getByTestId('watcher-current').textContent).toBe('daily-0044.airlock.tar: verifying since 2026-12-03 09:59:57 UTC');
    expect(within(card).getByTestId('watcher-queue').textContent).toBe('3 bundles complete and waiting; 1 file still arriving.');
    const counts = within(card).getByRole('table', { name: 'Watcher of /srv/inbox: counts' });
    expect(counts.querySelector('[data-count="accepted"]')?.textContent).toBe('41');
    expect(counts.querySelector('[data-count="heartbeats"]')?.textContent).toBe('12');
    expect(counts.querySelector('[data-count="failed"]')?.textContent).toBe('1');
    expect(screen.getByTestId('watchers-summary').textContent).toBe('1 watcher on this station: 1 running.');
    // Fresh status (2 s old): no warning that it went quiet.
    expect(within(card).queryByRole('alert')).toBeNull();
  });

  it('lists recent outcomes with icon and word, every code in words, and hostile names escaped', async () => {
    renderWithApi(<InboxView pollMs={NEVER} />, fakeApi({ inboxOverview: overview() }));
    const table = await screen.findByRole('table', { name: 'Watcher of /srv/inbox: recent outcomes' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-outcome'))).toEqual(['heartbeat', 'failed', 'quarantined', 'accepted']);
    const bad = rows[2] as HTMLElement;
    expect(bad.textContent).toContain('■Quarantined');
    expect(bad.textContent).toContain(`CHECKSUM_MISMATCH ${PROBLEM_TEXT.CHECKSUM_MISMATCH.message}`);
    expect(bad.textContent).toContain(displayText(HOSTILE_NAME));
    expect(table.textContent).not.toContain('\u202e');
    expect(table.textContent).not.toContain('\u001b');
    const failedRow = rows[1] as HTMLElement;
    expect(failedRow.textContent).toContain('⚠Failed');
    expect(failedRow.textContent).toContain(`NO_SPACE ${ERROR_CODES.NO_SPACE.message}`);
    expect(failedRow.textContent).toContain(`INBOX_ENTRY_REFUSED ${WATCH_ENTRY_CODES.INBOX_ENTRY_REFUSED.message}`);
    expect(failedRow.textContent).toContain('SOMETHING_NEW A code this version of Airlock does not know');
    expect((rows[3] as HTMLElement).textContent).toContain('✓Accepted');
    expect((rows[3] as HTMLElement).textContent).toContain('audit event #120');
    // Where it lies now, under the watcher's inbox; the full path on hover.
    const lies = within(rows[3] as HTMLElement).getByText('accepted/daily-0042.airlock.tar');
    expect(lies.getAttribute('title')).toBe('/srv/inbox/accepted/daily-0042.airlock.tar');
    expect((rows[0] as HTMLElement).textContent).toContain('♥Heartbeat');
  });

  it('shows the channel findings a watcher reported, with the decision in words', async () => {
    renderWithApi(<InboxView pollMs={NEVER} />, fakeApi({ inboxOverview: overview() }));
    const table = await screen.findByRole('table', { name: 'Watcher of /srv/inbox: channel findings' });
    const row = within(table).getAllByRole('row')[1] as HTMLElement;
    expect(row.getAttribute('data-finding')).toBe('CHANNEL_GAP');
    expect(row.textContent).toContain(PROBLEM_TEXT.CHANNEL_GAP.message);
    expect(row.textContent).toContain('Sequence 40 to 41 did not arrive.');
    // The code's message once; the finding's own words are what it adds.
    expect(row.textContent?.split(PROBLEM_TEXT.CHANNEL_GAP.message)).toHaveLength(2);
    expect(row.textContent).toContain('⚠Let through, on record');
    expect(within(row).getByLabelText(/^Fingerprint 0123 4567/u)).toBeTruthy();
  });

  it('says a dead watcher is dead and what to do, and warns of a running one that went quiet', async () => {
    renderWithApi(<InboxView pollMs={NEVER} />, fakeApi({ inboxOverview: overview({ watchers: { state: 'available', value: [stale, dead] } }) }));
    const gone = await screen.findByRole('article', { name: 'Watcher of /srv/inbox-b' });
    expect(gone.getAttribute('data-watcher-state')).toBe('dead');
    expect(within(gone).getByTestId('watcher-state').textContent).toContain('✗Dead');
    expect(within(gone).getByTestId('watcher-state').textContent).toContain('Start it again');
    expect(gone.textContent).toContain('No bundle taken since it started');
    const quiet = within(watcher('/srv/inbox')).getByRole('alert');
    expect(quiet.textContent).toContain('has not updated its status for 20 min');
    expect(quiet.textContent).toContain('4242');
    expect(screen.getByTestId('watchers-summary').textContent).toBe('2 watchers on this station: 1 running, 1 dead.');
  });

  it('puts heartbeat alarms first, as alerts in words with an icon, once per channel', async () => {
    const fromWatcher = { ...running, alarms: [{ ...alarm, checkedAt: '2026-12-03T09:59:00.000Z', overdueSeconds: 3540 }] };
    renderWithApi(<InboxView pollMs={NEVER} />, fakeApi({ inboxOverview: overview({ watchers: { state: 'available', value: [fromWatcher] } }) }));
    const alarms = await screen.findByTestId('heartbeat-alarms');
    const alerts = within(alarms).getAllByRole('alert');
    expect(alerts).toHaveLength(1);
    const first = alerts[0] as HTMLElement;
    expect(first.getAttribute('data-alarm-channel')).toBe('diode-a');
    expect(first.textContent).toContain('Heartbeat alarm: nothing arrived on channel “diode-a” for 2 h 0 min');
    expect(first.textContent).toContain('at least every 60 min');
    expect(first.textContent).toContain('now 60 min overdue');
    expect(first.textContent).toContain('⚠');
    // Before the watchers, so it is the first thing read.
    expect(alarms.compareDocumentPosition(screen.getByTestId('inbox-watchers')) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('lists channel states: signer grouped, last sequence, missing numbers as runs, heartbeat kept or overdue', async () => {
    renderWithApi(<InboxView pollMs={NEVER} />, fakeApi({ inboxOverview: overview() }));
    const table = await screen.findByRole('table', { name: 'Channel states' });
    const [ok, gaps] = within(table).getAllByRole('row').slice(1) as [HTMLElement, HTMLElement];
    expect(ok.textContent).toContain('feeds.daily');
    expect(ok.textContent).toContain('✓None');
    expect(ok.textContent).toContain('✓On time');
    expect(within(ok).getByLabelText('Fingerprint 0123 4567 89AB CDEF 0123 4567 89AB CDEF 0123 4567')).toBeTruthy();
    expect(gaps.getAttribute('data-missing')).toBe(String(channelGaps.missing.length));
    expect(gaps.textContent).toContain('⚠6 missing');
    expect(gaps.textContent).toContain('4, 7–9, 40, 41');
    expect(gaps.textContent).toContain('44');
    expect(gaps.textContent).toContain('⚠Overdue by 60 min');
    expect(gaps.textContent).toContain('none received yet');
  });

  it('shows the SIEM backlog per sink, with the last error', async () => {
    renderWithApi(<InboxView pollMs={NEVER} />, fakeApi({ inboxOverview: overview() }));
    const table = await screen.findByRole('table', { name: 'Forwarding sinks' });
    const [syslog, file] = within(table).getAllByRole('row').slice(1) as [HTMLElement, HTMLElement];
    expect(syslog.textContent).toContain('Syslog (RFC 5424)tls://siem.example:6514');
    expect(syslog.textContent).toContain('up to event #100 of #121');
    expect(syslog.textContent).toContain('⚠21 events waiting');
    expect(syslog.textContent).toContain('✗connect ECONNREFUSED 10.0.0.5:6514');
    expect(file.textContent).toContain('JSON lines (ECS)');
    expect(file.textContent).toContain('✓None: up to date');
    expect(file.textContent).toContain('none');
  });

  it('says forwarding is not configured and how to configure it', async () => {
    renderWithApi(
      <InboxView pollMs={NEVER} />,
      fakeApi({ inboxOverview: overview({ forward: { state: 'available', value: { configured: false, sinks: [] } } }) }),
    );
    const off = await screen.findByTestId('forward-off');
    expect(off.textContent).toContain('Audit forwarding is not configured');
    expect(off.textContent).toContain('config.json');
    expect(screen.queryByRole('table', { name: 'Forwarding sinks' })).toBeNull();
  });

  it('shows a part this station cannot read as not available, and a failing part with its code, keeping the others', async () => {
    renderWithApi(
      <InboxView pollMs={NEVER} />,
      fakeApi({
        inboxOverview: overview({
          channels: { state: 'unavailable', reason: 'This build of Airlock does not track channels.' },
          forward: { state: 'error', error: { code: 'CONFIG_INVALID', message: 'config.json is not valid: forward.syslog.url.' } },
        }),
      }),
    );
    const channels = await screen.findByTestId('inbox-channels');
    const unavailable = within(channels).getByRole('status');
    expect(unavailable.textContent).toContain('The channel states: not available');
    expect(unavailable.textContent).toContain('does not track channels');
    expect(within(channels).queryByRole('table')).toBeNull();
    const forward = within(screen.getByTestId('inbox-forward')).getByRole('alert');
    expect(forward.getAttribute('data-error-code')).toBe('CONFIG_INVALID');
    expect(forward.textContent).toContain('The forwarding status could not be read');
    expect(watcher('/srv/inbox')).toBeTruthy();
    // Nothing made up where a part is missing: no alarm can be derived from an unavailable part.
    expect(screen.queryByTestId('heartbeat-alarms')).toBeNull();
  });

  it('shows the error when the station cannot be read at all, and recovers on refresh', async () => {
    let answer: unknown = { code: 'PERMISSION_DENIED', message: 'Permission denied: /home/op/.config/Airlock/airlock.db' };
    const fake = fakeApi({ inboxOverview: () => answer as never });
    renderWithApi(<InboxView pollMs={NEVER} />, fake);
    const error = await screen.findByRole('alert');
    expect(error.getAttribute('data-error-code')).toBe('PERMISSION_DENIED');
    expect(error.textContent).toContain('The inbox could not be read');
    answer = overview();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByRole('article', { name: 'Watcher of /srv/inbox' })).toBeTruthy();
    expect(screen.queryByText('The inbox could not be read')).toBeNull();
    expect(fake.callsTo('inboxOverview')).toEqual([{}, {}]);
  });

  it('refreshes on its own while shown, and stops when hidden', async () => {
    let watchers = [running];
    const fake = fakeApi({ inboxOverview: () => overview({ watchers: { state: 'available', value: watchers } }) });
    renderWithApi(<Hideable pollMs={20} />, fake);
    await screen.findByRole('article', { name: 'Watcher of /srv/inbox' });
    watchers = [{ ...running, state: 'stopped' }];
    await waitFor(() => expect(watcher('/srv/inbox').getAttribute('data-watcher-state')).toBe('stopped'), { timeout: 30_000 });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Hide the view' }));
    const calls = fake.callsTo('inboxOverview').length;
    // Stopped: a later poll would have to come from a timer that was cleared. Give a timer the chance to fire.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.callsTo('inboxOverview').length).toBe(calls);
  });

  it('names every control and reads the time of the check', async () => {
    renderWithApi(<InboxView pollMs={NEVER} />, fakeApi({ inboxOverview: overview() }));
    await screen.findByRole('table', { name: 'Channel states' });
    expect(unnamedControls(view())).toEqual([]);
    expect(screen.getByTestId('inbox-checked').textContent).toBe(`Read ${CHECKED_AT.replace('T', ' ').slice(0, 19)} UTC.`);
  });

  it('is reached from the navigation by keyboard, with the focus on its heading', async () => {
    const user = userEvent.setup();
    const fake = fakeApi({ stationStatus: status, listTrusted: { signers: [] }, inboxOverview: overview() });
    renderWithApi(<App />, fake);
    expect(fake.callsTo('inboxOverview')).toEqual([]);
    const nav = screen.getByRole('navigation', { name: 'Sections' });
    within(nav)
      .getByRole('button', { name: /^Import/ })
      .focus();
    await user.tab();
    await user.keyboard('{Enter}');
    const section = document.querySelector('main section:not([hidden])') as HTMLElement;
    expect(section.getAttribute('aria-label')).toBe('Inbox');
    expect(document.activeElement).toBe(within(section).getByRole('heading', { level: 2, name: 'Inbox' }));
    expect(await within(section).findByRole('article', { name: 'Watcher of /srv/inbox' })).toBeTruthy();
  });
});
