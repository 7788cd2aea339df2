/**
 * The read-back of an export to removable media is reported as `reading-back` by core itself,
 * where it happens (media-output), not as `verifying-payload` renamed later by the worker or the
 * app; the CLI's progress line words it "Reading back" (shared/phase-labels.ts).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderProgress } from '../../../../../electron/cli/progress-line.js';
import { Station } from '../../../../../electron/core/index.js';
import type { Progress } from '../../../../../shared/progress.js';

const PASSPHRASE = 'read-back phase passphrase';
let base: string;
let home: string;
let medium: string;
let src: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'airlock-readback-phase-'));
  home = join(base, 'home');
  medium = join(base, 'stick');
  src = join(base, 'src');
  await mkdir(medium);
  await mkdir(src);
  await writeFile(join(src, 'a.bin'), Buffer.alloc(1 << 20, 0x41));
  await writeFile(join(src, 'b.txt'), 'two files\n');
  const station = await Station.open({ home });
  await station.generateKey({ name: 'Read-back Phase Station', passphrase: PASSPHRASE });
  station.close();
  await writeFile(join(home, 'config.json'), JSON.stringify({ stationName: 'readback-phase', mediaRoots: [medium] }));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('export to media: the read-back phase at its source', () => {
  it('core reports writing, then reading-back over the files written, and never verifying-payload', async () => {
    const seen: Progress[] = [];
    const station = await Station.open({ home });
    try {
      await station.exportToMedia({ selection: [src], media: [medium], name: 'phases', passphrase: PASSPHRASE, onProgress: (p) => seen.push(p) });
    } finally {
      station.close();
    }
    const phases = seen.map((p) => p.phase);
    expect(phases).not.toContain('verifying-payload');
    expect(phases).toContain('reading-back');
    expect(phases.lastIndexOf('writing')).toBeLessThan(phases.indexOf('reading-back'));
    // After the read-back only the receipts are written (export-receipts-phase.test.ts).
    expect(phases.filter((p) => p !== 'writing-receipts').at(-1)).toBe('reading-back');
    // Write, flush, read back: the flush is a phase of its own, over the bundle's bytes, complete before the read-back.
    const flushing = seen.filter((p) => p.phase === 'syncing');
    expect(phases.lastIndexOf('writing')).toBeLessThan(phases.indexOf('syncing'));
    expect(phases.lastIndexOf('syncing')).toBeLessThan(phases.indexOf('reading-back'));
    expect(flushing.at(-1)?.bytesTotal).toBeGreaterThan(1 << 20);
    expect(flushing.at(-1)?.bytesDone).toBe(flushing.at(-1)?.bytesTotal);
    const readBack = seen.filter((p) => p.phase === 'reading-back');
    // The read-back covers the bundle file just written: its whole size, one file.
    expect(readBack.at(-1)).toMatchObject({ filesTotal: 1, filesDone: 1 });
    expect(readBack.at(-1)?.bytesDone).toBe(readBack.at(-1)?.bytesTotal);
    // What the CLI prints during it.
    const line = renderProgress(readBack.at(-1) as Progress);
    expect(line.startsWith('Reading back')).toBe(true);
    expect(line).not.toContain('Verifying');
  });
});
