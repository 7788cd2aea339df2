/**
 * The worker thread of import/small-file-queue.ts: it creates the staged small files of each
 * batch it is posted (open, write, close each, synchronously), in the order posted, and answers
 * `done` or, at the first failure, `failed` naming the file; after a failure it writes nothing more.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errnoOf, errnoPathOf } from '../errors.js';
import { SmallFileWriter, type SmallFileReply, type SmallFileRequest, type SmallFileWorkerData } from '../import/small-file-batch.js';

if (!parentPort) throw new Error('small-file-worker runs only as a worker thread');
const port = parentPort;
const { slots, slotBytes } = workerData as SmallFileWorkerData;
let writer: SmallFileWriter | null = null;
let failed = false;

function reply(message: SmallFileReply): void {
  port.postMessage(message);
}

port.on('message', (message: SmallFileRequest) => {
  if (failed) return;
  writer ??= new SmallFileWriter(message.root);
  try {
    writer.writeBatch(message.batch, Buffer.from(slots, message.slot * slotBytes, slotBytes));
    reply({ op: 'done', slot: message.slot });
  } catch (error) {
    failed = true;
    const path = errnoPathOf(error) ?? '';
    reply({ op: 'failed', slot: message.slot, path, code: errnoOf(error), message: error instanceof Error ? error.message : String(error) });
  }
});
