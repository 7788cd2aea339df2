/**
 * What is not a bundle is named for what it is (a zip, a receipt, a text file, a folder) before
 * verify or import reads it, instead of ARCHIVE_CORRUPT's "re-copy it from the media". Anything
 * that may be a tar (a header with a valid checksum, a compressed stream, unknown binary) is left
 * to the pipeline, so a damaged bundle keeps its ARCHIVE_CORRUPT.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { assertBundleFile, identifyNonBundle } from '../../../../electron/core/bundle/bundle-file-kind.js';
import { useTempDirs } from '../../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();

/** A real ustar header block for "b/bagit.txt" (what every bundle starts with). */
function tarHeader(): Buffer {
  const block = Buffer.alloc(512, 0);
  block.write('b/bagit.txt', 0, 'latin1');
  block.write('0000644\0', 100, 'latin1');
  block.write('0000000\0', 108, 'latin1');
  block.write('0000000\0', 116, 'latin1');
  block.write('00000000055\0', 124, 'latin1');
  block.write('00000000000\0', 136, 'latin1');
  block.write('        ', 148, 'latin1');
  block.write('0', 156, 'latin1');
  block.write('ustar\u000000', 257, 'latin1');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

describe('identifyNonBundle', () => {
  it.each([
    ['a zip archive', Buffer.from('PK\u0003\u0004\u0014\u0000\u0000\u0000rest', 'latin1'), 'x.zip', /zip archive/u],
    ['a PDF', Buffer.from('%PDF-1.7\n%\u00e2\u00e3', 'latin1'), 'x.pdf', /PDF/u],
    ['an export receipt', Buffer.from('{\n  "receipt": "airlock-export",\n  "bundle": {}\n}\n'), 'q3.export-receipt.json', /Airlock receipt/u],
    ['an import receipt page', Buffer.from('<!DOCTYPE html><html><body>receipt</body></html>'), 'q3.import-receipt.html', /receipt \(HTML\)/u],
    ['an export receipt as PDF', Buffer.from('%PDF-1.7\n%\xff\xff\xff\xff\n', 'latin1'), 'q3.export-receipt.pdf', /PDF copy of an Airlock receipt/u],
    ['a JSON file', Buffer.from('  [1, 2, 3]\n'), 'data.json', /JSON/u],
    ['an armored key', Buffer.from('-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxjMEZ...\n'), 'station.asc', /OpenPGP/u],
    ['an HTML page', Buffer.from('<html><head></head></html>'), 'page.htm', /HTML/u],
    ['a text file', Buffer.from('correct horse battery staple\n'), 'pass.txt', /text file/u],
    ['a text file with a BOM and UTF-8', Buffer.from('\uFEFFgrüße\n'), 'notes', /text file/u],
    ['an SQLite database', Buffer.from('SQLite format 3\u0000rest', 'latin1'), 'airlock.db', /SQLite/u],
  ])('names %s', (_what, head, name, expected) => {
    expect(identifyNonBundle(head, name)).toMatch(expected);
  });

  it('names a long text file whose first 512 bytes end inside a UTF-8 character', () => {
    const text = Buffer.from(`${'a'.repeat(511)}é and more`);
    expect(identifyNonBundle(text.subarray(0, 512), 'long.txt')).toMatch(/text file/u);
  });

  it.each([
    ['a ustar header', tarHeader()],
    ['a gzip stream (compressed bundles stay ARCHIVE_CORRUPT with their own detail)', gzipSync(Buffer.from('x'))],
    ['binary without a valid header (a damaged tar)', Buffer.from([1, 2, 0, 3, 255, 0, 7])],
    ['an empty file', Buffer.alloc(0)],
  ])('leaves %s to the pipeline', (_what, head) => {
    expect(identifyNonBundle(head, 'x.airlock.tar')).toBeNull();
  });

  it('leaves a tar header with no NUL byte at all to the pipeline when its checksum is valid', () => {
    // Crafted: every field space-padded, name and link name full; not text, a (strange) tar.
    const block = Buffer.alloc(512, 0x41);
    for (const [offset, field] of [
      [100, '0000644 '],
      [108, '0000000 '],
      [116, '0000000 '],
      [124, '00000000000 '],
      [136, '00000000000 '],
    ] as const)
      block.write(field, offset, 'latin1');
    block.write('        ', 148, 'latin1');
    block.write('0', 156, 'latin1');
    let sum = 0;
    for (const byte of block) sum += byte;
    block.write(`${sum.toString(8).padStart(7, '0')} `, 148, 'latin1');
    expect(block.includes(0)).toBe(false);
    expect(identifyNonBundle(block, 'odd.airlock.tar')).toBeNull();
  });
});

describe('assertBundleFile', () => {
  it('a folder is BUNDLE_IS_FOLDER and names the folder for media verify', async () => {
    const dir = await makeTemp('airlock-kind-');
    // The folder travels as data: the CLI's next step turns it into `airlock media verify DIR`
    // (test/integration/cli/first-contact.test.ts), the app into its own words.
    await expect(assertBundleFile(dir)).rejects.toMatchObject({ code: 'BUNDLE_IS_FOLDER', path: dir, detail: `${dir} is a folder.`, data: { folder: dir } });
  });

  it('a missing file is BUNDLE_UNREADABLE saying it does not exist, without errno jargon', async () => {
    const missing = join(await makeTemp('airlock-kind-'), 'gone.airlock.tar');
    const error = (await assertBundleFile(missing).then(
      () => null,
      (e: unknown) => e,
    )) as Error;
    expect(error).toMatchObject({ code: 'BUNDLE_UNREADABLE', message: expect.stringContaining(`${missing} does not exist.`) });
    expect(error.message).not.toContain('ENOENT');
  });

  it('a receipt is NOT_A_BUNDLE; a tar, a part name and a volume index name pass', async () => {
    const dir = await makeTemp('airlock-kind-');
    await writeFile(join(dir, 'q.export-receipt.json'), '{"receipt":1}\n');
    await expect(assertBundleFile(join(dir, 'q.export-receipt.json'))).rejects.toMatchObject({ code: 'NOT_A_BUNDLE' });
    await writeFile(join(dir, 'q.airlock.tar'), Buffer.concat([tarHeader(), Buffer.alloc(1536)]));
    await expect(assertBundleFile(join(dir, 'q.airlock.tar'))).resolves.toBeUndefined();
    // Split bundles go their own way (their index is JSON): not judged here.
    await writeFile(join(dir, 'q.airlock-index.json'), '{"index":1}\n');
    await expect(assertBundleFile(join(dir, 'q.airlock-index.json'))).resolves.toBeUndefined();
    // A part that is not here may be on another medium: not this check's to refuse.
    await expect(assertBundleFile(join(dir, 'q.airlock.tar.part-002-of-003'))).resolves.toBeUndefined();
  });
});
