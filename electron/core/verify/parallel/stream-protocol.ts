/** Messages between verify's stream lane (stream-lane.ts) and its worker thread (workers/range-hash-worker.ts, stream-hasher.ts). */
import type { PostedError } from '../../workers/posted-error.js';

/**
 * Main thread to worker: `start` the stream at byte `from` of descriptor `fd` (every byte before it
 * the main thread read itself), then `more` for `count` chunks; `stop` ends it.
 */
export type StreamRequest = { op: 'stream-start'; fd: number; from: number; chunkBytes: number } | { op: 'stream-more'; count: number } | { op: 'stream-stop' };

/**
 * Worker to main thread: `ready` once its module is loaded; per `more`, one chunk of the archive
 * read at `offset` (its buffer transferred: the walk parses exactly these bytes), the entries whose
 * data the worker hashes that start in it (`announced`: data offset, size; pairs), and the digests
 * of the entries whose data ended in it (`finished`: data offsets; `digests`: 32 bytes each, in
 * that order). `bytes` is empty at the end of the file; `error` ends the stream; `stopped` answers
 * `stop`: the worker reads the descriptor no more.
 */
/** One chunk of the archive as the worker read it, with what it hashed in it (StreamReply's 'stream-chunk'). */
export interface StreamChunk {
  offset: number;
  bytes: ArrayBuffer;
  length: number;
  announced: Float64Array;
  finished: Float64Array;
  digests: Uint8Array;
}

export type StreamReply =
  { op: 'stream-ready' } | ({ op: 'stream-chunk' } & StreamChunk) | { op: 'stream-error'; error: PostedError } | { op: 'stream-stopped' };
