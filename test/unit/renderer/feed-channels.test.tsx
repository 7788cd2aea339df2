// @vitest-environment jsdom
/**
 * Feed import (Settings), heartbeats (Channels) and the export's channel field in the app: what
 * each sends to main, the job's progress and Cancel, and the reports: database versions before and
 * after, a clamd that could not reload as a warning, a rejected feed with its problems and
 * "nothing installed", the downgrade only after an explicit confirmation, the heartbeat's number,
 * the channel's next number before an export, and a bad channel name stopped at the field.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FeedImportReport } from '../../../shared/ipc.js';
import { ChannelField } from '../../../renderer/src/components/ChannelField.js';
import { HeartbeatPanel } from '../../../renderer/src/views/channels/HeartbeatPanel.js';
import { FeedImportPanel } from '../../../renderer/src/views/feed/FeedImportPanel.js';
import { ChannelsTable } from '../../../renderer/src/views/inbox/ChannelsTable.js';
import { DestinationStep } from '../../../renderer/src/flows/export/DestinationStep.js';
import { channelOk } from './inbox-fixtures.js';
import { exportResult, finishedJob, mediumBundles, rejected, running, summary, usbStick, verified } from './fixtures.js';
import { fakeApi, installDomShims, renderWithApi, unnamedControls } from './render-with-api.js';

beforeAll(installDomShims);
afterEach(cleanup);

const installedReport: FeedImportReport = {
  ...verified,
  installed: [{ name: 'daily.cud', version: 27_001, signatures: 1, builtAt: '2026-12-05T04:00:00.000Z' }],
  superseded: ['daily.cvd'],
  databaseDir: '/var/lib/clamav',
  before: { version: 26_000, date: '2026-10-26T04:00:00.000Z', ageDays: 40, source: 'database-header' },
  after: { version: 27_001, date: '2026-12-05T04:00:00.000Z', ageDays: 0, source: 'database-header' },
  reloaded: false,
  warnings: ['The database is installed, but clamd was not told to reload (connect ENOENT): it loads it when it next starts.'],
  auditEvent: 12,
};

describe('feed import', () => {
  it('imports the bundle chosen in main’s dialog as a job, then shows versions before and after and the reload warning', async () => {
    const fake = fakeApi({
      listMedia: { media: [] },
      chooseBundle: { path: '/in/clamav-feed.airlock.tar' },
      startFeedImport: { jobId: 'f1' },
      getJob: (r) => running(r.jobId, 'feed-import'),
    });
    const user = userEvent.setup();
    renderWithApi(<FeedImportPanel />, fake);
    const region = screen.getByRole('region', { name: 'Import a signature feed' });
    expect(within(region).getByRole<HTMLButtonElement>('button', { name: 'Import feed' }).disabled).toBe(true);
    await user.click(within(region).getByRole('button', { name: 'Choose bundle…' }));
    await user.click(await within(region).findByRole('button', { name: 'Import feed' }));
    expect(fake.callsTo('startFeedImport')).toEqual([{ bundlePath: '/in/clamav-feed.airlock.tar' }]);
    expect(await within(region).findByRole('button', { name: 'Cancel' })).toBeTruthy();
    fake.emit({ type: 'finished', job: finishedJob('f1', 'feed-import', installedReport) });
    expect(await within(region).findByText('1 database installed')).toBeTruthy();
    expect(within(region).getByText(/daily\.cud: version 27001, 1 signature/)).toBeTruthy();
    expect(within(region).getByText('Replaced: daily.cvd')).toBeTruthy();
    expect(within(region).getByText(/version 26000 \(2026-10-26 04:00:00 UTC, 40 days old\)/)).toBeTruthy();
    expect(within(region).getByText(/version 27001 \(2026-12-05 04:00:00 UTC, 0 days old\)/)).toBeTruthy();
    expect(within(region).getByText(/clamd could not be told to reload/)).toBeTruthy();
    expect(within(screen.getByTestId('feed-warnings')).getByText(/clamd was not told to reload/)).toBeTruthy();
    expect(within(region).getByText('Audit event #12')).toBeTruthy();
    expect(unnamedControls(region)).toEqual([]);
  });

  it('offers the feed bundles on a detected medium (names shown safely), and tells Settings once the job ends', async () => {
    const feed = { ...mediumBundles[0], name: 'clamav-feed', path: '/media/op/TRANSFER/clamav-feed.airlock.tar' } as (typeof mediumBundles)[number];
    const fake = fakeApi({
      listMedia: { media: [usbStick] },
      listMediumBundles: { medium: usbStick, bundles: [feed, ...mediumBundles], leftovers: 0, truncated: false },
      startFeedImport: { jobId: 'f4' },
      getJob: (r) => running(r.jobId, 'feed-import'),
    });
    const ended = vi.fn();
    const user = userEvent.setup();
    renderWithApi(<FeedImportPanel onFinished={ended} pollMs={60_000} />, fake);
    const region = screen.getByRole('region', { name: 'Import a signature feed' });
    const list = await within(region).findByRole('radiogroup', { name: /Bundles on TRANSFER/ });
    // A hostile name on the medium is shown escaped, never as the reordering character.
    expect(list.textContent).not.toContain('\u202E');
    await user.click(within(list).getByRole('radio', { name: /clamav-feed/ }));
    await user.click(within(region).getByRole('button', { name: 'Import feed' }));
    expect(fake.callsTo('listMediumBundles')).toEqual([{ mediumId: '/dev/sdb1' }]);
    expect(fake.callsTo('startFeedImport')).toEqual([{ bundlePath: '/media/op/TRANSFER/clamav-feed.airlock.tar' }]);
    expect(ended).not.toHaveBeenCalled();
    fake.emit({ type: 'finished', job: finishedJob('f4', 'feed-import', installedReport) });
    await waitFor(() => expect(ended).toHaveBeenCalledTimes(1));
  });

  it('sends --allow-downgrade only after the operator confirms it, and can go back instead', async () => {
    const fake = fakeApi({
      listMedia: { media: [] },
      chooseBundle: { path: '/in/old.airlock.tar' },
      startFeedImport: { jobId: 'f2' },
      getJob: (r) => running(r.jobId, 'feed-import'),
    });
    const user = userEvent.setup();
    renderWithApi(<FeedImportPanel />, fake);
    await user.click(screen.getByRole('button', { name: 'Choose bundle…' }));
    await user.click(screen.getByRole('checkbox', { name: /Allow an older database/ }));
    await user.click(await screen.findByRole('button', { name: 'Import feed' }));
    expect(fake.callsTo('startFeedImport')).toEqual([]);
    expect(screen.getByRole('alert', { name: /Install an older database\?/ })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Back' }));
    expect(fake.callsTo('startFeedImport')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Import feed' }));
    await user.click(screen.getByRole('button', { name: 'Yes, allow the older database' }));
    expect(fake.callsTo('startFeedImport')).toEqual([{ bundlePath: '/in/old.airlock.tar', allowDowngrade: true }]);
  });

  it('shows a rejected feed’s problems and that nothing was installed; a failed one its code and next step', async () => {
    let jobs = 2;
    const fake = fakeApi({
      listMedia: { media: [] },
      chooseBundle: { path: '/in/f.airlock.tar' },
      // Main gives every job its own id; the second import is another job.
      startFeedImport: () => ({ jobId: `f${++jobs}` }),
      getJob: (r) => running(r.jobId, 'feed-import'),
    });
    const user = userEvent.setup();
    renderWithApi(<FeedImportPanel />, fake);
    await user.click(screen.getByRole('button', { name: 'Choose bundle…' }));
    await user.click(await screen.findByRole('button', { name: 'Import feed' }));
    fake.emit({
      type: 'finished',
      job: finishedJob('f3', 'feed-import', {
        ...installedReport,
        ...rejected,
        installed: [],
        superseded: [],
        after: installedReport.before,
        reloaded: null,
        warnings: [],
      }),
    });
    expect(await screen.findByText('The feed bundle was rejected')).toBeTruthy();
    expect(screen.getByText('Nothing was installed; the scanner’s database is unchanged.')).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Problems found' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Import another feed' }));
    await user.click(screen.getByRole('button', { name: 'Choose bundle…' }));
    await user.click(await screen.findByRole('button', { name: 'Import feed' }));
    fake.emit({
      type: 'finished',
      job: finishedJob('f4', 'feed-import', null, { code: 'FEED_INVALID', message: 'daily.cud: older than the installed version.' }),
    });
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('FEED_INVALID');
  });
});

describe('heartbeat', () => {
  it('shows the channel’s next number, sends the heartbeat as a job to the chosen folder, then its number', async () => {
    const fake = fakeApi({
      nextChannelStamp: (r) => ({ channel: r.channel, sequence: 3, previousTagManifestSha256: 'c0ffee'.padEnd(64, '0'), heartbeat: false }),
      chooseFolder: { path: '/out/diode' },
      startHeartbeat: { jobId: 'h1' },
      getJob: (r) => running(r.jobId, 'feed-import'),
    });
    const user = userEvent.setup();
    renderWithApi(<HeartbeatPanel />, fake);
    const region = screen.getByRole('region', { name: 'Send a heartbeat' });
    await user.type(within(region).getByRole('textbox', { name: /Channel/ }), 'diode-a');
    expect(await within(region).findByText('Next on channel diode-a: number 3, after the bundle c0ffee000000….')).toBeTruthy();
    await user.click(within(region).getByRole('button', { name: 'Choose folder…' }));
    await user.type(within(region).getByLabelText(/Passphrase to sign the heartbeat/), 'secret');
    await user.click(within(region).getByRole('button', { name: 'Send heartbeat' }));
    expect(fake.callsTo('startHeartbeat')).toEqual([{ channel: 'diode-a', destination: { kind: 'folder', path: '/out/diode' }, passphrase: 'secret' }]);
    const hb = {
      ...exportResult,
      bundlePath: '/out/diode/heartbeat-diode-a-000009-20261205.airlock.tar',
      channel: { channel: 'diode-a', sequence: 3, previousTagManifestSha256: null, heartbeat: true },
    };
    fake.emit({ type: 'finished', job: finishedJob('h1', 'heartbeat', hb) });
    const result = await screen.findByTestId('heartbeat-result');
    expect(within(result).getByText('Channel diode-a, number 3')).toBeTruthy();
    expect(within(result).getByText('/out/diode/heartbeat-diode-a-000009-20261205.airlock.tar')).toBeTruthy();
    expect(unnamedControls(region)).toEqual([]);
  });

  it('stops a channel name that breaks the rules at the field (no lookup, no send)', async () => {
    const fake = fakeApi({ chooseFolder: { path: '/out' }, getJob: (r) => running(r.jobId, 'feed-import') });
    const user = userEvent.setup();
    renderWithApi(<HeartbeatPanel />, fake);
    await user.type(screen.getByRole('textbox', { name: /Channel/ }), 'Diode A');
    expect(await screen.findByText(/Use 1 to 64 lower-case letters/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Choose folder…' }));
    await user.type(screen.getByLabelText(/Passphrase to sign the heartbeat/), 'secret');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Send heartbeat' }).disabled).toBe(true);
    expect(fake.callsTo('nextChannelStamp')).toEqual([]);
  });

  it('shows main’s refusal with its code, e.g. a wrong passphrase after the job ran', async () => {
    const fake = fakeApi({
      nextChannelStamp: (r) => ({ channel: r.channel, sequence: 1, previousTagManifestSha256: null, heartbeat: false }),
      chooseFolder: { path: '/out' },
      startHeartbeat: { jobId: 'h2' },
      getJob: (r) => running(r.jobId, 'feed-import'),
    });
    const user = userEvent.setup();
    renderWithApi(<HeartbeatPanel />, fake);
    await user.type(screen.getByRole('textbox', { name: /Channel/ }), 'diode-b');
    expect(await screen.findByText('Next on channel diode-b: number 1, the first on the channel.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Choose folder…' }));
    await user.type(screen.getByLabelText(/Passphrase to sign the heartbeat/), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Send heartbeat' }));
    fake.emit({
      type: 'finished',
      job: finishedJob('h2', 'heartbeat', null, { code: 'PASSPHRASE_WRONG', message: 'The passphrase does not unlock the station key.' }),
    });
    await waitFor(() => expect(screen.getByRole('alert').getAttribute('data-error-code')).toBe('PASSPHRASE_WRONG'));
  });
});

function ChannelForm() {
  const [value, setValue] = useState('');
  return <ChannelField value={value} onChange={setValue} />;
}

describe('the channel field', () => {
  it('shows main’s CHANNEL_NAME_INVALID with its code and next step when main refuses the name', async () => {
    const fake = fakeApi({ nextChannelStamp: { code: 'CHANNEL_NAME_INVALID', message: 'Got "x".' } });
    const user = userEvent.setup();
    renderWithApi(<ChannelForm />, fake);
    await user.type(screen.getByRole('textbox', { name: /Channel/ }), 'x');
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-error-code')).toBe('CHANNEL_NAME_INVALID');
    expect(within(alert).getByText('Next:')).toBeTruthy();
    expect(fake.callsTo('nextChannelStamp')).toEqual([{ channel: 'x' }]);
  });
});

describe('the Inbox’s channel states, as `airlock channels` tells them', () => {
  it('shows the last bundle’s tag manifest, the last heartbeat without an interval, and "at least" at the 100-number cap', () => {
    const noInterval = { ...channelOk, channel: 'plain', heartbeatIntervalSeconds: null, lastTagManifestSha256: '9f86d081884c'.padEnd(64, '7') };
    const capped = { ...channelOk, channel: 'lossy', missing: Array.from({ length: 100 }, (_, i) => i + 2) };
    const few = { ...channelOk, channel: 'few', missing: [3, 4] };
    renderWithApi(<ChannelsTable states={[noInterval, capped, few]} />, fakeApi({}));
    const row = (channel: string) => document.querySelector(`tr[data-channel="${channel}"]`)?.textContent ?? '';
    expect(row('plain')).toContain('tag manifest 9f86d081884c…');
    expect(row('plain')).toContain('No interval set by the policy');
    expect(row('plain')).toMatch(/last heartbeat 2026-12-03 09:30:00 UTC/);
    expect(row('lossy')).toContain('At least 100 missing (the first 100 listed)');
    expect(row('few')).toContain('2 missing');
    expect(row('few')).not.toContain('At least');
  });
});

function DestinationWithChannel() {
  const [channel, setChannel] = useState('');
  return (
    <DestinationStep
      summary={summary}
      destination={{ kind: 'folder', path: '/out' }}
      name=""
      onChange={() => undefined}
      onBack={() => undefined}
      onNext={() => undefined}
      channel={channel}
      onChannelChange={setChannel}
    />
  );
}

describe('the export’s destination step', () => {
  it('takes an optional channel, shows its next number, and holds Next while the name breaks the rules', async () => {
    const fake = fakeApi({
      listMedia: { media: [] },
      nextChannelStamp: (r) => ({ channel: r.channel, sequence: 8, previousTagManifestSha256: 'ab'.repeat(32), heartbeat: false }),
    });
    const user = userEvent.setup();
    renderWithApi(<DestinationWithChannel />, fake);
    const next = () => screen.getByRole<HTMLButtonElement>('button', { name: /^Next/ });
    expect(next().disabled).toBe(false);
    await user.type(screen.getByRole('textbox', { name: /^Channel/ }), 'Diode');
    expect(next().disabled).toBe(true);
    await user.clear(screen.getByRole('textbox', { name: /^Channel/ }));
    await user.type(screen.getByRole('textbox', { name: /^Channel/ }), 'diode-a');
    expect((await screen.findByTestId('channel-next')).textContent).toBe('Next on channel diode-a: number 8, after the bundle abababababab….');
    expect(next().disabled).toBe(false);
  });
});
