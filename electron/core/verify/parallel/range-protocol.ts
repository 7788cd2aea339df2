/** Messages between verify's hash lanes (hash-lanes.ts) and their worker thread (workers/range-hash-worker.ts). */
import type { RangeCopyTarget } from '../../crypto/range-hash.js';
import type { PostedError } from '../../workers/posted-error.js';

/** Hash `size` bytes of descriptor `fd` from `start` (and write them to `copyTo`, an import's staged file). */
export interface RangeJob {
  id: number;
  fd: number;
  start: number;
  size: number;
  copyTo?: RangeCopyTarget | undefined;
}

/** Progress (bytes hashed since the last report), then once per job its digest or its error. */
export interface RangeReply {
  id: number;
  progress?: number;
  digest?: Uint8Array;
  read?: number;
  error?: PostedError;
}
