/**
 * Content inspection in the desktop app, end to end in Debian's Chromium (issue #16.7): the built
 * renderer against the real main-process handlers, a real Station whose policy.json names a real
 * clamd (Debian's clamav-daemon, started by the test with a signature database built by sigtool),
 * and the real job host. Settings shows the scanner (address, reachable, engine, database version
 * and age) and "Check now" sees clamd stop and start; verify names a marker file hidden in a zip
 * by its chain of names with MALWARE_FOUND and the database version in view; a clean import shows
 * the database age on its result; the marker bundle's report offers no destination but the way to
 * the quarantine, and its import leaves the destination untouched and keeps the bundle; the
 * Quarantine view lists it, shows its report, and releases it only with a reason and the typed
 * name, after which the files arrive and the audit log holds the release. Every screen's controls have accessible names. Screenshots land in
 * test-results/e2e/inspection-*.png.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Station } from '../../electron/core/index.js';
import { MARKER_SIGNATURE, markerBytes } from '../helpers/clamav-database.js';
import { disposeClamd, startClamd, type ClamdServer } from '../helpers/clamd-server.js';
import { mustRun } from '../helpers/tools.js';
import { openApp, type AppUnderTest } from './harness/app.js';
import { chromiumAvailable } from './harness/launch-chromium.js';
import type { RealMain } from './harness/real-main.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = join(repo, 'test-results', 'e2e');
const PASSPHRASE = 'e2e inspection passphrase';
const NOTES = 'Carry across on Tuesday.\n';
/** Each wait is for an event and returns the moment it happens; the bound is generous for a loaded 2-core machine. */
const STEP = 60_000;
const POLL = { timeout: STEP, interval: 100 };
const TEST_TIMEOUT = 5 * STEP;

let base: string;
let app: AppUnderTest | undefined;
let page: Page;
let main: RealMain | undefined;
let clamd: ClamdServer | undefined;
let databaseVersion: number;
const dirs = { home: '', src: '', marked: '', out: '', dest: '', released: '' };

async function shot(name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, `inspection-${name}.png`), fullPage: true });
}

async function section(name: RegExp): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name }).click();
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

/** A zip (python's zipfile, deflated) at `out` holding `name` with `bytes`. */
async function writeZip(out: string, name: string, bytes: Buffer): Promise<void> {
  const member = join(base, 'zip-member');
  await writeFile(member, bytes);
  mustRun('python3', [
    '-c',
    'import sys,zipfile\nwith zipfile.ZipFile(sys.argv[1],"w",zipfile.ZIP_DEFLATED) as z: z.write(sys.argv[2], sys.argv[3])',
    out,
    member,
    name,
  ]);
  await rm(member);
}

describe.skipIf(!chromiumAvailable && !process.env['CI'])('content inspection in the desktop app (Debian Chromium, real clamd)', () => {
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'airlock-e2e-inspect-'));
    for (const key of Object.keys(dirs) as Array<keyof typeof dirs>) {
      dirs[key] = join(base, key);
      await mkdir(dirs[key], { recursive: true });
    }
    await mkdir(SHOTS, { recursive: true });
    await writeFile(join(dirs.src, 'notes.txt'), NOTES);
    await writeFile(join(dirs.marked, 'notes.txt'), NOTES);
    await writeZip(join(dirs.marked, 'outer.zip'), 'inner/marker.txt', markerBytes());
    clamd = await startClamd();

    // The sending side needs no inspection: export both bundles first, then give the station its inspect policy.
    const station = await Station.open({ home: dirs.home });
    try {
      await station.generateKey({ name: 'Inspecting Station', passphrase: PASSPHRASE });
      await station.exportBundle({ selection: [join(dirs.src, 'notes.txt')], outDir: dirs.out, name: 'clean-notes', passphrase: PASSPHRASE });
      await station.exportBundle({
        selection: [join(dirs.marked, 'notes.txt'), join(dirs.marked, 'outer.zip')],
        outDir: dirs.out,
        name: 'hidden-marker',
        passphrase: PASSPHRASE,
      });
      await writeFile(join(dirs.home, 'policy.json'), JSON.stringify({ inspect: { scan: { clamd: clamd.unixAddress } } }, null, 2));
      const status = await station.inspectionStatus();
      expect(status.scanner?.reachable).toBe(true);
      databaseVersion = status.scanner?.databaseVersion ?? -1;
      expect(databaseVersion).toBeGreaterThan(0);
    } finally {
      station.close();
    }

    app = await openApp({ home: dirs.home, rendererDir: join(base, 'renderer'), stepMs: STEP });
    ({ page, main } = app);
  }, TEST_TIMEOUT);

  afterAll(async () => {
    await app?.close();
    if (clamd) await disposeClamd(clamd);
    if (base) await rm(base, { recursive: true, force: true });
  });

  it(
    "shows the scanner's status in Settings, and Check now sees clamd stop and start",
    async () => {
      await section(/^Settings/);
      const status = page.getByRole('table', { name: 'Scanner status' });
      await expect.poll(() => status.textContent(), POLL).toContain(`clamd at ${clamd?.unixAddress}`);
      expect(await status.textContent()).toContain('✓ Yes, it answered');
      expect(await status.textContent()).toContain('ClamAV');
      expect(await status.textContent()).toContain(String(databaseVersion));
      const line = page.getByTestId('scanner-line');
      expect(await line.getAttribute('data-database-state')).toBe('current');
      expect(await page.getByRole('list', { name: 'Inspection policy' }).textContent()).toContain('at most 7 days old');
      expect(await unnamedControls()).toEqual([]);
      await shot('01-settings-scanner');

      await clamd?.stop();
      await page.getByRole('button', { name: 'Check now' }).click();
      await expect.poll(() => line.getAttribute('data-database-state'), POLL).toBe('unreachable');
      expect(await line.textContent()).toContain('Scanner not reachable');
      await shot('02-settings-scanner-stopped');
      await clamd?.start();
      await page.getByRole('button', { name: 'Check now' }).click();
      await expect.poll(() => line.getAttribute('data-database-state'), POLL).toBe('current');
    },
    TEST_TIMEOUT,
  );

  it(
    'verify names the marker inside the zip by its chain, with MALWARE_FOUND and the database version in view',
    async () => {
      await section(/^Verify/);
      main!.dialogs.bundle = join(dirs.out, 'hidden-marker.airlock.tar');
      await page.getByRole('button', { name: 'Choose bundle…' }).click();
      await page.getByRole('button', { name: 'Verify bundle' }).click();
      const verifying = page.locator('section[aria-label="Verify"]');
      await verifying.getByRole('heading', { name: 'Bundle rejected' }).waitFor();
      const inspection = verifying.getByTestId('inspection');
      expect(await inspection.getAttribute('data-inspection')).toBe('refused');
      expect(await inspection.getByTestId('scanner-line').textContent()).toContain(`version ${databaseVersion}`);
      // The member, named by its chain (clamd may also find it in the zip as a whole: that row is data/outer.zip alone).
      const found = inspection.locator('tbody tr[data-scan="found"][data-member-depth="1"]');
      await expect.poll(() => found.count(), POLL).toBe(1);
      expect(await found.textContent()).toContain('data/outer.zip › inner/marker.txt');
      expect(await found.textContent()).toContain(MARKER_SIGNATURE);
      expect(await found.getAttribute('data-findings')).toContain('MALWARE_FOUND');
      expect(await inspection.getByRole('list', { name: 'What the inspection findings mean' }).textContent()).toContain('Next:');
      expect(await verifying.getByRole('list', { name: 'Problems found' }).textContent()).toContain('MALWARE_FOUND');
      expect(await unnamedControls()).toEqual([]);
      await shot('03-verify-marker');
      expect(await readdir(dirs.dest)).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'a clean import shows the database version and age on its result',
    async () => {
      await section(/^Import/);
      const importing = page.locator('section[aria-label="Import"]');
      main!.dialogs.bundle = join(dirs.out, 'clean-notes.airlock.tar');
      await importing.getByRole('button', { name: 'Choose bundle…' }).click();
      await importing.getByRole('button', { name: 'Verify bundle' }).click();
      await importing.getByRole('heading', { name: 'Bundle verified' }).waitFor();
      expect(await importing.getByTestId('inspection').getAttribute('data-inspection')).toBe('passed');
      await importing.getByRole('button', { name: 'Next: destination' }).click();
      main!.dialogs.folder = dirs.dest;
      await importing.getByRole('button', { name: 'Choose folder…' }).click();
      await importing.getByLabel('Station key passphrase').fill(PASSPHRASE);
      await importing.getByRole('button', { name: 'Import', exact: true }).click();
      await importing.getByRole('heading', { name: 'Imported', exact: true }).waitFor();
      const line = importing.getByTestId('scanner-line');
      expect(await line.textContent()).toContain(`version ${databaseVersion}`);
      expect(await line.textContent()).toMatch(/under a day old|1 day old/);
      expect(await importing.locator('[data-inspection-summary]').textContent()).toContain('1 payload file inspected');
      await shot('04-import-clean');
      expect(await readFile(join(dirs.dest, 'clean-notes', 'notes.txt'), 'utf8')).toBe(NOTES);
      await importing.getByRole('button', { name: 'Import another bundle' }).click();
    },
    TEST_TIMEOUT,
  );

  it(
    'refuses the marker bundle on import: the destination untouched, the bundle kept in quarantine',
    async () => {
      const importing = page.locator('section[aria-label="Import"]');
      main!.dialogs.bundle = join(dirs.out, 'hidden-marker.airlock.tar');
      await importing.getByRole('button', { name: 'Choose bundle…' }).click();
      await importing.getByRole('button', { name: 'Verify bundle' }).click();
      await importing.getByRole('heading', { name: 'Bundle rejected' }).waitFor();
      // No way to the files; the way on is the quarantine, said in words.
      expect(await importing.getByRole('button', { name: 'Next: destination' }).count()).toBe(0);
      expect(await importing.getByText('Refused for what it holds').count()).toBe(1);
      await importing.getByRole('button', { name: 'Next: keep it in quarantine' }).click();
      await importing.getByRole('heading', { name: 'Keep it in quarantine' }).waitFor();
      main!.dialogs.folder = dirs.released;
      await importing.getByRole('button', { name: 'Choose folder…' }).click();
      await importing.getByRole('button', { name: 'Import and keep in quarantine' }).click();
      await importing.getByRole('heading', { name: 'Nothing was imported' }).waitFor();
      const kept = importing.locator('[data-quarantine-id]');
      await kept.waitFor();
      expect(await kept.textContent()).toContain('Nothing of it reached the destination');
      expect(await unnamedControls()).toEqual([]);
      await shot('05-import-kept-in-quarantine');
      expect(await readdir(dirs.released)).toEqual([]);
      const station = await Station.open({ home: dirs.home });
      try {
        const list = await station.quarantineList();
        expect(list.map((e) => [e.id, e.status, e.bundleName])).toEqual([[await kept.getAttribute('data-quarantine-id'), 'held', 'hidden-marker.airlock.tar']]);
      } finally {
        station.close();
      }
      await importing.getByRole('button', { name: 'Open the quarantine' }).click();
    },
    TEST_TIMEOUT,
  );

  it(
    'lists the kept bundle in the Quarantine view with its report, and releases it only with a reason and the typed name',
    async () => {
      // The import result led here (Open the quarantine).
      expect(await page.locator('main section:not([hidden])').getAttribute('aria-label')).toBe('Quarantine');
      const quarantine = page.locator('section[aria-label="Quarantine"]');
      const row = quarantine.getByRole('table', { name: 'Quarantined bundles' }).locator('tbody tr');
      await expect.poll(() => row.count(), POLL).toBe(1);
      expect(await row.textContent()).toContain('hidden-marker');
      expect(await row.textContent()).toContain('MALWARE_FOUND');
      expect(await row.getAttribute('data-status')).toBe('held');
      await row.getByRole('button', { name: /^Open/ }).click();
      const details = quarantine.getByTestId('quarantine-details');
      await details.getByRole('table', { name: 'Quarantined bundle' }).waitFor();
      const kept = details.getByTestId('inspection').locator('tbody tr[data-member-depth="1"]');
      await expect.poll(() => kept.count(), POLL).toBe(1);
      expect(await kept.textContent()).toContain('data/outer.zip › inner/marker.txt');
      expect(await unnamedControls()).toEqual([]);
      await shot('06-quarantine-details');

      const form = details.getByTestId('release-form');
      const release = form.getByRole('button', { name: 'Release and import' });
      main!.dialogs.folder = dirs.released;
      await form.getByRole('button', { name: 'Choose folder…' }).click();
      await form.getByLabel(/^Reason for the release/).fill('Test marker only: cleared by the security officer');
      await form.getByLabel(/^Type the bundle's name to confirm/).fill('hidden-marker');
      expect(await release.isDisabled()).toBe(true);
      await form.getByLabel(/^Type the bundle's name to confirm/).fill('hidden-marker.airlock.tar');
      await shot('07-quarantine-release-form');
      await release.click();
      // The release job ends; the details read the entry again: released, and where to.
      await expect.poll(() => details.getAttribute('data-status'), POLL).toBe('released');
      expect(await details.getByRole('status').filter({ hasText: 'Imported to' }).textContent()).toContain(join(dirs.released, 'hidden-marker'));
      await shot('08-quarantine-released');
      expect(await readFile(join(dirs.released, 'hidden-marker', 'notes.txt'), 'utf8')).toBe(NOTES);
      expect((await readdir(join(dirs.released, 'hidden-marker'))).sort()).toEqual(['notes.txt', 'outer.zip']);

      const station = await Station.open({ home: dirs.home });
      try {
        const events = station.listAudit({ type: 'quarantine-release', limit: 10 });
        expect(events.length).toBeGreaterThan(0);
        expect(JSON.stringify(events)).toContain('Test marker only: cleared by the security officer');
        expect((await station.quarantineList())[0]?.status).toBe('released');
      } finally {
        station.close();
      }
    },
    TEST_TIMEOUT,
  );
});
