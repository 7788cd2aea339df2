/**
 * The Keys view's counterparts of the CLI's `keys export-public`, `backup`, `rotate`,
 * `revoke-import` and `restore`, end to end in Debian's Chromium: the built renderer against the
 * real main-process handlers over real Stations in temp homes. Files are written only where the
 * (stubbed) native save dialog says; a wrong passphrase shows its code and next step and changes
 * nothing; rotate shows both fingerprints and the hint, and the list marks the retired key; a
 * revocation marks the signer revoked; the backup restores into a second home that has no key.
 * axe finds no serious or critical violation in the dialogs. Screenshots: test-results/e2e/keys-*.png.
 */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupFingerprint } from '../../shared/fingerprint.js';
import { Station } from '../../electron/core/index.js';
import type { Dispatch } from '../../electron/main/ipc/dispatch.js';
import { openApp, type AppUnderTest } from './harness/app.js';
import { blockingViolations, describeFindings } from './harness/axe.js';
import { chromiumAvailable } from './harness/launch-chromium.js';
import { startRealMain, type RealMain } from './harness/real-main.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = join(repo, 'test-results', 'e2e');
const PASSPHRASE = 'e2e keys passphrase';
const NEW_PASSPHRASE = 'e2e keys passphrase, rotated';
/** Each wait is for an event and returns the moment it happens; the bound is generous for a loaded 2-core machine. */
const STEP = 60_000;
const POLL = { timeout: STEP, interval: 100 };
const TEST_TIMEOUT = 5 * STEP;

let base: string;
let app: AppUnderTest | undefined;
let page: Page;
/** The station under test, and a second one with no key (for restore); the page talks to `current`. */
let main: RealMain;
let fresh: RealMain;
let current: RealMain;
const dirs = { home: '', freshHome: '', sender: '', saved: '' };
let originalFingerprint = '';
let senderFingerprint = '';

async function shot(name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, `keys-${name}.png`), fullPage: true });
}

async function keysView(): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /^Keys/ }).click();
  await page.getByRole('heading', { name: 'Keys', level: 2 }).waitFor();
}

async function axe(where: string): Promise<void> {
  // Measured at rest: a dialog fading in blends its colours with the overlay.
  await page.waitForFunction(
    () => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
    undefined,
    {
      timeout: 10_000,
    },
  );
  expect(describeFindings(where, await blockingViolations(page))).toBe('');
}

async function trusted(home: string) {
  const station = await Station.open({ home });
  try {
    return await station.listTrusted();
  } finally {
    station.close();
  }
}

describe.skipIf(!chromiumAvailable && !process.env['CI'])('Keys view: rotate, export, backup, restore, revoke-import (Debian Chromium)', () => {
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'airlock-e2e-keys-'));
    for (const key of Object.keys(dirs) as Array<keyof typeof dirs>) {
      dirs[key] = join(base, key);
      await mkdir(dirs[key], { recursive: true });
    }
    await mkdir(SHOTS, { recursive: true });
    // A sender whose key this station trusts (and whose revocation it will import later).
    const sender = await Station.open({ home: dirs.sender });
    senderFingerprint = (await sender.generateKey({ name: 'Lab B Diode', passphrase: 'x' })).fingerprint;
    await writeFile(join(base, 'lab-b.asc'), await sender.exportPublicKey());
    sender.close();
    const station = await Station.open({ home: dirs.home });
    originalFingerprint = (await station.generateKey({ name: 'Transfer Station 3', passphrase: PASSPHRASE })).fingerprint;
    await station.trustKeyFile(join(base, 'lab-b.asc'), { expectedFingerprint: senderFingerprint, label: 'Lab B diode' });
    station.close();

    // The page talks to whichever station `current` names (the restore test switches to `fresh`).
    const dispatch: Dispatch = (method, frame, request) => current.dispatch(method, frame, request);
    app = await openApp({ home: dirs.home, rendererDir: join(base, 'renderer'), stepMs: STEP, dispatch: () => dispatch });
    ({ page, main } = app);
    current = main;
    fresh = startRealMain({ home: dirs.freshHome, trustedOrigin: app.origin, onEvent: () => undefined });
  }, TEST_TIMEOUT);

  afterAll(async () => {
    await fresh?.jobHost.shutdown();
    await app?.close();
    if (base) await rm(base, { recursive: true, force: true });
  });

  it(
    'exports the station’s and a signer’s public key where main’s save dialog says',
    async () => {
      await keysView();
      await page.getByLabel('Station key', { exact: true }).waitFor();
      main.dialogs.keySaveFile = join(dirs.saved, 'station.asc');
      await page.getByRole('button', { name: 'Export public key…' }).click();
      await page.getByText(`Saved the public key to ${join(dirs.saved, 'station.asc')}`).waitFor();
      const station = await Station.open({ home: dirs.home });
      const armored = await station.exportPublicKey();
      station.close();
      expect(await readFile(join(dirs.saved, 'station.asc'), 'utf8')).toBe(armored);

      main.dialogs.keySaveFile = join(dirs.saved, 'lab-b.asc');
      await page.getByRole('button', { name: 'Export the public key of Lab B Diode' }).click();
      await page.getByText(`Saved the public key of Lab B Diode to ${join(dirs.saved, 'lab-b.asc')}.`).waitFor();
      expect(await readFile(join(dirs.saved, 'lab-b.asc'), 'utf8')).toBe(await readFile(join(base, 'lab-b.asc'), 'utf8'));
      expect(main.dialogs.keySaves).toEqual([
        { purpose: 'public-key', defaultName: 'station.asc' },
        { purpose: 'public-key', defaultName: `signer-${senderFingerprint.slice(0, 16)}.asc` },
      ]);
    },
    TEST_TIMEOUT,
  );

  it(
    'backs up the key: a wrong passphrase shows its next step and opens no dialog; the right one writes the file',
    async () => {
      const file = join(dirs.saved, 'station-key.backup.asc');
      main.dialogs.keySaveFile = file;
      main.dialogs.keySaves.length = 0;
      await page.getByRole('button', { name: 'Back up key…' }).click();
      const form = page.getByRole('form', { name: 'Back up the station key' });
      await form.getByLabel('Station key passphrase').fill('not the passphrase');
      await form.getByRole('button', { name: 'Choose where to save…' }).click();
      const alert = form.getByRole('alert');
      await alert.waitFor();
      expect(await alert.getAttribute('data-error-code')).toBe('PASSPHRASE_WRONG');
      expect(await alert.textContent()).toContain('Next:');
      expect(main.dialogs.keySaves).toEqual([]);
      await axe('Keys: backup dialog with an error');
      await shot('backup-wrong');
      await form.getByLabel('Station key passphrase').fill(PASSPHRASE);
      await form.getByRole('button', { name: 'Choose where to save…' }).click();
      await page.getByText(`Wrote ${file} (mode 0600).`, { exact: false }).waitFor();
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(await readFile(file, 'utf8')).toContain('Airlock station key backup v1');
      expect(main.dialogs.keySaves).toEqual([{ purpose: 'key-backup', defaultName: 'station-key-backup.airlock' }]);
    },
    TEST_TIMEOUT,
  );

  it(
    'rotates the key: the retired and new fingerprints and the hint, the retired key still listed',
    async () => {
      await page.getByRole('button', { name: 'Rotate key…' }).click();
      const form = page.getByRole('form', { name: 'Rotate the station key' });
      await form.getByLabel('Name for the new key').fill('Transfer Station 3 (2027)');
      await form.getByLabel('Current passphrase').fill(PASSPHRASE);
      await form.getByLabel(/^New passphrase/).fill(NEW_PASSPHRASE);
      await form.getByLabel('Repeat new passphrase').fill(NEW_PASSPHRASE);
      await axe('Keys: rotate dialog filled');
      await shot('rotate-form');
      await form.getByRole('button', { name: 'Retire the current key and create a new one' }).click();
      const outcome = page.getByRole('status').filter({ hasText: 'New station key created' });
      await outcome.waitFor();
      const signers = await trusted(dirs.home);
      const retired = signers.find((s) => s.fingerprint === originalFingerprint);
      const now = signers.find((s) => s.role === 'station' && !s.retiredAt);
      expect(retired?.retiredAt).toEqual(expect.any(String));
      expect(now?.fingerprint).not.toBe(originalFingerprint);
      await outcome.getByLabel(`Fingerprint ${groupFingerprint(originalFingerprint)}`).waitFor();
      await outcome.getByLabel(`Fingerprint ${groupFingerprint(now?.fingerprint ?? '')}`).waitFor();
      expect(await outcome.textContent()).toContain('Give receiving stations the new public key');
      // The card shows the new key; the table keeps the old one, marked retired.
      await page
        .getByLabel('Station key', { exact: true })
        .getByLabel(`Fingerprint ${groupFingerprint(now?.fingerprint ?? '')}`)
        .waitFor();
      const table = page.getByRole('table', { name: 'Trusted signers' });
      await expect.poll(() => table.textContent(), POLL).toContain('retired station key');
      await axe('Keys: rotated');
      await shot('rotated');
    },
    TEST_TIMEOUT,
  );

  it(
    'imports a revocation certificate on a second click and marks the signer revoked',
    async () => {
      main.dialogs.files = [join(dirs.sender, 'keys', 'station-key.revocation.asc')];
      await page.getByRole('button', { name: 'Choose revocation certificate…' }).click();
      await page.getByText(`Certificate: ${main.dialogs.files[0] ?? ''}`).waitFor();
      expect((await trusted(dirs.home)).find((s) => s.fingerprint === senderFingerprint)?.revokedAt).toBeUndefined();
      await page.getByRole('button', { name: 'Apply the revocation' }).click();
      await page.getByText('REVOKED Lab B Diode: no signature by it is accepted any more.').waitFor();
      expect((await trusted(dirs.home)).find((s) => s.fingerprint === senderFingerprint)?.revokedAt).toEqual(expect.any(String));
      const row = page.getByRole('table', { name: 'Trusted signers' }).getByRole('row').filter({ hasText: 'Lab B Diode' });
      await row.getByText('revoked', { exact: true }).waitFor();
      expect(main.dialogs.filePurposes).toContain('revocation');
      await shot('revoked');
    },
    TEST_TIMEOUT,
  );

  it(
    'restores the backup into a station that has no key',
    async () => {
      current = fresh;
      await page.reload();
      await keysView();
      const form = page.getByRole('form', { name: 'Restore from a backup' });
      fresh.dialogs.files = [join(dirs.saved, 'station-key.backup.asc')];
      await form.getByRole('button', { name: 'Choose backup file…' }).click();
      await form.getByText(`Backup file: ${fresh.dialogs.files[0] ?? ''}`).waitFor();
      await form.getByLabel('The key’s passphrase').fill('wrong');
      await form.getByRole('button', { name: 'Restore station key' }).click();
      expect(await form.getByRole('alert').getAttribute('data-error-code')).toBe('PASSPHRASE_WRONG');
      await axe('Keys: restore with an error');
      await form.getByLabel('The key’s passphrase').fill(PASSPHRASE);
      await form.getByRole('button', { name: 'Restore station key' }).click();
      await page.getByText('Restored the station key Transfer Station 3.').waitFor();
      // The backup was taken before the rotate: it holds the original key.
      await page
        .getByLabel('Station key', { exact: true })
        .getByLabel(`Fingerprint ${groupFingerprint(originalFingerprint)}`)
        .waitFor();
      expect(fresh.dialogs.filePurposes).toEqual(['key-backup']);
      await shot('restored');
    },
    TEST_TIMEOUT,
  );
});
