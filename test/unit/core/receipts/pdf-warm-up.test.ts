/**
 * The early renderer's warm-up (receipts/pdf-warm-up.ts, issue #18 smallex2): small throwaway
 * receipts, and a look for the job before each one after the first, so a job that comes waits for
 * one small receipt at most; with no job it goes on past WARM_UPS_ALWAYS only while it has a core
 * to itself, and stops after WARM_UPS; without a way to see the job (no `jobCame`) it renders one.
 * The fonts are parsed into the map the real receipt uses.
 */
import { describe, expect, it } from 'vitest';
import { receiptFonts } from '../../../../electron/core/receipts/pdf-fonts.js';
import { WARM_UPS, WARM_UPS_ALWAYS, warmUpRenderer } from '../../../../electron/core/receipts/pdf-warm-up.js';
import type { ParsedFonts } from '../../../../electron/core/receipts/receipt-pdf.js';

describe('warmUpRenderer', () => {
  it('renders throwaway receipts until the job has come, asking before each after the first', async () => {
    const parsed: ParsedFonts = new Map();
    let asked = 0;
    // The job comes while the third receipt is rendered (each had a core to itself): the fourth is not begun.
    const made = await warmUpRenderer(receiptFonts(), parsed, { jobCame: () => ++asked > 2, cpuMicros: () => performance.now() * 10_000 });
    expect(made).toBe(3);
    expect(asked).toBe(3);
    expect([...parsed.keys()].sort()).toEqual(Object.values(receiptFonts()).sort());
  });

  it('a job already there when the first receipt is done: that one only', async () => {
    let asked = 0;
    const made = await warmUpRenderer(receiptFonts(), new Map(), {
      jobCame: () => {
        asked += 1;
        return true;
      },
    });
    expect(made).toBe(1);
    expect(asked).toBe(1);
  });

  it('no job, a core to itself (CPU as long as the wall time): WARM_UPS receipts, then it stops', async () => {
    let asked = 0;
    const made = await warmUpRenderer(receiptFonts(), new Map(), {
      jobCame: () => {
        asked += 1;
        return false;
      },
      // A clock that runs ahead: every receipt seems to have had all the CPU it waited for.
      cpuMicros: () => performance.now() * 10_000,
    });
    expect(made).toBe(WARM_UPS);
    expect(asked).toBe(WARM_UPS - 1);
  });

  it('no job, but no core to itself (no CPU while the wall clock ran): WARM_UPS_ALWAYS receipts', async () => {
    const made = await warmUpRenderer(receiptFonts(), new Map(), { jobCame: () => false, cpuMicros: () => 0 });
    expect(made).toBe(WARM_UPS_ALWAYS);
    expect(WARM_UPS_ALWAYS).toBeLessThan(WARM_UPS);
  });

  it('no job and no CPU clock (a worker thread shares its process with the transfer): WARM_UPS_ALWAYS receipts', async () => {
    expect(await warmUpRenderer(receiptFonts(), new Map(), { jobCame: () => false })).toBe(WARM_UPS_ALWAYS);
  });

  it('without jobCame (no job to look for): one receipt', async () => {
    expect(await warmUpRenderer(receiptFonts(), new Map())).toBe(1);
  });
});
