/**
 * The drawing primitives the receipt's pages share: a cursor that starts a new page when the next
 * block does not fit, labelled rows, section headings, and the text rule (every value through
 * safeText, so no name can reorder, hide or overflow what is printed).
 */
import type PDFDocument from 'pdfkit';
import { safeText, type GlyphCheck } from './pdf-text.js';

export const PAGE = { width: 595.28, height: 841.89, margin: 50, footer: 40 } as const;
export const CONTENT_WIDTH = PAGE.width - 2 * PAGE.margin;
export const LABEL_WIDTH = 135;
export const GREY = '#555555';
export const INK = '#111111';

export type FontRole = 'regular' | 'bold' | 'mono';

export class PageWriter {
  constructor(
    readonly doc: PDFKit.PDFDocument,
    private readonly glyphs: Record<FontRole, GlyphCheck>,
  ) {}

  /** The page's lowest usable y: the footer band stays free. */
  get bottom(): number {
    return PAGE.height - PAGE.margin - PAGE.footer;
  }

  get y(): number {
    return this.doc.y;
  }

  /**
   * Empty pdfkit's text layout cache of every font in the document (receipt-pdf.ts turns it on):
   * the annex calls this after each line, so the cache holds one line's texts, never 500 lines'.
   */
  forgetLayouts(): void {
    const families = (this.doc as unknown as { _fontFamilies?: Record<string, { layoutCache?: unknown }> })._fontFamilies;
    if (families === undefined) throw new Error('pdfkit no longer exposes the fonts whose layout cache the receipt bounds');
    for (const font of Object.values(families)) {
      if (font.layoutCache !== undefined) font.layoutCache = Object.create(null);
    }
  }

  /** Hostile-safe text for the font it will be drawn in. */
  safe(value: string, role: FontRole = 'regular', max = 400): string {
    return safeText(value, this.glyphs[role], max);
  }

  use(role: FontRole, size: number, color: string = INK): PDFKit.PDFDocument {
    return this.doc.font(role).fontSize(size).fillColor(color);
  }

  /** A new page when `height` more points do not fit on this one. */
  ensure(height: number): void {
    if (this.doc.y + height > this.bottom) {
      this.doc.addPage();
      this.doc.y = PAGE.margin;
    }
  }

  gap(points: number): void {
    this.doc.y += points;
  }

  heading(text: string, size = 11.5): void {
    this.ensure(size * 3);
    this.gap(6);
    this.use('bold', size).text(this.safe(text, 'bold'), PAGE.margin, this.doc.y, { width: CONTENT_WIDTH });
    const y = this.doc.y + 1.5;
    this.doc
      .moveTo(PAGE.margin, y)
      .lineTo(PAGE.margin + CONTENT_WIDTH, y)
      .lineWidth(0.5)
      .strokeColor('#999999')
      .stroke();
    this.doc.y = y + 4;
  }

  /** A label and its value side by side; `role` 'mono' for hashes, fingerprints and IDs. */
  row(label: string, value: string, role: FontRole = 'regular', size = 9): void {
    const text = this.safe(value, role);
    const valueWidth = CONTENT_WIDTH - LABEL_WIDTH;
    const height = Math.max(this.use(role, size).heightOfString(text, { width: valueWidth }), size * 1.3);
    this.ensure(height + 2);
    const top = this.doc.y;
    this.use('bold', 8.5, GREY).text(this.safe(label, 'bold'), PAGE.margin, top, { width: LABEL_WIDTH - 8 });
    const labelBottom = this.doc.y;
    this.use(role, size).text(text, PAGE.margin + LABEL_WIDTH, top, { width: valueWidth });
    this.doc.y = Math.max(this.doc.y, labelBottom) + 2;
  }

  /** Running text across the full width. */
  paragraph(text: string, size = 8.5, color: string = GREY, role: FontRole = 'regular'): void {
    const safe = this.safe(text, role, 2000);
    this.ensure(this.use(role, size).heightOfString(safe, { width: CONTENT_WIDTH }));
    this.use(role, size, color).text(safe, PAGE.margin, this.doc.y, { width: CONTENT_WIDTH });
  }
}

export type PdfDoc = InstanceType<typeof PDFDocument>;
