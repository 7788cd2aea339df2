import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { AirlockError } from '../errors.js';
import type { BundleSource } from '../verify/check-bundle.js';
import { identifyNonBundle } from './bundle-file-kind.js';

/** Bytes judged by the not-a-bundle sniff: one tar block, as bundle-file-kind reads from a file. */
const HEAD_BYTES = 512;

/**
 * A bundle read from a stream (`airlock verify -`: a pipe from ssh or a diode receiver): its size
 * is unknown (progress shows bytes without a total) and it can be read once only. A file is
 * sniffed for NOT_A_BUNDLE before it is read; a stream cannot be read twice, so its first block is
 * sniffed as it passes, then handed on unchanged.
 */
export function streamBundleSource(stream: Readable, name: string): BundleSource {
  let opened = false;
  return {
    size: null,
    open(signal?: AbortSignal): Readable {
      if (opened) throw new AirlockError('INTERNAL', 'A bundle read from a stream can be read only once.');
      opened = true;
      const sniffed = sniffFirstBlock(name);
      const onAbort = (): void => {
        stream.unpipe(sniffed);
        sniffed.destroy(new AirlockError('CANCELLED'));
      };
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
      stream.on('error', (error) => sniffed.destroy(error));
      sniffed.on('close', () => {
        signal?.removeEventListener('abort', onAbort);
        stream.unpipe(sniffed);
        // Stop reading a pipe nobody listens to any more (a refused bundle is not read to its end).
        stream.pause();
      });
      return stream.pipe(sniffed);
    },
  };
}

/** Passes bytes through; holds the first block back until it is judged not plainly something else. */
function sniffFirstBlock(name: string): Transform {
  let head: Buffer[] | null = [];
  let held = 0;
  const judge = (self: Transform): Error | null => {
    const bytes = Buffer.concat(head ?? []);
    head = null;
    const what = identifyNonBundle(bytes.subarray(0, HEAD_BYTES), name);
    if (what !== null) return new AirlockError('NOT_A_BUNDLE', `${name}: ${what} A bundle is a NAME.airlock.tar file.`, { path: name });
    if (bytes.length > 0) self.push(bytes);
    return null;
  };
  return new Transform({
    transform(this: Transform, chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
      if (head === null) {
        done(null, chunk);
        return;
      }
      head.push(chunk);
      held += chunk.length;
      done(held >= HEAD_BYTES ? judge(this) : null);
    },
    flush(this: Transform, done: TransformCallback): void {
      done(head === null ? null : judge(this));
    },
  });
}
