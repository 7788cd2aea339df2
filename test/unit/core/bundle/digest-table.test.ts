import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryDigestTable, openDigestTable, TABLE_SPILL_MIN_FILES, type SpilledDigestTable } from '../../../../electron/core/bundle/digest-table.js';
import { WINDOW_DIGESTS } from '../../../../electron/core/compact/spill-windows.js';

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

type Table = ReturnType<typeof openDigestTable>;

/** Sets random digests at random indexes (some twice, some never); returns what each index should hold. */
function setAtRandom(table: Table, count: number): Array<string | undefined> {
  const reference: Array<string | undefined> = new Array<string | undefined>(count);
  for (let step = 0; step < count * 2; step += 1) {
    const index = Math.floor(Math.random() * count);
    const digest = sha(randomBytes(8));
    table.set(index, digest);
    reference[index] = digest;
  }
  return reference;
}

function expectHolds(table: Table, reference: ReadonlyArray<string | undefined>): void {
  for (let index = 0; index < reference.length; index += 1) {
    const expected = reference[index];
    expect(table.has(index)).toBe(expected !== undefined);
    if (expected === undefined) expect(() => table.hexAt(index)).toThrow(RangeError);
    else expect(table.hexAt(index)).toBe(expected);
  }
  expect(table.firstMissing()).toBe(reference.findIndex((d) => d === undefined));
}

describe('digest table', () => {
  it('reads back what an array of digest strings holds, set in random order, some overwritten', () => {
    for (let round = 0; round < 20; round += 1) {
      const count = 1 + Math.floor(Math.random() * 300);
      const table = new MemoryDigestTable(count);
      const reference = setAtRandom(table, count);
      expectHolds(table, reference);
    }
  });

  it('tells a digest never set from one of 32 zero bytes', () => {
    const table = new MemoryDigestTable(3);
    table.set(1, '0'.repeat(64));
    expect(table.firstMissing()).toBe(0);
    expect(table.hexAt(1)).toBe('0'.repeat(64));
    expect(() => table.hexAt(0)).toThrow(/no digest for file #0/);
  });

  it('refuses what is not a lowercase SHA-256 hex digest, and indexes outside the table, leaving nothing set', () => {
    const table = new MemoryDigestTable(2);
    for (const bad of ['ab', 'G'.repeat(64), 'A'.repeat(64), `${'a'.repeat(63)}`, `${'a'.repeat(65)}`]) {
      expect(() => table.set(0, bad)).toThrow(RangeError);
    }
    expect(table.has(0)).toBe(false);
    expect(() => table.set(2, 'a'.repeat(64))).toThrow(RangeError);
    expect(() => table.set(-1, 'a'.repeat(64))).toThrow(RangeError);
    expect(() => table.has(1.5)).toThrow(RangeError);
  });
});

describe('digest table spilled to the station spool (large exports)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-digest-table-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads back what an array of digest strings holds, set in random order across windows, some overwritten after their window was written', () => {
    for (const count of [1, WINDOW_DIGESTS, WINDOW_DIGESTS + 1, 3 * WINDOW_DIGESTS + 5]) {
      const table = openDigestTable(count, { dir, minFiles: 1 });
      expect(table.spilled).toBe(true);
      const reference = setAtRandom(table, count);
      expectHolds(table, reference);
      // Every digest set, the rest overwritten once more: windows written are rewritten exactly.
      for (let index = 0; index < count; index += 1) if (reference[index] === undefined) table.set(index, (reference[index] = sha(randomBytes(8))));
      for (let index = 0; index < count; index += 7) table.set(index, (reference[index] = sha(randomBytes(8))));
      for (let index = 0; index < count; index += 1) expect(table.hexAt(index)).toBe(reference[index]);
      expect(table.firstMissing()).toBe(-1);
      table.release();
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('holds no more than the window being filled when set as the lanes set them (about in file order), and stays a spill when read in order', () => {
    const count = 10 * WINDOW_DIGESTS + 3;
    const table = openDigestTable(count, { dir, minFiles: 1 }) as SpilledDigestTable;
    const digests = Array.from({ length: count }, (_, i) => sha(Buffer.from(String(i))));
    // Two lanes taking batches of 256 from one queue: each batch completes out of step with the other's.
    for (let batch = 0; batch * 256 < count; batch += 2) {
      for (const lane of [1, 0]) for (let i = (batch + lane) * 256; i < Math.min(count, (batch + lane + 1) * 256); i += 1) table.set(i, digests[i] as string);
      expect(table.pendingWindows).toBeLessThanOrEqual(1);
    }
    expect(table.pendingWindows).toBe(0);
    for (let pass = 0; pass < 3; pass += 1) for (let i = 0; i < count; i += 1) expect(table.hexAt(i)).toBe(digests[i]);
    expect(table.spilled).toBe(true);
    table.release();
    expect(() => table.hexAt(0)).toThrow(expect.objectContaining({ code: 'INTERNAL' }) as Error);
  });

  it('moves into memory, with the same answers, when read far out of order', () => {
    const count = 6 * WINDOW_DIGESTS;
    const table = openDigestTable(count, { dir, minFiles: 1 });
    const digests = Array.from({ length: count }, (_, i) => sha(Buffer.from(String(i))));
    digests.forEach((digest, i) => table.set(i, digest));
    for (let i = 0; i < 200; i += 1) {
      expect(table.hexAt(i)).toBe(digests[i]);
      expect(table.hexAt(count - 1 - i)).toBe(digests[count - 1 - i]);
    }
    expect(table.spilled).toBe(false);
    digests.forEach((digest, i) => expect(table.hexAt(i)).toBe(digest));
    table.release();
  });

  it('refuses digests changed on disk after they were written (INTERNAL)', () => {
    if (process.platform !== 'linux') return;
    const count = 2 * WINDOW_DIGESTS;
    const table = openDigestTable(count, { dir, minFiles: 1 });
    for (let i = 0; i < count; i += 1) table.set(i, sha(Buffer.from(String(i))));
    const fds = readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith(join(dir, '.export-digests.'));
      } catch {
        return false;
      }
    });
    expect(fds.length).toBe(1);
    writeSync(Number(fds[0]), Buffer.alloc(32, 0xcd), 0, 32, 32 * (WINDOW_DIGESTS + 3));
    expect(table.hexAt(3)).toBe(sha(Buffer.from('3')));
    expect(() => table.hexAt(WINDOW_DIGESTS + 3)).toThrow(expect.objectContaining({ code: 'INTERNAL' }) as Error);
    table.release();
  });

  it('keeps a small export, one without a spool, or one whose spool cannot be made in memory', () => {
    expect(openDigestTable(TABLE_SPILL_MIN_FILES - 1, { dir }).spilled).toBe(false);
    expect(openDigestTable(TABLE_SPILL_MIN_FILES).spilled).toBe(false);
    const large = openDigestTable(TABLE_SPILL_MIN_FILES, { dir });
    expect(large.spilled).toBe(true);
    large.release();
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    expect(openDigestTable(10, { dir: join(file, 'spool'), minFiles: 1 }).spilled).toBe(false);
  });
});
