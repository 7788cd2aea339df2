/**
 * The PDF form of a transfer receipt (issue #19.2): PDF/A-3b, DejaVu fonts embedded, the signed
 * JSON receipt (AFRelationship Source) and its .asc (Supplement) embedded as associated files,
 * in the station's language. Deterministic: the same receipt, attachments and language give the
 * same bytes (creation date and file ID come from the receipt's finishedAt), which the tests use.
 */
import { createRequire } from 'node:module';
import type { TransferReceipt } from '../audit/receipt.js';
import { receiptCatalogue, type ReceiptLanguage } from './catalogue.js';
import { receiptFonts, type ReceiptFonts } from './pdf-fonts.js';
import { PAGE, PageWriter, type FontRole } from './pdf-layout.js';
import { usePlainLayout, type LayoutFont } from './pdf-plain-layout.js';
import type { GlyphCheck } from './pdf-text.js';
import { drawAnnex, type AnnexFiles } from './receipt-annex.js';
import { drawReceiptPage } from './receipt-page.js';

export interface ReceiptPdfInput {
  receipt: TransferReceipt;
  /** The JSON receipt exactly as published beside the PDF, and its detached signature when signed. */
  json: string;
  signature: string | null;
  /** The name the JSON is published under (NAME.<kind>-receipt.json), for the attachment names. */
  attachmentName: string;
  language: ReceiptLanguage;
  files: AnnexFiles;
  twoPerson: boolean;
  organization: string | null;
  /** The font files; found beside this code (pdf-fonts.ts) when not given. */
  fonts?: ReceiptFonts | undefined;
  /**
   * Parsed fonts kept between receipts by a warm renderer (pdf-render-warm.ts), by file path:
   * fontkit's parse of the three DejaVu files was the largest part of a small receipt's time.
   * pdfkit takes a parsed font as it takes a file (the same font, the same subset, the same bytes).
   */
  parsedFonts?: ParsedFonts | undefined;
}

/** A fontkit font as pdfkit parsed it, kept by file path (filled by renderReceiptPdf). */
export type ParsedFonts = Map<string, object>;

/** pdfkit loads a default font (Helvetica, which PDF/A cannot carry unembedded) unless given null; its types allow only a name. */
const NO_DEFAULT_FONT = null as unknown as string;

type AttachmentOptions = PDFKit.Mixins.PDFAttachmentOptions & { relationship: 'Source' | 'Supplement' };

export async function renderReceiptPdf(input: ReceiptPdfInput): Promise<Buffer> {
  const t = receiptCatalogue(input.language);
  const r = input.receipt;
  const finished = validDate(r.finishedAt);
  const { doc, writer } = receiptDocument(input, t, finished);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  drawReceiptPage(writer, t, { receipt: r, signed: input.signature !== null, twoPerson: input.twoPerson, organization: input.organization });
  drawAnnex(writer, t, input.files, r.audit.eventSeq);
  drawFooters(writer, t, r);
  attach(doc, Buffer.from(input.json, 'utf8'), {
    name: input.attachmentName,
    type: 'application/json',
    description: 'Airlock transfer receipt (JSON), the source of this document',
    relationship: 'Source',
    creationDate: finished,
    modifiedDate: finished,
  });
  if (input.signature !== null) {
    attach(doc, Buffer.from(input.signature, 'utf8'), {
      name: `${input.attachmentName}.asc`,
      type: 'application/pgp-signature',
      description: 'OpenPGP detached signature over the JSON receipt by the station key',
      relationship: 'Supplement',
      creationDate: finished,
      modifiedDate: finished,
    });
  }
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

/**
 * The receipt's document with its three fonts registered by role ('regular', 'bold', 'mono'),
 * and the page writer over it. Exported for the test that a switch of font builds no new font.
 */
export function receiptDocument(
  input: Pick<ReceiptPdfInput, 'receipt' | 'fonts' | 'parsedFonts'>,
  t: ReturnType<typeof receiptCatalogue>,
  finished: Date,
): { doc: PDFKit.PDFDocument; writer: PageWriter } {
  const PDFDocument = loadPdfkit();
  const fonts = input.fonts ?? receiptFonts();
  const r = input.receipt;
  const source = (path: string): string => (input.parsedFonts?.get(path) as string | undefined) ?? path;
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    // No default font: the fonts are registered by role below, and `doc.font('regular')` must find
    // the regular one under that key. A default font of the same file was kept under another key,
    // so every switch back to 'regular' (two per annex line) built a new pdfkit font and compared
    // it with the default one by serialising the font's name table: 560 font builds per receipt.
    font: NO_DEFAULT_FONT,
    subset: 'PDF/A-3b',
    pdfVersion: '1.7',
    tagged: false,
    lang: t.locale,
    displayTitle: true,
    bufferPages: true,
    autoFirstPage: true,
    // Each text is laid out up to three times (measured to fit, measured by pdfkit's line wrapper,
    // encoded): cached, once. Every annex line is new text, so the annex empties the cache after
    // each line (PageWriter.forgetLayouts): kept whole it only grew (memory bound of a 200,000-file import).
    fontLayoutCache: true,
    info: {
      Title: `${t.title[r.kind]}: ${r.bundle.name}`,
      Author: r.station,
      Subject: t.family,
      Keywords: `airlock ${r.kind} receipt ${r.bundle.uuid ?? ''}`.trim(),
      Creator: 'Airlock',
      Producer: 'Airlock (PDFKit)',
      CreationDate: finished,
      ModDate: finished,
    },
  });
  const glyphs = {} as Record<FontRole, GlyphCheck>;
  for (const role of ['regular', 'bold', 'mono'] as const) {
    doc.registerFont(role, source(fonts[role]));
    doc.font(role);
    glyphs[role] = glyphCheckOf(doc);
    const parsed = parsedFontOf(doc);
    if (parsed === null) throw new Error('pdfkit no longer exposes the fontkit font the receipt lays plain text out with');
    // Plain ASCII (paths, sizes, hashes) laid out without fontkit's shaping, to the same glyphs and advances (pdf-plain-layout.ts).
    usePlainLayout(parsed as LayoutFont);
    if (input.parsedFonts !== undefined) input.parsedFonts.set(fonts[role], parsed);
  }
  const writer = new PageWriter(doc, glyphs);
  return { doc, writer };
}

/**
 * Load pdfkit and parse the three fonts into `parsed` ahead of the first receipt: a renderer
 * started at a job's start (pdf-render-early.ts) does this while the payload is being worked on,
 * so the receipts phase pays only the layout. The fonts are parsed as renderReceiptPdf parses
 * them (pdfkit's own fontkit call, through a document that is never written), so the receipt
 * made with them is byte for byte the one made without (pdf-render-early.test.ts).
 */
export function preparseReceiptFonts(fonts: ReceiptFonts, parsed: ParsedFonts): void {
  const PDFDocument = loadPdfkit();
  // The document's own font is the regular one: three parses, not four.
  const doc = new PDFDocument({ autoFirstPage: false, font: fonts.regular, fontLayoutCache: false });
  for (const role of ['regular', 'bold', 'mono'] as const) {
    if (role !== 'regular') doc.font(fonts[role]);
    const font = parsedFontOf(doc);
    if (font !== null && !parsed.has(fonts[role])) parsed.set(fonts[role], font);
  }
}

/**
 * pdfkit, loaded on first use (most CLI commands never write a receipt: start-up time, issue #18)
 * with require: the CLI bundle runs from a code-cached vm.Script, which has no dynamic import(),
 * and leaves pdfkit in node_modules (it reads its ICC profile from beside its own code).
 */
function loadPdfkit(): typeof import('pdfkit') {
  return createRequire(import.meta.url)('pdfkit') as typeof import('pdfkit');
}

function attach(doc: PDFKit.PDFDocument, data: Buffer, options: AttachmentOptions): void {
  doc.file(data, options);
}

/** Every page: the receipt it belongs to and "page n of m" (drawn last, when m is known). */
function drawFooters(w: PageWriter, t: ReturnType<typeof receiptCatalogue>, r: TransferReceipt): void {
  const range = w.doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    w.doc.switchToPage(i);
    const bottomMargin = w.doc.page.margins.bottom;
    w.doc.page.margins.bottom = 0;
    const y = PAGE.height - PAGE.margin - 12;
    const left = `${t.title[r.kind]} · ${w.safe(r.bundle.name, 'regular', 80)} · #${r.audit.eventSeq}`;
    w.use('regular', 7, '#777777').text(left, PAGE.margin, y, { width: 380, lineBreak: false, height: 10, ellipsis: true });
    w.use('regular', 7, '#777777').text(t.page(i - range.start + 1, range.count), PAGE.margin + 380, y, {
      width: PAGE.width - 2 * PAGE.margin - 380,
      align: 'right',
      lineBreak: false,
    });
    w.doc.page.margins.bottom = bottomMargin;
  }
}

/** The current font's fontkit object behind pdfkit's embedded font, if pdfkit still exposes it. */
function parsedFontOf(doc: PDFKit.PDFDocument): object | null {
  const font = (doc as unknown as { _font?: { font?: unknown } })._font?.font;
  return typeof font === 'object' && font !== null && typeof (font as { layout?: unknown }).layout === 'function' ? font : null;
}

/** Whether the current font has a glyph: fontkit's cmap lookup behind pdfkit's embedded font. */
function glyphCheckOf(doc: PDFKit.PDFDocument): GlyphCheck {
  const font = (doc as unknown as { _font?: { font?: { hasGlyphForCodePoint?: (cp: number) => boolean } } })._font?.font;
  const has = font?.hasGlyphForCodePoint;
  if (typeof has !== 'function') throw new Error('pdfkit no longer exposes the font glyph map the receipt checks names against');
  // Asked for every character of every value (fontkit searches its cmap each time): answers kept, for the BMP (0 not asked, 1 yes, 2 no).
  const known = new Uint8Array(0x10000);
  return (cp) => {
    if (cp >= 0x10000) return has.call(font, cp);
    let answer = known[cp];
    if (answer === 0) {
      answer = has.call(font, cp) ? 1 : 2;
      known[cp] = answer;
    }
    return answer === 1;
  };
}

function validDate(iso: string): Date {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? new Date(0) : date;
}
