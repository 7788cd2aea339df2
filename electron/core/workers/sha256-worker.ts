/**
 * The worker thread of crypto/background-sha256.ts: it keeps the running hashes and hashes the
 * slots of the shared buffer it is told about, answering when a slot is free again.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Hash } from 'node:crypto';
import { sha256 } from '../crypto/sha256.js';
import { ChunkSums } from '../media/read-back/chunk-sums.js';
import type { Sha256Reply, Sha256Request, Sha256WorkerData } from '../crypto/background-sha256-protocol.js';

if (!parentPort) throw new Error('sha256-worker runs only as a worker thread');
const port = parentPort;
const { slots, slotBytes } = workerData as Sha256WorkerData;
const hashes = new Map<number, Hash>();
/** The CRC-32 per chunk of the hashes started with chunkSums. */
const sums = new Map<number, ChunkSums>();

/** An unknown id is a bug in the host: thrown, it ends this thread, and the host fails every waiting call. */
function hashOf(id: number): Hash {
  const hash = hashes.get(id);
  if (!hash) throw new Error(`The hashing worker has no hash ${id}.`);
  return hash;
}

function reply(message: Sha256Reply): void {
  port.postMessage(message);
}

port.on('message', (message: Sha256Request) => {
  switch (message.op) {
    case 'start':
      hashes.set(message.id, sha256());
      if (message.chunkSums) sums.set(message.id, new ChunkSums());
      return;
    case 'update': {
      const data = Buffer.from(slots, message.slot * slotBytes, message.length);
      for (const id of message.ids) {
        hashOf(id).update(data);
        sums.get(id)?.update(data);
      }
      reply({ op: 'done', slot: message.slot });
      return;
    }
    case 'digest': {
      const hash = hashOf(message.id);
      const chunkSums = sums.get(message.id)?.finish() ?? null;
      hashes.delete(message.id);
      sums.delete(message.id);
      reply({ op: 'digest', id: message.id, hex: hash.digest('hex'), chunkSums });
      return;
    }
  }
});
