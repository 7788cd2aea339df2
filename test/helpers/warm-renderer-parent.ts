/**
 * A parent of a warm receipt renderer (receipts/pdf-render-warm.ts), for the tests that kill it:
 * renders one receipt, prints `READY <renderer pid>`, then either waits to be killed (`hold`) or
 * returns without closing the renderer (`leave`: the process must still end by itself).
 * Run as: node --import tsx test/helpers/warm-renderer-parent.ts hold|leave
 */
import { receiptFonts } from '../../electron/core/receipts/pdf-fonts.js';
import { WarmPdfRenderer } from '../../electron/core/receipts/pdf-render-warm.js';

const mode = process.argv[2];
const warm = new WarmPdfRenderer();
const json = `${JSON.stringify({ receipt: 'airlock-transfer-receipt', version: 1, kind: 'import', bundle: { name: 'held', uuid: null, tagmanifestSha256: 'ab'.repeat(32), path: '/x' }, signers: [], checks: [], files: 0, bytes: 0, destination: null, media: null, operator: 'op', station: 'st', startedAt: '2026-12-03T09:00:00.000Z', finishedAt: '2026-12-03T09:00:01.000Z', audit: { eventSeq: 1, eventHash: 'cd'.repeat(32), checkpoint: null } })}\n`;
const pdf = await warm.render({
  json,
  signature: null,
  attachmentName: 'held.import-receipt.json',
  language: 'en',
  annex: { total: 0, rows: [] },
  twoPerson: false,
  organization: null,
  fonts: receiptFonts(),
});
process.stdout.write(`READY ${warm.pid} ${pdf.length}\n`);
if (mode === 'hold') setInterval(() => undefined, 60_000);
