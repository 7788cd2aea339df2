/**
 * The receipt PDF's renderer started at a one-shot job's start (receipts/pdf-render-early.ts):
 *   - the receipt it makes is byte for byte the one a renderer started late makes (child process
 *     and worker thread), after its warm-up's throwaway receipt, whether the job comes during
 *     the warm-up or after it
 *   - a child process renderer runs without V8's optimizing compilers; one kept for many jobs keeps them
 *   - a renderer that dies before its job is replaced when the job comes
 *   - an export runs with the renderer already there during its payload pass, and a cancelled or
 *     failed export, or a refused import, leaves no renderer process behind
 */
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../../shared/progress.js';
import { receiptFonts } from '../../../electron/core/receipts/pdf-fonts.js';
import { startEarlyRenderer, type EarlyRenderer } from '../../../electron/core/receipts/pdf-render-early.js';
import { ONE_SHOT_V8_FLAGS, renderPdfApart, rendererExecArgv } from '../../../electron/core/receipts/pdf-render-host.js';
import type { PdfRenderJob } from '../../../electron/core/receipts/pdf-render-job.js';
import { WarmPdfRenderer } from '../../../electron/core/receipts/pdf-render-warm.js';
import { Station } from '../../../electron/core/station.js';
import { isProcessAlive } from '../../helpers/process-alive.js';
import { sampleImportReceipt } from '../../helpers/sample-receipt.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
/** The export's payload pass: one pass (signed in process) or the two-pass export's. */
const PAYLOAD_PHASES: ReadonlySet<string> = new Set(['hashing-and-writing', 'hashing', 'writing']);
const PASSPHRASE = 'early renderer passphrase';
const open: EarlyRenderer[] = [];
let root: string;
let home: string;
let otherHome: string;

/** This process's renderer children (not zombies): the pids of live receipt-pdf-worker processes whose parent is this process. */
function rendererChildren(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/u.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) !== process.pid || state === 'Z') continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('receipt-pdf-worker')) found.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

async function noRendererChildren(withinMs = 20_000): Promise<number[]> {
  const until = Date.now() + withinMs;
  let left = rendererChildren();
  while (left.length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = rendererChildren();
  }
  return left;
}

function job(language: 'en' | 'de' = 'en'): PdfRenderJob {
  const receipt = { ...sampleImportReceipt('early'), files: 40 };
  const rows = Array.from({ length: 40 }, (_, i) => ({ path: `dir-${i % 4}/file-${i}.txt`, size: 1000 + i, sha256: i.toString(16).padStart(64, '0') }));
  return {
    json: `${JSON.stringify(receipt, null, 2)}\n`,
    signature: null,
    attachmentName: 'early.import-receipt.json',
    language,
    annex: { total: 40, rows },
    twoPerson: false,
    organization: 'Early Org',
    fonts: receiptFonts(),
  };
}

function started(mode: 'process' | 'thread'): EarlyRenderer {
  const early = startEarlyRenderer(mode);
  if (early === null) throw new Error('no early renderer');
  open.push(early);
  return early;
}

beforeAll(async () => {
  root = await makeTemp('airlock-pdf-early-');
  home = join(root, 'home');
  otherHome = join(root, 'other-home');
  for (const [where, name] of [
    [home, 'Early Station'],
    [otherHome, 'Other Station'],
  ] as const) {
    const station = await Station.open({ home: where });
    await station.generateKey({ name, passphrase: PASSPHRASE });
    station.close();
  }
});

afterEach(() => {
  for (const early of open.splice(0)) early.stop();
});

describe('a renderer started early', () => {
  it.each(['process', 'thread'] as const)('as a %s: the receipt a late renderer makes, byte for byte, after its warm-up', async (mode) => {
    const early = started(mode);
    if (mode === 'process') expect(rendererChildren().length).toBe(1);
    const [english, german] = [job('en'), job('de')];
    const made = await early.render(english);
    expect(made.equals(await renderPdfApart(english, { mode }))).toBe(true);
    // The app's thread serves one job; later receipts (a medium with several bundles) get fresh renderers, the same bytes.
    expect((await early.render(german)).equals(await renderPdfApart(german, { mode }))).toBe(true);
    early.close();
    expect(await noRendererChildren()).toEqual([]);
  });

  it.each(['process', 'thread'] as const)('as a %s: a job that comes after the throwaway receipt, the same bytes', async (mode) => {
    // The warm-up's throwaway receipt (pdf-warm-up.ts) is done by then: a late job finds the renderer idle.
    const early = started(mode);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const english = job('en');
    expect((await early.render(english)).equals(await renderPdfApart(english, { mode }))).toBe(true);
    early.close();
    expect(await noRendererChildren()).toEqual([]);
  });

  it('as a process: started without the optimizing compilers (ONE_SHOT_V8_FLAGS); a renderer kept for many jobs keeps them', async () => {
    const cmdline = (pid: number): string[] => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    started('process');
    const [early] = rendererChildren();
    expect(cmdline(early as number)).toEqual(expect.arrayContaining([...ONE_SHOT_V8_FLAGS]));
    const kept = new WarmPdfRenderer();
    open.push(kept);
    kept.prestart(receiptFonts());
    const args = cmdline(kept.pid as number);
    expect(args.some((arg) => arg.startsWith('--max-opt'))).toBe(false);
    // Its heap bounds are the one-shot renderer's.
    expect(args).toEqual(expect.arrayContaining(rendererExecArgv(false)));
    expect(rendererExecArgv(true)).toEqual([...rendererExecArgv(false), ...ONE_SHOT_V8_FLAGS]);
  });

  it('one that dies before its job is replaced when the job comes', async () => {
    const warm = new WarmPdfRenderer();
    open.push(warm);
    warm.prestart(receiptFonts());
    const first = warm.pid as number;
    process.kill(first, 'SIGKILL');
    while (isProcessAlive(first) && warm.pid === first) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const pdf = await warm.render(job());
    expect(pdf.equals(await renderPdfApart(job(), { mode: 'process' }))).toBe(true);
    expect(warm.started).toBe(2);
  });
});

describe('one-shot jobs start it early and leave none behind', () => {
  async function payload(files: number): Promise<string> {
    const src = join(await makeTemp('airlock-pdf-early-src-'), 'payload');
    await mkdir(src);
    for (let i = 0; i < files; i += 1) await writeFile(join(src, `f${String(i).padStart(3, '0')}.bin`), Buffer.alloc(64 * 1024, i));
    return src;
  }

  it('an export: running beside the payload pass, gone after the receipt', async () => {
    const src = await payload(20);
    const out = await makeTemp('airlock-pdf-early-out-');
    const station = await Station.open({ home });
    const seen: number[][] = [];
    try {
      const outcome = await station.exportBundle({
        selection: [src],
        outDir: out,
        name: 'early-ok',
        passphrase: PASSPHRASE,
        onProgress: (p: Progress) => {
          if (PAYLOAD_PHASES.has(p.phase)) seen.push(rendererChildren());
        },
      });
      expect(outcome.receipt?.pdf).toMatch(/\.pdf$/u);
      expect(outcome.warnings).toEqual([]);
    } finally {
      station.close();
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((pids) => pids.length === 1)).toBe(true);
    expect(await noRendererChildren()).toEqual([]);
  });

  it('a cancelled export: CANCELLED, and its renderer is gone', async () => {
    const src = await payload(200);
    const out = await makeTemp('airlock-pdf-early-out-');
    const station = await Station.open({ home });
    const controller = new AbortController();
    let during: number[] = [];
    try {
      await expect(
        station.exportBundle({
          selection: [src],
          outDir: out,
          name: 'early-cancelled',
          passphrase: PASSPHRASE,
          signal: controller.signal,
          onProgress: (p: Progress) => {
            if (PAYLOAD_PHASES.has(p.phase) && !controller.signal.aborted) {
              during = rendererChildren();
              controller.abort();
            }
          },
        }),
      ).rejects.toMatchObject({ code: 'CANCELLED' });
    } finally {
      station.close();
    }
    expect(during.length).toBe(1);
    expect(await noRendererChildren()).toEqual([]);
    // Reaped too, not only dead: nothing of it is left in the process table.
    const until = Date.now() + 20_000;
    while (isProcessAlive(during[0]!) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isProcessAlive(during[0]!)).toBe(false);
  });

  it('a failed export (a source file gone during the payload pass): the error, and its renderer is gone', async () => {
    const src = await payload(200);
    const out = await makeTemp('airlock-pdf-early-out-');
    const station = await Station.open({ home });
    let during: number[] = [];
    try {
      const failed = station.exportBundle({
        selection: [src],
        outDir: out,
        name: 'early-failed',
        passphrase: PASSPHRASE,
        onProgress: (p: Progress) => {
          if (PAYLOAD_PHASES.has(p.phase) && during.length === 0) {
            during = rendererChildren();
            unlinkSync(join(src, 'f199.bin'));
          }
        },
      });
      await expect(failed).rejects.toThrow();
    } finally {
      station.close();
    }
    expect(during.length).toBe(1);
    expect(await noRendererChildren()).toEqual([]);
  });

  it('a refused import (signer not trusted): no receipt, and its renderer is gone', async () => {
    const src = await payload(3);
    const out = await makeTemp('airlock-pdf-early-out-');
    const other = await Station.open({ home: otherHome });
    let bundle: string;
    try {
      bundle = (await other.exportBundle({ selection: [src], outDir: out, name: 'from-other', passphrase: PASSPHRASE })).bundlePath;
    } finally {
      other.close();
    }
    expect(await noRendererChildren()).toEqual([]);
    const dest = await makeTemp('airlock-pdf-early-dest-');
    const station = await Station.open({ home });
    try {
      const outcome = await station.importBundle({ bundlePath: bundle, destDir: dest, passphrase: PASSPHRASE });
      expect(outcome.ok).toBe(false);
      expect(outcome.problems.map((p) => p.code)).toContain('SIGNER_UNTRUSTED');
      expect(outcome.receipt).toBeNull();
    } finally {
      station.close();
    }
    expect(await noRendererChildren()).toEqual([]);
  });
});
