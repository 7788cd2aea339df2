/**
 * What a renderer started early (pdf-render-early.ts) does before its job comes: load pdfkit,
 * parse the three fonts, and render one small throwaway receipt. The first receipt a process lays
 * out runs the code that runs once per receipt (the first page, the footers, the font subsets, the
 * attachments, the document itself) cold; done while the transfer works on the other core, that
 * cost is off the receipts phase.
 *
 * One, whatever the job's timing: the renderer child runs without V8's optimizing compilers
 * (pdf-render-host.ts, ONE_SHOT_V8_FLAGS), and without them a second throwaway receipt left the
 * real one where the first had (a 500-row receipt ~180-195 ms CPU after one 40-row throwaway or
 * two; ~300-320 ms after none; docs/design-notes.md "pdfcache"). Up to thirteen were made before,
 * while the renderer had a core to itself, to get the layout code optimized; that cost up to
 * ~0.5 CPU-s more of the core the transfer's lanes want. The app's worker thread (whose process
 * keeps its optimizing compilers) made one already.
 *
 * The throwaway receipt is made of fixed text (no transfer's data), is never written anywhere, and
 * shares only the parsed fonts with the real one, as every receipt of a served renderer does
 * (pdf-render-warm.ts): the real receipt's bytes are the ones a fresh renderer makes
 * (test/integration/receipts/receipt-pdf-early.test.ts).
 */
import type { TransferReceipt } from '../audit/receipt.js';
import type { ReceiptLanguage } from './catalogue.js';
import type { ReceiptFonts } from './pdf-fonts.js';
import { preparseReceiptFonts, renderReceiptPdf, type ParsedFonts } from './receipt-pdf.js';

/** Annex rows of the throwaway receipt: a few pages' worth of row code run once, about 0.15 CPU-s with the rest of a cold receipt. */
export const WARM_UP_ROWS = 40;

export interface WarmUpOptions {
  language?: ReceiptLanguage | undefined;
}

/** Parse the fonts into `parsedFonts` and render the throwaway receipt. */
export async function warmUpRenderer(fonts: ReceiptFonts, parsedFonts: ParsedFonts, options: WarmUpOptions = {}): Promise<void> {
  preparseReceiptFonts(fonts, parsedFonts);
  await throwawayReceipt(fonts, parsedFonts, options.language ?? 'en');
}

async function throwawayReceipt(fonts: ReceiptFonts, parsedFonts: ParsedFonts, language: ReceiptLanguage): Promise<void> {
  const receipt = warmUpReceipt();
  const json = `${JSON.stringify(receipt, null, 2)}\n`;
  const rows = Array.from({ length: WARM_UP_ROWS }, (_, i) => ({
    path: `warm-up/folder-${i % 10}/file-${String(i).padStart(4, '0')}.bin`,
    size: 4096 + i * 37,
    sha256: (i.toString(16).padStart(8, '0') + '0123456789abcdef').repeat(3).slice(0, 64),
  }));
  await renderReceiptPdf({
    receipt,
    json,
    signature: '-----BEGIN PGP SIGNATURE-----\n\nwarm-up\n-----END PGP SIGNATURE-----\n',
    attachmentName: 'warm-up.export-receipt.json',
    language,
    files: { total: 20_000, rows },
    twoPerson: false,
    organization: 'Warm-up',
    fonts,
    parsedFonts,
  });
}

function warmUpReceipt(): TransferReceipt {
  const hash = 'ab'.repeat(32);
  return {
    receipt: 'airlock-transfer-receipt',
    version: 1,
    kind: 'export',
    bundle: { name: 'warm-up', uuid: '00000000-0000-4000-8000-000000000000', tagmanifestSha256: hash, path: '/warm-up/warm-up.airlock.tar' },
    signers: [{ fingerprint: 'AB'.repeat(20), userIds: ['Warm-up <warm-up@example.invalid>'] }],
    checks: [
      { check: 'Signature', result: 'passed', detail: 'warm-up' },
      { check: 'Read back', result: 'not run' },
      { check: 'Payload', result: 'passed', detail: '20000 files' },
    ],
    files: 20_000,
    bytes: 81_920_000,
    destination: '/warm-up/warm-up.airlock.tar',
    media: null,
    operator: 'warm-up',
    station: 'warm-up',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    audit: { eventSeq: 1, eventHash: hash, checkpoint: { seq: 2, hash, at: '2026-01-01T00:00:01.000Z' } },
  };
}
