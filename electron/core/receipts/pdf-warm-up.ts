/**
 * What a renderer started early (pdf-render-early.ts) does before its job comes: load pdfkit,
 * parse the three fonts, and render throwaway receipts. The first receipt a renderer lays out
 * runs its code cold: on the loaded two-core machine a 500-row annex took 1.4-2.2 s first and
 * 0.5-0.9 s after one throwaway receipt of 200 rows (an in-process probe,
 * docs/design-notes.md "The receipt PDF off the critical path"). Done while the transfer works
 * on the other core, that cost is off the receipts phase.
 *
 * One throwaway receipt of 200 rows still left the real one at about twice a warm renderer's time
 * (docs/design-notes.md "smallex", "smallex2"): code that runs once per receipt (the first page,
 * the footers, the font subsets, the attachments) had run once. So the warm-up is a series of
 * small throwaway receipts, and the renderer looks for its job before each: the job waits for one
 * small receipt at most (it waited for the whole 200-row one before). One is always made; a
 * renderer whose job is late goes on while it has a core to itself, until about a real annex's
 * worth of rows is done, which brings the real receipt down to a warm renderer's time.
 *
 * The throwaway receipts are made of fixed text (no transfer's data), are never written anywhere,
 * and share only the parsed fonts with the real one, as every receipt of a served renderer does
 * (pdf-render-warm.ts): the real receipt's bytes are the ones a fresh renderer makes
 * (test/integration/receipts/receipt-pdf-early.test.ts).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { TransferReceipt } from '../audit/receipt.js';
import type { ReceiptLanguage } from './catalogue.js';
import type { ReceiptFonts } from './pdf-fonts.js';
import { preparseReceiptFonts, renderReceiptPdf, type ParsedFonts } from './receipt-pdf.js';

/** Annex rows of each throwaway receipt: small, so a job that comes meanwhile waits little (about 20-60 ms of CPU once warm). */
export const WARM_UP_ROWS = 40;
/**
 * Throwaway receipts always made (the job that comes first waits for it): one, the receipt's cold
 * code run once. It was five (the 200 rows of the single throwaway receipt before them) while
 * fontkit shaped every text; with ASCII laid out plainly (pdf-plain-layout.ts) four more cost about
 * 0.3 CPU-s and took about 0.1 s off the real receipt, a loss where the transfer wants both cores
 * (an import creating its files: design-notes "pdfrender"). More are made only with a core free.
 */
export const WARM_UPS_ALWAYS = 1;
/** Throwaway receipts at most: about ANNEX_MAX_FILES rows in all (measured: fewer left the real receipt measurably slower). */
export const WARM_UPS = 13;
/**
 * Past WARM_UPS_ALWAYS, a receipt is made only if the last one had a core to itself: its CPU at
 * least this share of its wall time. Otherwise the transfer wants both cores (a payload pass on
 * two lanes, an import creating files) and more warm-up would take its time: a 512 MiB export
 * spent 0.3-0.7 CPU-s more on throwaway receipts its 8-row annex did not need.
 */
export const IDLE_CORE_SHARE = 0.8;

export interface WarmUpOptions {
  language?: ReceiptLanguage | undefined;
  /**
   * Whether the job has come: asked after a turn of the event loop (the job's message is only
   * seen between two receipts) before each throwaway receipt after the first. Not given: one only.
   */
  jobCame?: (() => boolean) | undefined;
  /**
   * The renderer's CPU time so far in microseconds (`process.cpuUsage()` of a child process that
   * does nothing else). Not given (a worker thread, whose process's CPU is the transfer's too):
   * WARM_UPS_ALWAYS receipts at most.
   */
  cpuMicros?: (() => number) | undefined;
}

/** Parse the fonts and render throwaway receipts until the job comes (or the limits above); how many were rendered. */
export async function warmUpRenderer(fonts: ReceiptFonts, parsedFonts: ParsedFonts, options: WarmUpOptions = {}): Promise<number> {
  preparseReceiptFonts(fonts, parsedFonts);
  const language = options.language ?? 'en';
  const { jobCame, cpuMicros } = options;
  let made = 0;
  let hadCore = true;
  do {
    if (made > 0) {
      await nextTurn();
      if (jobCame === undefined || jobCame()) break;
      if (made >= WARM_UPS_ALWAYS && (cpuMicros === undefined || !hadCore)) break;
    }
    const wallStart = performance.now();
    const cpuStart = cpuMicros?.() ?? 0;
    await throwawayReceipt(fonts, parsedFonts, language, made);
    if (cpuMicros !== undefined) hadCore = (cpuMicros() - cpuStart) / 1000 >= IDLE_CORE_SHARE * (performance.now() - wallStart);
    made += 1;
  } while (made < WARM_UPS);
  return made;
}

async function throwawayReceipt(fonts: ReceiptFonts, parsedFonts: ParsedFonts, language: ReceiptLanguage, round: number): Promise<void> {
  const receipt = warmUpReceipt();
  const json = `${JSON.stringify(receipt, null, 2)}\n`;
  const rows = Array.from({ length: WARM_UP_ROWS }, (_, n) => {
    // Each round its own names and digests, as each real receipt has its own.
    const i = n + round * WARM_UP_ROWS;
    return {
      path: `warm-up/folder-${i % 10}/file-${String(i).padStart(4, '0')}.bin`,
      size: 4096 + i * 37,
      sha256: (i.toString(16).padStart(8, '0') + '0123456789abcdef').repeat(3).slice(0, 64),
    };
  });
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
