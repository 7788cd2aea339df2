/**
 * The per-file annex: path, size and SHA-256 of every file as the audit event's file rows hold
 * them, one line each, on the pages after the first. Bounded: at most ANNEX_MAX_FILES lines
 * (about 8 pages; each line costs pdfkit a text layout, about 2-5 ms here); past that a line says how many are listed and that every file is in the audit
 * log (event #seq), so a 200,000-file transfer gives a PDF of a few pages, not thousands.
 */
import type { AuditFileRow } from '../audit/audit-event.js';
import { localNumber, type ReceiptCatalogue } from './catalogue.js';
import { CONTENT_WIDTH, GREY, PAGE, type PageWriter } from './pdf-layout.js';
import { fitOneLine } from './pdf-text.js';

export const ANNEX_MAX_FILES = 500;

export interface AnnexFiles {
  /** How many files the transfer moved (the audit event's row count). */
  total: number;
  /** The first rows, in the event's order; read at most ANNEX_MAX_FILES of them. */
  rows: Iterable<AuditFileRow>;
}

const ROW = 9.6;
const SIZE_WIDTH = 62;
const HASH_SIZE = 6.3;

export function drawAnnex(w: PageWriter, t: ReceiptCatalogue, files: AnnexFiles, eventSeq: number): void {
  if (files.total === 0) return;
  w.doc.addPage();
  w.doc.y = PAGE.margin;
  w.use('bold', 14).text(w.safe(t.annex.title, 'bold'), PAGE.margin, PAGE.margin, { width: CONTENT_WIDTH });
  w.paragraph(t.annex.intro(files.total));
  w.gap(4);
  const hashWidth = w.use('mono', HASH_SIZE).widthOfString('0'.repeat(64)) + 2;
  const pathWidth = CONTENT_WIDTH - hashWidth - SIZE_WIDTH - 12;
  const columns = { path: PAGE.margin, size: PAGE.margin + pathWidth + 4, hash: PAGE.margin + CONTENT_WIDTH - hashWidth };
  const header = (): void => {
    const y = w.y;
    w.use('bold', 7.5, GREY).text(w.safe(t.annex.path, 'bold'), columns.path, y, { width: pathWidth, lineBreak: false });
    w.use('bold', 7.5, GREY).text(w.safe(t.annex.size, 'bold'), columns.size, y, { width: SIZE_WIDTH, align: 'right', lineBreak: false });
    w.use('bold', 7.5, GREY).text(w.safe(t.annex.sha256, 'bold'), columns.hash, y, { width: hashWidth, lineBreak: false });
    w.doc.y = y + ROW + 2;
  };
  header();
  // Sizes repeat (a small-file transfer's are mostly one or a few): formatted once per document, not per row.
  const sizes = new Map<number, string>();
  const sizeText = (size: number): string => {
    let text = sizes.get(size);
    if (text === undefined) {
      text = localNumber(t.locale, size);
      sizes.set(size, text);
    }
    return text;
  };
  let shown = 0;
  for (const row of files.rows) {
    if (shown >= ANNEX_MAX_FILES) break;
    if (w.y + ROW > w.bottom) {
      w.doc.addPage();
      w.doc.y = PAGE.margin;
      header();
    }
    const y = w.y;
    w.use('regular', 7.2);
    const path = fitOneLine(w.safe(row.path, 'regular', 1000), pathWidth, (s) => w.doc.widthOfString(s));
    w.doc.text(path, columns.path, y, { width: pathWidth + 2, lineBreak: false });
    w.doc.text(sizeText(row.size), columns.size, y, { width: SIZE_WIDTH, align: 'right', lineBreak: false });
    w.use('mono', HASH_SIZE).text(w.safe(row.sha256, 'mono', 64), columns.hash, y + 0.6, { width: hashWidth, lineBreak: false });
    w.doc.y = y + ROW;
    w.forgetLayouts();
    shown += 1;
  }
  if (shown < files.total) {
    w.gap(6);
    w.paragraph(t.annex.rest(shown, files.total, eventSeq), 8.5);
  }
}
