import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SourceList } from '../../../../electron/core/export/source-list.js';
import type { SourceFile } from '../../../../electron/core/export/source-scan.js';

const names = ['a', 'ü', 'f 1.txt', '日本語', '😀', '%0A', 'x'.repeat(200), '\uD800lone', 'n\u0301', 'CASE'];
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

function randomFile(): SourceFile {
  const folder = `d${Math.floor(Math.random() * 5)}`;
  const name = `${pick(names)}${randomBytes(2).toString('hex')}`;
  const mtimeMs = 1_700_000_000_000 + Math.random() * 1e9;
  const kind = Math.random();
  // The walk's shape (same last name), an image layout file named differently, a Windows separator, a selected file at the top.
  const absPath =
    kind < 0.6
      ? `/src/${folder}/${name}`
      : kind < 0.75
        ? `/tmp/layout/blobs/${randomBytes(4).toString('hex')}`
        : kind < 0.9
          ? `C:\\src\\${folder}\\${name}`
          : `/${name}`;
  const bagPath = kind < 0.6 || kind >= 0.75 ? `data/${folder}/${name}` : `data/oci/blobs/sha256/${name}`;
  return {
    absPath,
    bagPath,
    size: Math.random() < 0.1 ? 2 ** 40 + Math.floor(Math.random() * 1e6) : Math.floor(Math.random() * 1e6),
    mtime: pick([new Date(0), new Date(Math.floor(mtimeMs)), new Date(Math.round(mtimeMs)), new Date(Math.round(mtimeMs)), new Date(NaN)]),
    mtimeMs,
  };
}

describe('source list', () => {
  it('gives back, by index and in order, exactly the files an array holds, across chunks of rows and name blocks', () => {
    for (const [count, chunkRows] of [
      [0, 4],
      [1, 4],
      [4, 4],
      [5, 4],
      [3000, 4],
      [3000, 1],
      [3000, 1 << 14],
    ] as const) {
      const list = new SourceList(chunkRows);
      const reference: SourceFile[] = [];
      for (let i = 0; i < count; i += 1) {
        const file = randomFile();
        list.add(file);
        reference.push(file);
      }
      expect(list.length).toBe(reference.length);
      for (let i = 0; i < count; i += 1) expect(list.at(i)).toEqual(reference[i]);
      expect([...list]).toEqual(reference);
      expect(list.at(count)).toBeUndefined();
      expect(list.at(-1)).toBeUndefined();
    }
  });

  it('keeps a Date that is not the rounded mtimeMs, also for times before 1970', () => {
    const list = new SourceList(2);
    const files: SourceFile[] = [
      { absPath: '/s/a', bagPath: 'data/a', size: 0, mtime: new Date(-2), mtimeMs: -1.5 },
      { absPath: '/s/b', bagPath: 'data/b', size: 0, mtime: new Date(-1), mtimeMs: -1.5 },
      { absPath: '/s/c', bagPath: 'data/c', size: 0, mtime: new Date(1), mtimeMs: 1.5 },
      { absPath: '/s/d', bagPath: 'data/d', size: 0, mtime: new Date(2), mtimeMs: 1.5 },
    ];
    for (const file of files) list.add(file);
    expect([...list]).toEqual(files);
  });

  it('takes only a power of two as rows per chunk', () => {
    expect(() => new SourceList(3)).toThrow(RangeError);
    expect(() => new SourceList(0)).toThrow(RangeError);
  });

  it('keeps names longer than a block of name bytes', () => {
    const list = new SourceList();
    const file: SourceFile = { absPath: `/s/${'é'.repeat(600_000)}`, bagPath: `data/${'é'.repeat(600_000)}`, size: 1, mtime: new Date(5), mtimeMs: 5 };
    list.add({ ...file, absPath: '/s/a', bagPath: 'data/a' });
    list.add(file);
    list.add({ ...file, absPath: '/s/b', bagPath: 'data/b' });
    expect(list.at(1)).toEqual(file);
    expect(list.at(2)?.bagPath).toBe('data/b');
  });
});
