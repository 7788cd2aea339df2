import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readdirSync, readlinkSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  MemoryDigests,
  openDigestColumn,
  SPILL_MIN_FILES,
  SpilledDigests,
  WINDOW_DIGESTS,
  type DigestColumn,
} from '../../../../electron/core/compact/digest-column.js';

const hexOf = (i: number): string => createHash('sha256').update(`file ${i}`).digest('hex');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'airlock-digest-column-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function filled(column: DigestColumn, count: number): DigestColumn {
  for (let i = 0; i < count; i += 1) column.appendHex(hexOf(i));
  return column;
}

/** The spill's descriptor, found by its (unlinked) name: the test changes the file under the column. */
function spillDescriptor(): number {
  const found = readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(join(dir, '.payload-digests.'));
    } catch {
      return false;
    }
  });
  expect(found.length).toBe(1);
  return Number(found[0]);
}

describe('SpilledDigests', () => {
  // Counts at, around and well past a window's end, and the partial last window.
  for (const count of [1, WINDOW_DIGESTS - 1, WINDOW_DIGESTS, WINDOW_DIGESTS + 1, 3 * WINDOW_DIGESTS + 17]) {
    it(`reads back ${count} digests in order, and again, as written`, () => {
      const column = filled(SpilledDigests.open(dir), count);
      expect(column.spilled).toBe(true);
      expect(column.length).toBe(count);
      for (let pass = 0; pass < 2; pass += 1) for (let i = 0; i < count; i += 1) expect(column.at(i).toString('hex')).toBe(hexOf(i));
      expect(column.spilled).toBe(true);
      column.release();
    });
  }

  it('holds the digests in a file, not in memory: nothing is named in the folder, and an in-order read keeps the spill', () => {
    const column = filled(SpilledDigests.open(dir), 5 * WINDOW_DIGESTS);
    // POSIX: unlinked as soon as it was open.
    if (process.platform !== 'win32') expect(readdirSync(dir)).toEqual([]);
    for (let i = 0; i < column.length; i += 1) column.at(i);
    expect(column.spilled).toBe(true);
    column.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('answers reads while it is still being appended to (the open window from memory)', () => {
    const column = SpilledDigests.open(dir);
    for (let i = 0; i < 2 * WINDOW_DIGESTS + 5; i += 1) {
      column.appendHex(hexOf(i));
      expect(column.at(i).toString('hex')).toBe(hexOf(i));
      expect(column.at(0).toString('hex')).toBe(hexOf(0));
    }
    column.release();
  });

  it('moves into memory, with the same answers, when read far out of order', () => {
    const count = 6 * WINDOW_DIGESTS + 3;
    const column = filled(SpilledDigests.open(dir), count);
    // Alternating between the first and last windows: a window read per file.
    for (let i = 0; i < 200; i += 1) {
      expect(column.at(i).toString('hex')).toBe(hexOf(i));
      expect(column.at(count - 1 - WINDOW_DIGESTS - i).toString('hex')).toBe(hexOf(count - 1 - WINDOW_DIGESTS - i));
    }
    expect(column.spilled).toBe(false);
    for (let i = 0; i < count; i += 1) expect(column.at(i).toString('hex')).toBe(hexOf(i));
    column.appendHex(hexOf(count));
    expect(column.at(count).toString('hex')).toBe(hexOf(count));
    column.release();
  });

  it('refuses digests changed on disk after they were written (INTERNAL), never returning them', () => {
    if (process.platform !== 'linux') return;
    const column = filled(SpilledDigests.open(dir), 2 * WINDOW_DIGESTS + 1);
    // Written over through the spill's own descriptor: a writer of the file behind the column's back.
    writeSync(spillDescriptor(), Buffer.alloc(32, 0xab), 0, 32, 32 * (WINDOW_DIGESTS + 7));
    expect(column.at(5).toString('hex')).toBe(hexOf(5));
    expect(() => column.at(WINDOW_DIGESTS + 7)).toThrow(expect.objectContaining({ code: 'INTERNAL' }) as Error);
    column.release();
  });

  it('is not read after release, and releases once', () => {
    const column = filled(SpilledDigests.open(dir), 10);
    column.release();
    column.release();
    expect(() => column.at(0)).toThrow(expect.objectContaining({ code: 'INTERNAL' }) as Error);
    expect(() => column.appendHex(hexOf(0))).toThrow(expect.objectContaining({ code: 'INTERNAL' }) as Error);
  });

  it('throws RangeError for an ordinal not held', () => {
    const column = filled(SpilledDigests.open(dir), 3);
    expect(() => column.at(3)).toThrow(RangeError);
    expect(() => column.at(-1)).toThrow(RangeError);
    expect(() => column.at(1.5)).toThrow(RangeError);
    column.release();
  });
});

describe('MemoryDigests', () => {
  it('grows from one and reads back, raw appends included', () => {
    const column = new MemoryDigests(1);
    filled(column, 3000);
    column.appendRaw(Buffer.from(hexOf(3000) + hexOf(3001), 'hex'));
    expect(column.length).toBe(3002);
    for (let i = 0; i < 3002; i += 1) expect(column.at(i).toString('hex')).toBe(hexOf(i));
    expect(() => column.at(3002)).toThrow(RangeError);
  });
});

describe('openDigestColumn', () => {
  it('spills a large manifest into the folder given, keeps a small one or one without a folder in memory', () => {
    const large = openDigestColumn(SPILL_MIN_FILES, { dir });
    expect(large.spilled).toBe(true);
    large.release();
    expect(openDigestColumn(SPILL_MIN_FILES - 1, { dir }).spilled).toBe(false);
    expect(openDigestColumn(SPILL_MIN_FILES * 4, undefined).spilled).toBe(false);
    const lowered = openDigestColumn(3, { dir, minFiles: 3 });
    expect(lowered.spilled).toBe(true);
    lowered.release();
  });

  it('keeps the digests in memory when the spill cannot be made', () => {
    const file = join(dir, 'not-a-folder');
    closeSync(openSync(file, 'w'));
    const column = openDigestColumn(SPILL_MIN_FILES, { dir: join(file, 'spool') });
    expect(column.spilled).toBe(false);
    filled(column, 5);
    expect(column.at(4).toString('hex')).toBe(hexOf(4));
  });
});
