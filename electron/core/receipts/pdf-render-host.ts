/**
 * Renders a receipt PDF apart from the process that made the transfer (workers/receipt-pdf-worker.ts).
 * pdfkit with fontkit and three parsed DejaVu fonts cost about 80 MB; in the importing process
 * they came on top of the import's own peak (a 200,000-file import: 178 MB, then 273-283 MB with
 * the PDF). Apart, that memory is another process's, and it is returned whole when it ends.
 *
 *   plain Node (the CLI: its bundle, or source through tsx)  a child process of the same Node,
 *       given the job over its IPC channel; its peak is its own, and it dies with its parent
 *   Electron (the app, and the packaged `airlock` command)  a worker thread: the Electron binary
 *       is not a Node to start (the RunAsNode fuse is off); the thread's heap is freed when it ends
 *
 * A renderer that fails, crashes or hangs past RENDER_TIMEOUT_MS gives an error here, never a
 * half-made PDF: the caller publishes the receipt without one and warns (RECEIPT_PDF_FAILED).
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { AirlockError } from '../errors.js';
import { revivedError } from '../workers/posted-error.js';
import { startWorker, workerScript } from '../workers/worker-script.js';
import type { PdfRenderJob, PdfRenderReply } from './pdf-render-job.js';

export type RenderMode = 'process' | 'thread';

/** A hang guard only: a receipt of ANNEX_MAX_FILES rows takes seconds even on a loaded two-core station. */
export const RENDER_TIMEOUT_MS = 300_000;

/**
 * The renderer's V8 heap bounds. Left to grow freely its peak was 150-195 MB (GNU time, 500-row
 * annex, loaded two-core machine), too near the 200 MB a 200,000-file import must stay under
 * (GNU time counts the larger of the CLI's and the renderer's peaks); with a 1 MB semi-space and
 * a 96 MB old space it is about 100 MB, a few seconds slower. A receipt that needed more would
 * fail as RECEIPT_PDF_FAILED, never the transfer.
 */
export const RENDER_HEAP = { youngMb: 1, oldMb: 96 } as const;
const HEAP = RENDER_HEAP;

/**
 * A renderer that makes one receipt (or a warm-up and one: a one-shot job's, pdf-render-early.ts)
 * runs without V8's optimizing compilers: interpreter and baseline (Sparkplug) code only. Most of
 * a cold renderer's first receipt was TurboFan compiling the layout code it would run a few times
 * more (on its own thread, but the transfer's CPU on a two-core station): a 500-row receipt in a
 * fresh process 455-520 ms CPU, 280-340 ms without (docs/design-notes.md "pdfcache"). Optimized
 * code pays off only after about three 500-row receipts (~100 ms each then, ~155 ms without), so a
 * renderer kept for many (`airlock watch`, pdf-render-warm.ts) keeps the optimizing compilers.
 * `--max-opt` bounds the tier (1: baseline; also Maglev where Node 22+ enables it). Node 20's V8 has
 * it and current V8 sources still define it; only Node 20 was measured. It changes no result, only
 * speed: the same bytes at every tier (receipt-pdf-warm.test.ts compares with a served renderer).
 */
export const ONE_SHOT_V8_FLAGS = ['--max-opt=1'] as const;

/** The renderer child's flags: its heap bounds, and for a one-shot renderer ONE_SHOT_V8_FLAGS. */
export function rendererExecArgv(oneShot: boolean): string[] {
  return [`--max-semi-space-size=${HEAP.youngMb}`, `--max-old-space-size=${HEAP.oldMb}`, ...(oneShot ? ONE_SHOT_V8_FLAGS : [])];
}

/** Where this core runs: a child process needs a Node binary, which only plain Node is. */
export function defaultRenderMode(): RenderMode {
  return process.versions.electron === undefined ? 'process' : 'thread';
}

export interface RenderApartOptions {
  mode?: RenderMode | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

export async function renderPdfApart(job: PdfRenderJob, options: RenderApartOptions = {}): Promise<Buffer> {
  const mode = options.mode ?? defaultRenderMode();
  if (options.signal?.aborted) throw new Error('The PDF renderer was cancelled before it started');
  const reply = await (mode === 'process' ? inChildProcess : inWorkerThread)(job, options.timeoutMs ?? RENDER_TIMEOUT_MS, options.signal);
  if (!reply.ok) throw revivedError(reply.error);
  return Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength);
}

function inChildProcess(job: PdfRenderJob, timeoutMs: number, signal: AbortSignal | undefined): Promise<PdfRenderReply> {
  const where = workerScript('receipt-pdf-worker');
  if (!existsSync(where.entry)) throw new AirlockError('INTERNAL', `The PDF renderer ${fileURLToPath(where.entry)} is missing from this installation.`);
  return new Promise<PdfRenderReply>((resolve, reject) => {
    const child = fork(fileURLToPath(where.script), where.argv, {
      // Not the parent's flags (the CLI's heap tuning, an inspector port): the renderer's own.
      execArgv: rendererExecArgv(true),
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      signal,
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    let reply: PdfRenderReply | null = null;
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      // The last words of a crash are what tell why; keep a bounded tail.
      stderr = (stderr + chunk).slice(-2000);
    });
    child.on('message', (message: PdfRenderReply) => {
      reply = message;
    });
    child.on('error', (error) => reject(error));
    child.on('exit', (code, killed) => {
      if (reply !== null) resolve(reply);
      else reject(new Error(`The PDF renderer ended without a PDF (${killed ?? `exit code ${code}`})${stderr.trim() === '' ? '' : `: ${lastLine(stderr)}`}`));
    });
    child.send(job);
  });
}

/** The renderer thread's heap bounds (a thread's young generation is both semi-spaces). */
export const RENDER_THREAD_LIMITS = { maxYoungGenerationSizeMb: 2 * HEAP.youngMb, maxOldGenerationSizeMb: HEAP.oldMb } as const;

function inWorkerThread(job: PdfRenderJob, timeoutMs: number, signal: AbortSignal | undefined): Promise<PdfRenderReply> {
  const worker = startWorker('receipt-pdf-worker', { workerData: job, resourceLimits: RENDER_THREAD_LIMITS });
  return workerThreadReply(worker, timeoutMs, signal);
}

/**
 * The reply of a renderer thread that has (or is about to get) its job, then the thread ended:
 * terminated when it answers, at the deadline or on cancel. The caller makes sure the thread has
 * not already ended (pdf-render-early.ts), as its exit is what settles a thread that never answers.
 */
export function workerThreadReply(worker: Worker, timeoutMs: number, signal: AbortSignal | undefined): Promise<PdfRenderReply> {
  return new Promise<PdfRenderReply>((resolve, reject) => {
    let reply: PdfRenderReply | null = null;
    const stop = (): void => void worker.terminate();
    const timer = setTimeout(stop, timeoutMs);
    signal?.addEventListener('abort', stop, { once: true });
    worker.on('message', (message: PdfRenderReply) => {
      reply = message;
      void worker.terminate();
    });
    worker.on('error', (error) => {
      if (reply === null) reply = { ok: false, error: { message: `The PDF renderer failed: ${error.message}` } };
    });
    worker.on('exit', (code) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
      if (reply !== null) resolve(reply);
      else reject(new Error(`The PDF renderer ended without a PDF (exit code ${code}${signal?.aborted ? ', cancelled' : ''})`));
    });
  });
}

function lastLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .at(-1) ?? ''
  );
}
