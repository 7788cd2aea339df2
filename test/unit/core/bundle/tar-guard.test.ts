import { Parser, type ReadEntry } from 'tar';
import { describe, expect, it } from 'vitest';
import { ArchiveError } from '../../../../electron/core/bundle/archive-error.js';
import { TarGuard, TAR_RECORD, type GuardEntry } from '../../../../electron/core/bundle/tar-guard.js';
import { encodeFileHeader, END_OF_ARCHIVE, padding } from '../../../../electron/core/bundle/tar-header.js';
import { paxRecord, tarOf } from '../../../helpers/hostile-tar.js';
import { header, longName, octal, paxHeader, withData } from '../../../helpers/tar-grammar.js';

function guardOf(bytes: Buffer, chunk = bytes.length || 1): { guard: TarGuard; out: Buffer } {
  const guard = new TarGuard();
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunk) {
    out.push(...guard.write(bytes.subarray(at, at + chunk)));
    if (guard.failure) throw guard.failure;
  }
  guard.end();
  return { guard, out: Buffer.concat(out) };
}

function refusal(bytes: Buffer): ArchiveError {
  try {
    guardOf(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(ArchiveError);
    return error as ArchiveError;
  }
  throw new Error('expected a refusal');
}

const file = (name: string, body = 'x'): Buffer =>
  withData(header({ name: Buffer.from(name), size: octal(Buffer.byteLength(body), 12), typeflag: 0x30 }), Buffer.from(body));

describe('TarGuard', () => {
  it('reads plain entries and passes their bytes through unchanged, at any chunking', () => {
    const archive = Buffer.concat([
      file('b/one.txt', 'one'),
      header({ name: Buffer.from('b/d/'), size: octal(0, 12), typeflag: 0x35 }),
      file('b/two', 'x'.repeat(700)),
      END_OF_ARCHIVE,
    ]);
    for (const chunk of [1, 7, 511, 512, 513, 4096, archive.length]) {
      const { guard, out } = guardOf(archive, chunk);
      // Each entry's data offset is where its bytes start in the stream (content inspection reads a file back there).
      expect(guard.entries).toEqual([
        { path: 'b/one.txt', kind: 'file', size: 3, dataOffset: 512 },
        { path: 'b/d/', kind: 'directory', size: 0, dataOffset: 1536 },
        { path: 'b/two', kind: 'file', size: 700, dataOffset: 2048 },
      ]);
      expect(out.equals(archive)).toBe(true);
    }
  });

  it('joins prefix and name as ustar defines, up to a 155-byte prefix', () => {
    const prefix = `b/${'p'.repeat(150)}`;
    const { guard } = guardOf(
      Buffer.concat([
        withData(header({ name: Buffer.from('leaf'), prefix: Buffer.from(prefix), size: octal(1, 12), typeflag: 0x30 }), Buffer.from('x')),
        END_OF_ARCHIVE,
      ]),
    );
    expect(guard.entries[0]?.path).toBe(`${prefix}/leaf`);
  });

  it('accepts zero padding up to the 10 240-byte record after the marker, and nothing more', () => {
    const body = Buffer.concat([file('b/x'), END_OF_ARCHIVE]);
    expect(guardOf(Buffer.concat([body, Buffer.alloc(TAR_RECORD - body.length)])).guard.ended).toBe(true);
    expect(refusal(Buffer.concat([body, Buffer.alloc(TAR_RECORD - body.length + 1)])).message).toContain('end-of-archive');
    expect(refusal(Buffer.concat([body, Buffer.from([1])])).message).toContain('end-of-archive');
  });

  it('on a refusal, returns the bytes before the refused header and nothing after', () => {
    const before = Buffer.concat([file('b/one', 'x'.repeat(600)), file('b/two')]);
    const guard = new TarGuard();
    const out = Buffer.concat(
      guard.write(
        Buffer.concat([
          before,
          header({ name: Buffer.from('b/l'), linkname: Buffer.from('x'), size: octal(0, 12), typeflag: 0x32 }),
          file('b/three'),
          END_OF_ARCHIVE,
        ]),
      ),
    );
    expect(guard.failure).toMatchObject({ kind: 'unsafe-type', path: 'b/l' });
    expect(out.equals(before)).toBe(true);
    expect(guard.write(Buffer.alloc(512))).toEqual([]);
  });

  it('forwards nothing past the marker to node-tar', () => {
    const body = Buffer.concat([file('b/x'), END_OF_ARCHIVE]);
    expect(guardOf(Buffer.concat([body, Buffer.alloc(4096)])).out.length).toBe(body.length);
  });

  it.each([
    ['an empty archive', Buffer.alloc(0)],
    ['an archive that starts with its end marker', Buffer.alloc(4096)],
    ['an archive without an end marker', file('b/x')],
    ['an archive cut inside a header', Buffer.concat([file('b/x'), file('b/y').subarray(0, 300)])],
    ['an archive cut inside data', file('b/x', 'y'.repeat(2000)).subarray(0, 1200)],
    ['a lone zero block before more entries', Buffer.concat([file('b/x'), Buffer.alloc(512), file('b/y'), END_OF_ARCHIVE])],
    ['a meta header followed by the end marker', Buffer.concat([file('b/x'), paxHeader(paxRecord('path', 'b/y')), END_OF_ARCHIVE])],
    ['a regular file named with a trailing slash', Buffer.concat([file('b/x/'), END_OF_ARCHIVE])],
    ['a pax path with a trailing slash on a regular file', Buffer.concat([paxHeader(paxRecord('path', 'b/x/')), file('b/x'), END_OF_ARCHIVE])],
    ['two pax headers', Buffer.concat([paxHeader(paxRecord('mtime', '1')), paxHeader(paxRecord('path', 'b/y')), file('b/x'), END_OF_ARCHIVE])],
    ['a pax path and a long name', Buffer.concat([longName('b/long'), paxHeader(paxRecord('path', 'b/y')), file('b/x'), END_OF_ARCHIVE])],
    [
      'a global pax header',
      Buffer.concat([
        withData(header({ name: Buffer.from('g'), size: octal(12, 12), typeflag: 0x67 }), Buffer.from(paxRecord('comment', 'x'))),
        file('b/x'),
        END_OF_ARCHIVE,
      ]),
    ],
    [
      'an oversized meta header',
      Buffer.concat([header({ name: Buffer.from('././@LongLink'), size: octal(2 * 1024 * 1024, 12), typeflag: 0x4c }), END_OF_ARCHIVE]),
    ],
  ])('refuses %s as corrupt', (_label, bytes) => {
    expect(refusal(bytes).kind).toBe('corrupt');
  });

  it.each([
    ['a symlink', header({ name: Buffer.from('b/l'), linkname: Buffer.from('../x'), size: octal(0, 12), typeflag: 0x32 })],
    ['a long link name', longName('../../x', 'K')],
    ['a FIFO, even with a bad name', header({ name: Buffer.from([0xff]), size: octal(0, 12), typeflag: 0x36 })],
  ])('refuses %s as an unsafe entry type', (_label, entry) => {
    expect(refusal(Buffer.concat([file('b/x'), entry, END_OF_ARCHIVE])).kind).toBe('unsafe-type');
  });
});

describe("Airlock's own writer", () => {
  /** Feeds the guard's output to node-tar and returns the first entry node-tar reports, without its data. */
  function firstNodeTarEntry(bytes: Buffer): Promise<ReadEntry> {
    return new Promise((resolve) => {
      const parser = new Parser({ strict: true });
      parser.on('entry', (entry: ReadEntry) => resolve(entry));
      const guard = new TarGuard();
      for (const piece of guard.write(bytes)) parser.write(piece);
    });
  }

  it('a file of 8 GiB or more with a long CR/LF name (pax size before a GNU long name) reads alike in the guard and node-tar', async () => {
    const path = `bag/data/${'n'.repeat(120)}\r\nname.bin`;
    const size = 9 * 1024 ** 3;
    const headers = encodeFileHeader({ path, size, mtime: new Date(1_700_000_000_000) });
    const guard = new TarGuard();
    guard.write(Buffer.concat([headers, Buffer.alloc(1024)]));
    expect(guard.entries).toEqual([{ path, kind: 'file', size, dataOffset: headers.length }]);
    const entry = await firstNodeTarEntry(Buffer.concat([headers, Buffer.alloc(1024)]));
    expect({ path: entry.path, size: entry.size, type: entry.type }).toEqual({ path, size, type: 'File' });
  });

  it.each([
    ['a long non-ASCII name (pax path)', `bag/data/${'é'.repeat(80)}.txt`],
    ['a long name that splits into prefix and name', `bag/data/${'d'.repeat(90)}/${'f'.repeat(90)}`],
    ['a long name with CR/LF (GNU long name)', `bag/data/${'c'.repeat(120)}\n.txt`],
    ['a short name', 'bag/data/a.txt'],
  ])('%s', (_label, path) => {
    const data = Buffer.from('payload');
    const headers = encodeFileHeader({ path, size: data.length, mtime: new Date(0) });
    const { guard } = guardOf(Buffer.concat([headers, data, padding(data.length), END_OF_ARCHIVE]));
    // The data starts after every header block (pax, GNU long name, ustar): where a reader that seeks finds it.
    expect(guard.entries).toEqual([{ path, kind: 'file', size: data.length, dataOffset: headers.length }]);
  });

  it.each([
    ['a GNU long name', (name: string) => longName(name)],
    ['a pax path', (name: string) => paxHeader(paxRecord('path', name))],
  ])('a link named by %s is refused under that name, its type said as the header says it (no message taken apart)', (_how, named) => {
    const name = `b/${'l'.repeat(120)} is here`;
    const link = header({ name: Buffer.from('b/short'), size: octal(0, 12), typeflag: 0x32 });
    const error = refusal(Buffer.concat([named(name), link, END_OF_ARCHIVE]));
    expect(error.kind).toBe('unsafe-type');
    expect(error.path).toBe(name);
    expect(error.entryType).toBe('of type symbolic link');
    expect(error.message).toBe(`${JSON.stringify(name)} is of type symbolic link`);
  });
});

describe('skipping data (verify/parallel/payload-scout.ts)', () => {
  it('finds the same entries whether file data is read or skipped, and never skips past the data', () => {
    const archive = tarOf([
      { path: 'bag/a.txt', body: 'x'.repeat(700) },
      { path: 'bag/data/big.bin', body: Buffer.alloc(5000, 7) },
      { path: 'bag/data/empty', body: '' },
      { path: 'bag/data/c.bin', body: Buffer.alloc(1500, 1) },
    ]);
    const whole = guardOf(archive).guard.entries;
    const skipping = new TarGuard();
    const found: GuardEntry[] = [];
    let at = 0;
    while (!skipping.ended) {
      skipping.write(archive.subarray(at, at + 512));
      at += 512;
      found.push(...skipping.entries.splice(0));
      const pending = skipping.pendingData;
      if (pending === 0) continue;
      expect(() => skipping.skipData(pending + 1)).toThrow(RangeError);
      skipping.skipData(pending);
      at += pending;
    }
    expect(found).toEqual(whole);
  });
});
