/** The messages between BackgroundSha256 (background-sha256.ts) and its worker (workers/sha256-worker.ts). */

export interface Sha256WorkerData {
  /** SLOTS x slotBytes bytes, shared: the host copies into a slot, the worker hashes it. */
  slots: SharedArrayBuffer;
  slotBytes: number;
}

export type Sha256Request =
  /** `chunkSums`: also keep a CRC-32 per 1 MiB (media/read-back/chunk-sums.ts) for this hash. */
  | { op: 'start'; id: number; chunkSums: boolean }
  /** Hash the first `length` bytes of `slot` into each of `ids`, then answer `done`. */
  | { op: 'update'; ids: readonly number[]; slot: number; length: number }
  | { op: 'digest'; id: number };

export type Sha256Reply = { op: 'done'; slot: number } | { op: 'digest'; id: number; hex: string; chunkSums: number[] | null };
