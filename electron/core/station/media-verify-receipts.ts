/**
 * A medium's verification receipts (issue #19.2): after the media-readback event is committed,
 * one receipt set per bundle or part set verified, in the station home's `receipts/` (0700) or
 * the folder the operator names, and NEVER on the medium being verified: verification must not
 * write to what it checks (the medium may be read-only, and a receipt there would change it).
 * A folder that cannot take them gives RECEIPT_DIR_UNUSABLE in the result, not a thrown error:
 * the verification and its audit event stand either way.
 */
import { mkdir, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { AuditEvent } from '../audit/audit-event.js';
import { mediaVerifyFacts, mediaVerifyReceiptName } from '../audit/media-verify-receipt.js';
import { writeReceipt, type WrittenReceipt } from '../audit/receipt.js';
import { buildTransferReceipt } from '../audit/transfer-receipt.js';
import type { BundleSigner } from '../crypto/bundle-signer.js';
import { AirlockError } from '../errors.js';
import type { MediaVerifyReceipts, MediaVerifyReport } from '../media/read-back/media-verify.js';
import type { ReceiptRenderer } from '../receipts/pdf-render-early.js';
import { receiptPdfOptions } from '../receipts/receipt-options.js';
import { checkpointWith } from './signers.js';
import type { StationContext } from './context.js';

/** A receipt's NAME at most this many bytes: the set's longest suffix (.media-verify-receipt-NN.json.asc) must still fit in 255. */
const STEM_MAX_BYTES = 200;

export interface MediaVerifyReceiptRequest {
  report: MediaVerifyReport;
  event: AuditEvent;
  signer: BundleSigner | null;
  startedAt: Date;
  /** The operator's folder (`--receipt-dir`); absent: `receipts/` in the station home. */
  receiptDir?: string | undefined;
  /** The PDF renderer started at the verification's start (pdf-render-early.ts); absent: one per receipt. */
  renderer?: ReceiptRenderer | undefined;
}

export async function writeMediaVerifyReceipts(context: StationContext, request: MediaVerifyReceiptRequest): Promise<MediaVerifyReceipts> {
  const dir = resolve(request.receiptDir ?? join(context.paths.root, 'receipts'));
  const signed = request.signer !== null;
  const sets: WrittenReceipt[] = [];
  try {
    await usableReceiptDir(dir, request.report.dir);
    const checkpoint = await checkpointWith(context, request.signer);
    for (const item of request.report.items) {
      const facts = mediaVerifyFacts(item, request.report, { startedAt: request.startedAt, event: request.event, checkpoint });
      const written = await writeReceipt(dir, buildTransferReceipt('media-verify', context.identity, facts), request.signer, {
        ...receiptPdfOptions(context, request.event, false),
        // The media-readback event holds no file rows: no annex.
        files: undefined,
        fileStem: byteCut(mediaVerifyReceiptName(item), STEM_MAX_BYTES),
        renderer: request.renderer,
      });
      sets.push(written);
      if (written.pdfProblem !== undefined) request.report.warnings.push(`${written.json}: ${written.pdfProblem}`);
    }
    return { dir, sets: sets.map(plainSet), signed, problem: null };
  } catch (error) {
    const cause = error instanceof AirlockError ? (error.detail ?? error.message) : error instanceof Error ? error.message : String(error);
    const failure =
      error instanceof AirlockError && error.code === 'RECEIPT_DIR_UNUSABLE' ? error : new AirlockError('RECEIPT_DIR_UNUSABLE', `${dir}: ${cause}`);
    return { dir, sets: sets.map(plainSet), signed, problem: { code: failure.code, message: failure.message } };
  }
}

/** The folder exists (made 0700 when it does not), is a folder, and lies outside the medium being verified. */
async function usableReceiptDir(dir: string, mediumDir: string): Promise<void> {
  const medium = await realpath(mediumDir).catch(() => resolve(mediumDir));
  // Checked before anything is made: the nearest folder that exists, through its symlinks, so not even a parent lands on the medium.
  if (inside(dir, medium) || inside(await existingAncestor(dir), medium))
    throw new AirlockError('RECEIPT_DIR_UNUSABLE', `${dir} is on the medium being verified (${medium}).`);
  await mkdir(dir, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    throw new AirlockError('RECEIPT_DIR_UNUSABLE', `${dir}: ${error instanceof Error ? error.message : String(error)}`);
  });
  const real = await realpath(dir);
  // A symlink (or a folder mounted from the medium) that leads onto the medium counts as the medium.
  if (inside(real, medium)) throw new AirlockError('RECEIPT_DIR_UNUSABLE', `${dir} is on the medium being verified (${medium}).`);
  if (!(await stat(real)).isDirectory()) throw new AirlockError('RECEIPT_DIR_UNUSABLE', `${dir} is not a folder.`);
}

/** The real path of `dir`, or of its nearest ancestor that exists. */
async function existingAncestor(dir: string): Promise<string> {
  for (let at = dir; ; at = dirname(at)) {
    const real = await realpath(at).catch(() => null);
    if (real !== null || dirname(at) === at) return real ?? at;
  }
}

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function byteCut(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let out = '';
  for (const char of text) {
    if (Buffer.byteLength(out + char) > max) break;
    out += char;
  }
  return out;
}

function plainSet(w: WrittenReceipt): MediaVerifyReceipts['sets'][number] {
  return { json: w.json, signature: w.signature, html: w.html, pdf: w.pdf, pdfSignature: w.pdfSignature };
}
