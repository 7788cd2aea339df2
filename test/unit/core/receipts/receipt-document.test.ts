/**
 * The receipt document's fonts and text layouts (issue #18, smallex): a switch back to a font by
 * its role reuses the font registered for it (pdfkit used to build a new font and compare it with
 * the default one by its serialised name table on every annex line), and the layout cache the
 * receipt turns on is emptied per annex line, so it never holds more than one line's texts.
 * Both reach into pdfkit's internals, as the receipt code does: a pdfkit that changes them fails here.
 */
import { describe, expect, it } from 'vitest';
import type { TransferReceipt } from '../../../../electron/core/audit/receipt.js';
import { receiptCatalogue } from '../../../../electron/core/receipts/catalogue.js';
import { receiptDocument } from '../../../../electron/core/receipts/receipt-pdf.js';

interface PdfkitInternals {
  _font: object;
  _fontCount: number;
  _fontFamilies: Record<string, { layoutCache?: Record<string, unknown> }>;
}

const receipt = {
  receipt: 'airlock-transfer-receipt',
  version: 1,
  kind: 'export',
  bundle: { name: 'b', uuid: null },
  station: 'ws-07',
} as unknown as TransferReceipt;

function open(): { internals: PdfkitInternals; writer: ReturnType<typeof receiptDocument>['writer'] } {
  const { doc, writer } = receiptDocument({ receipt }, receiptCatalogue('en'), new Date(0));
  return { internals: doc as unknown as PdfkitInternals, writer };
}

function cachedTexts(internals: PdfkitInternals): number {
  const caches = new Set(Object.values(internals._fontFamilies).map((font) => font.layoutCache));
  let n = 0;
  for (const cache of caches) n += cache === undefined ? 0 : Object.keys(cache).length;
  return n;
}

describe('receipt document', () => {
  it('switching between the roles reuses the three registered fonts: no font is built per switch', () => {
    const { internals, writer } = open();
    expect(internals._fontCount).toBe(3);
    const regular = writer.use('regular', 7.2) && internals._font;
    for (let line = 0; line < 50; line += 1) {
      writer.use('regular', 7.2);
      expect(internals._font).toBe(regular);
      writer.use('mono', 6.3);
      expect(internals._font).not.toBe(regular);
      writer.use('bold', 7.5);
    }
    expect(internals._fontCount).toBe(3);
  });

  it('forgetLayouts empties every font layout cache the texts filled', () => {
    const { internals, writer } = open();
    writer.use('regular', 7.2).widthOfString('data/reports/q3.pdf');
    writer.use('mono', 6.3).widthOfString('ab'.repeat(32));
    writer.use('bold', 7.5).widthOfString('Path');
    expect(cachedTexts(internals)).toBeGreaterThanOrEqual(3);
    writer.forgetLayouts();
    expect(cachedTexts(internals)).toBe(0);
  });
});
