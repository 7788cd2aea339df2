import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { archiveOffsetOf, ArchiveError, entryKind, readTarEntries } from '../../../../electron/core/bundle/tar-entries.js';
import { END_OF_ARCHIVE } from '../../../../electron/core/bundle/tar-header.js';
import { header, octal, paxHeader, withData } from '../../../helpers/tar-grammar.js';
import { paxRecord } from '../../../helpers/hostile-tar.js';
import { seededRandom } from '../../../helpers/seeded-random.js';

const file = (name: string, body = 'x'): Buffer =>
  withData(header({ name: Buffer.from(name), size: octal(Buffer.byteLength(body), 12), typeflag: 0x30 }), Buffer.from(body));

/** Paths read, and the refusal (if any), with the bytes delivered in chunks of `chunk` bytes. */
async function read(bytes: Buffer, chunk: number): Promise<{ paths: string[]; error: string | null }> {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunk) chunks.push(bytes.subarray(at, at + chunk));
  const paths: string[] = [];
  try {
    for await (const entry of readTarEntries(Readable.from(chunks))) {
      paths.push(entry.path);
      entry.resume();
    }
  } catch (error) {
    return { paths, error: (error as Error).message };
  }
  return { paths, error: null };
}

describe('readTarEntries', () => {
  it.each([512, 1000, 1 << 20])('delivers the entries before a refused header, then the refusal (chunks of %i bytes)', async (chunk) => {
    const symlink = header({ name: Buffer.from('b/l'), linkname: Buffer.from('x'), size: octal(0, 12), typeflag: 0x32 });
    const result = await read(Buffer.concat([file('b/one', 'y'.repeat(700)), file('b/two'), symlink, file('b/three'), END_OF_ARCHIVE]), chunk);
    expect(result.paths).toEqual(['b/one', 'b/two']);
    expect(result.error).toContain('symbolic link');
  });

  // The slow consumer stands for verify's parallel walk, which waits for the lanes' digest of each
  // file: the source ends meanwhile, while node-tar still holds the next header (parity5).
  it.each([0, 1])('cut short, hands out every entry whose header arrived, then the truncation, however slowly it is read (%i ms per entry)', async (wait) => {
    const one = file('b/one', 'y'.repeat(700));
    const two = file('b/two', 'z'.repeat(300));
    const whole = Buffer.concat([one, two, END_OF_ARCHIVE]);
    const twoAt = one.length;
    for (const cut of [twoAt - 1, twoAt, twoAt + 100, twoAt + 512, twoAt + 600, twoAt + 812, twoAt + 1024, whole.length - 512, whole.length - 1]) {
      const seen: Array<{ path: string; bytes?: number; failed: boolean }> = [];
      let error: Error | null = null;
      try {
        for await (const entry of readTarEntries(Readable.from([whole.subarray(0, cut)]))) {
          await new Promise((resolve) => setTimeout(resolve, wait));
          // The bytes of an entry whose read fails are not counted: what arrived of them before the refusal does not matter.
          const read: { path: string; bytes?: number; failed: boolean } = { path: entry.path, failed: false };
          seen.push(read);
          let bytes = 0;
          try {
            for await (const chunk of entry) bytes += chunk.length;
            read.bytes = bytes;
          } catch {
            read.failed = true;
          }
        }
      } catch (caught) {
        error = caught as Error;
      }
      const expected =
        cut < twoAt
          ? [{ path: 'b/one', failed: true }]
          : cut < twoAt + 512
            ? [{ path: 'b/one', bytes: 700, failed: false }]
            : [
                { path: 'b/one', bytes: 700, failed: false },
                cut < twoAt + 1024 ? { path: 'b/two', failed: true } : { path: 'b/two', bytes: 300, failed: false },
              ];
      expect({ cut, seen }).toEqual({ cut, seen: expected });
      expect({ cut, error: error?.message }).toEqual({ cut, error: expect.stringContaining('it is truncated') });
    }
  });

  // Standard input and split parts arrive in reads of any size: node-tar parses whole blocks only, so
  // it used to hold a chunk's last part of a block back, and a complete last entry (its padding still
  // held) was failed as cut short, or an entry cut inside a block gave its reader more or fewer bytes
  // (smallver2's finding). Now every chunking must read the same as one chunk: the same entries, the
  // same bytes read of each (of one cut short too, before its read fails), the same refusal.
  it('cut anywhere and read in chunks of random sizes: the same as in one chunk, to the byte', async () => {
    const whole = Buffer.concat([
      file('b/one', 'y'.repeat(700)),
      paxHeader(paxRecord('path', `b/${'n'.repeat(120)}`)),
      file('b/n', 'q'.repeat(1030)),
      file('b/empty', ''),
      file('b/two', 'z'.repeat(300)),
      END_OF_ARCHIVE,
    ]);
    const random = seededRandom(8);
    const readAs = async (chunks: Buffer[]) => {
      const seen: Array<{ path: string; bytes: number; failed: boolean }> = [];
      let error: string | null = null;
      try {
        for await (const entry of readTarEntries(Readable.from(chunks))) {
          const got = { path: entry.path, bytes: 0, failed: false };
          seen.push(got);
          try {
            for await (const chunk of entry) got.bytes += chunk.length;
          } catch {
            got.failed = true;
          }
        }
      } catch (caught) {
        error = (caught as Error).message;
      }
      return { seen, error };
    };
    for (let cut = 0; cut <= whole.length; cut += cut < 600 ? 97 : 61) {
      const bytes = whole.subarray(0, cut);
      const expected = await readAs([bytes]);
      for (let trial = 0; trial < 3; trial += 1) {
        const chunks: Buffer[] = [];
        for (let at = 0; at < bytes.length;) {
          const size = 1 + Math.floor(random() * 1400);
          chunks.push(bytes.subarray(at, at + size));
          at += size;
        }
        expect({ cut, sizes: chunks.map((c) => c.length), ...(await readAs(chunks)) }).toEqual({ cut, sizes: chunks.map((c) => c.length), ...expected });
      }
    }
  });

  it.each([1, 512, 4096])('refuses zeros beyond the record even when they arrive after node-tar has ended (chunks of %i bytes)', async (chunk) => {
    const result = await read(Buffer.concat([file('b/one'), END_OF_ARCHIVE, Buffer.alloc(20480)]), chunk);
    expect(result.paths).toEqual(['b/one']);
    expect(result.error).toContain('end-of-archive');
  });

  it('accepts the padding to the record at any chunking', async () => {
    const archive = Buffer.concat([file('b/one'), END_OF_ARCHIVE]);
    for (const chunk of [1, 512, 4096])
      expect(await read(Buffer.concat([archive, Buffer.alloc(10240 - archive.length)]), chunk)).toEqual({ paths: ['b/one'], error: null });
  });
});

const directory = (name: string): Buffer => header({ name: Buffer.from(name), size: octal(0, 12), typeflag: 0x35 });

/** Every entry's path, kind and data, or the refusal. */
async function readAll(bytes: Buffer): Promise<{ entries: Array<[string, string, string]>; error: Error | null }> {
  const entries: Array<[string, string, string]> = [];
  try {
    for await (const entry of readTarEntries(Readable.from([bytes]))) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk);
      entries.push([entry.path, entryKind(entry), Buffer.concat(chunks).toString()]);
    }
  } catch (error) {
    return { entries, error: error as Error };
  }
  return { entries, error: null };
}

describe('readTarEntries: what it delivers', () => {
  it('delivers files and folders in order with their data, and the end marker ends the reading', async () => {
    const result = await readAll(Buffer.concat([directory('b/'), file('b/one', 'first'), file('b/two', 'y'.repeat(1500)), END_OF_ARCHIVE]));
    expect(result.error).toBeNull();
    expect(result.entries).toEqual([
      ['b/', 'directory', ''],
      ['b/one', 'file', 'first'],
      ['b/two', 'file', 'y'.repeat(1500)],
    ]);
  });

  it("lets the consumer skip an entry's data: the next entry still arrives whole", async () => {
    const paths: string[] = [];
    let last = '';
    for await (const entry of readTarEntries(Readable.from([Buffer.concat([file('b/skipped', 'z'.repeat(5000)), file('b/read', 'kept'), END_OF_ARCHIVE])]))) {
      paths.push(entry.path);
      if (entry.path === 'b/read') for await (const chunk of entry) last += chunk.toString();
    }
    expect(paths).toEqual(['b/skipped', 'b/read']);
    expect(last).toBe('kept');
  });

  it('reads a pax path longer than the header holds', async () => {
    const long = `b/${'n'.repeat(200)}.txt`;
    const result = await readAll(Buffer.concat([paxHeader(paxRecord('path', long)), file('b/short', 'x'), END_OF_ARCHIVE]));
    expect(result.entries).toEqual([[long, 'file', 'x']]);
  });
});

describe('readTarEntries: what it refuses (ArchiveError)', () => {
  it.each([
    ['gzip', [0x1f, 0x8b, 8, 0]],
    ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
    ['bzip2', [0x42, 0x5a, 0x68, 0x39]],
    ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ])('a %s-compressed stream, by its first bytes, without decompressing it', async (name, magic) => {
    const result = await readAll(Buffer.concat([Buffer.from(magic), Buffer.alloc(4096)]));
    expect(result.entries).toEqual([]);
    expect(result.error).toBeInstanceOf(ArchiveError);
    expect(result.error?.message).toContain(`${name}-compressed`);
  });

  it('an archive without its end-of-archive marker (truncated between entries)', async () => {
    const result = await readAll(file('b/one', 'x'));
    expect(result.error).toBeInstanceOf(ArchiveError);
    expect(result.error?.message).toContain('end-of-archive marker: it is truncated');
  });

  it("an archive cut inside an entry's data: the consumer reading it gets the refusal", async () => {
    const whole = Buffer.concat([file('b/one', 'q'.repeat(3000)), END_OF_ARCHIVE]);
    const result = await readAll(whole.subarray(0, 512 + 1024));
    expect(result.error).toBeInstanceOf(Error);
    expect(result.entries).toEqual([]);
  });

  it('a global pax header, which would rename every later entry', async () => {
    const global = withData(
      header({ name: Buffer.from('pax_global_header'), size: octal(Buffer.byteLength(paxRecord('path', 'x')), 12), typeflag: 0x67 }),
      Buffer.from(paxRecord('path', 'x')),
    );
    const result = await readAll(Buffer.concat([global, file('b/one'), END_OF_ARCHIVE]));
    expect(result.entries).toEqual([]);
    expect(result.error?.message).toContain('global pax header');
  });

  it('a link, with its path, as an unsafe type', async () => {
    const hard = header({ name: Buffer.from('b/hard'), linkname: Buffer.from('b/one'), size: octal(0, 12), typeflag: 0x31 });
    const result = await readAll(Buffer.concat([file('b/one'), hard, END_OF_ARCHIVE]));
    expect(result.entries).toEqual([['b/one', 'file', 'x']]);
    expect(result.error).toMatchObject({ kind: 'unsafe-type', path: 'b/hard' });
  });

  it('a source that fails: its error, not a hang', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('EIO: the medium was pulled'));
      },
    });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const entry of readTarEntries(failing)) seen.push(entry.path);
      })(),
    ).rejects.toThrow('EIO');
    expect(seen).toEqual([]);
  });
});

describe('archiveOffsetOf', () => {
  it.each([1, 512, 4096])("names where each entry's data lies in the archive, pax and long names included (chunks of %i bytes)", async (chunk) => {
    const long = `b/${'n'.repeat(150)}/${'m'.repeat(120)}`;
    const archive = Buffer.concat([
      directory('b/'),
      file('b/one', 'first'),
      paxHeader(paxRecord('path', long)),
      file('b/placeholder', 'z'.repeat(1500)),
      file('b/two', 'y'.repeat(700)),
      END_OF_ARCHIVE,
    ]);
    const chunks: Buffer[] = [];
    for (let at = 0; at < archive.length; at += chunk) chunks.push(archive.subarray(at, at + chunk));
    const seen: Array<[string, string]> = [];
    for await (const entry of readTarEntries(Readable.from(chunks))) {
      const parts: Buffer[] = [];
      for await (const part of entry) parts.push(part);
      const data = Buffer.concat(parts);
      const at = archiveOffsetOf(entry);
      expect(at, entry.path).toBeDefined();
      // Read again from the archive at that offset: the same bytes.
      expect(archive.subarray(at, (at ?? 0) + data.length).equals(data), entry.path).toBe(true);
      seen.push([entry.path, data.toString().slice(0, 5)]);
    }
    expect(seen).toEqual([
      ['b/', ''],
      ['b/one', 'first'],
      [long, 'zzzzz'],
      ['b/two', 'yyyyy'],
    ]);
  });
});
