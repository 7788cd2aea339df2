/**
 * The warm receipt renderer of a long-running importer (`airlock watch`, receipts/pdf-render-warm.ts):
 * one child process serves many receipts, and every guarantee of the one-shot renderer stays.
 *   - the same bytes as the one-shot renderer, receipt after receipt, from one process
 *   - memory bounded: replaced after maxJobs receipts, or once its RSS passes maxRssBytes
 *   - a renderer that fails, hangs (killed at the deadline) or crashes fails that receipt only
 *     (RECEIPT_PDF_FAILED through writeReceipt), and the next receipt gets a fresh one
 *   - it dies with its parent (kill -9 of the parent: the channel closes, it exits), and it never
 *     keeps its parent alive between receipts
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeReceipt } from '../../../electron/core/audit/receipt.js';
import { receiptFonts } from '../../../electron/core/receipts/pdf-fonts.js';
import { renderPdfApart } from '../../../electron/core/receipts/pdf-render-host.js';
import type { PdfRenderJob } from '../../../electron/core/receipts/pdf-render-job.js';
import { WarmPdfRenderer } from '../../../electron/core/receipts/pdf-render-warm.js';
import { isProcessAlive } from '../../helpers/process-alive.js';
import { SAMPLE_ANNEX_ROWS, sampleImportReceipt } from '../../helpers/sample-receipt.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';
import { qpdfCheck } from './pdf-tools.js';

const makeTemp = useTempDirs();
let root: string;
let n = 0;
const open: WarmPdfRenderer[] = [];
const parents: Array<ReturnType<typeof spawn>> = [];

const receipt = sampleImportReceipt('warm');
const rows = SAMPLE_ANNEX_ROWS;

function job(name = 'warm', overrides: Partial<PdfRenderJob> = {}): PdfRenderJob {
  const json = `${JSON.stringify({ ...receipt, bundle: { ...receipt.bundle, name } }, null, 2)}\n`;
  return {
    json,
    signature: null,
    attachmentName: `${name}.import-receipt.json`,
    language: 'en',
    annex: { total: 2, rows },
    twoPerson: false,
    organization: null,
    fonts: receiptFonts(),
    ...overrides,
  };
}

function renderer(options: ConstructorParameters<typeof WarmPdfRenderer>[0] = {}): WarmPdfRenderer {
  const warm = new WarmPdfRenderer(options);
  open.push(warm);
  return warm;
}

async function gone(pid: number, withinMs = 20_000): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (!isProcessAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isProcessAlive(pid);
}

beforeAll(async () => {
  root = await makeTemp('airlock-pdf-warm-');
});

afterEach(() => {
  for (const warm of open.splice(0)) warm.close();
  // A failed test must not leave its parent (and renderer) behind.
  for (const parent of parents.splice(0)) if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
});

describe('a warm renderer', () => {
  it('gives the one-shot renderer’s bytes, receipt after receipt, from one process; this process never loads pdfkit', async () => {
    const warm = renderer();
    const names = ['warm-1', 'warm-2', 'warm-3', 'warm-1'];
    const pids = new Set<number | null>();
    const made: Buffer[] = [];
    for (const name of names) {
      made.push(await warm.render(job(name)));
      pids.add(warm.pid);
    }
    expect(warm.started).toBe(1);
    expect(pids.size).toBe(1);
    // Fonts parsed once and kept: still byte for byte what a fresh renderer makes (the fourth is the first again).
    expect(made[3]!.equals(made[0]!)).toBe(true);
    const fresh = await renderPdfApart(job('warm-2'), { mode: 'process' });
    expect(made[1]!.equals(fresh)).toBe(true);
    expect(Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes('/node_modules/pdfkit/'))).toBe(false);
  });

  it('writes the same receipt set through writeReceipt, a valid PDF', async () => {
    const warm = renderer();
    n += 1;
    const dir = join(root, `set${n}`);
    await mkdir(dir);
    const written = await writeReceipt(dir, receipt, null, { files: { total: 2, rows }, renderer: warm });
    expect(written.pdfProblem).toBeUndefined();
    expect((await readdir(dir)).sort()).toEqual(['warm.import-receipt.html', 'warm.import-receipt.json', 'warm.import-receipt.pdf']);
    const check = qpdfCheck(written.pdf as string);
    expect(check.status, check.output).toBe(0);
    expect(warm.started).toBe(1);
  });

  it('is replaced after maxJobs receipts, and the one let go ends', async () => {
    const warm = renderer({ maxJobs: 2 });
    await warm.render(job());
    const first = warm.pid as number;
    await warm.render(job());
    // Two receipts: let go at once, its channel closed.
    expect(warm.pid).toBeNull();
    expect(await gone(first)).toBe(true);
    await warm.render(job());
    expect(warm.started).toBe(2);
    expect(warm.pid).not.toBe(first);
  });

  it('is replaced once its RSS passes maxRssBytes', async () => {
    const warm = renderer({ maxRssBytes: 1 });
    for (let i = 0; i < 3; i += 1) await warm.render(job());
    expect(warm.started).toBe(3);
  });
});

describe('a warm renderer that fails costs one receipt, never the next', () => {
  it('a job that fails in the renderer: the error comes back, the renderer serves on', async () => {
    const warm = renderer();
    await warm.render(job());
    const pid = warm.pid;
    const dir = join(root, 'bad-font');
    await mkdir(dir);
    const notAFont = join(dir, 'not-a-font.ttf');
    await writeFile(notAFont, 'this is not a TrueType font\n');
    await expect(warm.render(job('warm', { fonts: { ...receiptFonts(), bold: notAFont } }))).rejects.toThrow(/^Rendering the PDF receipt: /u);
    expect((await warm.render(job())).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(warm.pid).toBe(pid);
  });

  it('a hang: killed at its deadline, RECEIPT_PDF_FAILED, and the next receipt gets a fresh renderer', async () => {
    const warm = renderer({ timeoutMs: 1 });
    const dir = join(root, 'hang');
    await mkdir(dir);
    const started = Date.now();
    const written = await writeReceipt(dir, receipt, null, { files: { total: 2, rows }, renderer: warm });
    expect(written.pdf).toBeNull();
    expect(written.pdfProblem).toMatch(/^RECEIPT_PDF_FAILED: .*gave no PDF within/u);
    expect((await readdir(dir)).sort()).toEqual(['warm.import-receipt.html', 'warm.import-receipt.json']);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(warm.pid).toBeNull();
    await expect(warm.render(job())).rejects.toThrow(/gave no PDF within/u);
    expect(warm.started).toBe(2);
  });

  it('a crash mid-receipt (the renderer killed): that receipt fails, the next is made by a new renderer', async () => {
    const warm = renderer();
    await warm.render(job());
    const first = warm.pid as number;
    const pending = warm.render(job());
    await new Promise((resolve) => setImmediate(resolve));
    process.kill(first, 'SIGKILL');
    await expect(pending).rejects.toThrow(/ended without a PDF \(SIGKILL\)/u);
    expect((await warm.render(job())).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(warm.pid).not.toBe(first);
    expect(warm.started).toBe(2);
  });

  it('a cancel kills it; closed, it takes no more jobs', async () => {
    const warm = renderer();
    const controller = new AbortController();
    const pending = warm.render(job(), controller.signal);
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toThrow(/cancelled/u);
    warm.close();
    await expect(warm.render(job())).rejects.toThrow(/closed/u);
  });
});

describe('a warm renderer and its parent', () => {
  function startParent(mode: 'hold' | 'leave'): Promise<{ parent: ReturnType<typeof spawn>; rendererPid: number; exited: Promise<number | null> }> {
    const parent = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/warm-renderer-parent.ts', mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    parents.push(parent);
    const exited = new Promise<number | null>((resolve) => parent.once('exit', (code) => resolve(code)));
    return new Promise((resolve, reject) => {
      let out = '';
      parent.stdout.setEncoding('utf8');
      parent.stdout.on('data', (chunk: string) => {
        out += chunk;
        const ready = /READY (\d+) (\d+)/u.exec(out);
        if (ready) resolve({ parent, rendererPid: Number(ready[1]), exited });
      });
      void exited.then((code) => reject(new Error(`the parent ended (${code}) before it was ready: ${out}`)));
    });
  }

  it('dies with its parent: kill -9 of the parent closes the channel and the renderer exits', async () => {
    const { parent, rendererPid, exited } = await startParent('hold');
    expect(isProcessAlive(rendererPid)).toBe(true);
    parent.kill('SIGKILL');
    await exited;
    expect(await gone(rendererPid)).toBe(true);
  }, 120_000);

  it('never keeps its parent alive between receipts: a parent that never closes it still ends', async () => {
    const { rendererPid, exited } = await startParent('leave');
    const ended = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running after 60 s'), 60_000))]);
    expect(ended).toBe(0);
    expect(await gone(rendererPid)).toBe(true);
  }, 120_000);
});
