/**
 * The worker thread's lane of verify's parallel payload pass (verify/parallel/hash-lanes.ts
 * starts it): it hashes the byte ranges it is posted, one after another, through the same
 * function as the other lane (crypto/range-hash.ts), reading the bundle through the descriptor
 * the posting thread opened (threads share descriptors), so both lanes read the same file. An
 * import's job also names the staged file to write the hashed bytes to (opened by the posting thread).
 * For a bundle of small files it is verify's stream lane instead (verify/parallel/stream-lane.ts):
 * it reads the archive's chunks for the walk and hashes the entries in them (stream-hasher.ts).
 */
import { parentPort } from 'node:worker_threads';
import { hashRange, rangeBuffers, type RangeBuffers } from '../crypto/range-hash.js';
import type { RangeJob, RangeReply } from '../verify/parallel/range-protocol.js';
import { StreamHasher } from '../verify/parallel/stream-hasher.js';
import type { StreamReply, StreamRequest } from '../verify/parallel/stream-protocol.js';
import { postableError } from './posted-error.js';

/** Bytes between two progress reports. */
const REPORT_EVERY = 16 << 20;

if (!parentPort) throw new Error('range-hash-worker runs only as a worker thread');
const port = parentPort;
const buffers = rangeBuffers();
/** Three buffers for a range that is also written (an import's staged file): read, hash and write at once. */
let copyBuffers: RangeBuffers | null = null;
/** Ranges are hashed in the order posted. */
let turn: Promise<void> = Promise.resolve();

function post(message: RangeReply): void {
  port.postMessage(message);
}

async function hashJob(job: RangeJob): Promise<void> {
  let unreported = 0;
  const onBytes = (bytes: number): void => {
    unreported += bytes;
    if (unreported < REPORT_EVERY) return;
    post({ id: job.id, progress: unreported });
    unreported = 0;
  };
  try {
    const { copyTo } = job;
    const using = copyTo ? (copyBuffers ??= rangeBuffers(3)) : buffers;
    const { digest, read } = await hashRange(job.fd, job.start, job.size, using, { onBytes, copyTo });
    post({ id: job.id, progress: unreported, digest, read });
  } catch (error) {
    post({ id: job.id, error: postableError(error) });
  }
}

let stream: StreamHasher | null = null;

/** The stream lane's requests, answered in order, synchronously (this thread does nothing else meanwhile). */
function streamStep(request: StreamRequest): void {
  let reply: StreamReply;
  try {
    if (request.op === 'stream-stop') {
      stream = null;
      reply = { op: 'stream-stopped' };
      port.postMessage(reply);
      return;
    }
    if (request.op === 'stream-start') {
      stream = new StreamHasher(request.fd, request.from, request.chunkBytes);
      return;
    }
    for (let i = 0; i < request.count && stream !== null; i += 1) {
      const chunk = stream.next();
      reply = { op: 'stream-chunk', ...chunk };
      port.postMessage(reply, [chunk.bytes]);
    }
    return;
  } catch (error) {
    stream = null;
    reply = { op: 'stream-error', error: postableError(error) };
  }
  port.postMessage(reply);
}

port.on('message', (message: RangeJob | StreamRequest) => {
  if ('op' in message) streamStep(message);
  else turn = turn.then(() => hashJob(message));
});
const ready: StreamReply = { op: 'stream-ready' };
port.postMessage(ready);
