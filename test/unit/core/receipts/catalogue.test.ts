/**
 * The PDF receipt's catalogues (issue #19.2): every check name receipt-checks.ts can write has a
 * German form (a new check without one fails here, not on a German station's paper), counts and
 * sizes follow the locale, and the German catalogue holds no English label.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localSize, localTime, receiptCatalogue } from '../../../../electron/core/receipts/catalogue.js';
import { REPO_ROOT } from '../../../helpers/cli-runner.js';

async function checkNamesInSource(): Promise<string[]> {
  const source = await readFile(join(REPO_ROOT, 'electron/core/audit/receipt-checks.ts'), 'utf8');
  return [...source.matchAll(/check: '([^']+)'/gu)].map((m) => m[1] as string);
}

describe('receipt catalogues', () => {
  it('German has a translation for every fixed check name receipt-checks.ts writes', async () => {
    const names = await checkNamesInSource();
    expect(names.length).toBeGreaterThanOrEqual(12);
    const de = receiptCatalogue('de');
    for (const name of names) expect(de.checkName(name), name).not.toBe(name);
  });

  it('the signer-count and media checks, built at run time, are German too', () => {
    const de = receiptCatalogue('de');
    expect(de.checkName('Tag manifest signed (one signer)')).toBe('Tag-Manifest signiert (ein Unterzeichner)');
    expect(de.checkName('Tag manifest signed (2 signers)')).toBe('Tag-Manifest signiert (2 Unterzeichner)');
    expect(de.checkName('Parts and signed volume index written under temp names, fsynced, published without overwriting')).toMatch(/Datenträgerindex/u);
  });

  it('English passes check names and details through as recorded', () => {
    const en = receiptCatalogue('en');
    expect(en.checkName('Replay guard')).toBe('Replay guard');
    expect(en.checkDetail('12 files')).toBe('12 files');
  });

  it('German details: counts in the locale, fingerprints and paths untouched', () => {
    const de = receiptCatalogue('de');
    expect(de.checkDetail('1234 files, 5678901 bytes')).toBe('1.234 Dateien, 5.678.901 Byte');
    expect(de.checkDetail('1 files')).toBe('1 Datei');
    expect(de.checkDetail('4096 bytes')).toBe('4.096 Byte');
    expect(de.checkDetail('0123456789ABCDEF0123456789ABCDEF01234567')).toBe('0123456789ABCDEF0123456789ABCDEF01234567');
    expect(de.checkDetail('/daten/eingang/q3')).toBe('/daten/eingang/q3');
  });

  it('sizes and times follow the locale (Intl), times always in UTC', () => {
    expect(localSize('de-DE', 1_234_567)).toBe('1,23 MB');
    expect(localSize('en-GB', 1_234_567)).toBe('1.23 MB');
    expect(localSize('de-DE', 999)).toBe('999 B');
    expect(localTime('de-DE', '2026-12-03T09:01:02.000Z')).toBe('3. Dezember 2026 um 09:01:02 UTC');
    expect(localTime('en-GB', '2026-12-03T09:01:02.000Z')).toBe('3 December 2026 at 09:01:02 UTC');
    expect(localTime('en-GB', 'not a date')).toBe('not a date');
  });

  it('plurals: one file, two files; eine Datei, zwei Dateien', () => {
    expect(receiptCatalogue('en').count.files(1)).toBe('1 file');
    expect(receiptCatalogue('en').count.files(2)).toBe('2 files');
    expect(receiptCatalogue('de').count.files(1)).toBe('1 Datei');
    expect(receiptCatalogue('de').count.files(2000)).toBe('2.000 Dateien');
  });
});
