/**
 * The Inbox view end to end in Debian's Chromium (issue #17.4): the built renderer against the
 * real main-process handlers over a real Station, and a REAL `airlock watch INBOX --dest DIR`
 * started as its own process on a temp inbox. Before the watcher starts the view says none runs
 * and what to do. Once it runs, bundles stamped on channels are dropped one by one: a heartbeat on
 * a channel whose policy wants one a minute, a good bundle (sequence 1) and one with sequence 3
 * (2 never arrives), then a tampered bundle (one payload byte flipped after signing) and a file
 * with a hostile name. The view shows the heartbeat, both accepted, the gap as a channel finding
 * let through on record and as a missing number, the tampered one rejected with CHECKSUM_MISMATCH
 * in words, the hostile name escaped, the counts; the files land in DIR and nowhere else. The
 * silent channel then raises a heartbeat alarm at the top of the view: the station's record of the
 * channel's last arrival is moved back past the interval (the minute of silence, without the wall
 * time; the policy's least interval stays 60 s), and the real watcher and main find it overdue by
 * the clock as they would a minute later. After SIGTERM the watcher
 * shows as stopped, and after a delivery the SIEM backlog of a JSON-lines sink is gone while a
 * dead syslog address keeps its backlog and error. Every control in the view is named.
 * Screenshots land in test-results/e2e/inbox-*.png (docs/screenshots/inbox.png is a copy of
 * inbox-alarm.png).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayText } from '../../shared/display-text.js';
import { PROBLEM_TEXT } from '../../shared/problems.js';
import { Station } from '../../electron/core/index.js';
import { openStationDb } from '../../electron/core/db/station-db.js';
import { freePort, killOnExit } from '../helpers/test-daemons.js';
import { openApp, type AppUnderTest } from './harness/app.js';
import { chromiumAvailable } from './harness/launch-chromium.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = join(repo, 'test-results', 'e2e');
const PASSPHRASE = 'e2e inbox passphrase';
const GOOD = 'Good notes for the inbox, carried across the diode.\n';
const BAD = 'These notes are changed after signing: one byte flipped.\n';
/** A name a hostile sender chose: a bidi override and an escape sequence. */
const HOSTILE = 'report\u202Eexe.txt\u001b[2J';
/** Each wait is for an event and returns the moment it happens; the bound is generous for a loaded 2-core machine. */
const STEP = 90_000;
const POLL = { timeout: STEP, interval: 200 };
const TEST_TIMEOUT = 5 * STEP;
/** The policy's least heartbeat interval (the channel `quiet` promises a heartbeat this often). */
const HEARTBEAT_SECONDS = 60;

let base: string;
let app: AppUnderTest | undefined;
let page: Page;
let watcher: ChildProcess | undefined;
let watcherOutput = '';
let siemFile = '';
let syslogUrl = '';
const dirs = { home: '', src: '', out: '', inbox: '', dest: '' };

async function shot(name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, `inbox-${name}.png`), fullPage: true });
}

/** Buttons, inputs, selects and links in the visible section with no accessible name (an axe-style check, in the page). */
async function unnamedControls(): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('main section:not([hidden]) :is(button, input, select, textarea, a[href])')]
      .filter((control) => {
        const id = control.getAttribute('id');
        const labelledBy = control.getAttribute('aria-labelledby');
        const name =
          control.getAttribute('aria-label') ??
          (labelledBy ? document.getElementById(labelledBy)?.textContent : null) ??
          (id ? document.querySelector(`label[for="${CSS.escape(id)}"]`)?.textContent : null) ??
          control.closest('label')?.textContent ??
          (control.matches('button, a') ? control.textContent : null);
        return !name?.trim();
      })
      .map((control) => control.outerHTML.slice(0, 120)),
  );
}

/** A copy of a bundle with one byte of its payload file flipped: the signed manifests stay as they were. */
async function tamperPayload(from: string, to: string, payload: string): Promise<void> {
  const tar = await readFile(from);
  const at = tar.indexOf(Buffer.from(payload));
  expect(at).toBeGreaterThan(0);
  tar[at + 6] = (tar[at + 6] ?? 0) ^ 0x01;
  await writeFile(to, tar);
}

/** Drop a file into the inbox as a sender would: written elsewhere, then renamed in (one atomic step). */
async function drop(from: string, name: string): Promise<void> {
  const staging = join(base, `drop-${name.length}-${Date.now()}`);
  await copyFile(from, staging);
  await rename(staging, join(dirs.inbox, name));
}

function watcherEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['AIRLOCK_HOME'];
  return env;
}

function startWatcher(): ChildProcess {
  const child = spawn(
    process.execPath,
    // --alarm-every 1: the watcher looks for silent channels each second (60 s by default), so its alarm follows the silence at once.
    [
      join(repo, 'bin', 'airlock.mjs'),
      '--home',
      dirs.home,
      'watch',
      dirs.inbox,
      '--dest',
      dirs.dest,
      '--settle',
      '0.5',
      '--rescan',
      '0.2',
      '--alarm-every',
      '1',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: watcherEnv() },
  );
  killOnExit(child);
  const keep = (chunk: Buffer) => {
    watcherOutput = `${watcherOutput}${chunk.toString('utf8')}`.slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return child;
}

/**
 * A channel's silence of `seconds`, without waiting it out: its last arrival (and heartbeat) moved
 * back in the station's database, where recordReceived put the watcher's receipt of it. The alarm's
 * rule reads only that time and the clock (channel-state.ts alarmFor), so the watcher's check and
 * main's channel states see what they would see `seconds` later.
 */
function silenceChannel(channel: string, seconds: number): void {
  const db = openStationDb(join(dirs.home, 'airlock.db'));
  try {
    const since = new Date(Date.now() - seconds * 1000).toISOString();
    const moved = db
      .prepare('UPDATE channel_receive SET last_received_at = ?, last_heartbeat_at = ? WHERE channel = ? AND alarm_raised_at IS NULL')
      .run(since, since, channel);
    expect(moved.changes).toBe(1);
  } finally {
    db.close();
  }
}

/** The `channel-alarm` events on record for a channel (one per silence, raised by whoever checks first). */
async function alarmEvents(channel: string): Promise<number> {
  const station = await Station.open({ home: dirs.home });
  try {
    return station.listAudit({}).filter((e) => e.type === 'channel-alarm' && (e.details as { channel?: unknown } | null)?.channel === channel).length;
  } finally {
    station.close();
  }
}

const view = () => page.locator('main section:not([hidden])');
const outcomeRows = (outcome: string) => view().locator(`table[aria-label$="recent outcomes"] tbody tr[data-outcome="${outcome}"]`);

describe.skipIf(!chromiumAvailable && !process.env['CI'])('the Inbox view with a real airlock watch (Debian Chromium)', () => {
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'airlock-e2e-inbox-'));
    for (const key of Object.keys(dirs) as Array<keyof typeof dirs>) {
      await mkdir(join(base, key), { recursive: true });
      // The watcher names its inbox by its real path (a temp folder may lie behind a link).
      dirs[key] = await realpath(join(base, key));
    }
    await mkdir(SHOTS, { recursive: true });
    await writeFile(join(dirs.src, 'good.txt'), GOOD);
    await writeFile(join(dirs.src, 'lost.txt'), 'This bundle never reaches the inbox.\n');
    await writeFile(join(dirs.src, 'late.txt'), 'Sent after the lost one.\n');
    await writeFile(join(dirs.src, 'bad.txt'), BAD);
    // The sending side is this very station (it trusts its own key): the channel's bundles, a heartbeat, one to tamper with.
    const station = await Station.open({ home: dirs.home });
    try {
      await station.generateKey({ name: 'Inbox Station', passphrase: PASSPHRASE });
      const send = (file: string, name: string, channel?: string) =>
        station.exportBundle({ selection: [join(dirs.src, file)], outDir: dirs.out, name, passphrase: PASSPHRASE, channel });
      await send('good.txt', 'good-notes', 'diode-a');
      await send('lost.txt', 'lost-notes', 'diode-a');
      await send('late.txt', 'late-notes', 'diode-a');
      await send('bad.txt', 'bad-notes');
      const beat = await station.sendHeartbeat({ channel: 'quiet', outDir: dirs.out, name: 'quiet-beat', passphrase: PASSPHRASE });
      expect(beat.bundlePath).toBe(join(dirs.out, 'quiet-beat.airlock.tar'));
    } finally {
      station.close();
    }
    // The channel `quiet` promises a heartbeat a minute (the least the policy takes); `diode-a` promises none.
    await writeFile(join(dirs.home, 'policy.json'), JSON.stringify({ channels: { channels: { quiet: { heartbeatIntervalSeconds: HEARTBEAT_SECONDS } } } }));
    // Two SIEM sinks: a JSON-lines file, and a syslog address where nothing listens (its backlog and error show).
    siemFile = join(base, 'siem', 'audit.ecs.jsonl');
    await mkdir(dirname(siemFile), { recursive: true });
    syslogUrl = `tcp://127.0.0.1:${await freePort()}`;
    const configPath = join(dirs.home, 'config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8').catch(() => '{}')) as Record<string, unknown>;
    await writeFile(configPath, JSON.stringify({ ...config, forward: { syslog: { url: syslogUrl }, jsonLines: { path: siemFile } } }, null, 2));
    await tamperPayload(join(dirs.out, 'bad-notes.airlock.tar'), join(dirs.out, 'bad-notes.tampered'), BAD);

    app = await openApp({ home: dirs.home, rendererDir: join(base, 'renderer'), stepMs: STEP });
    page = app.page;
  }, TEST_TIMEOUT);

  afterAll(async () => {
    if (watcher && watcher.exitCode === null && watcher.signalCode === null) {
      watcher.kill('SIGKILL');
      await once(watcher, 'exit');
    }
    await app?.close();
    if (base) await rm(base, { recursive: true, force: true });
  });

  it(
    'says no watcher runs and what to do, reached by keyboard with the focus on its heading',
    async () => {
      const nav = page.getByRole('navigation', { name: 'Sections' });
      const focused = () => page.evaluate(() => document.activeElement?.textContent ?? '');
      // The first screen takes the focus on its heading once it mounts: focus the nav entry after that.
      await expect
        .poll(async () => {
          await nav.getByRole('button', { name: /^Import/ }).focus();
          return focused();
        }, POLL)
        .toMatch(/^Import/u);
      await page.keyboard.press('Tab');
      expect(await focused()).toMatch(/^Inbox/u);
      await page.keyboard.press('Enter');
      await expect.poll(() => view().getAttribute('aria-label'), POLL).toBe('Inbox');
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent), POLL).toBe('Inbox');
      const empty = view().getByTestId('no-watcher');
      await expect.poll(() => empty.textContent(), POLL).toContain('airlock watch INBOX --dest DIR');
      expect(await unnamedControls()).toEqual([]);
      await shot('no-watcher');
    },
    TEST_TIMEOUT,
  );

  it(
    'shows a real watcher take a heartbeat, a channel with a gap, a tampered bundle and a hostile-named file, with each outcome and why',
    async () => {
      watcher = startWatcher();
      const card = view().getByRole('article', { name: `Watcher of ${displayText(dirs.inbox)}` });
      await expect.poll(async () => ((await card.count()) > 0 ? card.getAttribute('data-watcher-state') : null), POLL).toBe('running');

      // One at a time, each seen settled before the next: the channel's order is the point.
      await drop(join(dirs.out, 'quiet-beat.airlock.tar'), 'quiet-beat.airlock.tar');
      await expect.poll(() => outcomeRows('heartbeat').count(), POLL).toBe(1);
      await drop(join(dirs.out, 'good-notes.airlock.tar'), 'good-notes.airlock.tar');
      await expect.poll(() => outcomeRows('accepted').count(), POLL).toBe(1);
      await drop(join(dirs.out, 'late-notes.airlock.tar'), 'late-notes.airlock.tar');
      await expect.poll(() => outcomeRows('accepted').count(), POLL).toBe(2);
      await drop(join(dirs.out, 'bad-notes.tampered'), 'bad-notes.airlock.tar');
      await writeFile(join(dirs.inbox, HOSTILE), 'not a bundle\n');
      await expect.poll(() => outcomeRows('rejected').count(), POLL).toBe(2);

      // The gap: a finding the watcher reported (let through, as the default policy says), and a missing number on the channel.
      const finding = card.getByRole('table', { name: /channel findings$/u }).locator('tbody tr[data-finding="CHANNEL_GAP"]');
      await expect.poll(() => finding.count(), POLL).toBe(1);
      expect(await finding.textContent()).toContain(PROBLEM_TEXT.CHANNEL_GAP.message);
      expect(await finding.textContent()).toContain('⚠Let through, on record');
      const channel = view().getByRole('table', { name: 'Channel states' }).locator('tbody tr[data-channel="diode-a"]');
      await expect.poll(() => channel.getAttribute('data-missing'), POLL).toBe('1');
      expect(await channel.textContent()).toContain('⚠1 missing');
      expect(await channel.textContent()).toContain('No interval set by the policy');
      const quiet = view().getByRole('table', { name: 'Channel states' }).locator('tbody tr[data-channel="quiet"]');
      expect(await quiet.textContent()).toContain('expected every 60 s');

      const accepted = outcomeRows('accepted').filter({ hasText: 'good-notes' });
      expect(await accepted.textContent()).toContain('✓Accepted');
      expect(await outcomeRows('heartbeat').textContent()).toContain('♥Heartbeat');
      const tampered = outcomeRows('rejected').filter({ hasText: 'bad-notes' });
      expect(await tampered.textContent()).toContain(`CHECKSUM_MISMATCH ${PROBLEM_TEXT.CHECKSUM_MISMATCH.message}`);
      expect(await tampered.textContent()).toContain('✗Rejected');
      const hostile = outcomeRows('rejected').filter({ hasText: 'INBOX_ENTRY_REFUSED' });
      const hostileText = (await hostile.textContent()) ?? '';
      expect(hostileText).toContain(displayText(HOSTILE));
      expect(hostileText).not.toContain('\u202e');
      expect(hostileText).not.toContain('\u001b');

      const counts = card.getByRole('table', { name: /counts$/u });
      await expect.poll(() => counts.locator('[data-count="accepted"]').textContent(), POLL).toBe('2');
      expect(await counts.locator('[data-count="heartbeats"]').textContent()).toBe('1');
      await expect.poll(() => counts.locator('[data-count="rejected"]').textContent(), POLL).toBe('2');
      await expect.poll(() => card.getByTestId('watcher-queue').textContent(), POLL).toBe('The inbox is empty: nothing waits, nothing is arriving.');
      // Both sinks listed with where they send; the audit log has events for them (whether the watcher forwards as it goes or not).
      const sinks = view().getByRole('table', { name: 'Forwarding sinks' });
      expect(await sinks.locator('tbody tr[data-sink="syslog"]').textContent()).toContain(syslogUrl);
      expect(await sinks.locator('tbody tr[data-sink="jsonLines"]').textContent()).toContain(siemFile);
      expect(await unnamedControls()).toEqual([]);
      await shot('outcomes');

      // What the view says is what happened on disk: the good payload in DIR, nothing of the tampered one.
      expect(await readFile(join(dirs.dest, 'good-notes', 'good.txt'), 'utf8')).toBe(GOOD);
      // The payload folders and their import receipts (and the heartbeat's, if it leaves one); nothing of bad-notes.
      expect(await readFile(join(dirs.dest, 'late-notes', 'late.txt'), 'utf8')).toBe('Sent after the lost one.\n');
      expect((await readdir(dirs.dest)).filter((name) => !/^(good-notes|late-notes|quiet-beat)/u.test(name))).toEqual([]);
      expect((await readdir(join(dirs.inbox, 'accepted'))).join(' ')).toContain('good-notes');
      expect((await readdir(join(dirs.inbox, 'quarantine'))).join(' ')).toContain('bad-notes');
    },
    TEST_TIMEOUT,
  );

  it(
    'raises a heartbeat alarm at the top of the view when a channel stays silent past its interval',
    async () => {
      const alarm = view().getByTestId('heartbeat-alarms').locator('[data-alarm-channel="quiet"]');
      // The heartbeat just arrived: no alarm yet, none on record.
      expect(await alarm.count()).toBe(0);
      expect(await alarmEvents('quiet')).toBe(0);
      // Silence is the event: nothing arrives on `quiet` after its heartbeat for longer than the interval.
      silenceChannel('quiet', HEARTBEAT_SECONDS + 30);
      await expect.poll(() => alarm.count(), POLL).toBe(1);
      expect(await alarm.getAttribute('role')).toBe('alert');
      expect(await alarm.textContent()).toContain('Heartbeat alarm: nothing arrived on channel “quiet”');
      expect(await alarm.textContent()).toContain('at least every 60 s');
      const quiet = view().getByRole('table', { name: 'Channel states' }).locator('tbody tr[data-channel="quiet"]');
      await expect.poll(() => quiet.getAttribute('data-alarm'), POLL).toBe('yes');
      expect(await quiet.textContent()).toContain('⚠Overdue by');
      // diode-a promises no heartbeat: no alarm for it.
      expect(await view().getByTestId('heartbeat-alarms').locator('[data-alarm-channel="diode-a"]').count()).toBe(0);
      // The running watcher raised it: one channel-alarm event on record, for this silence only.
      await expect.poll(() => alarmEvents('quiet'), POLL).toBe(1);
      expect(await alarmEvents('diode-a')).toBe(0);
      expect(await unnamedControls()).toEqual([]);
      await shot('alarm');
    },
    TEST_TIMEOUT,
  );

  it(
    'shows the watcher stopped after SIGTERM, with what it did kept',
    async () => {
      const child = watcher;
      if (!child) throw new Error('the watcher did not start');
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code, watcherOutput).toBe(0);
      const card = view().getByRole('article', { name: `Watcher of ${displayText(dirs.inbox)}` });
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect.poll(() => card.getAttribute('data-watcher-state'), POLL).toBe('stopped');
      expect(await card.getByTestId('watcher-state').textContent()).toContain('■Stopped');
      expect(await outcomeRows('accepted').count()).toBe(2);

      // Deliver the audit log now (as `airlock audit forward` does): the file takes everything, the dead syslog address nothing.
      const station = await Station.open({ home: dirs.home });
      try {
        const delivered = await station.forwardNow({ signal: AbortSignal.timeout(STEP) });
        expect(delivered.busy).toBe(false);
      } finally {
        station.close();
      }
      await page.getByRole('button', { name: 'Refresh' }).click();
      const sinks = view().getByRole('table', { name: 'Forwarding sinks' });
      const file = sinks.locator('tbody tr[data-sink="jsonLines"]');
      const syslog = sinks.locator('tbody tr[data-sink="syslog"]');
      await expect.poll(() => file.getAttribute('data-backlog'), POLL).toBe('0');
      expect(await file.textContent()).toContain('✓None: up to date');
      expect(Number(await syslog.getAttribute('data-backlog'))).toBeGreaterThan(0);
      expect(await syslog.textContent()).toMatch(/⚠\d+ events waiting/u);
      expect(await syslog.textContent()).toContain('✗');
      const lines = (await readFile(siemFile, 'utf8')).trim().split('\n');
      expect(lines.length).toBeGreaterThan(3);
      await shot('stopped-forwarded');
    },
    TEST_TIMEOUT,
  );
});
