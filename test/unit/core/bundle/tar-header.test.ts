import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Header } from 'tar';
import { describe, expect, it } from 'vitest';
import { encodeFileHeader, END_OF_ARCHIVE, padding } from '../../../../electron/core/bundle/tar-header.js';

/** What node-tar itself writes for a plain ustar file entry: the reference the fast encoder must match. */
function nodeTarHeader(path: string, size: number, mtime: Date): Buffer {
  const block = Buffer.alloc(512);
  const needPax = new Header({ path, mode: 0o644, uid: 0, gid: 0, size, mtime, type: 'File', uname: '', gname: '' }).encode(block, 0);
  expect(needPax).toBe(false);
  return block;
}

describe('encodeFileHeader', () => {
  it('writes the same bytes as node-tar for plain ASCII paths, over sizes and dates at the field boundaries', () => {
    const paths = ['b/bagit.txt', 'bundle/data/a.txt', `n/${'x'.repeat(97)}`, 'n/with space & (parens) #1.txt', 'n/line\nbreak.txt', 'n/quote\'"`.txt'];
    const sizes = [0, 1, 511, 512, 513, 4096, 0o7777777777, 0o7777777777 + 1, 2 ** 33 - 1, 0o77777777777];
    const dates = [
      new Date(0),
      new Date(1_700_000_000_000),
      new Date(0o7777777777 * 1000),
      new Date((0o7777777777 + 1) * 1000),
      new Date(0o77777777777 * 1000),
    ];
    let compared = 0;
    for (const path of paths) {
      for (const size of sizes) {
        for (const mtime of dates) {
          expect(
            encodeFileHeader({ path, size, mtime }).equals(nodeTarHeader(path, size, mtime)),
            `${JSON.stringify(path)} ${size} ${mtime.toISOString()}`,
          ).toBe(true);
          compared += 1;
        }
      }
    }
    expect(compared).toBe(paths.length * sizes.length * dates.length);
  });

  it('matches node-tar for random short ASCII paths, sizes and dates', () => {
    let seed = 42;
    const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i += 1) {
      const length = 1 + Math.floor(random() * 99);
      const path = Array.from({ length }, () => String.fromCharCode(0x21 + Math.floor(random() * 94))).join('');
      const size = Math.floor(random() * 0o77777777777);
      const mtime = new Date(Math.floor(random() * 2 ** 33) * 1000);
      expect(encodeFileHeader({ path, size, mtime }).equals(nodeTarHeader(path, size, mtime)), `${path} ${size}`).toBe(true);
    }
  });

  it('leaves long and non-ASCII paths to node-tar: prefix split, or a pax record first', () => {
    const split = `n/${'z'.repeat(98)}`;
    expect(encodeFileHeader({ path: split, size: 10, mtime: new Date(0) }).equals(nodeTarHeader(split, 10, new Date(0)))).toBe(true);
    for (const path of [`n/${'y'.repeat(120)}`, 'n/café.txt']) {
      const header = encodeFileHeader({ path, size: 10, mtime: new Date(0) });
      expect(header.length).toBeGreaterThan(512);
      expect(header.subarray(0, 512).toString('latin1')).toContain('PaxHeader');
    }
  });

  it('produces archives GNU tar lists and extracts byte for byte', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'airlock-tar-header-'));
    try {
      const entries = [
        { path: 'b/one.txt', bytes: Buffer.from('one') },
        { path: 'b/empty', bytes: Buffer.alloc(0) },
        { path: `b/${'l'.repeat(96)}`, bytes: Buffer.alloc(512, 7) },
      ];
      const archive = Buffer.concat([
        ...entries.flatMap((e) => [
          encodeFileHeader({ path: e.path, size: e.bytes.length, mtime: new Date(1_600_000_000_000) }),
          e.bytes,
          padding(e.bytes.length),
        ]),
        END_OF_ARCHIVE,
      ]);
      await writeFile(join(dir, 'a.tar'), archive);
      const listing = execFileSync('tar', ['tvf', join(dir, 'a.tar')], { encoding: 'utf8' })
        .trim()
        .split('\n');
      expect(listing.map((line) => line.split(/\s+/u).at(-1))).toEqual(entries.map((e) => e.path));
      for (const e of entries) expect(execFileSync('tar', ['xOf', join(dir, 'a.tar'), e.path]).equals(e.bytes)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
