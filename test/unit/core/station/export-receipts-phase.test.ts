/**
 * After an export's bundle is published and on record, core reports `writing-receipts` while it
 * writes the receipts (JSON, HTML, PDF in a child process, signatures), not the last write phase's
 * "Flushing to disk" (issue #19.4). A cancel pressed then changes nothing: the bundle stays where it
 * was published, the export event stays `ok`, and the receipt set is complete (or its PDF missing
 * with the RECEIPT_* warning, as when no cancel comes). Variants: to a folder in one pass, to a
 * removable medium (two passes and a read-back), a cancel at the phase's first report.
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderProgress } from '../../../../electron/cli/progress-line.js';
import { Station } from '../../../../electron/core/index.js';
import type { ExportOutcome } from '../../../../electron/core/station/requests.js';
import type { Progress } from '../../../../shared/progress.js';

const PASSPHRASE = 'receipts phase passphrase';
let base: string;
let home: string;
let medium: string;
let src: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'airlock-receipts-phase-'));
  home = join(base, 'home');
  medium = join(base, 'stick');
  src = join(base, 'src');
  await mkdir(medium);
  await mkdir(src);
  await writeFile(join(src, 'a.bin'), Buffer.alloc(256 * 1024, 0x41));
  await writeFile(join(src, 'b.txt'), 'two files\n');
  const station = await Station.open({ home });
  await station.generateKey({ name: 'Receipts Phase Station', passphrase: PASSPHRASE });
  station.close();
  await writeFile(join(home, 'config.json'), JSON.stringify({ stationName: 'receipts-phase', mediaRoots: [medium] }));
}, 120_000);

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

/** Runs an export whose listener aborts its job the moment the receipts phase is reported. */
async function exportCancelledAtReceipts(
  run: (station: Station, request: { signal: AbortSignal; onProgress: (p: Progress) => void; passphrase: string }) => Promise<ExportOutcome>,
): Promise<{ outcome: ExportOutcome; seen: Progress[]; aborted: boolean; station: Station }> {
  const seen: Progress[] = [];
  const controller = new AbortController();
  const station = await Station.open({ home });
  const outcome = await run(station, {
    passphrase: PASSPHRASE,
    signal: controller.signal,
    onProgress: (p) => {
      seen.push(p);
      if (p.phase === 'writing-receipts') controller.abort();
    },
  });
  return { outcome, seen, aborted: controller.signal.aborted, station };
}

async function expectReceiptsComplete(outcome: ExportOutcome): Promise<void> {
  expect((await stat(outcome.bundlePath)).isFile()).toBe(true);
  const receipt = outcome.receipt;
  if (receipt === null) throw new Error('the export returned no receipt');
  expect((await stat(receipt.json)).isFile()).toBe(true);
  expect((await stat(receipt.html)).isFile()).toBe(true);
  expect(receipt.signature).not.toBeNull();
  if (receipt.pdf === null) {
    // As without a cancel: no PDF only with its problem reported as a warning.
    expect(receipt.pdfProblem).toMatch(/RECEIPT_/u);
  } else {
    expect((await stat(receipt.pdf)).isFile()).toBe(true);
    expect(receipt.pdfSignature).not.toBeNull();
  }
}

function expectPhaseAfterPublish(seen: readonly Progress[], lastWritePhase: Progress['phase']): void {
  const phases = seen.map((p) => p.phase);
  expect(phases).toContain('writing-receipts');
  // Reported once the bundle is written (after the last phase of the write), and nothing after it.
  expect(phases.lastIndexOf(lastWritePhase)).toBeLessThan(phases.indexOf('writing-receipts'));
  expect(phases.at(-1)).toBe('writing-receipts');
  expect(phases.filter((p) => p !== 'writing-receipts').length).toBe(phases.indexOf('writing-receipts'));
}

describe('export: the writing-receipts phase after publish', () => {
  it('to a folder: reported after syncing; a cancel then leaves the bundle, an ok event and the whole receipt set', async () => {
    const out = join(base, 'out-folder');
    await mkdir(out);
    const { outcome, seen, aborted, station } = await exportCancelledAtReceipts((s, r) =>
      s.exportBundle({ selection: [src], outDir: out, name: 'folder', ...r }),
    );
    try {
      expect(aborted).toBe(true);
      expectPhaseAfterPublish(seen, 'syncing');
      expect(outcome.bundlePath).toBe(join(out, 'folder.airlock.tar'));
      await expectReceiptsComplete(outcome);
      const events = station.listAudit({}).filter((e) => e.type === 'export');
      expect(events.map((e) => e.outcome)).toEqual(['ok']);
      expect(events[0]?.seq).toBe(outcome.auditEvent);
    } finally {
      station.close();
    }
    // What the CLI prints in that phase: the transfer is done, receipts are being written.
    const line = renderProgress(seen.at(-1) as Progress);
    expect(line.startsWith('Done; writing receipts')).toBe(true);
    expect(line).not.toContain('Syncing');
  }, 120_000);

  it('to a removable medium: reported after the read-back; a cancel then changes nothing', async () => {
    const { outcome, seen, aborted, station } = await exportCancelledAtReceipts((s, r) =>
      s.exportToMedia({ selection: [src], media: [medium], name: 'stick', ...r }),
    );
    try {
      expect(aborted).toBe(true);
      expectPhaseAfterPublish(seen, 'reading-back');
      await expectReceiptsComplete(outcome);
      const events = station.listAudit({}).filter((e) => e.type === 'export' && e.bundleName === 'stick');
      expect(events.map((e) => e.outcome)).toEqual(['ok']);
    } finally {
      station.close();
    }
  }, 120_000);
});
