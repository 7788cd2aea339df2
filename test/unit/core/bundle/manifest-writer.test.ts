import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeManifest } from '../../../../electron/core/bundle/manifest.js';
import { manifestByteLength, writeManifestAt } from '../../../../electron/core/bundle/manifest-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'airlock-manifest-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pieces = ['a', 'ü', '%', '\n', '\r', ' ', '日本', '😀', '/', 'x'.repeat(300)];
function randomEntries(count: number): Array<{ path: string; sha256: string }> {
  return Array.from({ length: count }, () => {
    let path = 'data/';
    for (let i = 0; i < 1 + Math.floor(Math.random() * 6); i += 1) path += pieces[Math.floor(Math.random() * pieces.length)] as string;
    return { path, sha256: createHash('sha256').update(path).update(String(Math.random())).digest('hex') };
  });
}

describe('manifest writer', () => {
  it('writes encodeManifest bytes at the offset, with their length and digest, and knows the length beforehand', () => {
    // A path longer than a third of the writer's 1 MiB buffer is written by itself; others are gathered across chunk ends.
    const long = { path: `data/${'日'.repeat(400_000)}`, sha256: 'a'.repeat(64) };
    const nearlyFull = { path: `data/${'x'.repeat((1 << 20) - 80)}`, sha256: 'b'.repeat(64) };
    const cases = [[], ...[1, 9, 12_000].map(randomEntries), [...randomEntries(3), long, ...randomEntries(3), nearlyFull, long, ...randomEntries(5)]];
    for (const [count, entries] of cases.entries()) {
      const expected = encodeManifest(entries);
      const file = join(dir, `m${count}`);
      writeFileSync(file, Buffer.alloc(100, 7));
      const fd = openSync(file, 'r+');
      let written;
      try {
        written = writeManifestAt(fd, 37, entries);
      } finally {
        closeSync(fd);
      }
      expect(written).toEqual({ bytes: expected.length, sha256: createHash('sha256').update(expected).digest('hex') });
      expect(manifestByteLength(entries.map((e) => e.path))).toBe(expected.length);
      const bytes = readFileSync(file);
      expect(bytes.subarray(0, 37).equals(Buffer.alloc(37, 7))).toBe(true);
      expect(bytes.subarray(37, 37 + expected.length).equals(expected)).toBe(true);
    }
  });
});
