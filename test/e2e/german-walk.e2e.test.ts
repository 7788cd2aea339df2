/**
 * Issue #19's "How it is checked", walked as a new user would, in Debian's Chromium on the built
 * renderer against the real main-process handlers and a real Station in a temp home: switch
 * Settings to Deutsch, create the station key, export two files (one with umlauts in its name)
 * to a folder, import the bundle into another folder, every screen German (no English catalogue
 * sentence anywhere on the page). Then the PDF receipts of both: `qpdf --check` clean, every font
 * embedded (`pdffonts`), page 1 rendered (`pdftoppm -png`, test-results/e2e/walk-*-receipt-1.png)
 * with the German labels and every name in its text (`pdftotext`), the signed JSON receipt and its
 * `.asc` extracted from the PDF (`qpdf --show-attachment`) and both signatures valid with gpg
 * against the station's exported public key in a throwaway keyring, for the export and for the
 * import: the import asks for the station key's passphrase (a wrong one first: refused in German
 * before anything is imported, the bundle and folder kept), and signs its receipt set with it.
 * The steps are found by the German catalogue's own words (renderer/src/i18n/de.ts).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Station } from '../../electron/core/index.js';
import { de } from '../../renderer/src/i18n/de.js';
import { en } from '../../renderer/src/i18n/en.js';
import { openApp, type AppUnderTest } from './harness/app.js';
import { chromiumAvailable } from './harness/launch-chromium.js';

const run = promisify(execFile);
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = join(repo, 'test-results', 'e2e');
const STEP = 90_000;
const POLL = { timeout: STEP, interval: 200 };
const TEST_TIMEOUT = 8 * STEP;
const PASSPHRASE = 'Wanderung mit Umlauten: äöü';
const STATION_NAME = 'Übergabestation Köln-Süd';
const FILES = { 'Prüfbericht März.txt': 'Umlaute: äöü ß.\n', 'notes.txt': 'Carry across on Tuesday.\n' };

let base: string;
let app: AppUnderTest | undefined;
let page: Page;
const dirs = { home: '', src: '', out: '', dest: '', gpg: '' };

/**
 * English catalogue sentences that read differently in German and would be unmistakable on the
 * page: no placeholders or markup, at least 12 characters. Any of them on a German screen is a
 * label the walk found untranslated.
 */
const ENGLISH_ONLY = Object.entries(en)
  .filter(([id, text]) => text !== de[id as keyof typeof de] && text.length >= 12 && !/[{<]/u.test(text))
  .map(([, text]) => text);

/** The page's text without what is English on purpose: the engine's own words, marked lang="en" or translate="no" (docs/i18n.md). */
async function englishLeftovers(): Promise<string[]> {
  const text = await page.evaluate(() => {
    const marked = [...document.querySelectorAll<HTMLElement>('[lang="en"], [translate="no"]')];
    const saved = marked.map((el) => el.style.display);
    for (const el of marked) el.style.display = 'none';
    const shown = document.body.innerText;
    marked.forEach((el, i) => (el.style.display = saved[i] ?? ''));
    return shown;
  });
  return ENGLISH_ONLY.filter((sentence) => text.includes(sentence));
}

async function screen(name: string): Promise<void> {
  expect(await englishLeftovers(), `English text on the German screen "${name}"`).toEqual([]);
  await page.screenshot({ path: join(SHOTS, `walk-de-${name}.png`), fullPage: true });
}

const visible = () => page.locator('main section:not([hidden])');
const nav = (id: keyof typeof de) =>
  page.getByRole('navigation', { name: /^(Sections|Bereiche)$/u }).getByRole('button', { name: new RegExp(`^${en[id]}|^${de[id]}`, 'u') });
const button = (id: keyof typeof de) => visible().getByRole('button', { name: de[id], exact: true });

/** The checks of one PDF receipt; `kind` names its page image (test-results/e2e/walk-KIND-receipt-1.png) and extracted files. */
async function checkReceiptPdf(pdf: string, kind: string, names: readonly string[], labels: readonly string[]): Promise<void> {
  const check = await run('qpdf', ['--check', pdf]);
  expect(check.stdout).toContain('No syntax or stream encoding errors found');
  const fonts = await run('pdffonts', [pdf]);
  const rows = fonts.stdout
    .split('\n')
    .slice(2)
    .filter((line) => line.trim() !== '');
  expect(rows.length, 'fonts listed').toBeGreaterThan(0);
  for (const row of rows) expect(row, 'font embedded').toMatch(/\byes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/u);
  await run('pdftoppm', ['-r', '80', '-f', '1', '-l', '1', '-png', pdf, join(SHOTS, `walk-${kind}-receipt`)]);
  const text = (await run('pdftotext', ['-layout', pdf, '-'])).stdout;
  for (const name of names) expect(text, `name in the PDF: ${name}`).toContain(name);
  for (const label of labels) expect(text, `German label in the PDF: ${label}`).toContain(label);
  const attachments = (await run('qpdf', ['--list-attachments', pdf])).stdout;
  const json = join(base, `walk-${kind}.json`);
  const asc = `${json}.asc`;
  const published = pdf.replace(/\.pdf$/u, '');
  const jsonName = `${published.slice(published.lastIndexOf('/') + 1)}.json`;
  expect(attachments).toContain(jsonName);
  await writeFile(json, (await run('qpdf', [`--show-attachment=${jsonName}`, pdf], { encoding: 'buffer' })).stdout);
  // The JSON in the PDF is the JSON published beside it.
  expect(await readFile(json)).toEqual(await readFile(`${published}.json`));
  expect(attachments).toContain(`${jsonName}.asc`);
  await writeFile(asc, (await run('qpdf', [`--show-attachment=${jsonName}.asc`, pdf], { encoding: 'buffer' })).stdout);
  const gpg = ['--homedir', dirs.gpg, '--batch', '--status-fd', '1', '--verify'];
  expect((await run('gpg', [...gpg, asc, json])).stdout).toContain('[GNUPG:] GOODSIG');
  expect((await run('gpg', [...gpg, `${pdf}.asc`, pdf])).stdout).toContain('[GNUPG:] GOODSIG');
}

describe.skipIf(!chromiumAvailable && !process.env['CI'])('a new user’s walk of issue #19 in German (Debian Chromium)', () => {
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'airlock-e2e-walk-'));
    for (const key of Object.keys(dirs) as Array<keyof typeof dirs>) {
      dirs[key] = join(base, key);
      await mkdir(dirs[key], { recursive: true, mode: 0o700 });
    }
    await mkdir(SHOTS, { recursive: true });
    for (const [name, text] of Object.entries(FILES)) await writeFile(join(dirs.src, name), text);
    app = await openApp({ home: dirs.home, rendererDir: join(base, 'renderer'), stepMs: STEP });
    page = app.page;
  }, TEST_TIMEOUT);

  afterAll(async () => {
    await app?.close();
    if (base) await rm(base, { recursive: true, force: true });
  });

  it(
    'switches Settings to Deutsch, creates the key, exports and imports, every screen German',
    async () => {
      await nav('app.section.settings').click();
      await page.getByLabel(en['settings.language.label']).selectOption('de');
      await page.getByRole('heading', { name: de['settings.title'] }).waitFor();
      await expect.poll(() => page.evaluate(() => document.documentElement.lang), POLL).toBe('de');
      await screen('settings');

      await nav('app.section.keys').click();
      const form = page.getByRole('form', { name: de['keys.create.form'] });
      await form.getByLabel(de['keys.create.name']).fill(STATION_NAME);
      await form.getByRole('textbox', { name: de['keys.create.passphrase'], exact: true }).fill(PASSPHRASE);
      await form.getByRole('textbox', { name: de['keys.create.repeat'], exact: true }).fill(PASSPHRASE);
      await screen('keys-create');
      await form.getByRole('button', { name: de['keys.create.submit'] }).click();
      await page.getByText(de['keys.created']).waitFor();
      await screen('keys-created');

      await nav('app.section.export').click();
      app!.main.dialogs.exportSources = Object.keys(FILES).map((name) => join(dirs.src, name));
      await button('export.sources.addFiles').click();
      await visible().getByText('Prüfbericht März.txt').waitFor();
      await screen('export-sources');
      await button('export.sources.next').click();
      await visible().getByRole('table', { name: de['export.review.table'] }).waitFor();
      await screen('export-review');
      await button('export.review.next').click();
      await visible()
        .getByRole('radio', { name: new RegExp(`^${de['export.destination.folder']}`, 'u') })
        .check();
      app!.main.dialogs.folder = dirs.out;
      await button('picker.folder.choose').click();
      await visible().getByText(dirs.out).first().waitFor();
      await screen('export-destination');
      await button('export.destination.next').click();
      await visible().getByRole('textbox', { name: de['export.sign.passphrase'], exact: true }).fill(PASSPHRASE);
      await screen('export-sign');
      await button('export.sign.submit').click();
      await visible().getByRole('heading', { name: de['export.result.title'] }).waitFor({ timeout: STEP });
      await screen('export-result');
      const bundle = (await readdir(dirs.out)).find((f) => f.endsWith('.airlock.tar'));
      expect(bundle).toBeDefined();

      await nav('app.section.import').click();
      app!.main.dialogs.bundle = join(dirs.out, bundle!);
      await button('picker.bundle.choose').click();
      await button('verify.choose.verify').click();
      await visible().getByRole('heading', { name: de['verify.report.verified'] }).waitFor();
      await screen('import-verified');
      await button('verify.report.next').click();
      app!.main.dialogs.folder = dirs.dest;
      await button('picker.folder.choose').click();
      await visible().getByText(dirs.dest).first().waitFor();
      await screen('import-destination');
      // A wrong passphrase is refused before anything is imported, in German, and the same step asks again.
      const importPassphrase = () => visible().getByRole('textbox', { name: de['import.sign.passphrase'], exact: true });
      await importPassphrase().fill('falsch');
      await button('import.destination.import').click();
      await visible().locator('[data-error-code="PASSPHRASE_WRONG"]').waitFor({ timeout: STEP });
      await visible().getByRole('heading', { name: de['import.destination.title'] }).waitFor();
      expect(await readdir(dirs.dest)).toEqual([]);
      await screen('import-wrong-passphrase');
      await importPassphrase().fill(PASSPHRASE);
      await button('import.destination.import').click();
      await visible().getByRole('heading', { name: de['import.result.imported'], exact: true }).waitFor({ timeout: STEP });
      await visible().getByText(de['import.result.receiptSigned']).waitFor();
      await screen('import-result');
    },
    TEST_TIMEOUT,
  );

  it(
    'the PDF receipts: qpdf clean, fonts embedded, German labels and every name readable, the signed JSON extractable and valid with gpg',
    async () => {
      const station = await Station.open({ home: dirs.home });
      try {
        await writeFile(join(base, 'station.asc'), await station.exportPublicKey());
      } finally {
        station.close();
      }
      await run('gpg', ['--homedir', dirs.gpg, '--batch', '--import', join(base, 'station.asc')]);
      const exportPdf = (await readdir(dirs.out)).find((f) => f.endsWith('.export-receipt.pdf'));
      const importPdf = (await readdir(dirs.dest)).find((f) => f.endsWith('.import-receipt.pdf'));
      expect(exportPdf, 'export receipt PDF beside the bundle').toBeDefined();
      expect(importPdf, 'import receipt PDF in the destination').toBeDefined();
      const names = ['Prüfbericht März.txt', 'notes.txt', STATION_NAME];
      await checkReceiptPdf(join(dirs.out, exportPdf!), 'export', names, ['Exportbeleg']);
      await checkReceiptPdf(join(dirs.dest, importPdf!), 'import', names, ['Importbeleg']);
    },
    TEST_TIMEOUT,
  );
});
