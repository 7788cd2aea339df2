/**
 * The receipt PDF is made apart from the process that made the transfer (issue #19.2: rendering
 * in the importing process added ~80 MB to a 200,000-file import's peak), and a renderer that
 * fails, crashes or hangs never costs the rest of the receipt: the JSON, its signature and the
 * HTML are published, the PDF is left out, and the problem comes back as RECEIPT_PDF_FAILED.
 *   - the writing process never loads pdfkit (a child process renders)
 *   - the worker thread the app uses gives the same bytes as the child process
 *   - the renderer reads the annex from the audit event itself, at most ANNEX_MAX_FILES rows
 *   - a renderer that cannot open the database, is killed at its deadline, or is cancelled
 */
import { createRequire } from 'node:module';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendAuditEvent } from '../../../electron/core/audit/audit-store.js';
import { writeReceipt } from '../../../electron/core/audit/receipt.js';
import { openpgpSigner, type BundleSigner } from '../../../electron/core/crypto/bundle-signer.js';
import { openStationDb } from '../../../electron/core/db/station-db.js';
import { receiptFonts } from '../../../electron/core/receipts/pdf-fonts.js';
import { renderPdfApart } from '../../../electron/core/receipts/pdf-render-host.js';
import type { PdfRenderJob } from '../../../electron/core/receipts/pdf-render-job.js';
import { ANNEX_MAX_FILES } from '../../../electron/core/receipts/receipt-annex.js';
import { makeSigner } from '../../helpers/hostile-tar.js';
import { SAMPLE_ANNEX_ROWS, sampleImportReceipt } from '../../helpers/sample-receipt.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { qpdfCheck, text } from './pdf-tools.js';

const makeTemp = useTempDirs();
let root: string;
let signer: BundleSigner;
let n = 0;

const receipt = sampleImportReceipt('apart');
const rows = SAMPLE_ANNEX_ROWS;

async function freshDir(): Promise<string> {
  n += 1;
  const dir = join(root, `d${n}`);
  await mkdir(dir);
  return dir;
}

function job(overrides: Partial<PdfRenderJob> = {}): PdfRenderJob {
  const json = `${JSON.stringify(receipt, null, 2)}\n`;
  return {
    json,
    signature: null,
    attachmentName: 'apart.import-receipt.json',
    language: 'en',
    annex: { total: 2, rows },
    twoPerson: false,
    organization: null,
    fonts: receiptFonts(),
    ...overrides,
  };
}

beforeAll(async () => {
  root = await makeTemp('airlock-pdf-apart-');
  signer = openpgpSigner((await makeSigner('Apart Station')).privateKey);
});

/** The PDF receipt's renderer never ran in this process: pdfkit is not in its module cache. */
function pdfkitLoadedHere(): boolean {
  return Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes(`${'/node_modules/'}pdfkit/`));
}

describe('the receipt PDF is rendered apart', () => {
  it('by a child process: the writing process never loads pdfkit, and gets a valid PDF', async () => {
    const dir = await freshDir();
    const written = await writeReceipt(dir, receipt, signer, { files: { total: 2, rows }, renderMode: 'process' });
    expect(written.pdfProblem).toBeUndefined();
    expect(pdfkitLoadedHere()).toBe(false);
    const check = qpdfCheck(written.pdf as string);
    expect(check.status, check.output).toBe(0);
    expect(text(written.pdf as string)).toContain('b.txt');
  });

  it('by a worker thread (the app under Electron): the same bytes as the child process', async () => {
    const [a, b] = await Promise.all([renderPdfApart(job(), { mode: 'process' }), renderPdfApart(job(), { mode: 'thread' })]);
    expect(a.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(b.equals(a)).toBe(true);
    expect(pdfkitLoadedHere()).toBe(false);
  });

  it(`reads the annex from the audit event in the station database, the first ${ANNEX_MAX_FILES} rows of many`, async () => {
    const home = await freshDir();
    const database = join(home, 'airlock.db');
    const db = openStationDb(database);
    const many = Array.from({ length: ANNEX_MAX_FILES + 700 }, (_, i) => ({ path: `bulk/f-${i}.bin`, size: i, sha256: i.toString(16).padStart(64, '0') }));
    const event = appendAuditEvent(
      db,
      { station: 'st', operator: 'op', organization: null },
      { type: 'import', outcome: 'ok', files: many.length, fileRows: many },
    );
    db.close();
    const dir = await freshDir();
    const written = await writeReceipt(dir, { ...receipt, files: many.length, audit: { ...receipt.audit, eventSeq: event.seq } }, null, {
      files: { database, eventSeq: event.seq },
    });
    expect(written.pdfProblem).toBeUndefined();
    const all = text(written.pdf as string);
    expect(all).toContain('bulk/f-0.bin');
    expect(all).toContain(`bulk/f-${ANNEX_MAX_FILES - 1}.bin`);
    expect(all).not.toContain(`bulk/f-${ANNEX_MAX_FILES}.bin`);
    expect(all.replace(/\s+/gu, ' ')).toContain(`${ANNEX_MAX_FILES} of ${(ANNEX_MAX_FILES + 700).toLocaleString('en')}`);
  });
});

describe('a renderer that fails never costs the receipt', () => {
  async function expectReceiptWithoutPdf(dir: string, written: Awaited<ReturnType<typeof writeReceipt>>, why: RegExp): Promise<void> {
    expect(written.pdf).toBeNull();
    expect(written.pdfSignature).toBeNull();
    expect(written.pdfProblem).toMatch(/^RECEIPT_PDF_FAILED: The PDF copy of the receipt could not be made\. The transfer is complete and recorded/u);
    expect(written.pdfProblem).toMatch(why);
    expect((await readdir(dir)).sort()).toEqual(['apart.import-receipt.html', 'apart.import-receipt.json', 'apart.import-receipt.json.asc']);
    expect(JSON.parse(await readFile(written.json, 'utf8'))).toEqual(receipt);
  }

  it('one that cannot read the audit event (the renderer fails)', async () => {
    const dir = await freshDir();
    const written = await writeReceipt(dir, receipt, signer, { files: { database: join(dir, 'no-such.db'), eventSeq: 1 } });
    await expectReceiptWithoutPdf(dir, written, /Rendering the PDF receipt: .*(directory does not exist|unable to open)/iu);
  });

  it('one that is given a font that is no font (pdfkit fails in the renderer)', async () => {
    const dir = await freshDir();
    const notAFont = join(dir, 'not-a-font.ttf');
    await writeFile(notAFont, 'this is not a TrueType font\n');
    await expect(renderPdfApart(job({ fonts: { ...receiptFonts(), bold: notAFont } }), { mode: 'process' })).rejects.toThrow(/^Rendering the PDF receipt: /u);
    await expect(renderPdfApart(job({ fonts: { ...receiptFonts(), bold: notAFont } }), { mode: 'thread' })).rejects.toThrow(/^Rendering the PDF receipt: /u);
  });

  it('one killed at its deadline (a hang): no PDF, and nothing half-made', async () => {
    await expect(renderPdfApart(job(), { mode: 'process', timeoutMs: 1 })).rejects.toThrow(/ended without a PDF \(SIGKILL\)/u);
    await expect(renderPdfApart(job(), { mode: 'thread', timeoutMs: 1 })).rejects.toThrow(/ended without a PDF/u);
  });

  it('one cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(renderPdfApart(job(), { mode: 'process', signal: controller.signal })).rejects.toThrow();
    await expect(renderPdfApart(job(), { mode: 'thread', signal: controller.signal })).rejects.toThrow(/cancelled/u);
  });
});
