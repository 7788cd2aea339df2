/**
 * The receipt PDF's renderer started at a one-shot job's start (export, import, a medium's
 * verification), not at its end. The renderer's own start (a Node process, or a thread in the
 * app), loading pdfkit and parsing the three DejaVu fonts was most of the receipts phase: about
 * 1.6 s of a 3.1 s export of 20,000 small files (docs/design-notes.md "The receipt PDF off the
 * critical path"). Started early it does that while the transfer works on the other core, and
 * the receipts phase pays only the layout of the page.
 *
 * What stays as it was:
 *   what the PDF says   the same job, built from the same JSON after the transfer, by the same
 *                       renderer script; the fonts parsed ahead are the ones a served renderer
 *                       keeps (pdf-render-warm.ts): the same bytes (pdf-render-early.test.ts)
 *   failures            a renderer that cannot start, dies before its job, fails, crashes or
 *                       hangs gives what it gave when started late: a fresh start when the job
 *                       comes, or RECEIPT_PDF_FAILED with the rest of the set published
 *   no orphan           the job's end ends it: after a receipt it is let go (its channel closed,
 *                       it exits), and a job that fails, is cancelled or refused kills it at once;
 *                       a process renderer is in the job's process group and dies with its parent
 *   memory              its own process (the CLI) with the one-shot renderer's heap bounds; the
 *                       CLI's peak-RSS bound counts the larger of the two processes, not their sum
 */
import type { Worker } from 'node:worker_threads';
import { revivedError } from '../workers/posted-error.js';
import { startWorker } from '../workers/worker-script.js';
import { receiptFonts, type ReceiptFonts } from './pdf-fonts.js';
import { defaultRenderMode, RENDER_THREAD_LIMITS, RENDER_TIMEOUT_MS, renderPdfApart, workerThreadReply, type RenderMode } from './pdf-render-host.js';
import type { PdfRenderJob, PdfWarmRequest } from './pdf-render-job.js';
import { WarmPdfRenderer } from './pdf-render-warm.js';

/** Renders receipt PDFs for writeReceipt (audit/receipt.ts): a warm renderer, or one started early. */
export interface ReceiptRenderer {
  render(job: PdfRenderJob, signal?: AbortSignal): Promise<Buffer>;
}

/** A renderer started for one job: let go after the job's receipts, or killed when the job did not get there. */
export interface EarlyRenderer extends ReceiptRenderer {
  /** The job is done: let the renderer end (its channel closed; an idle renderer exits at once). */
  close(): void;
  /** The job failed or was cancelled: end the renderer now. */
  stop(): void;
}

/**
 * Run `work` with a renderer started now. `given`: a renderer the caller keeps (`airlock
 * watch`'s warm one), used as it is and left running. Otherwise one is started (a child process
 * under plain Node, a worker thread under Electron) and ended when `work` settles, either way.
 */
export async function withEarlyRenderer<T>(
  given: ReceiptRenderer | undefined,
  work: (renderer: ReceiptRenderer | undefined) => Promise<T>,
  mode: RenderMode = defaultRenderMode(),
): Promise<T> {
  if (given !== undefined) return work(given);
  const early = startEarlyRenderer(mode);
  let result: T;
  try {
    result = await work(early ?? undefined);
  } catch (error) {
    early?.stop();
    throw error;
  }
  early?.close();
  return result;
}

/**
 * A renderer warming up now, or null when it cannot be started (fonts or renderer script missing
 * from the installation): the receipt then starts its own renderer late, which meets the same
 * problem and reports it as it always did (RECEIPT_PDF_FAILED).
 */
export function startEarlyRenderer(mode: RenderMode = defaultRenderMode()): EarlyRenderer | null {
  let fonts: ReceiptFonts;
  try {
    fonts = receiptFonts();
  } catch {
    return null;
  }
  try {
    if (mode === 'thread') return new EarlyThreadRenderer(fonts);
    const warm = new WarmPdfRenderer({ oneShot: true });
    warm.prestart(fonts);
    return warm;
  } catch {
    return null;
  }
}

/**
 * Inside Electron (the app's job worker, the packaged `airlock`): a worker thread started with
 * the warm-up as its workerData, given its one job as a message. A thread that ended before its
 * job (it cannot be given one) is replaced by a fresh one-shot thread; later jobs (a medium with
 * several bundles) get fresh ones too, as before.
 */
class EarlyThreadRenderer implements EarlyRenderer {
  private worker: Worker | null;
  private ended = false;

  constructor(fonts: ReceiptFonts) {
    const warmUp: PdfWarmRequest = { kind: 'warm', fonts };
    const worker = startWorker('receipt-pdf-worker', { workerData: warmUp, resourceLimits: RENDER_THREAD_LIMITS });
    // An error before the job must not go unheard (an 'error' without a listener throws here); the job then gets a fresh thread.
    worker.on('error', () => undefined);
    worker.once('exit', () => {
      this.ended = true;
    });
    // Idle until its job: it must not keep the job's thread alive.
    worker.unref();
    this.worker = worker;
  }

  async render(job: PdfRenderJob, signal?: AbortSignal): Promise<Buffer> {
    const worker = this.worker;
    this.worker = null;
    if (worker === null || this.ended) return renderPdfApart(job, { mode: 'thread', signal });
    if (signal?.aborted) {
      void worker.terminate();
      throw new Error('The PDF renderer was cancelled before it started');
    }
    worker.ref();
    const replied = workerThreadReply(worker, RENDER_TIMEOUT_MS, signal);
    worker.postMessage(job);
    const reply = await replied;
    if (!reply.ok) throw revivedError(reply.error);
    return Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength);
  }

  close(): void {
    this.stop();
  }

  stop(): void {
    const worker = this.worker;
    this.worker = null;
    if (worker !== null && !this.ended) void worker.terminate();
  }
}
