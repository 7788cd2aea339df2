/**
 * The annex's text layouts made ahead (receipt-pdf.ts prepareAnnexLayouts; an import hands the
 * renderer its signed manifest's first rows while the payload is verified, smallimp4):
 *   - a receipt made with them is byte for byte the one made without, whether the prepared rows
 *     are the receipt's own or rows it does not show (a file the import never committed): the
 *     rows drawn are the job's, the prepared layouts only a cache
 *   - they are used: the receipt lays out fewer texts itself (fails if forgetLayouts drops them)
 *   - the receipt never writes into them (they stay as prepared, bounded by the rows given)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditFileRow } from '../../../../electron/core/audit/audit-event.js';
import { receiptFonts } from '../../../../electron/core/receipts/pdf-fonts.js';
import { prepareAnnexLayouts, preparseReceiptFonts, renderReceiptPdf, type ParsedFonts } from '../../../../electron/core/receipts/receipt-pdf.js';
import type { PreparedLayouts } from '../../../../electron/core/receipts/pdf-layout.js';
import { sampleImportReceipt } from '../../../helpers/sample-receipt.js';

const fonts = receiptFonts();
const parsed: ParsedFonts = new Map();
preparseReceiptFonts(fonts, parsed);

/**
 * Counts the layouts pdfkit asks the fonts for (its cache misses). Installed after a first receipt,
 * over the plain-ASCII layout that receipt put on the shared parsed fonts (pdf-plain-layout.ts).
 */
let layouts = 0;
function countLayouts(): void {
  for (const font of parsed.values()) {
    const f = font as { layout: (...args: unknown[]) => unknown };
    const own = f.layout;
    f.layout = function counted(this: unknown, ...args: unknown[]) {
      layouts += 1;
      return own.apply(this, args);
    };
  }
}

beforeAll(async () => {
  await receipt(rows('first', 3));
  countLayouts();
});

function rows(prefix: string, n: number): AuditFileRow[] {
  return Array.from({ length: n }, (_, i) => ({
    path: `data/${prefix}/d${String(i % 7).padStart(3, '0')}/file ${String(i).padStart(5, '0')}.bin`,
    size: 4096 + (i % 3),
    sha256: (i * 7919).toString(16).padStart(64, String(i % 10)),
  }));
}

async function receipt(files: AuditFileRow[], prepared?: PreparedLayouts): Promise<{ pdf: Buffer; layouts: number }> {
  const r = { ...sampleImportReceipt('prepared'), files: files.length };
  layouts = 0;
  const pdf = await renderReceiptPdf({
    receipt: r,
    json: `${JSON.stringify(r, null, 2)}\n`,
    signature: null,
    attachmentName: 'prepared.import-receipt.json',
    language: 'en',
    files: { total: files.length, rows: files },
    twoPerson: false,
    organization: null,
    fonts,
    parsedFonts: parsed,
    preparedLayouts: prepared,
  });
  return { pdf, layouts };
}

const keysOf = (prepared: PreparedLayouts): number[] => [...prepared.values()].map((cache) => Object.keys(cache).length);

describe('annex layouts prepared ahead', () => {
  it('the same bytes with the receipt own rows prepared; fewer layouts made during the receipt', async () => {
    const own = rows('payload', 120);
    const plain = await receipt(own);
    const prepared = prepareAnnexLayouts(
      own.map(({ path, sha256 }) => ({ path, sha256 })),
      fonts,
      parsed,
    );
    const before = keysOf(prepared);
    const made = await receipt(own, prepared);
    expect(made.pdf.equals(plain.pdf)).toBe(true);
    // Each row's path (its space-separated pieces, as pdfkit caches them) and hash come from the prepared layouts.
    expect(made.layouts).toBeLessThanOrEqual(plain.layouts - 3 * own.length);
    expect(keysOf(prepared)).toEqual(before);
  });

  it('rows prepared that the receipt does not list change nothing: the bytes of a receipt made without', async () => {
    const committed = rows('committed', 30);
    const plain = await receipt(committed);
    const other = prepareAnnexLayouts(
      rows('never-committed', 60).map(({ path, sha256 }) => ({ path, sha256 })),
      fonts,
      parsed,
    );
    expect((await receipt(committed, other)).pdf.equals(plain.pdf)).toBe(true);
    // A part of the receipt's own rows prepared, in another order, with strangers: the same bytes again.
    const mixed = prepareAnnexLayouts([...rows('never-committed', 10), ...committed.slice(10, 20).reverse()], fonts, parsed);
    expect((await receipt(committed, mixed)).pdf.equals(plain.pdf)).toBe(true);
  });

  it('at most the annex rows are laid out ahead', () => {
    const prepared = prepareAnnexLayouts(
      rows('many', 700).map(({ path, sha256 }) => ({ path, sha256 })),
      fonts,
      parsed,
    );
    const few = prepareAnnexLayouts(
      rows('many', 500).map(({ path, sha256 }) => ({ path, sha256 })),
      fonts,
      parsed,
    );
    expect(keysOf(prepared)).toEqual(keysOf(few));
  });
});
