import { describe, expect, it } from 'vitest';
import { detectType } from '../../../../../electron/core/inspect/types/detect-type.js';
import { bufferSource } from '../../../../../electron/core/inspect/types/buffer-source.js';
import { polyglotIn, polyglotOf, TailWindow, ZIP_TAIL_BYTES } from '../../../../../electron/core/inspect/types/polyglot.js';
import * as corpus from '../../../../helpers/type-corpus.js';

async function polyglot(bytes: Buffer, name: string): Promise<string | null> {
  return polyglotOf(bufferSource(bytes), await detectType(bytes.subarray(0, 4100), name));
}
const member = [{ name: 'payload.exe', data: corpus.pe() }];

describe('polyglotOf: files that other programs read as another type', () => {
  it('finds a zip appended to a PDF or a JPEG (offsets relative to the zip, or to the file)', async () => {
    expect(await polyglot(Buffer.concat([corpus.pdf(), corpus.zip(member)]), 'a.pdf')).toMatch(/zip archive/u);
    expect(await polyglot(Buffer.concat([corpus.jpeg(), corpus.zip(member)]), 'a.jpg')).toMatch(/zip archive/u);
    expect(await polyglot(corpus.zip(member, { before: corpus.jpeg() }), 'a.jpg')).toMatch(/zip archive/u);
  });

  it('finds the zip however much trails it within the last 64 KiB (a comment, or bytes after)', async () => {
    expect(await polyglot(Buffer.concat([corpus.pdf(), corpus.zip(member, { comment: 'x'.repeat(60_000) })]), 'a.pdf')).not.toBeNull();
    expect(await polyglot(Buffer.concat([corpus.gif(), corpus.zip(member), Buffer.from('%%EOF\n')]), 'a.gif')).not.toBeNull();
  });

  it('finds a zip whose central directory is larger than the tail, and a Zip64 end', async () => {
    const many = Array.from({ length: 1500 }, (_, i) => ({ name: `dir/file-${String(i).padStart(5, '0')}.txt`, data: 'x', deflate: false }));
    expect(await polyglot(Buffer.concat([corpus.png(), corpus.zip(many)]), 'a.png')).not.toBeNull();
    const zip64 = Buffer.alloc(20 + 22);
    zip64.writeUInt32LE(0x07064b50, 0);
    zip64.writeUInt32LE(0x06054b50, 20);
    zip64.fill(0xff, 24, 40);
    expect(await polyglot(Buffer.concat([corpus.png(), zip64]), 'a.png')).not.toBeNull();
  });

  it('finds a PDF header inside the first KiB of another binary type', async () => {
    const png = Buffer.concat([corpus.png(), Buffer.alloc(100), corpus.pdf()]);
    expect(await polyglot(png, 'a.png')).toMatch(/PDF header at byte/u);
  });

  it('says nothing of plain files, zips, Office packages, or a tar whose last member is a zip', async () => {
    expect(await polyglot(corpus.pdf(), 'a.pdf')).toBeNull();
    expect(await polyglot(corpus.jpeg(), 'a.jpg')).toBeNull();
    expect(await polyglot(corpus.zip(member), 'a.zip')).toBeNull();
    expect(await polyglot(corpus.ooxml({ macros: true }), 'a.docm')).toBeNull();
    expect(await polyglot(corpus.tar('inner.zip', corpus.zip(member)), 'a.tar')).toBeNull();
    expect(await polyglot(corpus.zip([{ name: 'doc.pdf', data: corpus.pdf(), deflate: false }]), 'a.zip')).toBeNull();
    expect(await polyglot(Buffer.from('A note about the %PDF-1.7 header.\n'), 'note.txt')).toBeNull();
    expect(await polyglot(Buffer.alloc(0), 'empty')).toBeNull();
    expect(await polyglot(Buffer.from('A'), 'one')).toBeNull();
  });

  it('does not take an empty zip, or the bytes of an end record without a central directory behind it, for a polyglot', async () => {
    expect(await polyglot(Buffer.concat([corpus.jpeg(), corpus.zip([])]), 'a.jpg')).toBeNull();
    const fake = Buffer.alloc(22);
    fake.writeUInt32LE(0x06054b50, 0);
    fake.writeUInt16LE(1, 8);
    fake.writeUInt16LE(1, 10);
    fake.writeUInt32LE(46, 12);
    expect(await polyglot(Buffer.concat([corpus.jpeg(), Buffer.alloc(100, 0x41), fake]), 'a.jpg')).toBeNull();
  });

  it('says nothing of incompressible noise behind a JPEG head (no false alarms from chance bytes)', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      expect(await polyglot(Buffer.concat([corpus.jpeg(), corpus.noise(200_000, seed)]), 'a.jpg')).toBeNull();
    }
  });

  it('gives the same answer from a streamed tail (TailWindow) as from the file', async () => {
    const file = Buffer.concat([corpus.pdf(), corpus.noise(150_000), corpus.zip(member)]);
    const window = new TailWindow();
    for (let at = 0; at < file.length; at += 7_777) window.push(file.subarray(at, at + 7_777));
    expect(window.bytes().equals(file.subarray(file.length - ZIP_TAIL_BYTES))).toBe(true);
    const detection = await detectType(file.subarray(0, 4100), 'a.pdf');
    expect(polyglotIn(file.subarray(0, 1024), window.bytes(), file.length, detection)).toEqual(await polyglotOf(bufferSource(file), detection));
    expect(polyglotIn(file.subarray(0, 1024), window.bytes(), file.length, detection)).not.toBeNull();
  });
});
