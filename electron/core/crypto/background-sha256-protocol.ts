/** The messages between BackgroundSha256 (background-sha256.ts) and its worker (workers/sha256-worker.ts). */

export interface Sha256WorkerData {
  /** SLOTS x slotBytes bytes, shared: the host copies into a slot, the worker hashes it. */
  slots: SharedArrayBuffer;
  slotBytes: number;
}

export type Sha256Request =
  | { op: 'start'; id: number }
  /** Hash the first `length` bytes of `slot` into each of `ids`, then answer `done`. */
  | { op: 'update'; ids: readonly number[]; slot: number; length: number }
  | { op: 'digest'; id: number };

export type Sha256Reply = { op: 'done'; slot: number } | { op: 'digest'; id: number; hex: string };
