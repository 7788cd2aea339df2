/**
 * PDF receipts as a station writes them (issue #19.2), through the CLI: an export and an import
 * each leave a .pdf and .pdf.asc beside the .json; config.json `language: "de"` makes them German;
 * gpg checks the .pdf.asc against the station key from `airlock keys export-public`; the annex
 * lists the transfer's files from its audit event; a two-person export (prepare, approve, finish)
 * prints the preparer's and the approver's signature lines.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { GnupgHome } from '../../helpers/gnupg.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { writeTree } from '../../helpers/tree-digest.js';
import { attachment, fonts, qpdfCheck, text } from './pdf-tools.js';

const makeTemp = useTempDirs();
let station: TestStation;
let gnupg: GnupgHome;
let root: string;
let src: string;

interface Receipt {
  json: string;
  signature: string | null;
  html: string;
  pdf: string | null;
  pdfSignature: string | null;
}

beforeAll(async () => {
  root = await makeTemp('airlock-spdf-');
  station = await createStation(root, 'Leitstelle Nord');
  await writeFile(
    join(station.home, 'config.json'),
    `${JSON.stringify({ language: 'de', stationName: 'leitstelle-01', organization: 'Stadtwerke Beispiel' })}\n`,
  );
  src = join(root, 'Berichte');
  await writeTree(src, { 'Prüfbericht für Müller.txt': 'geprüft\n', '月度报告.txt': 'cjk\n', 'sub/daten.bin': Buffer.alloc(5000, 7) });
  const exported = await station.run(['keys', 'export-public']);
  expect(exported.code, describeResult(exported)).toBe(0);
  await writeFile(join(root, 'station.asc'), exported.stdout);
  gnupg = await GnupgHome.create();
  gnupg.importKeyFile(join(root, 'station.asc'));
});
afterAll(async () => {
  await gnupg?.close();
});

function expectValidPdf(receipt: Receipt): void {
  expect(receipt.pdf).not.toBeNull();
  const check = qpdfCheck(receipt.pdf as string);
  expect(check.status, check.output).toBe(0);
  for (const font of fonts(receipt.pdf as string)) expect(font.embedded, font.name).toBe(true);
  const verified = gnupg.verify(receipt.pdfSignature as string, receipt.pdf as string);
  expect(verified.status, verified.stderr).toBe(0);
  expect(verified.stdout).toMatch(new RegExp(`^\\[GNUPG:\\] VALIDSIG ${station.fingerprint} `, 'mu'));
}

describe('a German station', () => {
  let exportReceipt: Receipt;
  it('export: the PDF beside the JSON, German, signed by the station key, the JSON attached byte for byte', async () => {
    const out = await makeTemp('airlock-spdf-out-');
    const result = await station.exportBundle(out, 'quartal', [src]);
    exportReceipt = (result.bundle as unknown as { receipt: Receipt }).receipt;
    expect(exportReceipt.pdf).toBe(join(out, 'quartal.export-receipt.pdf'));
    expect(exportReceipt.pdfSignature).toBe(join(out, 'quartal.export-receipt.pdf.asc'));
    expectValidPdf(exportReceipt);
    const all = text(exportReceipt.pdf as string);
    for (const term of ['Exportbeleg', 'Unterzeichner', 'Fingerabdruck', 'Prüfungen', 'Prüfprotokoll', 'Stadtwerke Beispiel', 'leitstelle-01'])
      expect(all).toContain(term);
    expect(all.replace(/\s/gu, '')).toContain(station.fingerprint);
    // The annex comes from the audit event's file rows; the CJK name is escaped, not lost.
    expect(all).toContain('Prüfbericht für Müller.txt');
    expect(all).toContain('\\u6708\\u5ea6\\u62a5\\u544a.txt');
    expect(all).toContain('sub/daten.bin');
    expect(attachment(exportReceipt.pdf as string, 'quartal.export-receipt.json').equals(await readFile(exportReceipt.json))).toBe(true);
    expect(attachment(exportReceipt.pdf as string, 'quartal.export-receipt.json.asc').equals(await readFile(exportReceipt.signature as string))).toBe(true);
  });

  it('import: a German import receipt as PDF beside the imported folder', async () => {
    const dest = await makeTemp('airlock-spdf-dest-');
    const bundle = exportReceipt.json.replace(/\.export-receipt\.json$/u, '.airlock.tar');
    const result = await station.run(['import', bundle, '--dest', dest, '--passphrase-file', station.passFile, '--json']);
    expect(result.code, describeResult(result)).toBe(0);
    const receipt = parseJson<{ receipt: Receipt }>(result).receipt;
    expect(receipt.pdf).toBe(join(dest, 'quartal.import-receipt.pdf'));
    expectValidPdf(receipt);
    const all = text(receipt.pdf as string);
    expect(all).toContain('Importbeleg');
    expect(all).toContain('Importiert nach');
    expect(all).toContain('Anlage: Dateien');
  });
});

describe('two-person export', () => {
  it('prepare, approve by a second key, finish: the PDF has the preparer’s and the approver’s signature lines', async () => {
    const reviewer = await createStation(await makeTemp('airlock-spdf-rev-'), 'Prüferin Rita');
    const prepared = await station.run(['export', '--prepare', '--name', 'zwei', '--passphrase-file', station.passFile, '--json', src]);
    expect(prepared.code, describeResult(prepared)).toBe(0);
    const stagedDir = parseJson<{ staged: { stagedDir: string } }>(prepared).staged.stagedDir;
    const key = join(reviewer.home, 'keys', 'station-key.private.asc');
    const approved = await station.run(['approve', stagedDir, '--key', key, '--passphrase-file', reviewer.passFile, '--yes', '--json']);
    expect(approved.code, describeResult(approved)).toBe(0);
    const out = await makeTemp('airlock-spdf-two-');
    const finished = await station.run(['export', '--finish', stagedDir, '--out', out, '--passphrase-file', station.passFile, '--json']);
    expect(finished.code, describeResult(finished)).toBe(0);
    const receipt = parseJson<{ bundle: { receipt: Receipt } }>(finished).bundle.receipt;
    expectValidPdf(receipt);
    const page1 = text(receipt.pdf as string, 1);
    expect(page1).toContain('Vorbereitet und signiert von');
    expect(page1).toContain('Freigegeben und signiert von (zweite Person)');
    expect(page1).toContain('Prüferin Rita');
  });
});
