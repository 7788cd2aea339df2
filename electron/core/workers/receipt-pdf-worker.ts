/**
 * The receipt PDF's renderer (receipts/pdf-render-host.ts), run apart from the transfer that
 * wrote the receipt: as a short-lived child process where core runs on plain Node (the CLI, from
 * source or from its bundle), as a worker thread inside the app (Electron, whose binary is not a
 * Node to start). Either way it is given one job (pdf-render-job.ts), answers with the PDF or the
 * error, and ends; pdfkit, fontkit and the parsed fonts go with it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TransferReceipt } from '../audit/receipt.js';
import { openAnnexFiles } from '../receipts/annex-files.js';
import type { PdfRenderJob, PdfRenderReply } from '../receipts/pdf-render-job.js';
import { renderReceiptPdf } from '../receipts/receipt-pdf.js';
import { postableError } from './posted-error.js';

async function render(job: PdfRenderJob): Promise<PdfRenderReply> {
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
      });
      return { ok: true, pdf: new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength) };
    } finally {
      annex.close();
    }
  } catch (error) {
    return { ok: false, error: postableError(error, 'Rendering the PDF receipt') };
  }
}

if (parentPort) {
  const port = parentPort;
  void render(workerData as PdfRenderJob).then((reply) => port.postMessage(reply));
} else if (process.send) {
  // A child process: the job comes over the IPC channel; when the parent goes first (killed), so does this.
  let answered = false;
  process.once('disconnect', () => {
    if (!answered) process.exit(1);
  });
  process.once('message', (job: PdfRenderJob) => {
    void render(job).then((reply) => {
      answered = true;
      // Once the reply is written the channel is let go, and with nothing else open the process ends.
      process.send?.(reply, undefined, {}, () => process.disconnect());
    });
  });
} else {
  throw new Error('receipt-pdf-worker runs only as a worker thread or as a child process with an IPC channel');
}
