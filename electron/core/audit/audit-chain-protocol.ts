/** The messages between the audit chain's lanes (audit-chain-lanes.ts) and their worker (workers/audit-chain-worker.ts). */
import type { PostedError } from '../workers/posted-error.js';
import type { ChainChunk, ChainChunkResult } from './audit-chain-scan.js';

export interface ChainWorkerData {
  /** The station database file; the worker opens it read-only on its own connection. */
  file: string;
  /**
   * One Int32, shared: the lowest chunk index known to have broken (-1 when cancelled). A worker
   * scanning a later chunk stops early: its result could not change the verdict.
   */
  stop: SharedArrayBuffer;
}

export type ChainRequest = { op: 'scan'; chunk: ChainChunk; wanted: number[] };

export type ChainReply = { op: 'result'; result: ChainChunkResult } | { op: 'error'; error: PostedError };
