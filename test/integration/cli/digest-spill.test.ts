/**
 * The station's export, verify and import of a large bundle keep the signed digests in a spill
 * of the station's spool (compact/spill-windows.ts), not in memory, and close it when done: a
 * structural check (what is opened, what is left open), not a memory figure. 65,536 files is the
 * smallest count that spills (SPILL_MIN_FILES, TABLE_SPILL_MIN_FILES).
 */
import { closeSync, mkdirSync, openSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { SPILL_MIN_FILES } from '../../../electron/core/compact/digest-column.js';
import { SpillWindows } from '../../../electron/core/compact/spill-windows.js';
import { TABLE_SPILL_MIN_FILES } from '../../../electron/core/bundle/digest-table.js';
import { describeResult, parseJson } from '../../helpers/cli-runner.js';
import { createStation } from '../../helpers/station.js';
import { TempDirs } from '../../helpers/temp-dirs.js';

const FILES = Math.max(SPILL_MIN_FILES, TABLE_SPILL_MIN_FILES);
const PER_FOLDER = 1024;

const dirs = new TempDirs();
afterAll(() => dirs.cleanup());
afterEach(() => {
  vi.restoreAllMocks();
});

/** Descriptors of this process open on a file in `dir` (Linux; elsewhere none are seen). */
function openIn(dir: string): number {
  if (process.platform !== 'linux') return 0;
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir);
    } catch {
      return false;
    }
  }).length;
}

describe('digest spills of a large export, verify and import', () => {
  it(`spill the digests of ${FILES} files to the station's spool and close the spill when done`, async () => {
    const root = await dirs.make('airlock-spill-');
    const station = await createStation(root, 'Spill Station');
    const src = join(root, 'many');
    for (let i = 0; i < FILES; i += 1) {
      const folder = join(src, `d${Math.floor(i / PER_FOLDER)}`);
      if (i % PER_FOLDER === 0) mkdirSync(folder, { recursive: true });
      closeSync(openSync(join(folder, `f${i % PER_FOLDER}`), 'wx'));
    }
    const spool = join(station.home, 'spool');
    const opened = vi.spyOn(SpillWindows, 'open');

    const out = join(root, 'out');
    await mkdir(out);
    const exported = await station.run(['export', '--out', out, '--name', 'many', '--passphrase-file', station.passFile, '--json', src]);
    expect(exported.code, describeResult(exported)).toBe(0);
    expect(opened.mock.calls).toEqual([[spool, 'export-digests']]);
    expect(openIn(spool)).toBe(0);

    const bundle = join(out, 'many.airlock.tar');
    const verified = await station.run(['verify', '--json', bundle]);
    expect(verified.code, describeResult(verified)).toBe(0);
    expect(opened.mock.calls.slice(1)).toEqual([[spool, 'payload-digests']]);
    expect(openIn(spool)).toBe(0);

    const dest = join(root, 'dest');
    await mkdir(dest);
    const imported = await station.run(['import', '--dest', dest, '--json', bundle]);
    expect(imported.code, describeResult(imported)).toBe(0);
    expect(parseJson<{ bundle: { files: number } }>(imported).bundle.files).toBe(FILES);
    expect(opened.mock.calls.slice(2)).toEqual([[spool, 'payload-digests']]);
    expect(openIn(spool)).toBe(0);

    // The audit log's rows were read from the spills: they verify against the events' digests.
    const audit = await station.run(['audit', 'verify', '--json']);
    expect(audit.code, describeResult(audit)).toBe(0);
  }, 600_000);
});
