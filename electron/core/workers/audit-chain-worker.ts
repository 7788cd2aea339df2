/**
 * The worker thread of audit/audit-chain-lanes.ts: on its own read-only connection to the
 * station database it checks the chunks of the audit chain it is posted, one at a time, with the
 * same scanner the single-thread walk uses, and answers with each chunk's result.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { chainScanner } from '../audit/audit-chain-scan.js';
import type { ChainReply, ChainRequest, ChainWorkerData } from '../audit/audit-chain-protocol.js';
import { postableError } from './posted-error.js';

if (!parentPort) throw new Error('audit-chain-worker runs only as a worker thread');
const port = parentPort;
const { file, stop } = workerData as ChainWorkerData;
const stopFlag = new Int32Array(stop);

function reply(message: ChainReply): void {
  port.postMessage(message);
}

let scanner: ReturnType<typeof chainScanner> | null = null;

port.on('message', (message: ChainRequest) => {
  try {
    if (scanner === null) {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      // The same patience as the station's own connections: a writer holding the log briefly is normal.
      db.pragma('busy_timeout = 10000');
      scanner = chainScanner(db);
    }
    const { chunk } = message;
    const result = scanner.scan(chunk, new Set(message.wanted), () => Atomics.load(stopFlag, 0) < chunk.index);
    reply({ op: 'result', result });
  } catch (error) {
    reply({ op: 'error', error: postableError(error, 'Checking the audit log') });
  }
});
