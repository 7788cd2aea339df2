/**
 * What the receipt PDF's renderer is given and answers (receipt-pdf-worker.ts), plain data that
 * survives a worker thread's postMessage and a child process's IPC channel alike. The renderer
 * runs apart from the transfer (pdf-render-host.ts): pdfkit, fontkit and three parsed fonts cost
 * about 80 MB, which must not add to the peak of a 200,000-file import.
 */
import type { AuditFileRow } from '../audit/audit-event.js';
import type { PostedError } from '../workers/posted-error.js';
import type { ReceiptLanguage } from './catalogue.js';
import type { ReceiptFonts } from './pdf-fonts.js';

/**
 * The annex's rows: read by the renderer from the station database (the audit event's file rows,
 * streamed, at most ANNEX_MAX_FILES of them), or given (at most ANNEX_MAX_FILES rows: a caller
 * outside a station, and tests).
 */
export type AnnexJob = { database: string; eventSeq: number } | { total: number; rows: AuditFileRow[] };

export interface PdfRenderJob {
  /** The JSON receipt exactly as published beside the PDF (the renderer parses it: the page shows what the JSON says). */
  json: string;
  signature: string | null;
  attachmentName: string;
  language: ReceiptLanguage;
  annex: AnnexJob;
  twoPerson: boolean;
  organization: string | null;
  /** Found by the process that starts the renderer: a worker thread of the packaged app may not see process.resourcesPath. */
  fonts: ReceiptFonts;
}

export type PdfRenderReply = { ok: true; pdf: Uint8Array } | { ok: false; error: PostedError };

/**
 * A warm renderer's traffic (pdf-render-warm.ts): many jobs over one channel, each answered with
 * its id and the renderer's RSS after it (the parent replaces a renderer past its memory bound).
 */
export interface PdfServeRequest {
  kind: 'serve';
  id: number;
  job: PdfRenderJob;
}

export interface PdfServeReply {
  id: number;
  reply: PdfRenderReply;
  rss: number;
}

/**
 * Sent to a renderer started at a job's start (pdf-render-early.ts), before its job: load pdfkit
 * and parse the fonts now, while the transfer works on the other core. Never answered: a warm-up
 * that fails is left for the job itself to meet and report.
 */
export interface PdfWarmRequest {
  kind: 'warm';
  fonts: ReceiptFonts;
}
