/**
 * The app's counterparts of the CLI's two-person exports (`export --prepare`, `approve`,
 * `export --finish`), `audit checkpoint` and `audit verify`, end to end in Debian's Chromium: the
 * built renderer against the real main-process handlers, a real Station and real job workers.
 * The operator stages an export from the Export flow; the Staged exports view lists it with who
 * prepared it; a second person approves it with their own key file (the preparer's key is refused
 * first, with its code and next step); finish writes the bundle with both signatures to the folder
 * main's dialog names; the Audit view checks the chain as a job and signs a checkpoint. axe finds
 * no serious or critical violation on the new screens. Screenshots: test-results/e2e/two-person-*.png.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Station } from '../../electron/core/index.js';
import { openApp, type AppUnderTest } from './harness/app.js';
import { blockingViolations, describeFindings } from './harness/axe.js';
import { chromiumAvailable } from './harness/launch-chromium.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = join(repo, 'test-results', 'e2e');
const PASSPHRASE = 'e2e two-person operator';
const REVIEWER_PASSPHRASE = 'e2e two-person reviewer';
/** Each wait is for an event; the bound is generous for a loaded 2-core machine. */
const STEP = 60_000;
const POLL = { timeout: STEP, interval: 100 };
const TEST_TIMEOUT = 5 * STEP;

let base: string;
let app: AppUnderTest | undefined;
let page: Page;
const dirs = { home: '', reviewer: '', payload: '', out: '' };
let reviewerKey = '';

const visible = () => page.locator('main section:not([hidden])');
async function section(name: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Sections' })
    .getByRole('button', { name: new RegExp(`^${name}`, 'u') })
    .click();
  await expect.poll(() => visible().getAttribute('aria-label'), POLL).toBe(name);
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
async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `two-person-${name}.png`), fullPage: true });
}

describe.skipIf(!chromiumAvailable && !process.env['CI'])('two-person exports, audit check and checkpoint in the app (Debian Chromium)', () => {
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'airlock-e2e-two-person-'));
    for (const key of Object.keys(dirs) as Array<keyof typeof dirs>) {
      dirs[key] = join(base, key);
      await mkdir(dirs[key], { recursive: true });
    }
    await mkdir(SHOTS, { recursive: true });
    await writeFile(join(dirs.payload, 'plan.txt'), 'the plan\n');
    await writeFile(join(dirs.payload, 'data.bin'), Buffer.alloc(40_000, 3));
    const station = await Station.open({ home: dirs.home, operator: 'Olga' });
    await station.generateKey({ name: 'Transfer Station 2P', passphrase: PASSPHRASE });
    station.close();
    // The second person's own key file (what `approve --key FILE` takes).
    const reviewer = await Station.open({ home: dirs.reviewer });
    await reviewer.generateKey({ name: 'Reviewer Rafael', passphrase: REVIEWER_PASSPHRASE });
    reviewer.close();
    reviewerKey = join(dirs.reviewer, 'keys', 'station-key.private.asc');
    app = await openApp({ home: dirs.home, rendererDir: join(base, 'renderer'), stepMs: STEP });
    page = app.page;
  }, TEST_TIMEOUT);

  afterAll(async () => {
    await app?.close();
    if (base) await rm(base, { recursive: true, force: true });
  });

  it(
    'stages an export, approves it with a second key after the preparer’s is refused, and finishes it to a folder',
    async () => {
      const main = app!.main;
      main.dialogs.exportSources = [dirs.payload];
      await section('Export');
      await visible().getByRole('button', { name: 'Add folders…' }).click();
      await visible().getByRole('button', { name: 'Next: review' }).click();
      await visible().getByRole('button', { name: 'Next: destination' }).click();
      await visible()
        .getByRole('radio', { name: /^Stage for a second signature/u })
        .check();
      await visible()
        .getByLabel(/^Bundle name/u)
        .fill('e2e-two');
      await axe('Export destination with staging chosen');
      await visible().getByRole('button', { name: 'Next: sign' }).click();
      await visible().getByRole('textbox', { name: 'Station key passphrase', exact: true }).fill(PASSPHRASE);
      await visible().getByRole('button', { name: 'Sign and stage for approval' }).click();
      await visible().getByRole('heading', { name: 'Prepared for a second signature' }).waitFor();
      expect(await visible().getByRole('list', { name: 'Files to be signed' }).textContent()).toContain('data/payload/plan.txt');
      await axe('Export: prepared');
      await shot('prepared');
      expect(await readdir(dirs.out)).toEqual([]);

      await visible().getByRole('button', { name: 'Open Staged exports' }).click();
      await expect.poll(() => visible().getAttribute('aria-label'), POLL).toBe('Staged exports');
      const row = visible().locator('tr[data-staged="e2e-two"]');
      await expect.poll(() => row.textContent(), POLL).toContain('Transfer Station 2P');
      expect(await row.textContent()).toContain('Waiting for a second signature');
      await axe('Staged exports list');
      await shot('list');

      // The preparer's own key cannot approve: core's rule, shown with its code and next step.
      await row.getByRole('button', { name: 'Review and approve e2e-two' }).click();
      const form = visible().getByTestId('approve-form');
      await form.getByTestId('staged-summary').waitFor();
      await form.getByLabel('Station key passphrase').fill(PASSPHRASE);
      await form.getByLabel(/^Type the bundle’s name/u).fill('e2e-two');
      await axe('Approve form filled');
      await form.getByRole('button', { name: 'Approve and sign' }).click();
      const refused = form.getByRole('alert');
      await refused.waitFor();
      expect(await refused.getAttribute('data-error-code')).toBe('USAGE');
      expect(await refused.textContent()).toContain('different person');
      await shot('approve-refused');

      main.dialogs.files = [reviewerKey];
      await form.getByRole('radio', { name: 'My own private key file' }).check();
      await form.getByRole('button', { name: 'Choose key file…' }).click();
      await form.getByText(reviewerKey).waitFor();
      await form.getByLabel('Passphrase of the key file').fill(REVIEWER_PASSPHRASE);
      await form.getByRole('button', { name: 'Approve and sign' }).click();
      const approved = visible().getByRole('status').filter({ hasText: 'Approved e2e-two: 2 signatures' });
      await approved.waitFor();
      expect(main.dialogs.filePurposes).toContain('signing-key');
      await approved.getByRole('button', { name: 'Back to the list' }).click();
      await expect.poll(() => row.textContent(), POLL).toContain('by Reviewer Rafael');

      main.dialogs.folder = dirs.out;
      await row.getByRole('button', { name: 'Finish e2e-two' }).click();
      const finish = visible().getByTestId('finish-form');
      await finish.getByRole('radio', { name: /Destination folder/u }).click();
      await finish.getByRole('button', { name: 'Choose folder…' }).click();
      await finish.getByText(dirs.out).waitFor();
      await finish.getByLabel(/^Station key passphrase/u).fill(PASSPHRASE);
      await axe('Finish form');
      await finish.getByRole('button', { name: 'Write the bundle' }).click();
      await visible().getByRole('heading', { name: 'Bundle written' }).waitFor();
      // Both signatures are in the bundle's one .asc, as the result lists its signers.
      const written = (await visible().textContent()) ?? '';
      expect(written).toContain('Transfer Station 2P');
      expect(written).toContain('Reviewer Rafael');
      await shot('finished');
      expect((await readdir(dirs.out)).filter((f) => f.endsWith('.airlock.tar'))).toEqual(['e2e-two.airlock.tar']);
      const station = await Station.open({ home: dirs.home });
      try {
        expect(await station.listStaged()).toEqual([]);
        expect(
          station
            .listAudit({ limit: 10 })
            .map((e) => `${e.type}:${e.outcome}`)
            .slice(0, 5),
        ).toEqual(['export:ok', 'export-approve:ok', 'export-approve:failed', 'export-prepare:ok', 'key-generate:ok']);
      } finally {
        station.close();
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'checks the audit chain as a job and signs a checkpoint the next check counts',
    async () => {
      await section('Audit log');
      const check = visible().getByRole('region', { name: 'Audit chain check' });
      await check.getByRole('status').filter({ hasText: 'Chain intact' }).waitFor();
      const form = visible().getByRole('form', { name: 'Sign a checkpoint now' });
      await form.getByRole('button', { name: 'Sign a checkpoint…' }).click();
      await form.getByLabel('Station key passphrase').fill('not the passphrase');
      await form.getByRole('button', { name: 'Sign the head of the log' }).click();
      const wrong = form.getByRole('alert');
      await wrong.waitFor();
      expect(await wrong.getAttribute('data-error-code')).toBe('PASSPHRASE_WRONG');
      await form.getByLabel('Station key passphrase').fill(PASSPHRASE);
      await form.getByRole('button', { name: 'Sign the head of the log' }).click();
      // Signed: the passphrase field is gone again (the view stays mounted while hidden).
      await expect.poll(() => form.getByLabel('Station key passphrase').count(), POLL).toBe(0);
      const signed = form.getByRole('status').filter({ hasText: /^Signed the head: event #\d+/u });
      await signed.waitFor();
      const seq = /#(\d+)/u.exec((await signed.textContent()) ?? '')?.[1];
      await expect.poll(() => check.getByRole('status').filter({ hasText: 'Chain intact' }).textContent(), POLL).toContain(`the latest covers event #${seq}`);
      await axe('Audit log: checked and signed');
      await shot('audit');
    },
    TEST_TIMEOUT,
  );
});
