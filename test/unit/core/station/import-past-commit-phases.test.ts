/**
 * An import's work after its commit rename is reported as phases of its own (issue #18): `settling`
 * (the claim settled and the audit event with every file's row, one transaction) and then
 * `writing-receipts` (checkpoint and receipts, the PDF rendered apart), never the payload's last
 * line. Both are past the commit point: a cancel then changes nothing (files in place, event ok,
 * receipts written). A cancel before it (recording-files) leaves the destination and the audit
 * log's import record as they were: no file, only the cancellation's event.
 */
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderProgress } from '../../../../electron/cli/progress-line.js';
import { Station } from '../../../../electron/core/index.js';
import { AirlockError } from '../../../../electron/core/errors.js';
import type { ImportOutcome } from '../../../../electron/core/station/requests.js';
import { cancelCanUndo, PHASES_PAST_COMMIT, type Progress, type ProgressPhase } from '../../../../shared/progress.js';

const PASSPHRASE = 'past commit passphrase';
let base: string;
let home: string;
let bundlePath: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'airlock-import-phases-'));
  home = join(base, 'home');
  const src = join(base, 'src');
  await mkdir(join(src, 'sub'), { recursive: true });
  await writeFile(join(src, 'a.txt'), 'alpha\n');
  await writeFile(join(src, 'sub', 'b.bin'), Buffer.alloc(64 * 1024, 0x42));
  await mkdir(join(base, 'out'));
  const station = await Station.open({ home });
  try {
    await station.generateKey({ name: 'Import Phases Station', passphrase: PASSPHRASE });
    bundlePath = (await station.exportBundle({ selection: [src], outDir: join(base, 'out'), name: 'phases', passphrase: PASSPHRASE })).bundlePath;
  } finally {
    station.close();
  }
}, 120_000);

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

let n = 0;
/** Imports the bundle into a fresh folder, aborting the job at the first report of `cancelAt`. */
async function importCancelledAt(
  cancelAt: ProgressPhase,
): Promise<{ outcome: ImportOutcome | AirlockError; seen: Progress[]; dest: string; station: Station }> {
  n += 1;
  const dest = join(base, `dest-${n}`);
  await mkdir(dest);
  const seen: Progress[] = [];
  const controller = new AbortController();
  const station = await Station.open({ home });
  const outcome = await station
    .importBundle({
      bundlePath,
      destDir: dest,
      allowReplay: true,
      passphrase: PASSPHRASE,
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p);
        if (p.phase === cancelAt) controller.abort();
      },
    })
    .catch((error: unknown) => error as AirlockError);
  return { outcome, seen, dest, station };
}

function importEvents(station: Station): string[] {
  return station
    .listAudit({})
    .filter((e) => e.type === 'import')
    .map((e) => e.outcome)
    .reverse();
}

describe('import: the phases past the commit point (issue #18)', () => {
  it.each(['settling', 'writing-receipts'] as const)(
    'reports settling, then writing-receipts, last; a cancel in %s changes nothing',
    async (phase) => {
      const before = (await Station.open({ home }).then((s) => [importEvents(s), s.close()]))[0] as string[];
      const { outcome, seen, dest, station } = await importCancelledAt(phase);
      try {
        if (outcome instanceof Error) throw outcome;
        expect(outcome.ok).toBe(true);
        const phases = seen.map((p) => p.phase);
        const distinct = phases.filter((p, i) => p !== phases[i - 1]);
        // The audit rows are staged while the flush runs (smallimp): 'syncing' is the last phase before the commit.
        expect(distinct.slice(-4)).toEqual(['recording-files', 'syncing', 'settling', 'writing-receipts']);
        // Nothing before the commit point comes after it.
        const first = phases.indexOf('settling');
        expect(phases.slice(first).every((p) => PHASES_PAST_COMMIT.has(p))).toBe(true);
        expect(phases.slice(0, first).every((p) => cancelCanUndo(p))).toBe(true);
        expect(seen.filter((p) => p.phase === 'settling').every((p) => p.filesDone === 2 && p.filesTotal === 2)).toBe(true);
        // The files are in place, the import is on record, the receipts are written.
        expect(await readdir(join(dest, 'phases', 'src'))).toEqual(['a.txt', 'sub']);
        expect(importEvents(station)).toEqual([...before, 'ok']);
        expect(outcome.receipt).not.toBeNull();
        expect((await stat(outcome.receipt?.json ?? '')).isFile()).toBe(true);
        expect(outcome.receipt?.signature).not.toBeNull();
      } finally {
        station.close();
      }
      expect(renderProgress(seen.find((p) => p.phase === 'settling') as Progress)).toBe('Files in place; recording the import  2/2 files');
      expect(renderProgress(seen.at(-1) as Progress).startsWith('Done; writing receipts')).toBe(true);
    },
    120_000,
  );

  it('a cancel before the commit (recording-files) leaves the destination empty and records only the cancellation', async () => {
    const before = (await Station.open({ home }).then((s) => [importEvents(s), s.close()]))[0] as string[];
    const { outcome, seen, dest, station } = await importCancelledAt('recording-files');
    try {
      expect(outcome).toBeInstanceOf(AirlockError);
      expect((outcome as AirlockError).code).toBe('CANCELLED');
      expect(await readdir(dest)).toEqual([]);
      expect(importEvents(station)).toEqual([...before, 'cancelled']);
      expect(seen.some((p) => PHASES_PAST_COMMIT.has(p.phase))).toBe(false);
    } finally {
      station.close();
    }
  }, 120_000);
});
