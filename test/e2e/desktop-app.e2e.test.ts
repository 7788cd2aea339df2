/**
 * End to end in Debian's Chromium (docs/design.md §5): the built renderer, served over HTTP on
 * 127.0.0.1 and loaded with page.goto, talks through window.airlock (built by the same code as
 * the preload's) to the real main-process handlers, a real Station in a temp home and the real
 * job host. Export -> verify -> import of a real bundle (its per-file results and policy checks
 * shown before the destination), a tampered bundle rejected with its reason (the tampered file
 * named in the per-file table with CHECKSUM_MISMATCH, the policy section beside it), a cancel
 * during a long export that leaves nothing behind, the audit log of all that
 * (search, chain verification, CSV export checked against the log), a settings change whose
 * operator name the next event carries, then the media flows on a folder declared as a medium
 * (export with read-back, verify the whole medium, import from it). Screenshots of each step land
 * in test-results/e2e/.
 */
import { link, mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupFingerprint } from '../../shared/fingerprint.js';
import { Station } from '../../electron/core/index.js';
import { openApp, type AppUnderTest } from './harness/app.js';
import { chromiumAvailable } from './harness/launch-chromium.js';
import type { RealMain } from './harness/real-main.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = join(repo, 'test-results', 'e2e');
const PASSPHRASE = 'e2e passphrase, never stored';
const REPORT_TEXT = 'The quarterly report, version 1.\n';
/**
 * How long a step may wait for the page. Every wait here is for an event (a heading or a row
 * appears, a job's result arrives) and returns the moment it happens; the bound only says when to
 * give up. A real export, verify or read-back of 512 MiB on a busy 2-core machine takes several
 * times as long as on an idle one, so the bound is generous: it makes a failure slower to report,
 * never a pass easier. Each test's own limit is a multiple of it, so a wait, not the test, times out.
 */
const STEP = 60_000;
/** A job that moves the 512 MiB file (hash, write, read back): three passes over it. */
const LONG_STEP = 3 * STEP;
/** expect.poll's own default gives up after one second, which a loaded machine can spend on one evaluate(). */
const POLL = { timeout: STEP, interval: 100 };
const TEST_TIMEOUT = 5 * STEP;
const LONG_TEST_TIMEOUT = 3 * LONG_STEP + TEST_TIMEOUT;

let base: string;
let app: AppUnderTest | undefined;
let page: Page;
let main: RealMain;
const dirs = { home: '', src: '', out: '', dest: '', big: '', bigOut: '', medium: '', mediaDest: '' };
/** Every progress phase main has sent to the page, in order: a phase can be over before the page paints it. */
const phasesSeen: string[] = [];

async function shot(name: string): Promise<void> {
  // A full-page capture of a scrolled page draws the fixed header mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function section(name: RegExp): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name }).click();
}

/** RFC 4180 CSV as the audit export writes it: every field quoted or empty, CRLF between records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else field += c;
  }
  return records;
}

async function auditRowSeqs(): Promise<number[]> {
  const rows = page.getByRole('table', { name: 'Audit events' }).locator('tbody tr');
  return (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-seq')))).map(Number);
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

describe.skipIf(!chromiumAvailable && !process.env['CI'])('desktop app end to end (Debian Chromium)', () => {
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'airlock-e2e-'));
    for (const key of Object.keys(dirs) as Array<keyof typeof dirs>) {
      dirs[key] = join(base, key);
      await mkdir(dirs[key], { recursive: true });
    }
    await mkdir(join(dirs.src, 'reports'), { recursive: true });
    await writeFile(join(dirs.src, 'reports', 'q3.txt'), REPORT_TEXT);
    await writeFile(join(dirs.src, 'reports', 'figures.csv'), 'quarter,total\nq3,42\n');
    await writeFile(join(dirs.src, 'notes.txt'), 'Carry across on Tuesday.\n');
    await filledFile(join(dirs.big, 'archive.bin'), 512 << 20);
    // The cancel test exports these: four names for the same 512 MiB (hard links), 2 GiB of work
    // from one file's disk space, so the export is still running when Cancel is clicked.
    await mkdir(join(dirs.big, 'long'));
    for (const n of [1, 2, 3, 4]) await link(join(dirs.big, 'archive.bin'), join(dirs.big, 'long', `archive-${n}.bin`));
    await mkdir(SHOTS, { recursive: true });
    // A folder declared as a medium (config.json mediaRoots): the app lists it like a USB stick.
    await writeFile(join(dirs.home, 'config.json'), JSON.stringify({ mediaRoots: [dirs.medium] }));

    app = await openApp({
      home: dirs.home,
      rendererDir: join(base, 'renderer'),
      stepMs: STEP,
      onEvent: (event) => {
        if (event.type === 'progress') phasesSeen.push(event.progress.phase);
      },
    });
    ({ page, main } = app);
  }, TEST_TIMEOUT);

  afterAll(async () => {
    await app?.close();
    if (base) await rm(base, { recursive: true, force: true });
  });

  it(
    'loads the built page with window.airlock and no errors',
    async () => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.reload();
      await expect.poll(() => page.evaluate(() => typeof window.airlock?.stationStatus), POLL).toBe('function');
      await page.getByRole('heading', { name: 'Choose what to send' }).waitFor();
      expect(errors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'creates the station key in the Keys view',
    async () => {
      await section(/^Keys/);
      const form = page.getByRole('form', { name: 'Create the station key' });
      await form.getByLabel('Station name').fill('Transfer Station 3');
      await form.getByLabel(/^Passphrase/).fill(PASSPHRASE);
      await form.getByLabel('Repeat passphrase').fill(PASSPHRASE);
      await shot('01-keys-create');
      await form.getByRole('button', { name: 'Create station key' }).click();
      await page.getByLabel('Station key').waitFor();
      await page.getByText('Station key created.').waitFor();
    },
    TEST_TIMEOUT,
  );

  it(
    'exports a real bundle step by step',
    async () => {
      await section(/^Export/);
      main.dialogs.exportSources = [join(dirs.src, 'reports'), join(dirs.src, 'notes.txt')];
      await page.getByRole('button', { name: 'Add folders…' }).click();
      await page.getByRole('list', { name: 'Selected files and folders' }).getByText('notes.txt').waitFor();
      await shot('02-export-sources');
      await page.getByRole('button', { name: 'Next: review' }).click();
      await page.getByRole('table', { name: 'Selection' }).waitFor();
      await expect.poll(() => page.getByRole('table', { name: 'Selection' }).textContent(), POLL).toContain('3');
      await shot('03-export-review');
      await page.getByRole('button', { name: 'Next: destination' }).click();
      await page.getByRole('radio', { name: /A folder/ }).check();
      main.dialogs.folder = dirs.out;
      await page.getByRole('button', { name: 'Choose folder…' }).click();
      await page.getByLabel('Chosen folder').waitFor();
      await page.getByLabel('Bundle name (optional)').fill('weekly-reports');
      await shot('04-export-destination');
      await page.getByRole('button', { name: 'Next: sign' }).click();
      await page.getByLabel('Station key passphrase').fill(PASSPHRASE);
      await shot('05-export-sign');
      await page.getByRole('button', { name: 'Sign and write bundle' }).click();
      await page.getByRole('heading', { name: 'Bundle written' }).waitFor();
      await shot('07-export-result');

      const result = await page.getByRole('table', { name: 'Export result' }).textContent();
      expect(result).toContain(join(dirs.out, 'weekly-reports.airlock.tar'));
      expect(result).toContain('3 files');
      // Beside the bundle core may write the signed transfer receipt; no temp file is left.
      const written = await readdir(dirs.out);
      expect(written).toContain('weekly-reports.airlock.tar');
      expect(written.filter((f) => f.endsWith('.partial'))).toEqual([]);
      const station = await Station.open({ home: dirs.home });
      const own = (await station.listTrusted()).find((s) => s.role === 'station');
      station.close();
      expect(result).toContain(groupFingerprint(own?.fingerprint ?? 'missing'));
      // The passphrase went to the worker and nowhere else.
      expect(await page.content()).not.toContain(PASSPHRASE);
    },
    TEST_TIMEOUT,
  );

  it(
    'verifies the bundle without importing',
    async () => {
      await section(/^Verify/);
      main.dialogs.bundle = join(dirs.out, 'weekly-reports.airlock.tar');
      await page.getByRole('button', { name: 'Choose bundle…' }).click();
      await page.getByRole('button', { name: 'Verify bundle' }).click();
      await page.getByRole('heading', { name: 'Bundle verified' }).waitFor();
      await expect.poll(() => page.getByRole('table', { name: 'Bundle facts' }).textContent(), POLL).toContain('every checksum matches');
      await page.getByLabel(/^Signer Transfer Station 3/).waitFor();
      await shot('08-verify-verified');
      expect(await readdir(dirs.dest)).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'imports the bundle and the files arrive intact',
    async () => {
      await section(/^Import/);
      main.dialogs.bundle = join(dirs.out, 'weekly-reports.airlock.tar');
      await page.getByRole('button', { name: 'Choose bundle…' }).click();
      await page.getByRole('button', { name: 'Verify bundle' }).click();
      // Step 3, before any destination: signer card, every file's outcome, each policy check.
      const importing = page.locator('section[aria-label="Import"]');
      await importing.getByRole('heading', { name: 'Bundle verified' }).waitFor();
      await importing.getByLabel(/^Signer Transfer Station 3/).waitFor();
      const files = importing.getByRole('table', { name: 'Files checked' });
      await expect.poll(() => files.locator('tbody tr').count(), POLL).toBe(3);
      expect(await files.textContent()).toContain('data/reports/q3.txt');
      expect(await files.locator('tbody tr[data-outcome="ok"]').count()).toBe(3);
      const policy = importing.getByRole('list', { name: 'Station policy checks' });
      expect(await policy.getByRole('listitem').count()).toBe(9);
      expect(await policy.locator('[data-outcome="pass"]').count()).toBe(9);
      await importing.getByLabel('Not already imported (replay guard): Pass').waitFor();
      expect(await importing.getByRole('heading', { name: 'Choose where the files go' }).count()).toBe(0);
      await shot('09a-import-report-files-policy');
      await page.getByRole('button', { name: 'Next: destination' }).click();
      main.dialogs.folder = dirs.dest;
      await page.getByRole('button', { name: 'Choose folder…' }).click();
      await page.getByLabel('Chosen folder').waitFor();
      // The station has a key: its passphrase signs the import receipt set (issue #19).
      await importing.getByLabel('Station key passphrase').fill(PASSPHRASE);
      await shot('09-import-destination');
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.getByRole('heading', { name: 'Imported', exact: true }).waitFor();
      await importing.locator('[data-receipt-signed="true"]').waitFor();
      await shot('10-import-result');
      const receipts = (await readdir(dirs.dest)).filter((f) => f.includes('.import-receipt.'));
      expect(
        receipts
          .filter((f) => f.endsWith('.asc'))
          .map((f) => f.replace(/^.*\.import-receipt\./u, ''))
          .sort(),
      ).toEqual(['json.asc', 'pdf.asc']);
      const target = join(dirs.dest, 'weekly-reports');
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'Files imported to' }).textContent(), POLL).toContain(target);
      expect(await readFile(join(target, 'reports', 'q3.txt'), 'utf8')).toBe(REPORT_TEXT);
      expect((await readdir(target)).sort()).toEqual(['notes.txt', 'reports']);
    },
    TEST_TIMEOUT,
  );

  it(
    'rejects a tampered bundle and says why and what to do',
    async () => {
      const bundle = await readFile(join(dirs.out, 'weekly-reports.airlock.tar'));
      const at = bundle.indexOf(REPORT_TEXT);
      expect(at).toBeGreaterThan(0);
      bundle[at + 4] = 'Q'.charCodeAt(0); // "The quarterly" -> "The Quarterly": same size, different bytes
      const tampered = join(base, 'tampered.airlock.tar');
      await writeFile(tampered, bundle);

      await section(/^Verify/);
      await page.getByRole('button', { name: 'Verify another bundle' }).click();
      main.dialogs.bundle = tampered;
      await page.getByRole('button', { name: 'Choose bundle…' }).click();
      await page.getByRole('button', { name: 'Verify bundle' }).click();
      await page.getByRole('heading', { name: 'Bundle rejected' }).waitFor();
      const problems = page.getByRole('list', { name: 'Problems found' });
      await expect.poll(() => problems.textContent(), POLL).toContain('CHECKSUM_MISMATCH');
      expect(await problems.textContent()).toContain('data/reports/q3.txt');
      expect(await problems.textContent()).toContain('Next: Do not import it.');
      // The per-file table opens on the problems: the tampered file, by name, with its code.
      const verifying = page.locator('section[aria-label="Verify"]');
      const files = verifying.getByRole('table', { name: 'Files checked' });
      const bad = files.locator('tbody tr[data-outcome="checksum-mismatch"]');
      await expect.poll(() => bad.count(), POLL).toBe(1);
      expect(await bad.textContent()).toContain('data/reports/q3.txt');
      expect(await bad.textContent()).toContain('CHECKSUM_MISMATCH');
      expect(await files.locator('tbody tr').count()).toBe(1);
      expect(await verifying.locator('[data-files-summary]').textContent()).toContain('3 files checked: 2 intact, 1 checksum mismatch.');
      // The policy section: the signer and limits pass; this very bundle (same signed manifest)
      // was imported above, so the replay guard, which import enforces, fails.
      const policy = verifying.getByRole('list', { name: 'Station policy checks' });
      expect(await policy.getByRole('listitem').count()).toBe(9);
      await policy.getByLabel('Signed by a trusted key: Pass').waitFor();
      await policy.getByLabel('Limit: largest file: Pass').waitFor();
      const replay = policy.getByLabel('Not already imported (replay guard): Fail');
      expect(await replay.textContent()).toContain('REPLAY');
      expect(await replay.textContent()).toContain('Next: Check the audit log');
      await shot('11-verify-tampered-rejected');
      await verifying.locator('[data-testid="file-results"]').screenshot({ path: join(SHOTS, '11a-verify-tampered-files.png') });
    },
    TEST_TIMEOUT,
  );

  it(
    'cancels a long export mid-way: no bundle, no .partial file',
    async () => {
      await section(/^Export/);
      await page
        .getByRole('button', { name: /^Remove / })
        .first()
        .waitFor({ state: 'detached' })
        .catch(() => undefined);
      main.dialogs.exportSources = [join(dirs.big, 'long')];
      await page.getByRole('button', { name: 'Export something else' }).click();
      await page.getByRole('button', { name: 'Add folders…' }).click();
      await page.getByRole('button', { name: 'Next: review' }).click();
      await page.getByRole('table', { name: 'Selection' }).waitFor();
      await page.getByRole('button', { name: 'Next: destination' }).click();
      await page.getByRole('radio', { name: /A folder/ }).check();
      main.dialogs.folder = dirs.bigOut;
      await page.getByRole('button', { name: 'Choose folder…' }).click();
      await page.getByLabel('Chosen folder').waitFor();
      await page.getByRole('button', { name: 'Next: sign' }).click();
      await page.getByLabel('Station key passphrase').fill(PASSPHRASE);
      await page.getByRole('button', { name: 'Sign and write bundle' }).click();
      // Wait until bytes are moving with a measured rate, then cancel.
      await page.getByText(/B\/s$/).waitFor();
      // The job also shows in the running-jobs list (listJobs + events), with its own cancel.
      await page.getByRole('region', { name: 'Running jobs' }).getByText('Export: bigOut').waitFor();
      await shot('06-export-progress');
      await page.getByRole('button', { name: 'Cancel', exact: true }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'CANCELLED' });
      await alert.waitFor();
      expect(await alert.textContent()).toContain('nothing was left half-written');
      await shot('12-export-cancelled');
      expect(await readdir(dirs.bigOut)).toEqual([]);
      const jobs = main.jobHost.list();
      expect(jobs[0]?.state).toBe('cancelled');
    },
    LONG_TEST_TIMEOUT,
  );

  it(
    'trusts another station’s key after the fingerprint is typed back',
    async () => {
      const other = await Station.open({ home: join(base, 'other-home') });
      const key = await other.generateKey({ name: 'Lab B Diode <diode@lab-b.example>', passphrase: 'x' });
      await writeFile(join(base, 'lab-b.asc'), await other.exportPublicKey());
      other.close();

      await section(/^Keys/);
      main.dialogs.keyFile = join(base, 'lab-b.asc');
      await page.getByRole('button', { name: 'Choose key file…' }).click();
      const panel = page.getByLabel('Key to trust');
      await panel.getByLabel(`Fingerprint ${groupFingerprint(key.fingerprint)}`).waitFor();
      await panel.getByLabel(/Type the fingerprint/).fill(groupFingerprint(key.fingerprint).toLowerCase());
      await panel.getByLabel('Label (optional)').fill('Lab B diode');
      await panel.getByText('The fingerprint you typed matches the key.').waitFor();
      await shot('13-keys-trust-confirm');
      await panel.getByRole('button', { name: 'Trust this key' }).click();
      await page.getByText('Now trusted: Lab B Diode <diode@lab-b.example>').waitFor();
      await expect.poll(() => page.getByRole('table', { name: 'Trusted signers' }).textContent(), POLL).toContain('Lab B diode');
      await shot('14-keys-trusted');
    },
    TEST_TIMEOUT,
  );

  it(
    'lists what happened in the Audit log, searches it, verifies the chain and exports CSV that matches',
    async () => {
      const station = await Station.open({ home: dirs.home });
      const logged = station.listAudit({ limit: 1000 });
      const aboutBundle = station.listAudit({ limit: 1000, text: 'weekly-reports' }).map((e) => e.seq);
      station.close();
      // The key, the export, both verifies, the import, the cancelled export and the trust are all on record.
      expect(logged.map((e) => `${e.type}:${e.outcome}`)).toEqual(
        expect.arrayContaining(['key-generate:ok', 'export:ok', 'verify:ok', 'import:ok', 'verify:rejected', 'export:cancelled', 'key-trust:ok']),
      );

      await section(/^Audit log/);
      await page.getByRole('table', { name: 'Audit events' }).waitFor();
      await expect.poll(auditRowSeqs, POLL).toEqual(logged.map((e) => e.seq));
      const table = page.getByRole('table', { name: 'Audit events' });
      expect(await table.textContent()).toContain('bundle weekly-reports');
      expect(await table.textContent()).toContain('CHECKSUM_MISMATCH');
      await page.getByRole('status').filter({ hasText: 'Chain intact' }).waitFor();
      expect(await page.getByRole('status').filter({ hasText: 'Chain intact' }).textContent()).toContain(`All ${logged.length} events are linked`);
      await shot('16-audit-log');

      await page.getByRole('form', { name: 'Audit filters' }).getByLabel('Search').fill('weekly-reports');
      await page.getByRole('form', { name: 'Audit filters' }).getByLabel('Search').press('Enter');
      await expect.poll(auditRowSeqs, POLL).toEqual(aboutBundle);
      expect(aboutBundle.length).toBeGreaterThanOrEqual(4);
      expect(aboutBundle.length).toBeLessThan(logged.length);
      await page.getByRole('form', { name: 'Audit filters' }).getByLabel('Outcome').selectOption({ label: 'Rejected' });
      await expect.poll(auditRowSeqs, POLL).toEqual(logged.filter((e) => e.outcome === 'rejected' && aboutBundle.includes(e.seq)).map((e) => e.seq));
      await shot('17-audit-search');
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await expect.poll(auditRowSeqs, POLL).toEqual(logged.map((e) => e.seq));

      const csvPath = join(base, 'audit-export.csv');
      main.dialogs.auditExportFile = csvPath;
      await page.getByRole('button', { name: 'Export CSV…' }).click();
      await page.getByText(`Exported ${logged.length} events and`).waitFor();
      expect(main.dialogs.auditExportFormats).toEqual(['csv']);
      const [header, ...records] = parseCsv(await readFile(csvPath, 'utf8'));
      const column = (name: string) => header?.indexOf(name) ?? -1;
      const events = records.filter((r) => r[column('record')] === 'event');
      expect(events.map((r) => Number(r[column('seq')]))).toEqual(logged.map((e) => e.seq).reverse());
      for (const row of events) {
        const event = logged.find((e) => e.seq === Number(row[column('seq')]));
        expect(row[column('type')]).toBe(event?.type);
        expect(row[column('outcome')]).toBe(event?.outcome);
        expect(row[column('operator')]).toBe(event?.operator);
        expect(row[column('hash')]).toBe(event?.hash);
      }
      expect(records.filter((r) => r[column('record')] === 'checkpoint').length).toBeGreaterThanOrEqual(1);
    },
    TEST_TIMEOUT,
  );

  it(
    'saves an operator name in Settings; station status and the next audit event carry it',
    async () => {
      await section(/^Settings/);
      const form = page.getByRole('form', { name: 'Station settings' });
      await form.getByLabel('Operator name').fill('Dana Reyes');
      await form.getByLabel('Required signers').fill('1');
      await form.getByLabel('Allowed clock skew (seconds)').fill('600');
      await form.getByText('3 unsaved changes.').waitFor();
      await form.getByRole('button', { name: 'Save settings' }).click();
      const saved = page.getByRole('status').filter({ hasText: 'Settings saved' });
      await saved.waitFor();
      expect(await saved.textContent()).toContain('Operator name: not set (the OS user only) → “Dana Reyes”');
      expect(await saved.textContent()).toContain('Allowed clock skew (seconds): not set (default 300) → 600');
      await expect.poll(() => page.getByRole('table', { name: 'This station' }).textContent(), POLL).toContain('Dana Reyes (');
      await shot('18-settings-saved');
      // mediaRoots, which the app does not edit, is kept as it was.
      expect(JSON.parse(await readFile(join(dirs.home, 'config.json'), 'utf8'))).toEqual({ mediaRoots: [dirs.medium], operatorName: 'Dana Reyes' });
      expect(JSON.parse(await readFile(join(dirs.home, 'policy.json'), 'utf8'))).toEqual({ requiredSigners: { count: 1 }, clockSkewSeconds: 600 });

      // The next operation runs in a worker that opens the station afresh: it records the new operator.
      await section(/^Verify/);
      await page.getByRole('button', { name: 'Verify another bundle' }).click();
      main.dialogs.bundle = join(dirs.out, 'weekly-reports.airlock.tar');
      await page.getByRole('button', { name: 'Choose bundle…' }).click();
      await page.getByRole('button', { name: 'Verify bundle' }).click();
      await page.getByRole('heading', { name: 'Bundle verified' }).waitFor();

      await section(/^Audit log/);
      const station = await Station.open({ home: dirs.home });
      const [verify, change] = station.listAudit({ limit: 2 });
      station.close();
      expect(verify).toMatchObject({ type: 'verify', outcome: 'ok', operator: expect.stringMatching(/^Dana Reyes \(/u) });
      expect(change).toMatchObject({
        type: 'settings-change',
        details: { changes: expect.arrayContaining([{ field: 'operatorName', from: null, to: 'Dana Reyes' }]) },
      });
      await expect.poll(auditRowSeqs, POLL).toEqual(expect.arrayContaining([verify?.seq, change?.seq]));
      const rows = page.getByRole('table', { name: 'Audit events' }).locator('tbody tr');
      expect(await rows.nth(0).textContent()).toContain('Dana Reyes (');
      expect(await rows.nth(1).textContent()).toContain('operatorName: (default) → Dana Reyes');
    },
    TEST_TIMEOUT,
  );

  it(
    'follows a dark OS theme',
    async () => {
      await page.emulateMedia({ colorScheme: 'dark' });
      await section(/^Verify/);
      await expect.poll(() => page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme')), POLL).toBe('dark');
      await shot('15-verify-dark');
      await section(/^Audit log/);
      await page.getByRole('table', { name: 'Audit events' }).waitFor();
      await shot('19-audit-dark');
    },
    TEST_TIMEOUT,
  );

  it(
    'refuses IPC from a frame that is not the app’s main frame',
    async () => {
      const answer = await page.evaluate(async () => {
        const frame = document.createElement('iframe');
        frame.srcdoc = '<p>x</p>';
        document.body.append(frame);
        await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
        const invoke = (frame.contentWindow as unknown as { __airlockInvoke?: (c: string, r: unknown) => Promise<unknown> }).__airlockInvoke;
        const result = invoke ? await invoke('airlock:keys-list', {}) : 'no binding in subframe';
        frame.remove();
        return result;
      });
      if (typeof answer === 'string') expect(answer).toBe('no binding in subframe');
      else expect(answer).toMatchObject({ ok: false, error: { code: 'SENDER_REFUSED' } });
    },
    TEST_TIMEOUT,
  );

  // Removable media: dirs.medium is declared in config.json mediaRoots, so it is offered as a medium.

  it(
    'exports to the medium: destination, write then read-back, and the result with the method',
    async () => {
      await page.emulateMedia({ colorScheme: 'light' });
      await section(/^Export/);
      // The export before was cancelled (or, on a fast disk, finished first): start a new one either way.
      await page.getByRole('button', { name: /^(Start over|Export something else)$/u }).click();
      main.dialogs.exportSources = [join(dirs.big, 'archive.bin')];
      await page.getByRole('button', { name: 'Add files…' }).click();
      await page.getByRole('button', { name: 'Next: review' }).click();
      await page.getByRole('table', { name: 'Selection' }).waitFor();
      await page.getByRole('button', { name: 'Next: destination' }).click();
      const destinations = page.getByRole('radiogroup', { name: 'Destination' });
      const medium = destinations.getByRole('radio', { name: dirs.medium });
      await medium.waitFor();
      expect(await destinations.textContent()).toContain('folder declared as a medium in config.json');
      expect(await destinations.textContent()).toMatch(/free of/u);
      // Keyboard only: focus the medium, select it with Space.
      await medium.focus();
      await page.keyboard.press('Space');
      expect(await medium.isChecked()).toBe(true);
      await page.getByLabel('Bundle name (optional)').fill('media-archive');
      await shot('16-export-media-destination');
      await page.getByRole('button', { name: 'Next: sign' }).click();
      await page.getByLabel('Station key passphrase').fill(PASSPHRASE);
      const phasesBefore = phasesSeen.length;
      await page.getByRole('button', { name: 'Sign and write bundle' }).click();
      await page.getByRole('heading', { name: 'Writing to the medium and reading it back' }).waitFor();
      // A fast disk reads 512 MiB back in well under a second: photograph the read-back when the page
      // shows it, and prove from the job's own events that it ran.
      const written = page.getByRole('heading', { name: 'Bundle written and read back' });
      const shown = await Promise.race([
        page
          .locator('[data-phase="reading-back"]')
          .waitFor({ timeout: LONG_STEP })
          .then(
            () => true,
            () => false,
          ),
        written.waitFor({ timeout: LONG_STEP }).then(
          () => false,
          () => false,
        ),
      ]);
      if (shown) await shot('17-export-media-readback');
      await written.waitFor({ timeout: LONG_STEP });
      // A medium on ext4/xfs/btrfs takes the bundle in one pass ('hashing-and-writing'); any other in
      // two ('hashing', then 'writing'). Either way the read-back comes after the last write.
      const seen = phasesSeen.slice(phasesBefore);
      const writePhase = seen.includes('hashing-and-writing') ? 'hashing-and-writing' : 'writing';
      const expectedPhases = writePhase === 'writing' ? ['hashing', 'writing', 'reading-back'] : ['hashing-and-writing', 'reading-back'];
      expect(seen).toEqual(expect.arrayContaining(expectedPhases));
      expect(seen.lastIndexOf('reading-back')).toBeGreaterThan(seen.lastIndexOf(writePhase));
      const result = page.getByRole('table', { name: 'Export result' });
      const method = await result.locator('[data-read-back-method]').getAttribute('data-read-back-method');
      expect(['o-direct', 'flushbufs+o-direct', 'fadvise-dontneed', 'remount', 'buffered']).toContain(method);
      expect(await result.textContent()).toContain(`Method: ${method}`);
      expect(await result.textContent()).toContain(join(dirs.medium, 'media-archive.airlock.tar'));
      // A declared folder is not a device: no Eject button, a sentence instead.
      await page.getByText(/is a folder declared as a medium in config.json/).waitFor();
      await shot('18-export-media-result');
      expect((await readdir(dirs.medium)).sort()).toEqual(['media-archive.airlock.tar']);

      // A second, small bundle onto the same medium, to import later.
      await page.getByRole('button', { name: 'Export something else' }).click();
      main.dialogs.exportSources = [join(dirs.src, 'reports'), join(dirs.src, 'notes.txt')];
      await page.getByRole('button', { name: 'Add folders…' }).click();
      await page.getByRole('button', { name: 'Next: review' }).click();
      await page.getByRole('table', { name: 'Selection' }).waitFor();
      await page.getByRole('button', { name: 'Next: destination' }).click();
      await page.getByRole('radiogroup', { name: 'Destination' }).getByRole('radio', { name: dirs.medium }).check();
      await page.getByLabel('Bundle name (optional)').fill('media-reports');
      await page.getByRole('button', { name: 'Next: sign' }).click();
      await page.getByLabel('Station key passphrase').fill(PASSPHRASE);
      await page.getByRole('button', { name: 'Sign and write bundle' }).click();
      await page.getByRole('heading', { name: 'Bundle written and read back' }).waitFor({ timeout: LONG_STEP });
    },
    LONG_TEST_TIMEOUT,
  );

  it(
    'verifies the whole medium and reports per bundle',
    async () => {
      await section(/^Verify/);
      await page.getByRole('button', { name: 'Verify another bundle' }).click();
      // Keyboard only: the mode switch, the medium and the button.
      await page.getByRole('radio', { name: 'A bundle file' }).focus();
      await page.keyboard.press('ArrowRight');
      await page.getByRole('heading', { name: 'Choose the medium' }).waitFor();
      const medium = page.getByRole('radiogroup', { name: 'Medium to verify' }).getByRole('radio', { name: dirs.medium });
      await medium.focus();
      await page.keyboard.press('Space');
      await page.getByRole('button', { name: 'Verify medium' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Medium verified' }).waitFor({ timeout: LONG_STEP });
      const table = page.getByRole('table', { name: 'Bundles on the medium' });
      await page.getByRole('row', { name: 'Bundle media-archive' }).getByText('Verified').waitFor();
      await page.getByRole('row', { name: 'Bundle media-reports' }).getByText('Verified').waitFor();
      expect(await table.textContent()).toContain('Signature and all 3 files');
      expect(await page.getByRole('status').filter({ hasText: 'Read-back method' }).textContent()).toMatch(
        /Read-back method: (o-direct|flushbufs\+o-direct|fadvise-dontneed|remount|buffered)/u,
      );
      await shot('19-verify-medium-report');
      expect(await readdir(dirs.mediaDest)).toEqual([]);
    },
    LONG_TEST_TIMEOUT,
  );

  it(
    'imports from the medium: insert a medium, its bundles, verify, destination, import',
    async () => {
      await section(/^Import/);
      await page.getByRole('button', { name: 'Import another bundle' }).click();
      await page.getByRole('heading', { name: 'Insert a medium' }).waitFor();
      const bundles = page.getByRole('radiogroup', { name: /^Bundles on .* \(2 bundles\)$/u });
      await bundles.waitFor();
      await shot('20-import-insert-medium');
      await bundles.getByRole('radio', { name: 'media-reports' }).check();
      await page.getByRole('button', { name: 'Verify bundle' }).click();
      const importing = page.locator('section[aria-label="Import"]');
      await importing.getByRole('heading', { name: 'Bundle verified' }).waitFor();
      await importing.getByLabel(/^Signer Transfer Station 3/).waitFor();
      await page.getByRole('button', { name: 'Next: destination' }).click();
      main.dialogs.folder = dirs.mediaDest;
      await page.getByRole('button', { name: 'Choose folder…' }).click();
      await page.getByLabel('Chosen folder').waitFor();
      // Unsigned only when chosen on purpose: the result says so, and no .asc stands beside the receipt.
      expect(await importing.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
      await importing.getByRole('checkbox', { name: /^Import without signing/u }).check();
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.getByRole('heading', { name: 'Imported', exact: true }).waitFor();
      await importing.locator('[data-receipt-signed="false"]').waitFor();
      expect((await readdir(dirs.mediaDest)).filter((f) => f.endsWith('.asc'))).toEqual([]);
      const target = join(dirs.mediaDest, 'media-reports');
      expect(await readFile(join(target, 'reports', 'q3.txt'), 'utf8')).toBe(REPORT_TEXT);
      expect((await readdir(target)).sort()).toEqual(['notes.txt', 'reports']);
    },
    TEST_TIMEOUT,
  );
});
