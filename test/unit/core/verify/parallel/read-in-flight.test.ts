import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ReadInFlight } from '../../../../../electron/core/verify/parallel/read-in-flight.js';

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('ReadInFlight', () => {
  it('is busy while its read runs, and settled() waits for it', async () => {
    const stream = new Readable({ read() {} });
    const inFlight = new ReadInFlight(stream);
    const step = deferred();
    let settled = false;
    inFlight.start(() => step.promise);
    expect(inFlight.busy).toBe(true);
    const waiting = inFlight.settled().then(() => {
      settled = true;
    });
    await Promise.resolve();
    expect(settled).toBe(false);
    step.resolve();
    await waiting;
    expect(settled).toBe(true);
    expect(inFlight.busy).toBe(false);
    expect(stream.destroyed).toBe(false);
  });

  it('a read that fails destroys the stream with its error, and settled() still resolves', async () => {
    const stream = new Readable({ read() {} });
    const failed = new Promise<Error>((resolve) => stream.on('error', resolve));
    const inFlight = new ReadInFlight(stream);
    const step = deferred();
    inFlight.start(() => step.promise);
    step.reject(new Error('EIO at 4096'));
    await inFlight.settled();
    expect((await failed).message).toBe('EIO at 4096');
    expect(stream.destroyed).toBe(true);
    expect(inFlight.busy).toBe(false);
  });
});
