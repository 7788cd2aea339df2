/**
 * A zip appended to another file (a polyglot, a self-extractor) opens in unzip and Python although
 * its head is not a zip. endsWithZipDirectory finds it by its end, as they do, and the walk then
 * lists its members, or refuses it when the directory's offsets do not fit the file: it never
 * passes the file as if it held nothing.
 */
import { describe, expect, it } from 'vitest';
import { endsWithZipDirectory } from '../../electron/core/inspect/archives/zip-probe.js';
import { bufferSource, makeArchive, pythonListing, walk } from '../helpers/archive-maker.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs();
const PDF_HEAD = Buffer.from('%PDF-1.7\n% a document\n1 0 obj << >> endobj\n%%EOF\n');
const CENTRAL = Buffer.from([0x50, 0x4b, 0x01, 0x02]);

function zipWithComment(comment: string): Buffer {
  const zip = makeArchive({ kind: 'zip', members: [{ name: 'payload.exe', data: { text: 'MALWARE-MARKER' } }] });
  const withComment = Buffer.concat([zip, Buffer.from(comment)]);
  withComment.writeUInt16LE(comment.length, zip.length - 2);
  return withComment;
}

/** The zip after `prefix`, its offsets moved by the prefix's length (what `zip -A` does to a self-extractor). */
function adjusted(prefix: Buffer, zip: Buffer): Buffer {
  const out = Buffer.concat([prefix, zip]);
  for (let at = out.indexOf(CENTRAL); at >= 0; at = out.indexOf(CENTRAL, at + 4)) out.writeUInt32LE(out.readUInt32LE(at + 42) + prefix.length, at + 42);
  const eocd = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  out.writeUInt32LE(out.readUInt32LE(eocd + 16) + prefix.length, eocd + 16);
  return out;
}

describe('zips found by their end', () => {
  it('finds the directory of a zip, with or without a comment, after any prefix', async () => {
    for (const comment of ['', 'a comment']) {
      const zip = zipWithComment(comment);
      expect(await endsWithZipDirectory(bufferSource(zip))).toBe(true);
      expect(await endsWithZipDirectory(bufferSource(Buffer.concat([PDF_HEAD, zip])))).toBe(true);
    }
    expect(await endsWithZipDirectory(bufferSource(PDF_HEAD))).toBe(false);
    expect(await endsWithZipDirectory(bufferSource(Buffer.concat([zipWithComment(''), Buffer.from('trailing')])))).toBe(false);
    expect(await endsWithZipDirectory(bufferSource(Buffer.alloc(0)))).toBe(false);
  });

  it('a PDF with a zip appended and its offsets adjusted: the walk lists the zip members', async () => {
    const polyglot = adjusted(PDF_HEAD, zipWithComment(''));
    expect(pythonListing(polyglot, await tempDir()).map((e) => e.name)).toEqual(['payload.exe']);
    const { findings, seen } = await walk(polyglot, 'zip');
    expect(findings).toEqual([]);
    expect(seen.map((s) => s.members)).toEqual([['payload.exe']]);
  });

  it('a PDF with a zip simply appended (offsets off by the prefix): Python still opens it, the walk refuses it', async () => {
    const polyglot = Buffer.concat([PDF_HEAD, zipWithComment('')]);
    expect(pythonListing(polyglot, await tempDir()).map((e) => e.name)).toEqual(['payload.exe']);
    const { findings, seen } = await walk(polyglot, 'zip');
    expect(findings.map((f) => f.code)).toEqual(['ARCHIVE_UNREADABLE']);
    expect(seen).toEqual([]);
  });
});
