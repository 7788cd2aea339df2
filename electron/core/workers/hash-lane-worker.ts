/**
 * The worker thread's lane of the export's hashing pass (bundle/parallel-hash.ts starts it): it
 * hashes each batch it is posted through the same steps as this thread's lane
 * (bundle/hash-lane.ts) and answers with one outcome per file.
 */
import { parentPort } from 'node:worker_threads';
import { HashLane, type HashBatch, type HashLaneMessage, type HashOutcome } from '../bundle/hash-lane.js';
import { SMALL_FILE_BYTES } from '../fs/read-small-file.js';
import { postableError } from './posted-error.js';

/** Bytes of large files between two progress reports. */
const REPORT_EVERY = 16 << 20;

if (!parentPort) throw new Error('hash-lane-worker runs only as a worker thread');
const port = parentPort;
/** One lane for the thread's life: a thread serves one export, whose spool does not change. */
let lane: { spoolFd: number | null; lane: HashLane } | null = null;
/** Batches are hashed one after another, in the order posted; a large file's reads are asynchronous. */
let turn: Promise<void> = Promise.resolve();

function post(message: HashLaneMessage): void {
  port.postMessage(message);
}

async function hashBatch(batch: HashBatch): Promise<void> {
  if (lane?.spoolFd !== batch.spoolFd) lane = { spoolFd: batch.spoolFd, lane: new HashLane(batch.spoolFd) };
  const hasher = lane.lane;
  let unreported = 0;
  const onBytes = (bytes: number): void => {
    unreported += bytes;
    if (unreported >= REPORT_EVERY) {
      post({ progress: unreported });
      unreported = 0;
    }
  };
  const results: HashOutcome[] = [];
  for (const file of batch.files) {
    try {
      const result = await hasher.hash(file, onBytes);
      // A large file's bytes were counted chunk by chunk; a small one's count once it is read.
      if ('sha256' in result && file.size <= SMALL_FILE_BYTES) unreported += result.size;
      results.push({ index: file.index, ...result });
    } catch (error) {
      results.push({ index: file.index, error: postableError(error) });
    }
  }
  try {
    hasher.flush();
  } catch (error) {
    const last = batch.files.at(-1);
    if (last) results.push({ index: last.index, error: postableError(error, 'writing the export spool failed') });
  }
  post({ progress: unreported, results });
}

port.on('message', (batch: HashBatch) => {
  turn = turn.then(() => hashBatch(batch));
});
