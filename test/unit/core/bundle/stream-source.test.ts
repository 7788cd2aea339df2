import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { streamBundleSource } from '../../../../electron/core/bundle/stream-source.js';

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A tar-like first block: NUL padding and a checksum field matching its bytes. */
function tarHeader(): Buffer {
  const block = Buffer.alloc(512);
  block.write('bag/bagit.txt', 0, 'latin1');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

/** The bytes in pieces of `size`, as a pipe delivers them. */
function piped(bytes: Buffer, size: number): Readable {
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
  return Readable.from(pieces);
}

describe('streamBundleSource', () => {
  it('has no known size', () => {
    expect(streamBundleSource(new PassThrough(), '-').size).toBeNull();
  });

  it.each([1, 7, 511, 512, 513, 4096])('passes every byte through unchanged in pieces of %i bytes', async (size) => {
    const bytes = Buffer.concat([tarHeader(), Buffer.from('x'.repeat(3000)), Buffer.alloc(1024)]);
    expect((await drain(streamBundleSource(piped(bytes, size), '-').open())).equals(bytes)).toBe(true);
  });

  it('passes a stream shorter than one block through (the tar reader judges it)', async () => {
    const bytes = Buffer.from([0, 1, 2, 0]);
    expect((await drain(streamBundleSource(piped(bytes, 1), '-').open())).equals(bytes)).toBe(true);
  });

  it.each([
    ['text', Buffer.from('hello\n'.repeat(200)), /text file/u],
    ['a short text', Buffer.from('hi\n'), /text file/u],
    ['a zip archive', Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(600)]), /zip/u],
    ['an armored key', Buffer.from('-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nabc\n'), /OpenPGP/u],
  ])('refuses %s as NOT_A_BUNDLE from its first block, whatever the piece size', async (_what, bytes, reason) => {
    for (const size of [1, 100, 4096]) {
      await expect(drain(streamBundleSource(piped(bytes, size), '-').open())).rejects.toMatchObject({
        code: 'NOT_A_BUNDLE',
        message: expect.stringMatching(reason),
      });
    }
  });

  it('is read once: a second open is refused', () => {
    const source = streamBundleSource(new PassThrough(), '-');
    source.open();
    expect(() => source.open()).toThrow(/only once/u);
  });

  it('stops with CANCELLED when the signal aborts mid-stream', async () => {
    const input = new PassThrough();
    const controller = new AbortController();
    const out = streamBundleSource(input, '-').open(controller.signal);
    input.write(tarHeader());
    const reading = drain(out);
    controller.abort();
    await expect(reading).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('passes on an error of the input stream', async () => {
    const input = new PassThrough();
    const out = streamBundleSource(input, '-').open();
    const reading = drain(out);
    input.destroy(new Error('pipe broke'));
    await expect(reading).rejects.toThrow(/pipe broke/u);
  });
});
