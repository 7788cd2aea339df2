/**
 * The worker thread's lane of the one-pass export (bundle/record-lanes.ts starts it): it writes
 * the records of each batch it is posted through the same functions as this thread's lane
 * (bundle/record-lane.ts) and answers with one outcome per file.
 */
import { closeSync, openSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { HASH_CHUNK_BYTES } from '../crypto/sha256.js';
import { SMALL_FILE_BYTES } from '../fs/read-small-file.js';
import { isDigest, RECORD_OPEN_FLAGS, recordSteps, RunWriter, type RecordBatch, type RecordLaneMessage, type RecordOutcome } from '../bundle/record-lane.js';
import { postableError } from './posted-error.js';

/** Bytes of large files between two progress reports. */
const REPORT_EVERY = 16 << 20;

if (!parentPort) throw new Error('record-lane-worker runs only as a worker thread');
const port = parentPort;
const buffer = Buffer.allocUnsafe(HASH_CHUNK_BYTES);
/** One run buffer for the thread's life: every batch of one export writes through the same descriptor. */
let runs: RunWriter | null = null;

function post(message: RecordLaneMessage): void {
  port.postMessage(message);
}

port.on('message', (batch: RecordBatch) => {
  if (runs?.fd !== batch.fd) runs = new RunWriter(batch.fd);
  const lane = runs;
  const headers = Buffer.from(batch.headers.buffer, batch.headers.byteOffset, batch.headers.byteLength);
  let headerAt = 0;
  let unreported = 0;
  const results: RecordOutcome[] = [];
  for (const file of batch.files) {
    const header = headers.subarray(headerAt, headerAt + file.headerLength);
    headerAt += file.headerLength;
    let handle: number | undefined;
    try {
      handle = openSync(file.path, RECORD_OPEN_FLAGS);
      const steps = recordSteps(handle, header, file, file.at, buffer, lane);
      let step = steps.next();
      for (; !step.done; step = steps.next()) {
        unreported += step.value;
        if (unreported >= REPORT_EVERY) {
          post({ progress: unreported });
          unreported = 0;
        }
      }
      const result = step.value;
      // A large file's bytes were counted chunk by chunk; a small one's count once it is in the run.
      if (isDigest(result) && file.size <= SMALL_FILE_BYTES) unreported += result.size;
      results.push({ index: file.index, ...result });
    } catch (error) {
      results.push({ index: file.index, error: postableError(error) });
    } finally {
      if (handle !== undefined) closeSync(handle);
    }
  }
  try {
    lane.flush();
  } catch (error) {
    const last = batch.files.at(-1);
    if (last) results.push({ index: last.index, error: postableError(error) });
  }
  post({ progress: unreported, results });
});
