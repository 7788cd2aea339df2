/**
 * An export's "Scanning" phase counts the files it has found (issue #18: a 200,000-file selection
 * walked for 24 s with no number moving). There is no total while the walk runs, so the phase
 * reports files found, no byte rate ("0 B/s" would say nothing) and no ETA; its last report
 * carries every file, however fast the walk went. Both export paths: one pass to a folder, and the
 * two passes to removable media (scan while hashing).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderProgress } from '../../../../electron/cli/progress-line.js';
import { Station } from '../../../../electron/core/index.js';
import type { Progress } from '../../../../shared/progress.js';

const PASSPHRASE = 'scan progress passphrase';
const FILES = 300;
let base: string;
let home: string;
let medium: string;
let src: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'airlock-scan-progress-'));
  home = join(base, 'home');
  medium = join(base, 'stick');
  src = join(base, 'src');
  await mkdir(medium);
  for (let d = 0; d < 15; d += 1) {
    const dir = join(src, `d${d}`);
    await mkdir(dir, { recursive: true });
    for (let f = 0; f < FILES / 15; f += 1) await writeFile(join(dir, `f${f}.txt`), `${d}/${f}\n`);
  }
  const station = await Station.open({ home });
  await station.generateKey({ name: 'Scan Progress Station', passphrase: PASSPHRASE });
  station.close();
  await writeFile(join(home, 'config.json'), JSON.stringify({ stationName: 'scan-progress', mediaRoots: [medium] }));
}, 120_000);

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

function expectScanCounted(seen: readonly Progress[]): void {
  const scans = seen.filter((p) => p.phase === 'scanning');
  expect(scans.length).toBeGreaterThanOrEqual(2);
  const counts = scans.map((p) => p.filesDone);
  expect(counts).toEqual([...counts].sort((a, b) => a - b));
  const last = scans.at(-1) as Progress;
  expect(last.filesDone).toBe(FILES);
  expect(last.filesTotal).toBeNull();
  expect(last.rateBytesPerSecond).toBeNull();
  expect(last.etaSeconds).toBeNull();
  const line = renderProgress(last);
  expect(line).toContain(`${FILES} files`);
  expect(line).not.toMatch(/B\/s|ETA/u);
}

describe("an export's scan reports the files it found", () => {
  it('to a folder (one pass)', async () => {
    const seen: Progress[] = [];
    const out = join(base, 'out');
    await mkdir(out);
    const station = await Station.open({ home });
    try {
      await station.exportBundle({ selection: [src], outDir: out, name: 'scan-folder', passphrase: PASSPHRASE, onProgress: (p) => seen.push(p) });
    } finally {
      station.close();
    }
    expectScanCounted(seen);
  }, 120_000);

  it('to removable media (scan while hashing)', async () => {
    const seen: Progress[] = [];
    const station = await Station.open({ home });
    try {
      await station.exportToMedia({ selection: [src], media: [medium], name: 'scan-stick', passphrase: PASSPHRASE, onProgress: (p) => seen.push(p) });
    } finally {
      station.close();
    }
    expectScanCounted(seen);
  }, 120_000);
});
