/**
 * Accessibility end to end in Debian's Chromium (issue #19.3): the built renderer against the real
 * main-process handlers and a real Station, driven by the KEYBOARD ALONE (Tab, Shift+Tab, Enter,
 * Space, arrow keys and typing; no click anywhere in this file). It creates the station key,
 * exports a bundle to a folder, cancels a long export from its progress screen, verifies a bundle,
 * a tampered bundle and a whole medium, imports from the medium, keeps a refused bundle in
 * quarantine and opens it there, trusts another station's key, and looks at the Inbox, Audit and
 * Settings views. On every view and every step:
 * - axe-core (WCAG 2.x A/AA and best practices) finds no serious or critical violation, in light
 *   and, for the views, dark theme; a failure names the rule, its impact and the element;
 * - a new step has moved the focus to its heading (StepHeader), and the control tabbed to shows a
 *   visible focus ring.
 * Status elements (badges for pass/fail, alerts) carry text and an icon, never colour alone.
 */
import { copyFile, link, mkdir, mkdtemp, open, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupFingerprint } from '../../shared/fingerprint.js';
import { Station } from '../../electron/core/index.js';
import { openApp, type AppUnderTest } from './harness/app.js';
import { blockingViolations, describeFindings } from './harness/axe.js';
import { chooseRadio, focusedDescription, focusedHeading, focusIsVisible, tabTo } from './harness/keyboard.js';
import { chromiumAvailable } from './harness/launch-chromium.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = join(repo, 'test-results', 'e2e');
const PASSPHRASE = 'a11y passphrase, typed';
const NOTES = 'Carry across on Tuesday.\n';
/** Each wait is for an event and returns when it happens; the bound is generous for a loaded 2-core machine. */
const STEP = 90_000;
const POLL = { timeout: STEP, interval: 100 };
const TEST_TIMEOUT = 8 * STEP;

let base: string;
let app: AppUnderTest | undefined;
let page: Page;
const dirs = { home: '', src: '', big: '', out: '', bigOut: '', medium: '', dest: '', other: '' };
/** Every axe finding, by where it was seen; the test that saw it fails, and the list says all at once. */
const findings: string[] = [];

async function shot(name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, `a11y-${name}.png`), fullPage: true });
}

/** Status elements (data-status-tone badges and lines, alerts) in the visible section that lack words or an icon. */
async function statusWithoutTextOrIcon(): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    for (const el of document.querySelectorAll('main section:not([hidden]) [data-status-tone]')) {
      if (!(el.textContent ?? '').trim() || !el.querySelector('[data-status-icon]')) bad.push(el.outerHTML.slice(0, 160));
    }
    for (const alert of document.querySelectorAll('main section:not([hidden]) .mantine-Alert-root')) {
      const wrapper = alert.querySelector('.mantine-Alert-wrapper');
      const drawn = wrapper ? getComputedStyle(wrapper, '::before') : null;
      const mask = drawn ? drawn.getPropertyValue('mask-image') || drawn.getPropertyValue('-webkit-mask-image') : '';
      const icon = alert.querySelector('.mantine-Alert-icon') !== null || (mask !== '' && mask !== 'none');
      if (!(alert.textContent ?? '').trim() || !icon) bad.push(alert.outerHTML.slice(0, 160));
    }
    return bad;
  });
}

/** axe on the page as it is: no serious or critical violation; and status is never colour alone. */
async function axe(where: string): Promise<void> {
  // Colours are measured at rest: a dialog fading in blends its button with the overlay (axe once read
  // white on #db3333 at 4.38:1 mid-fade, where the settled button is white or black on red.8 at >= 4.5).
  // Only finite animations settle: a running job's progress bar and loaders animate until the job ends (the progress step
  // timed out here on a loaded machine), and they change no text colour.
  await page.waitForFunction(
    () => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
    undefined,
    { timeout: 10_000 },
  );
  const found = await blockingViolations(page);
  const text = describeFindings(where, found);
  if (text) findings.push(text);
  expect(text, `axe found serious or critical violations on ${where}`).toBe('');
  expect(await statusWithoutTextOrIcon(), `status without words or icon on ${where}`).toEqual([]);
}

const visible = () => page.locator('main section:not([hidden])');

/** The new step took the focus on its heading; the step passes axe. */
async function step(title: string | RegExp): Promise<void> {
  const heading = visible().getByRole('heading', { name: title, level: 2 });
  await heading.waitFor();
  await expect.poll(() => focusedHeading(page), POLL).toMatch(typeof title === 'string' ? new RegExp(`^${title}$`, 'u') : title);
  await axe(`step "${(await heading.textContent()) ?? ''}"`);
}

/**
 * Move to a section from the navigation: Shift+Tab back to it (the navigation comes before the
 * main area), Enter; the focus then lands on the section's heading.
 * The bound is generous: from deep in a long view (an audit table of many events) the way back is long.
 */
async function section(name: string): Promise<void> {
  const button = page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: new RegExp(`^${name}`, 'u') });
  await tabTo(page, button, { backwards: true, limit: 400 });
  expect(await focusIsVisible(page), `focus ring on the ${name} navigation button`).toBe(true);
  await page.keyboard.press('Enter');
  await expect.poll(() => visible().getAttribute('aria-label'), POLL).toBe(name);
  await expect.poll(() => page.evaluate(() => document.activeElement?.closest('main section')?.getAttribute('aria-label') ?? null), POLL).toBe(name);
}

/** A button in the visible section, reached by Tab and pressed with Enter. */
async function press(name: string | RegExp, scope: Locator = visible()): Promise<void> {
  const button = scope.getByRole('button', { name, exact: typeof name === 'string' });
  await tabTo(page, button);
  expect(await focusIsVisible(page), `focus ring on ${String(name)}`).toBe(true);
  await page.keyboard.press('Enter');
}

/** Tab to a field and type into it. */
async function typeInto(field: Locator, text: string): Promise<void> {
  await tabTo(page, field);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}

async function filledFile(path: string, bytes: number): Promise<void> {
  const chunk = Buffer.alloc(16 << 20, 0x5a);
  const handle = await open(path, 'w');
  try {
    for (let written = 0; written < bytes; written += chunk.length) await handle.write(chunk);
  } finally {
    await handle.close();
  }
}

describe.skipIf(!chromiumAvailable && !process.env['CI'])('accessibility: axe on every view and step, keyboard alone (Debian Chromium)', () => {
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'airlock-e2e-a11y-'));
    for (const key of Object.keys(dirs) as Array<keyof typeof dirs>) {
      dirs[key] = join(base, key);
      await mkdir(dirs[key], { recursive: true });
    }
    await mkdir(SHOTS, { recursive: true });
    await writeFile(join(dirs.src, 'notes.txt'), NOTES);
    await writeFile(join(dirs.src, 'figures.csv'), 'quarter,total\nq3,42\n');
    // Four names for one 256 MiB file: an export that runs long enough to be seen and cancelled.
    await filledFile(join(dirs.big, 'archive.bin'), 256 << 20);
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) await link(join(dirs.big, 'archive.bin'), join(dirs.big, `archive-${n}.bin`));
    await rm(join(dirs.big, 'archive.bin'));
    // The medium is a folder declared in config.json; the policy refuses .exe files by name (a quarantine without a scanner).
    await writeFile(join(dirs.home, 'config.json'), JSON.stringify({ mediaRoots: [dirs.medium] }));
    await writeFile(join(dirs.home, 'policy.json'), JSON.stringify({ inspect: { types: { denyExtensions: ['exe'] } } }));
    app = await openApp({ home: dirs.home, rendererDir: join(base, 'renderer'), stepMs: STEP });
    page = app.page;
  }, TEST_TIMEOUT);

  afterAll(async () => {
    await app?.close();
    if (base) await rm(base, { recursive: true, force: true });
    if (findings.length > 0) console.error(`axe findings:\n${findings.join('\n')}`);
  });

  it(
    'at the page load the first Tab reaches the skip link, shown, and Enter puts the focus on the visible heading',
    async () => {
      // WCAG 2.4.1 and 2.4.3: the page load leaves the focus at the page's start (no step heading takes it, however
      // often React mounts), so the first Tab stop is the skip link, as on any page; a screen reader starts at the top.
      const heading = visible().getByRole('heading', { name: 'Choose what to send', level: 2 });
      await heading.waitFor();
      // The station's status has loaded (the step's main button is drawn for it): nothing more will mount.
      await visible().getByRole('button', { name: 'Add files…' }).waitFor();
      expect(await page.evaluate(() => document.activeElement === document.body), `focus at the page load: ${await focusedDescription(page)}`).toBe(true);
      await page.keyboard.press('Tab');
      const skip = page.getByRole('link', { name: 'Skip to main content' });
      expect(await skip.evaluate((el) => el === document.activeElement), `first Tab stop: ${await focusedDescription(page)}`).toBe(true);
      // Shown while focused: inside the window, with a focus ring.
      const box = await skip.boundingBox();
      expect(box, 'skip link drawn').not.toBeNull();
      const viewport = page.viewportSize();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height).toBeLessThanOrEqual(viewport?.height ?? Infinity);
      expect(box!.width * box!.height).toBeGreaterThan(0);
      expect(await focusIsVisible(page), 'focus ring on the skip link').toBe(true);
      await axe('page load: skip link focused');
      await page.keyboard.press('Enter');
      await expect.poll(() => focusedHeading(page), POLL).toBe('Choose what to send');
      // From here on every new step takes the focus on its heading (step(): the export below, from "Review the selection").
    },
    TEST_TIMEOUT,
  );

  it(
    'every view passes axe before anything exists, in light and dark',
    async () => {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const name of ['Export', 'Import', 'Inbox', 'Channels', 'Verify', 'Quarantine', 'Keys', 'Audit log', 'Settings']) {
          await section(name);
          await visible().getByRole('heading').first().waitFor();
          await axe(`${scheme} view ${name} (empty station)`);
        }
      }
      await page.emulateMedia({ colorScheme: 'light' });
    },
    TEST_TIMEOUT,
  );

  it(
    'creates the station key by keyboard',
    async () => {
      await section('Keys');
      const form = page.getByRole('form', { name: 'Create the station key' });
      await typeInto(form.getByLabel('Station name'), 'Keyboard Station');
      await typeInto(form.getByLabel(/^Passphrase/), PASSPHRASE);
      await typeInto(form.getByLabel('Repeat passphrase'), PASSPHRASE);
      await axe('Keys: create form filled');
      await press('Create station key', form);
      await page.getByText('Station key created.').waitFor();
      await axe('Keys: station key created');
    },
    TEST_TIMEOUT,
  );

  it(
    'exports a bundle by keyboard, each step focused on its heading and clean under axe',
    async () => {
      await section('Export');
      app!.main.dialogs.exportSources = [join(dirs.src, 'notes.txt'), join(dirs.src, 'figures.csv')];
      await press('Add files…');
      await visible().getByRole('list', { name: 'Selected files and folders' }).getByText('figures.csv').waitFor();
      await axe('Export step 1 with a selection');
      await press('Next: review');
      await step('Review the selection');
      await visible().getByRole('table', { name: 'Selection' }).waitFor();
      await axe('Export step 2 with its table');
      await press('Next: destination');
      await step('Choose where the bundle goes');
      const destinations = visible().getByRole('radiogroup', { name: 'Destination' });
      await chooseRadio(page, destinations, destinations.getByRole('radio', { name: /A folder/u }));
      app!.main.dialogs.folder = dirs.out;
      await press('Choose folder…');
      await visible().getByLabel('Chosen folder').waitFor();
      await typeInto(visible().getByLabel('Bundle name (optional)'), 'keyboard-notes');
      await axe('Export step 3, folder chosen');
      await press('Next: sign');
      await step('Sign the bundle');
      await typeInto(visible().getByLabel('Station key passphrase'), PASSPHRASE);
      await press('Sign and write bundle');
      await step('Bundle written');
      await shot('export-result');
      expect(await readdir(dirs.out)).toContain('keyboard-notes.airlock.tar');
    },
    TEST_TIMEOUT,
  );

  it(
    'shows a long export’s progress step clean under axe and cancels it by keyboard',
    async () => {
      await press('Export something else');
      await step('Choose what to send');
      app!.main.dialogs.exportSources = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => join(dirs.big, `archive-${n}.bin`));
      await press('Add files…');
      await press('Next: review');
      await step('Review the selection');
      await visible().getByRole('table', { name: 'Selection' }).waitFor();
      await press('Next: destination');
      await step('Choose where the bundle goes');
      const destinations = visible().getByRole('radiogroup', { name: 'Destination' });
      await chooseRadio(page, destinations, destinations.getByRole('radio', { name: /A folder/u }));
      app!.main.dialogs.folder = dirs.bigOut;
      await press('Choose folder…');
      await visible().getByLabel('Chosen folder').waitFor();
      await press('Next: sign');
      await step('Sign the bundle');
      await typeInto(visible().getByLabel('Station key passphrase'), PASSPHRASE);
      await press('Sign and write bundle');
      await step('Writing the bundle');
      // Cancel at once, while the payload is hashed and written: that part runs at memory speed here
      // (one cached file, linked 8 times). Once the bundle is published its receipts are still being
      // written under the last phase's label, and a cancel then comes too late to undo the export, as
      // it must (CI saw exactly that when the cancel waited for an axe run first). The progress step
      // is checked by axe as it stands, with the cancel requested and once cancelled.
      await press('Cancel');
      await axe('Export step 5, writing, cancel requested');
      await visible().getByRole('alert').filter({ hasText: 'CANCELLED' }).waitFor();
      await shot('export-progress');
      await axe('Export step 5, cancelled');
      expect(await readdir(dirs.bigOut)).toEqual([]);
      await press('Start over');
      await step('Choose what to send');
    },
    TEST_TIMEOUT,
  );

  it(
    'verifies a bundle, a tampered bundle and the whole medium by keyboard',
    async () => {
      const bundle = join(dirs.out, 'keyboard-notes.airlock.tar');
      await section('Verify');
      app!.main.dialogs.bundle = bundle;
      await press('Choose bundle…');
      await visible().getByLabel('Chosen bundle').waitFor();
      await axe('Verify step 1, bundle chosen');
      await press('Verify bundle');
      await step('Bundle verified');
      await visible().getByRole('table', { name: 'Files checked' }).waitFor();
      await axe('Verify step 3, verified with files and policy');
      await shot('verify-verified');

      const bytes = await readFile(bundle);
      const at = bytes.indexOf(NOTES);
      bytes[at] = 'c'.charCodeAt(0);
      const tampered = join(base, 'tampered.airlock.tar');
      await writeFile(tampered, bytes);
      await press('Verify another bundle');
      await step('Choose the bundle');
      app!.main.dialogs.bundle = tampered;
      await press('Choose bundle…');
      await visible().getByLabel('Chosen bundle').waitFor();
      await press('Verify bundle');
      await step('Bundle rejected');
      await visible().getByRole('list', { name: 'Problems found' }).getByText('CHECKSUM_MISMATCH').waitFor();
      await axe('Verify step 3, rejected with problems');
      await shot('verify-rejected');

      // The whole medium: two bundles on it.
      await copyFile(bundle, join(dirs.medium, 'keyboard-notes.airlock.tar'));
      await press('Verify another bundle');
      await step('Choose the bundle');
      const mode = visible().locator('[aria-label="What to verify"]');
      await chooseRadio(page, mode, mode.getByRole('radio', { name: 'A whole medium' }));
      await visible().getByRole('heading', { name: 'Choose the medium' }).waitFor();
      const media = visible().getByRole('radiogroup', { name: 'Medium to verify' });
      await chooseRadio(page, media, media.getByRole('radio', { name: dirs.medium }));
      await axe('Verify medium step 1');
      await press('Verify medium');
      await step(/^Medium (verified|rejected)$/u);
      await visible().getByRole('table', { name: 'Bundles on the medium' }).waitFor();
      await axe('Verify medium report');
      await press('Verify something else');
      await step('Choose the medium');
    },
    TEST_TIMEOUT,
  );

  it(
    'imports from the medium by keyboard and keeps a refused bundle in quarantine',
    async () => {
      // A bundle the policy refuses for what it holds (an .exe), beside the good one on the medium.
      const station = await Station.open({ home: dirs.home });
      try {
        await writeFile(join(dirs.other, 'tool.exe'), Buffer.concat([Buffer.from('MZ'), Buffer.alloc(1024, 1)]));
        await station.exportBundle({ selection: [join(dirs.other, 'tool.exe')], outDir: dirs.medium, name: 'refused-tool', passphrase: PASSPHRASE });
      } finally {
        station.close();
      }
      await section('Import');
      await expect.poll(() => focusedHeading(page), POLL).toBe('Insert a medium');
      const media = visible().getByRole('radiogroup', { name: 'Medium', exact: true });
      await chooseRadio(page, media, media.getByRole('radio', { name: dirs.medium }));
      const bundles = visible().getByRole('radiogroup', { name: /^Bundles on .* \(2 bundles\)$/u });
      await chooseRadio(page, bundles, bundles.getByRole('radio', { name: 'keyboard-notes' }));
      await axe('Import step 1, medium and bundle chosen');
      await press('Verify bundle');
      await step('Bundle verified');
      await visible().getByRole('list', { name: 'Station policy checks' }).waitFor();
      await axe('Import step 3, verified');
      await press('Next: destination');
      await step('Choose where the files go');
      app!.main.dialogs.folder = dirs.dest;
      await press('Choose folder…');
      await visible().getByLabel('Chosen folder').waitFor();
      await axe('Import step 4, destination chosen');
      // The station has a key: its passphrase signs the import receipt (typed by keyboard like export's).
      await typeInto(visible().getByLabel('Station key passphrase'), PASSPHRASE);
      await press('Import');
      await step('Imported');
      await visible().locator('[data-receipt-signed="true"]').waitFor();
      await axe('Import step 6, imported');
      expect(await readFile(join(dirs.dest, 'keyboard-notes', 'notes.txt'), 'utf8')).toBe(NOTES);

      await press('Import another bundle');
      await step('Insert a medium');
      const again = visible().getByRole('radiogroup', { name: 'Medium', exact: true });
      await chooseRadio(page, again, again.getByRole('radio', { name: dirs.medium }));
      const listed = visible().getByRole('radiogroup', { name: /^Bundles on .* \(2 bundles\)$/u });
      await chooseRadio(page, listed, listed.getByRole('radio', { name: 'refused-tool' }));
      await press('Verify bundle');
      await step(/^Bundle (verified|rejected)$/u);
      await axe('Import step 3, refused for what it holds');
      await press('Next: keep it in quarantine');
      await step('Keep it in quarantine');
      await axe('Import step 4, keep in quarantine');
      // The button stays disabled (and so out of the Tab order) until a destination is chosen.
      await press('Choose folder…');
      await visible().getByLabel('Chosen folder').waitFor();
      await press('Import and keep in quarantine');
      await step(/^(Imported|Nothing was imported)$/u);
      await visible().locator('[data-quarantine-id]').waitFor();
      await axe('Import step 6, kept in quarantine');
      await press('Open the quarantine');
      await expect.poll(() => visible().getAttribute('aria-label'), POLL).toBe('Quarantine');
      const row = visible().getByRole('table', { name: 'Quarantined bundles' }).locator('tbody tr');
      await expect.poll(() => row.count(), POLL).toBe(1);
      await axe('Quarantine view with one bundle');
      await press(/^Open refused-tool/u);
      await visible().getByTestId('quarantine-details').getByRole('table', { name: 'Quarantined bundle' }).waitFor();
      await axe('Quarantine details with release and purge forms');
      await shot('quarantine-details');
    },
    TEST_TIMEOUT,
  );

  it(
    'trusts another station’s key through the wizard by keyboard',
    async () => {
      const other = await Station.open({ home: join(base, 'other-home') });
      const key = await other.generateKey({ name: 'Lab B Diode <diode@lab-b.example>', passphrase: 'x' });
      await writeFile(join(base, 'lab-b.asc'), await other.exportPublicKey());
      other.close();
      await section('Keys');
      app!.main.dialogs.keyFile = join(base, 'lab-b.asc');
      await press('Choose key file…');
      const panel = page.getByLabel('Key to trust');
      await panel.getByLabel(`Fingerprint ${groupFingerprint(key.fingerprint)}`).waitFor();
      await axe('Keys: trust wizard open');
      await typeInto(panel.getByLabel(/Type the fingerprint/u), groupFingerprint(key.fingerprint));
      await panel.getByText('The fingerprint you typed matches the key.').waitFor();
      await axe('Keys: trust wizard, fingerprint matches');
      await press('Trust this key', panel);
      await page.getByText('Now trusted: Lab B Diode <diode@lab-b.example>').waitFor();
      await axe('Keys: two trusted signers');
      // The confirmation dialog: axe with it open, the focus inside it, Escape closes it.
      await press(/^Stop trusting Lab B Diode/u);
      const dialog = page.getByRole('dialog', { name: 'Stop trusting this signer?' });
      await dialog.waitFor();
      await expect.poll(() => dialog.evaluate((d) => d.contains(document.activeElement)), POLL).toBe(true);
      await axe('Keys: stop-trusting dialog open');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    },
    TEST_TIMEOUT,
  );

  it(
    'the views with content pass axe in light and dark: Audit, Inbox, Settings, Quarantine, Keys',
    async () => {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await section('Audit log');
        await expect.poll(() => visible().getByRole('table', { name: 'Audit events' }).locator('tbody tr').count(), POLL).toBeGreaterThan(5);
        await visible().getByRole('status').filter({ hasText: 'Chain intact' }).waitFor();
        await axe(`${scheme} Audit log with events`);
        for (const name of ['Inbox', 'Settings', 'Quarantine', 'Keys', 'Export', 'Import', 'Verify']) {
          await section(name);
          await axe(`${scheme} view ${name}`);
        }
      }
      await page.emulateMedia({ colorScheme: 'light' });
    },
    TEST_TIMEOUT,
  );
});
