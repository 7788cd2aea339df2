/**
 * The early renderer's warm-up (receipts/pdf-warm-up.ts, issue #18 pdfcache): the fonts parsed
 * into the map the real receipt uses, as pdfkit parses them (fontkit font objects that lay text
 * out), and one throwaway receipt rendered with them. That the real receipt made after it is byte
 * for byte a fresh renderer's is test/integration/receipts/receipt-pdf-early.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { receiptFonts } from '../../../../electron/core/receipts/pdf-fonts.js';
import { warmUpRenderer } from '../../../../electron/core/receipts/pdf-warm-up.js';
import type { ParsedFonts } from '../../../../electron/core/receipts/receipt-pdf.js';

describe('warmUpRenderer', () => {
  it('parses the three fonts into the map, each once, as fontkit fonts', async () => {
    const parsed: ParsedFonts = new Map();
    await warmUpRenderer(receiptFonts(), parsed);
    expect([...parsed.keys()].sort()).toEqual(Object.values(receiptFonts()).sort());
    for (const font of parsed.values()) expect(typeof (font as { layout?: unknown }).layout).toBe('function');
  });

  it('keeps fonts already parsed (a served renderer warmed twice parses nothing again)', async () => {
    const parsed: ParsedFonts = new Map();
    await warmUpRenderer(receiptFonts(), parsed);
    const first = new Map(parsed);
    await warmUpRenderer(receiptFonts(), parsed, { language: 'de' });
    for (const [path, font] of first) expect(parsed.get(path)).toBe(font);
  });

  it('a font that cannot be parsed fails the warm-up (the worker then leaves the job to parse from scratch)', async () => {
    const fonts = { ...receiptFonts(), bold: receiptFonts().regular.replace(/DejaVuSans\.ttf$/u, 'missing.ttf') };
    await expect(warmUpRenderer(fonts, new Map())).rejects.toThrow();
  });
});
