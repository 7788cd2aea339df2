/**
 * The CLI's `heartbeat`, `export --channel` and `feed import` in the app, end to end in Debian's
 * Chromium: the built renderer against the real main-process handlers over a real Station in a
 * temp home, the jobs in real worker threads. A heartbeat shows the channel's next number before
 * it is sent and the number it took after; the export's destination step then shows the number
 * after it, and the export takes it. A feed bundle made the way the feed integration tests make
 * one (a container built with tar and checked by the real sigtool, exported by a station trusted
 * with the feeds role) installs over a 40-day-old database: the report has both versions, and the
 * clamd nobody listens on is a warning. axe finds no serious or critical violation.
 * Screenshots: test-results/e2e/feed-*.png.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Station } from '../../electron/core/index.js';
import { buildDatabaseContainer, daysAgo } from '../helpers/clamav-database.js';
import { openApp, type AppUnderTest } from './harness/app.js';
import { blockingViolations, describeFindings } from './harness/axe.js';
import { chromiumAvailable } from './harness/launch-chromium.js';
import type { RealMain } from './harness/real-main.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = join(repo, 'test-results', 'e2e');
const PASSPHRASE = 'e2e feed and channels passphrase';
/** Each wait is for an event and returns the moment it happens; the bound is generous for a loaded 2-core machine. */
const STEP = 60_000;
const POLL = { timeout: STEP, interval: 100 };
const TEST_TIMEOUT = 5 * STEP;

let base: string;
let app: AppUnderTest | undefined;
let page: Page;
let main: RealMain;
const dirs = { home: '', feeder: '', out: '', src: '', feedSrc: '', feedOut: '', db: '' };
let feedBundle = '';

async function shot(name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, `feed-${name}.png`), fullPage: true });
}

/** Opens a section; a view's heading is its name, a flow's is its current step's (null: not waited for). */
async function section(name: RegExp, heading: string | null): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name }).click();
  if (heading !== null) await page.getByRole('heading', { name: heading, level: 2 }).waitFor();
}

async function axe(where: string): Promise<void> {
  await page.waitForFunction(
    () => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
    undefined,
    {
      timeout: 10_000,
    },
  );
  expect(describeFindings(where, await blockingViolations(page))).toBe('');
}

describe.skipIf(!chromiumAvailable && !process.env['CI'])('Channels and feed import: heartbeat, export on a channel, feed import (Debian Chromium)', () => {
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'airlock-e2e-feed-'));
    for (const key of Object.keys(dirs) as Array<keyof typeof dirs>) {
      dirs[key] = join(base, key);
      await mkdir(dirs[key], { recursive: true });
    }
    await mkdir(SHOTS, { recursive: true });
    await writeFile(join(dirs.src, 'notes.txt'), 'channel traffic\n');
    await writeFile(join(dirs.db, 'daily.cud'), await buildDatabaseContainer({ version: 26_000, builtAt: daysAgo(40) }));
    // The feed's signer: a station whose key this one trusts with the feeds role.
    const feeder = await Station.open({ home: dirs.feeder });
    const feederFingerprint = (await feeder.generateKey({ name: 'Feed Mirror', passphrase: PASSPHRASE })).fingerprint;
    await writeFile(join(base, 'feeder.asc'), await feeder.exportPublicKey());
    await writeFile(join(dirs.feedSrc, 'daily.cud'), await buildDatabaseContainer({ version: 27_001 }));
    feedBundle = (
      await feeder.exportBundle({ selection: [join(dirs.feedSrc, 'daily.cud')], outDir: dirs.feedOut, name: 'clamav-feed', passphrase: PASSPHRASE })
    ).bundlePath;
    feeder.close();
    const station = await Station.open({ home: dirs.home });
    await station.generateKey({ name: 'Transfer Station 5', passphrase: PASSPHRASE });
    await station.trustKeyFile(join(base, 'feeder.asc'), { expectedFingerprint: feederFingerprint, role: 'feeds' });
    station.close();
    // A clamd nobody listens on: the database is installed, the reload cannot be asked for.
    await writeFile(
      join(dirs.home, 'policy.json'),
      JSON.stringify({ inspect: { scan: { clamd: `unix:${join(base, 'no-clamd.sock')}`, databaseDir: dirs.db, onError: 'warn' } } }),
    );

    app = await openApp({ home: dirs.home, rendererDir: join(base, 'renderer'), stepMs: STEP });
    ({ page, main } = app);
  }, TEST_TIMEOUT);

  afterAll(async () => {
    await app?.close();
    if (base) await rm(base, { recursive: true, force: true });
  });

  it(
    'sends a heartbeat on a channel: the next number before, the number taken after',
    async () => {
      await section(/^Channels/, 'Channels');
      const panel = page.getByRole('region', { name: 'Send a heartbeat' });
      await panel.getByRole('textbox', { name: /^Channel/ }).fill('diode-a');
      await panel.getByText('Next on channel diode-a: number 1, the first on the channel.').waitFor();
      main.dialogs.folder = dirs.out;
      await panel.getByRole('button', { name: 'Choose folder…' }).click();
      await panel.getByLabel('Chosen folder').waitFor();
      await panel.getByLabel('Passphrase to sign the heartbeat').fill(PASSPHRASE);
      await axe('heartbeat form');
      await shot('01-heartbeat-form');
      await panel.getByRole('button', { name: 'Send heartbeat' }).click();
      const result = page.getByTestId('heartbeat-result');
      await result.waitFor();
      expect(await result.textContent()).toContain('Channel diode-a, number 1');
      expect((await readdir(dirs.out)).filter((f) => /^heartbeat-diode-a-\d{6}-\d{8}\.airlock\.tar$/u.test(f))).toHaveLength(1);
      expect(await page.content()).not.toContain(PASSPHRASE);
      await axe('heartbeat result');
      await shot('02-heartbeat-result');
    },
    TEST_TIMEOUT,
  );

  it(
    'exports on the channel: the destination step shows the next number, the result the number taken',
    async () => {
      await section(/^Export/, null);
      main.dialogs.exportSources = [join(dirs.src, 'notes.txt')];
      await page.getByRole('button', { name: 'Add files…' }).click();
      await page.getByRole('list', { name: 'Selected files and folders' }).getByText('notes.txt').waitFor();
      await page.getByRole('button', { name: 'Next: review' }).click();
      await page.getByRole('table', { name: 'Selection' }).waitFor();
      await page.getByRole('button', { name: 'Next: destination' }).click();
      await page.getByRole('radio', { name: /A folder/ }).check();
      main.dialogs.folder = dirs.out;
      await page.getByRole('button', { name: 'Choose folder…' }).click();
      await page.getByLabel('Chosen folder').waitFor();
      await page.getByRole('textbox', { name: /^Channel/ }).fill('diode-a');
      await page.getByTestId('channel-next').waitFor();
      expect(await page.getByTestId('channel-next').textContent()).toMatch(/^Next on channel diode-a: number 2, after the bundle [0-9a-f]{12}…\.$/u);
      await axe('export destination with a channel');
      await shot('03-export-channel');
      await page.getByRole('button', { name: 'Next: sign' }).click();
      await page.getByLabel('Station key passphrase').fill(PASSPHRASE);
      await page.getByRole('button', { name: 'Sign and write bundle' }).click();
      await page.getByRole('heading', { name: 'Bundle written' }).waitFor();
      await expect.poll(() => page.getByTestId('export-channel').textContent(), POLL).toContain('Channel diode-a, number 2');
    },
    TEST_TIMEOUT,
  );

  it(
    'imports a feed bundle: database before and after, the reload warning, the audit event',
    async () => {
      await section(/^Settings/, 'Settings');
      const panel = page.getByRole('region', { name: 'Import a signature feed' });
      main.dialogs.bundle = feedBundle;
      await panel.getByRole('button', { name: 'Choose bundle…' }).click();
      await panel.getByLabel('Chosen bundle').waitFor();
      await panel.getByRole('button', { name: 'Import feed' }).click();
      const report = page.getByTestId('feed-report');
      await report.waitFor();
      const text = (await report.textContent()) ?? '';
      expect(text).toContain('1 database installed');
      expect(text).toMatch(/daily\.cud: version 27001, 1 signature/u);
      expect(text).toMatch(/Database before:\s*version 26000 \([^)]*, 40 days old\)/u);
      expect(text).toMatch(/Database now:\s*version 27001 \([^)]*, 0 days old\)/u);
      expect(text).toContain('clamd could not be told to reload');
      expect(await page.getByTestId('feed-warnings').textContent()).toContain('clamd was not told to reload');
      const station = await Station.open({ home: dirs.home });
      const [event] = station.listAudit({ type: 'feed-import', limit: 1 });
      station.close();
      expect(event).toMatchObject({ outcome: 'ok' });
      expect(text).toContain(`Audit event #${event?.seq}`);
      await axe('feed report');
      await shot('04-feed-report');
    },
    TEST_TIMEOUT,
  );
});
