import type { Worker } from 'node:worker_threads';
import { AirlockError, toAirlockError } from '../errors.js';
import { startWorker } from '../workers/worker-script.js';
import type { Sha256Reply, Sha256Request, Sha256WorkerData } from './background-sha256-protocol.js';

/**
 * SHA-256 of byte streams, computed on another core. Writing a bundle onto a medium hashes
 * every byte twice on the writer's thread (the source again, to catch a change since the first
 * pass; and the file written, for the read-back to compare against); this moves the second
 * hash to a worker thread, so the writer's thread only reads, hashes the source and writes.
 *
 * Bytes are copied into slots of one SharedArrayBuffer (never the writer's own buffers, which
 * may still be on their way to disk) and the worker is told which slot to hash: no allocation
 * or transfer per message. When every slot waits for the worker, update() waits too, so
 * memory stays at SLOTS x SLOT_BYTES however fast the writer is.
 *
 * A hash may also keep a CRC-32 per 1 MiB of its bytes (media/read-back/chunk-sums.ts, which
 * names where a read-back differs): computed there too, off the writer's thread.
 *
 * The worker is workers/sha256-worker.ts; the messages are in background-sha256-protocol.ts.
 */
// 12 MiB in all (every MiB here is resident): one slot filling while the worker hashes the other
// two. Slots of 4 MiB keep the messages few (each costs both threads a postMessage).
const SLOT_BYTES = 4 << 20;
const SLOTS = 3;

export interface BackgroundDigest {
  sha256: string;
  /** CRC-32 per 1 MiB, for a hash started with chunkSums; else null. */
  chunkSums: number[] | null;
}

export class BackgroundSha256 {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly slots = new SharedArrayBuffer(SLOTS * SLOT_BYTES);
  private readonly slotView = Buffer.from(this.slots);
  /** Slots the worker is not reading; the first is being filled. */
  private readonly free: number[] = Array.from({ length: SLOTS }, (_, i) => i);
  private staged = 0;
  /** The hashes the staged bytes belong to: a change of set flushes what is staged. */
  private stagedIds: readonly number[] = [];
  private drained: Array<() => void> = [];
  private readonly digests = new Map<number, { resolve: (result: BackgroundDigest) => void; reject: (error: unknown) => void }>();
  private failure: unknown = null;
  private closed = false;
  private turn: Promise<void> = Promise.resolve();

  constructor() {
    const workerData: Sha256WorkerData = { slots: this.slots, slotBytes: SLOT_BYTES };
    this.worker = startWorker('sha256-worker', { workerData });
    this.worker.on('message', (message: Sha256Reply) => this.receive(message));
    this.worker.on('error', (error) => this.fail(toAirlockError(error)));
    this.worker.on('exit', () => this.fail(new AirlockError('INTERNAL', 'The hashing worker stopped unexpectedly.')));
  }

  private receive(message: Sha256Reply): void {
    switch (message.op) {
      case 'done':
        this.free.push(message.slot);
        for (const wake of this.drained.splice(0)) wake();
        return;
      case 'digest':
        this.digests.get(message.id)?.resolve({ sha256: message.hex, chunkSums: message.chunkSums });
        this.digests.delete(message.id);
        return;
    }
  }

  private post(message: Sha256Request): void {
    this.worker.postMessage(message);
  }

  /** A new hash; its id names it in update() and digest(). `chunkSums`: keep a CRC-32 per 1 MiB too (result()). */
  start(options: { chunkSums?: boolean } = {}): number {
    const id = this.nextId;
    this.nextId += 1;
    this.post({ op: 'start', id, chunkSums: options.chunkSums === true });
    return id;
  }

  /**
   * Add `data` to each of `ids`. `data` is copied before this resolves; the caller may then reuse
   * it. Calls from several callers (a writer and a reader) are taken one at a time, in call order.
   */
  update(ids: readonly number[], data: Buffer): Promise<void> {
    return this.serially(() => this.copyIn(ids, data));
  }

  /** The hex digest of hash `id`, once every byte given to it has been hashed. */
  async digest(id: number): Promise<string> {
    return (await this.result(id)).sha256;
  }

  /** The hex digest of hash `id` and its CRC-32 per chunk (null unless started with chunkSums). */
  result(id: number): Promise<BackgroundDigest> {
    return this.serially(() => this.requestDigest(id));
  }

  /** One update or digest at a time: an update may wait for a free slot half-way through its copy. */
  private serially<T>(step: () => Promise<T>): Promise<T> {
    const result = this.turn.then(step);
    this.turn = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async copyIn(ids: readonly number[], data: Buffer): Promise<void> {
    this.throwIfFailed();
    if (!sameIds(ids, this.stagedIds)) {
      this.flush();
      this.stagedIds = [...ids];
    }
    let at = 0;
    while (at < data.length) {
      while (this.free.length === 0) {
        await new Promise<void>((resolve) => this.drained.push(resolve));
        this.throwIfFailed();
      }
      const slot = this.free[0] as number;
      const take = Math.min(data.length - at, SLOT_BYTES - this.staged);
      data.copy(this.slotView, slot * SLOT_BYTES + this.staged, at, at + take);
      this.staged += take;
      at += take;
      if (this.staged === SLOT_BYTES) this.flush();
    }
  }

  private async requestDigest(id: number): Promise<BackgroundDigest> {
    this.throwIfFailed();
    this.flush();
    const result = new Promise<BackgroundDigest>((resolve, reject) => this.digests.set(id, { resolve, reject }));
    this.post({ op: 'digest', id });
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.worker.terminate();
  }

  private flush(): void {
    if (this.staged === 0) return;
    const slot = this.free.shift() as number;
    this.post({ op: 'update', ids: this.stagedIds, slot, length: this.staged });
    this.staged = 0;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  private fail(error: unknown): void {
    if (this.closed || this.failure) return;
    this.failure = error;
    for (const waiter of this.digests.values()) waiter.reject(error);
    this.digests.clear();
    for (const wake of this.drained.splice(0)) wake();
  }
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
