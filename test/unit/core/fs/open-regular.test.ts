/**
 * fs/open-regular.ts: a path from outside is opened without blocking and proven a regular file on
 * its descriptor before any read. A FIFO without a writer, a socket, a device and a folder are
 * NOT_A_FILE at once; a regular file reads as readFile would; other errors come as readFile
 * throws them (ENOENT stays ENOENT, for callers that treat a missing file as a default).
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AirlockError, errnoOf } from '../../../../electron/core/errors.js';
import { createRegularReadStream, openRegular, openRegularSync, readRegularFile, readRegularFileSync } from '../../../../electron/core/fs/open-regular.js';
import { useTempDirs } from '../../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
let dir: string;
let fifo: string;

beforeAll(async () => {
  dir = await tempDir('airlock-open-regular-');
  fifo = join(dir, 'pipe');
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  await writeFile(join(dir, 'plain.txt'), 'hello\n');
  await mkdir(join(dir, 'folder'));
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof AirlockError ? error.code : errnoOf(error);
  }
}

describe('readRegularFile / openRegular', () => {
  it('reads a regular file whole, as text or bytes', async () => {
    expect(await readRegularFile(join(dir, 'plain.txt'), 'utf8')).toBe('hello\n');
    expect(readRegularFileSync(join(dir, 'plain.txt')).toString()).toBe('hello\n');
    const { handle, stats } = await openRegular(join(dir, 'plain.txt'));
    expect(stats.size).toBe(6);
    await handle.close();
  });

  it('refuses a FIFO without a writer at once, naming what it is', async () => {
    const error = await readRegularFile(fifo).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirlockError);
    expect(error).toMatchObject({ code: 'NOT_A_FILE', path: fifo, data: { kind: 'a FIFO (named pipe)' } });
    expect(() => openRegularSync(fifo)).toThrow(/FIFO/u);
  });

  it('refuses a socket, a character device and a folder', async () => {
    const socketPath = join(dir, 'sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      expect(await codeOf(readRegularFile(socketPath))).toBe('NOT_A_FILE');
      expect(await codeOf(readRegularFile('/dev/null'))).toBe('NOT_A_FILE');
      expect(await codeOf(readRegularFile(join(dir, 'folder')))).toBe('NOT_A_FILE');
      const folder = new AirlockError('BUNDLE_IS_FOLDER');
      expect(await codeOf(openRegular(join(dir, 'folder'), () => folder))).toBe('BUNDLE_IS_FOLDER');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('passes other failures through as readFile throws them', async () => {
    expect(await codeOf(readRegularFile(join(dir, 'missing')))).toBe('ENOENT');
    expect(() => readRegularFileSync(join(dir, 'missing'))).toThrow(expect.objectContaining({ code: 'ENOENT' }) as Error);
  });
});

describe('createRegularReadStream', () => {
  async function collect(stream: NodeJS.ReadableStream): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString();
  }

  it('streams a regular file, and errors (never waits) for a FIFO', async () => {
    expect(await collect(createRegularReadStream(join(dir, 'plain.txt')))).toBe('hello\n');
    expect(await codeOf(collect(createRegularReadStream(fifo)))).toBe('NOT_A_FILE');
    expect(await codeOf(collect(createRegularReadStream(join(dir, 'missing'))))).toBe('ENOENT');
  });
});
