/**
 * Read-back sources (electron/core/inspect/byte-sources.ts): a range of a file (a tar entry's data
 * inside the bundle) never reads before or past its range, by read() or stream(), also for an empty
 * range; memory chunks read alike; a private spool holds what was written and leaves nothing behind.
 */
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSource, fileRangeSource, SpoolFile } from '../../../../electron/core/inspect/byte-sources.js';
import type { ByteSource } from '../../../../electron/core/inspect/contract.js';

let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-byte-sources-'));
  file = join(dir, 'bundle');
  await writeFile(file, 'HEADER--0123456789--TRAILER');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function streamed(source: ByteSource, start?: number, end?: number): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of source.stream(start, end)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe('read-back sources', () => {
  it('a file range reads only its own bytes, by read() and by stream()', async () => {
    const source = fileRangeSource(file, 8, 10);
    expect(source.size).toBe(10);
    expect((await source.read(0, 100)).toString()).toBe('0123456789');
    expect((await source.read(7, 100)).toString()).toBe('789');
    expect((await source.read(10, 5)).length).toBe(0);
    expect(await streamed(source)).toBe('0123456789');
    expect(await streamed(source, 2, 5)).toBe('234');
    expect(await streamed(source, 4, 4)).toBe('');
    expect(await streamed(source, 5, 500)).toBe('56789');
    await source.close();
    // Closed, it opens again on the next read.
    expect((await source.read(0, 3)).toString()).toBe('012');
    await source.close();
  });

  it('memory chunks read alike', async () => {
    const source = bufferSource([Buffer.from('0123'), Buffer.from('456789')]);
    expect(source.size).toBe(10);
    expect((await source.read(3, 4)).toString()).toBe('3456');
    expect(await streamed(source, 8)).toBe('89');
    expect(await streamed(source, 3, 3)).toBe('');
  });

  it('a spool holds what was written and removes its private folder', async () => {
    const spool = await SpoolFile.create();
    await spool.write(Buffer.from('abc'));
    await spool.write(Buffer.from('def'));
    const source = await spool.source();
    expect((await source.read(1, 4)).toString()).toBe('bcde');
    expect(await streamed(source)).toBe('abcdef');
    const where = (source as unknown as { size: number }).size;
    expect(where).toBe(6);
    await spool.remove();
    await expect(source.read(0, 1)).rejects.toThrow();
  });
});

describe('spool leaves nothing', () => {
  it('even when removed before it was read back', async () => {
    const spool = await SpoolFile.create();
    await spool.write(Buffer.from('x'));
    const dirOf = (spool as unknown as { dir: string }).dir;
    await spool.remove();
    await expect(access(dirOf)).rejects.toThrow();
  });
});
