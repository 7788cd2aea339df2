import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readTarEntries } from '../../../../electron/core/bundle/tar-entries.js';
import { END_OF_ARCHIVE } from '../../../../electron/core/bundle/tar-header.js';
import { header, octal, withData } from '../../../helpers/tar-grammar.js';

const file = (name: string, body = 'x'): Buffer => withData(header({ name: Buffer.from(name), size: octal(Buffer.byteLength(body), 12), typeflag: 0x30 }), Buffer.from(body));

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

  it.each([1, 512, 4096])('refuses zeros beyond the record even when they arrive after node-tar has ended (chunks of %i bytes)', async (chunk) => {
    const result = await read(Buffer.concat([file('b/one'), END_OF_ARCHIVE, Buffer.alloc(20480)]), chunk);
    expect(result.paths).toEqual(['b/one']);
    expect(result.error).toContain('end-of-archive');
  });

  it('accepts the padding to the record at any chunking', async () => {
    const archive = Buffer.concat([file('b/one'), END_OF_ARCHIVE]);
    for (const chunk of [1, 512, 4096]) expect(await read(Buffer.concat([archive, Buffer.alloc(10240 - archive.length)]), chunk)).toEqual({ paths: ['b/one'], error: null });
  });
});
