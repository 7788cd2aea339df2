/**
 * A one-shot renderer started early, given the annex rows ahead of its job (an import's signed
 * manifest, pdf-render-early.ts prepareAnnex; smallimp4): the receipt is byte for byte the one a
 * renderer started late makes, as a child process and as a worker thread, whether the rows given
 * ahead are the job's own or rows the job does not list (a file never committed is never drawn:
 * the rows drawn are the job's). A served renderer (`airlock watch`) is not asked to prepare.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { receiptFonts } from '../../../electron/core/receipts/pdf-fonts.js';
import { startEarlyRenderer, type EarlyRenderer } from '../../../electron/core/receipts/pdf-render-early.js';
import { renderPdfApart } from '../../../electron/core/receipts/pdf-render-host.js';
import type { PdfRenderJob } from '../../../electron/core/receipts/pdf-render-job.js';
import { sampleImportReceipt } from '../../helpers/sample-receipt.js';
import { text } from './pdf-tools.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
const open: EarlyRenderer[] = [];

afterEach(() => {
  for (const early of open.splice(0)) early.stop();
});

function rows(prefix: string, n: number): { path: string; size: number; sha256: string }[] {
  return Array.from({ length: n }, (_, i) => ({
    path: `data/${prefix}/file-${String(i).padStart(4, '0')}.bin`,
    size: 4096 + i,
    sha256: (i + 1).toString(16).padStart(64, 'c'),
  }));
}

function job(files: { path: string; size: number; sha256: string }[]): PdfRenderJob {
  const receipt = { ...sampleImportReceipt('prepared'), files: files.length };
  return {
    json: `${JSON.stringify(receipt, null, 2)}\n`,
    signature: null,
    attachmentName: 'prepared.import-receipt.json',
    language: 'en',
    annex: { total: files.length, rows: files },
    twoPerson: false,
    organization: null,
    fonts: receiptFonts(),
  };
}

function started(mode: 'process' | 'thread'): EarlyRenderer {
  const early = startEarlyRenderer(mode);
  if (early === null) throw new Error('no early renderer');
  open.push(early);
  return early;
}

describe('a renderer given the annex rows ahead', () => {
  it.each(['process', 'thread'] as const)('as a %s: its own rows ahead, the bytes a late renderer makes', async (mode) => {
    const files = rows('own', 60);
    const early = started(mode);
    early.prepareAnnex?.(files.map(({ path, sha256 }) => ({ path, sha256 })));
    const made = await early.render(job(files));
    expect(made.equals(await renderPdfApart(job(files), { mode }))).toBe(true);
  });

  it.each(['process', 'thread'] as const)('as a %s: rows ahead the job does not list are never drawn', async (mode) => {
    const committed = rows('committed', 20);
    const early = started(mode);
    early.prepareAnnex?.(rows('never-committed', 40).map(({ path, sha256 }) => ({ path, sha256 })));
    const made = await early.render(job(committed));
    expect(made.equals(await renderPdfApart(job(committed), { mode }))).toBe(true);
    const pdf = join(await makeTemp('airlock-pdf-prepared-'), 'r.pdf');
    await writeFile(pdf, made);
    const shown = text(pdf);
    expect(shown).toContain('data/committed/file-0019.bin');
    expect(shown).not.toContain('never-committed');
  });
});
