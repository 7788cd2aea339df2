/**
 * stdout on a pipe without node's socket for it (electron/cli/pipe-stdout.ts): only for a pipe or
 * socket; every byte in order, also when a non-blocking pipe refuses a write (EAGAIN) or the output
 * outgrows DIRECT_BYTES and the rest goes through the fallback stream; a closed reader (EPIPE) is
 * the stream's 'error'.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DIRECT_BYTES, pipeStdout } from '../../../electron/cli/pipe-stdout.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();

const errno = (code: string): Error => Object.assign(new Error(code), { code });

function writeAll(stream: Writable, chunks: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.on('error', reject);
    for (const chunk of chunks) stream.write(chunk);
    stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
  });
}

describe('pipeStdout', () => {
  it('is for a pipe only: a regular file gets undefined (node writes files synchronously itself)', async () => {
    const dir = await makeTemp('airlock-pipe-stdout-');
    const file = openSync(join(dir, 'out.txt'), 'w');
    try {
      expect(pipeStdout(file)).toBeUndefined();
    } finally {
      closeSync(file);
    }
    expect(pipeStdout(987_654)).toBeUndefined();
  });

  it('writes to a FIFO what it was given', async () => {
    const dir = await makeTemp('airlock-pipe-stdout-');
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const fd = openSync(fifo, 'r+'); // both ends in one descriptor: Linux opens a FIFO read-write without waiting
    try {
      const stream = pipeStdout(fd);
      expect(stream).toBeDefined();
      await writeAll(stream as Writable, ['{"ok":true}', '\n', 'zwei Zeilen äöü\n']);
      const bytes = Buffer.alloc(100);
      const read = readSync(fd, bytes, 0, bytes.length, null);
      expect(bytes.subarray(0, read).toString('utf8')).toBe('{"ok":true}\nzwei Zeilen äöü\n');
    } finally {
      closeSync(fd);
    }
  });

  it('hands the rest of a refused write (EAGAIN) and every later one to the fallback, in order', async () => {
    const dir = await makeTemp('airlock-pipe-stdout-');
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    const fd = openSync(join(dir, 'fifo'), 'r+');
    const written: string[] = [];
    let calls = 0;
    // Takes 3 bytes, then refuses (a full non-blocking pipe); after that it must not be called again.
    const write = (_fd: number, bytes: Buffer, offset: number, length: number): number => {
      calls += 1;
      if (calls === 1) {
        written.push(bytes.subarray(offset, offset + Math.min(3, length)).toString());
        return Math.min(3, length);
      }
      throw errno('EAGAIN');
    };
    const fallback = new PassThrough();
    const through: Buffer[] = [];
    fallback.on('data', (chunk: Buffer) => through.push(chunk));
    try {
      const stream = pipeStdout(fd, () => fallback, write) as Writable;
      await writeAll(stream, ['abcdef', 'ghi', 'jkl']);
      expect(calls).toBe(2);
      expect(written.join('') + Buffer.concat(through).toString()).toBe('abcdefghijkl');
      expect(written.join('')).toBe('abc');
    } finally {
      closeSync(fd);
    }
  });

  it('writes at most DIRECT_BYTES directly; the chunk that would pass it and every later one go to the fallback, in order', async () => {
    const dir = await makeTemp('airlock-pipe-stdout-');
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    const fd = openSync(join(dir, 'fifo'), 'r+');
    const direct: string[] = [];
    const write = (_fd: number, bytes: Buffer, offset: number, length: number): number => {
      direct.push(bytes.subarray(offset, offset + length).toString());
      return length;
    };
    const fallback = new PassThrough();
    const through: Buffer[] = [];
    fallback.on('data', (chunk: Buffer) => through.push(chunk));
    try {
      const first = 'a'.repeat(DIRECT_BYTES - 10);
      const stream = pipeStdout(fd, () => fallback, write) as Writable;
      await writeAll(stream, [first, 'b'.repeat(20), 'c']);
      expect(direct).toEqual([first]);
      expect(Buffer.concat(through).toString()).toBe(`${'b'.repeat(20)}c`);
    } finally {
      closeSync(fd);
    }
  });

  it("a closed reader (EPIPE) is the stream's error, not a throw", async () => {
    const dir = await makeTemp('airlock-pipe-stdout-');
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    const fd = openSync(join(dir, 'fifo'), 'r+');
    try {
      const stream = pipeStdout(
        fd,
        () => new PassThrough(),
        () => {
          throw errno('EPIPE');
        },
      ) as Writable;
      await expect(writeAll(stream, ['lost'])).rejects.toMatchObject({ code: 'EPIPE' });
    } finally {
      closeSync(fd);
    }
  });
});
