/**
 * Zips that readers would read differently (issue #16.3): a local header that disagrees with the
 * central directory, or a local entry the directory does not list, is extracted by a streaming
 * reader and not by unzip or Python. The walk refuses such a zip whole (ARCHIVE_UNREADABLE) and
 * shows nothing of it, so no reading of it hides content from inspection.
 */
import { describe, expect, it } from 'vitest';
import { makeArchive, pythonListing, walk } from '../helpers/archive-maker.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs();

describe('zips that streaming readers would read differently are refused whole', () => {
  const plain = (): Buffer =>
    makeArchive({
      kind: 'zip',
      members: [
        { name: 'a.txt', compress: 'stored', data: { text: 'visible' } },
        { name: 'b.txt', data: { text: 'also' } },
      ],
    });

  it('a local header whose name differs from the directory', async () => {
    const zip = plain();
    zip.write('x', 30); // the first local header's name: a.txt -> x.txt
    const { findings, seen } = await walk(zip, 'zip');
    expect(findings.map((f) => [f.code, f.members])).toEqual([['ARCHIVE_UNREADABLE', []]]);
    expect(findings[0]?.detail).toContain('disagrees');
    expect(seen).toEqual([]);
  });

  it('a local header stating another size than the directory', async () => {
    const zip = plain();
    zip.writeUInt32LE(3, 18); // compressed size
    zip.writeUInt32LE(3, 22); // uncompressed size
    const { findings } = await walk(zip, 'zip');
    expect(findings.map((f) => f.code)).toEqual(['ARCHIVE_UNREADABLE']);
    expect(findings[0]?.detail).toContain('size');
  });

  it('a local entry the central directory does not list (only a streaming reader extracts it)', async () => {
    const hidden = makeArchive({ kind: 'zip', members: [{ name: 'hidden.exe', compress: 'stored', data: { text: 'MALWARE-MARKER' } }] });
    const listed = plain();
    // The hidden entry's local header and data go first; the listed entries' offsets move by as much.
    const hiddenLocal = hidden.subarray(0, hidden.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])));
    const zip = Buffer.concat([hiddenLocal, listed]);
    const directory = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), hiddenLocal.length);
    for (let at = directory; at >= 0 && at < zip.length; at = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4))
      zip.writeUInt32LE(zip.readUInt32LE(at + 42) + hiddenLocal.length, at + 42);
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    zip.writeUInt32LE(zip.readUInt32LE(eocd + 16) + hiddenLocal.length, eocd + 16);
    expect(pythonListing(zip, await tempDir()).map((e) => e.name)).toEqual(['a.txt', 'b.txt']);
    const { findings, seen } = await walk(zip, 'zip');
    expect(findings.map((f) => f.code)).toEqual(['ARCHIVE_UNREADABLE']);
    expect(findings[0]?.detail).toContain('does not list');
    expect(seen).toEqual([]);
  });
});
