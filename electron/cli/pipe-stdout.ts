import { fstatSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { errnoOf } from '../core/index.js';

/**
 * stdout for a CLI whose stdout is a pipe or a socket (`airlock keys list | jq`, a script's
 * subprocess): a Writable that writes each chunk with write(2), as node itself does when stdout is a
 * file (its SyncWriteStream). Node makes process.stdout for a pipe a net.Socket, and loading `net`
 * and opening the pipe handle cost about 4 ms of a `keys list` that prints 450 bytes (docs/
 * design-notes.md, "CLI start-up, round 5"). undefined for anything else (a terminal, a file, no
 * fd 1, Windows): the caller uses process.stdout.
 *
 * A pipe whose other end set it non-blocking (a parent that shares its own stdout) can refuse a
 * write with EAGAIN: then the rest of that chunk and every later one go through process.stdout,
 * which waits for the reader, so the bytes stay in order. Any other error (EPIPE: the reader went
 * away) fails the write and is emitted as the stream's 'error', as with process.stdout.
 */
export function pipeStdout(
  fd = 1,
  fallback: () => NodeJS.WritableStream = () => process.stdout,
  write: (fd: number, bytes: Buffer, offset: number, length: number) => number = writeSync,
): Writable | undefined {
  if (process.platform === 'win32') return undefined;
  try {
    const stats = fstatSync(fd);
    if (!stats.isFIFO() && !stats.isSocket()) return undefined;
  } catch {
    return undefined;
  }
  let through: NodeJS.WritableStream | null = null;
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (through !== null) {
        through.write(chunk, callback);
        return;
      }
      let offset = 0;
      try {
        while (offset < chunk.length) offset += write(fd, chunk, offset, chunk.length - offset);
      } catch (error) {
        if (errnoOf(error) !== 'EAGAIN') {
          callback(error as Error);
          return;
        }
        through = fallback();
        through.write(chunk.subarray(offset), callback);
        return;
      }
      callback();
    },
  });
}
