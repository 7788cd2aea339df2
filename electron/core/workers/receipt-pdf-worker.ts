/**
 * The receipt PDF's renderer (receipts/pdf-render-host.ts), run apart from the transfer that
 * wrote the receipt: as a short-lived child process where core runs on plain Node (the CLI, from
 * source or from its bundle), as a worker thread inside the app (Electron, whose binary is not a
 * Node to start). Either way it is given one job (pdf-render-job.ts), answers with the PDF or the
 * error, and ends; pdfkit, fontkit and the parsed fonts go with it. A long-running importer (`airlock
 * watch`) keeps one child serving many jobs instead (receipts/pdf-render-warm.ts): it ends when its
 * parent's channel closes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TransferReceipt } from '../audit/receipt.js';
import { openAnnexFiles } from '../receipts/annex-files.js';
import type { PdfRenderJob, PdfRenderReply, PdfServeReply, PdfServeRequest, PdfWarmRequest } from '../receipts/pdf-render-job.js';
import { warmUpRenderer } from '../receipts/pdf-warm-up.js';
import { renderReceiptPdf, type ParsedFonts } from '../receipts/receipt-pdf.js';
import { postableError } from './posted-error.js';

async function render(job: PdfRenderJob, parsedFonts?: ParsedFonts): Promise<PdfRenderReply> {
  try {
    const annex = openAnnexFiles(job.annex);
    try {
      const pdf = await renderReceiptPdf({
        receipt: JSON.parse(job.json) as TransferReceipt,
        json: job.json,
        signature: job.signature,
        attachmentName: job.attachmentName,
        language: job.language,
        files: annex,
        twoPerson: job.twoPerson,
        organization: job.organization,
        fonts: job.fonts,
        parsedFonts,
      });
      return { ok: true, pdf: new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength) };
    } finally {
      annex.close();
    }
  } catch (error) {
    return { ok: false, error: postableError(error, 'Rendering the PDF receipt') };
  }
}

/**
 * A warm-up (pdf-render-early.ts, pdf-warm-up.ts): pdfkit, the fonts and one throwaway receipt.
 * A warm-up that fails is met again, and reported, by the job (parsed from scratch).
 */
async function warm(request: PdfWarmRequest, parsedFonts: ParsedFonts): Promise<void> {
  try {
    await warmUpRenderer(request.fonts, parsedFonts);
  } catch {
    parsedFonts.clear();
  }
}

function isWarmRequest(message: unknown): message is PdfWarmRequest {
  return typeof message === 'object' && message !== null && (message as { kind?: unknown }).kind === 'warm';
}

if (parentPort) {
  const port = parentPort;
  if (isWarmRequest(workerData)) {
    // Started early (a worker thread of the app's job): warm up, then the one job arrives as a message.
    const parsedFonts: ParsedFonts = new Map();
    const warmed = warm(workerData, parsedFonts);
    port.once('message', (job: PdfRenderJob) => {
      void warmed.then(() => render(job, parsedFonts)).then((reply) => port.postMessage(reply));
    });
  } else {
    void render(workerData as PdfRenderJob).then((reply) => port.postMessage(reply));
  }
} else if (process.send) {
  // A child process: the job comes over the IPC channel; when the parent goes first (killed), so does this.
  let answered = false;
  let serving = false;
  // Served jobs share the parsed fonts: parsing them again per receipt was most of a warm receipt's time.
  const parsedFonts: ParsedFonts = new Map();
  // A job waits for the warm-up, if one was asked for (they share the parsed fonts).
  let warmed: Promise<void> = Promise.resolve();
  process.on('disconnect', () => {
    // A warm renderer (pdf-render-warm.ts) lives as long as its parent's channel; a one-shot one until it answered.
    if (serving || !answered) process.exit(serving ? 0 : 1);
  });
  process.on('message', (message: PdfRenderJob | PdfServeRequest | PdfWarmRequest) => {
    if (isWarmRequest(message)) {
      // Started early (pdf-render-early.ts): a served renderer whose first job comes later.
      serving = true;
      warmed = warm(message, parsedFonts);
      return;
    }
    if ('kind' in message && message.kind === 'serve') {
      // Served: one job at a time (the parent sends the next only after this reply); the channel stays open.
      serving = true;
      void warmed
        .then(() => render(message.job, parsedFonts))
        .then((reply) => {
          const answer: PdfServeReply = { id: message.id, reply, rss: process.memoryUsage.rss() };
          process.send?.(answer);
        });
      return;
    }
    if (answered || serving) return;
    void render(message).then((reply) => {
      answered = true;
      // Once the reply is written the channel is let go, and with nothing else open the process ends.
      process.send?.(reply, undefined, {}, () => process.disconnect());
    });
  });
} else {
  throw new Error('receipt-pdf-worker runs only as a worker thread or as a child process with an IPC channel');
}
