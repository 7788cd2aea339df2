import { availableParallelism } from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import type { ProgressListener } from '../../../shared/progress.js';
import type { StationDb } from '../db/station-db.js';
import { AirlockError, throwIfAborted, toAirlockError } from '../errors.js';
import { ProgressTracker } from '../jobs/progress-tracker.js';
import { revivedError } from '../workers/posted-error.js';
import { startWorker } from '../workers/worker-script.js';
import type { ChainReply, ChainRequest, ChainWorkerData } from './audit-chain-protocol.js';
import { chainScanner, type ChainChunk, type ChainChunkResult } from './audit-chain-scan.js';

/**
 * The walk along the audit chain from the first event, on every core: the chain is sequential
 * but checking a row is not (its link is to the hash stored in the row before, not a computed
 * one), so the log is cut into chunks of seq numbers, worker threads check chunks on their own
 * read-only connections, and the results are joined in seq order up to the first chunk that
 * broke. The outcome is the single-thread walk's, row for row (audit-chain-scan.ts says why).
 * Memory stays flat: rows stream from SQLite, a lane holds one chunk, results carry only the
 * hashes checkpoints ask for.
 */
export interface ChainWalk {
  /** Rows read, the broken one included. */
  rows: number;
  /** The seq the walk expected next when it stopped. */
  expected: number;
  broken: { seq: number; reason: string } | null;
  /** Hashes of the wanted rows that passed. */
  hashes: Map<number, string>;
}

export interface ChainWalkOptions {
  signal?: AbortSignal | undefined;
  /** Lanes: this thread plus lanes - 1 worker threads; 1 walks on this thread alone. Default: one per core for a log worth it. */
  lanes?: number | undefined;
  /** Events per chunk (tests make it small to cut a small log into many chunks). */
  chunkEvents?: number | undefined;
  /**
   * The 'verifying-audit-chain' phase, counted in events as each chunk's result comes in (never
   * per event: the scan's loop stays as it is), at most about four times a second, ending at the
   * events checked.
   */
  onProgress?: ProgressListener | undefined;
}

/** Small enough that this thread, one of the lanes, sees a cancel soon (~0.1 s of rows). */
const CHUNK_EVENTS = 1 << 14;
/** Below this a worker thread costs more to start than it saves. */
const PARALLEL_FROM_EVENTS = 50_000;
const MAX_LANES = 4;
/** Up to this highest seq (1,024 chunks) the log's events are not counted first. */
const UNCOUNTED_MAX_SEQ = 1 << 24;
const NO_BREAK = 0x7fffffff;

export async function walkAuditChain(db: StationDb, wanted: ReadonlySet<number>, options: ChainWalkOptions = {}): Promise<ChainWalk> {
  const { signal } = options;
  throwIfAborted(signal);
  const { max } = db.prepare('SELECT MAX(seq) AS max FROM audit_events').get() as { max: number | null };
  if (max === null) return { rows: 0, expected: 1, broken: null, hashes: new Map() };
  // The row count only bounds the number of chunks against a forged huge seq; counting reads the
  // whole table (~0.1 s for a million events, before any lane starts), so it is done only for a
  // seq beyond any real log. Below that, chunks up to the highest seq cover every row just the same.
  const n = max > UNCOUNTED_MAX_SEQ ? (db.prepare('SELECT COUNT(*) AS n FROM audit_events').get() as { n: number }).n : max;
  const chunks = cutIntoChunks(max, n, options.chunkEvents ?? CHUNK_EVENTS);
  const tracker = options.onProgress ? new ProgressTracker(options.onProgress) : null;
  // The total is the highest seq (or the counted rows against a forged one): what an intact log's walk reads.
  tracker?.startPhase('verifying-audit-chain', { files: n, etaFromFiles: true });
  // A listener may cancel as it is told the phase started; the lanes listen for a cancel from their start on.
  throwIfAborted(signal);
  const counted = tracker ? (result: ChainChunkResult): void => tracker.addFiles(result.rows) : noCount;
  const lanes = Math.min(options.lanes ?? (n >= PARALLEL_FROM_EVENTS ? Math.min(availableParallelism(), MAX_LANES) : 1), chunks.length);
  // A database only this connection can see (in memory) cannot be opened by a worker.
  const results = lanes > 1 && !db.memory ? await scanInLanes(db, chunks, wanted, lanes, signal, counted) : await scanHere(db, chunks, wanted, signal, counted);
  tracker?.flush();
  return joinResults(results);
}

const noCount = (): void => undefined;

/**
 * Chunks of `size` seq numbers from 1, the first also taking any seq below 1, the last ending at
 * the highest seq: as many as the rows need, however large a forged seq is.
 */
function cutIntoChunks(max: number, rows: number, size: number): ChainChunk[] {
  const count = Math.max(1, Math.ceil(Math.min(max, rows) / size));
  return Array.from({ length: count }, (_, index) => ({
    index,
    after: index === 0 ? null : index * size,
    upTo: index === count - 1 ? max : (index + 1) * size,
  }));
}

/** The chunks' results in order, up to and including the first that broke. */
function joinResults(results: readonly (ChainChunkResult | undefined)[]): ChainWalk {
  const walk: ChainWalk = { rows: 0, expected: 1, broken: null, hashes: new Map() };
  for (const result of results) {
    if (result === undefined || result.abandoned) throw new AirlockError('INTERNAL', 'A chunk of the audit chain before the first break was not checked.');
    walk.rows += result.rows;
    walk.expected = result.expected;
    for (const [seq, hash] of result.hashes) walk.hashes.set(seq, hash);
    if (result.broken) {
      walk.broken = result.broken;
      break;
    }
  }
  return walk;
}

function wantedIn(chunk: ChainChunk, wanted: ReadonlySet<number>): number[] {
  return [...wanted].filter((seq) => (chunk.after === null || seq > chunk.after) && seq <= chunk.upTo);
}

/** One chunk after another on this thread, yielding between chunks so a cancel is seen. */
async function scanHere(
  db: StationDb,
  chunks: readonly ChainChunk[],
  wanted: ReadonlySet<number>,
  signal: AbortSignal | undefined,
  counted: (result: ChainChunkResult) => void,
): Promise<ChainChunkResult[]> {
  const scanner = chainScanner(db);
  const results: ChainChunkResult[] = [];
  for (const chunk of chunks) {
    throwIfAborted(signal);
    const result = scanner.scan(chunk, new Set(wantedIn(chunk, wanted)), () => signal?.aborted === true);
    throwIfAborted(signal);
    results.push(result);
    counted(result);
    if (result.broken) break;
    if (chunks.length > 1) await nextTurn();
  }
  return results;
}

/**
 * Chunks handed out in order to `lanes` lanes as each finishes one, none after the first known
 * break: this thread is one lane (on its own connection, yielding between chunks so a cancel and
 * the workers' answers get through), worker threads are the others. A thread of our own costs no
 * extra memory; each worker adds its isolate (~20 MB peak RSS).
 */
function scanInLanes(
  db: StationDb,
  chunks: readonly ChainChunk[],
  wanted: ReadonlySet<number>,
  lanes: number,
  signal: AbortSignal | undefined,
  counted: (result: ChainChunkResult) => void,
): Promise<(ChainChunkResult | undefined)[]> {
  const stop = new SharedArrayBuffer(4);
  const lowestBroken = new Int32Array(stop);
  lowestBroken[0] = NO_BREAK;
  const workerData: ChainWorkerData = { file: db.name, stop };
  const workers: Worker[] = [];
  const results: (ChainChunkResult | undefined)[] = Array.from({ length: chunks.length });
  let nextChunk = 0;
  let busy = 0;

  return new Promise<(ChainChunkResult | undefined)[]>((resolve, reject) => {
    let settled = false;
    const finish = (error: unknown): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      Atomics.store(lowestBroken, 0, -1);
      // Nothing of a worker is needed once the verdict is in; terminate() also stops a scan mid-chunk.
      for (const worker of workers) void worker.terminate();
      if (error === null) resolve(results);
      else reject(error);
    };
    const onAbort = (): void => finish(new AirlockError('CANCELLED'));
    /** The next chunk worth checking, or null; finishes the walk when none is left and no lane is busy. */
    const take = (): ChainChunk | null => {
      if (settled) return null;
      if (nextChunk >= chunks.length || nextChunk > Atomics.load(lowestBroken, 0)) {
        if (busy === 0) finish(null);
        return null;
      }
      busy += 1;
      nextChunk += 1;
      return chunks[nextChunk - 1] as ChainChunk;
    };
    const accept = (result: ChainChunkResult): void => {
      busy -= 1;
      results[result.index] = result;
      counted(result);
      if (result.broken && result.index < Atomics.load(lowestBroken, 0)) Atomics.store(lowestBroken, 0, result.index);
    };
    const hand = (worker: Worker): void => {
      const chunk = take();
      if (chunk === null) return;
      const request: ChainRequest = { op: 'scan', chunk, wanted: wantedIn(chunk, wanted) };
      worker.postMessage(request);
    };
    const ownLane = async (): Promise<void> => {
      const scanner = chainScanner(db);
      for (let chunk = take(); chunk !== null; chunk = take()) {
        const index = chunk.index;
        accept(scanner.scan(chunk, new Set(wantedIn(chunk, wanted)), () => Atomics.load(lowestBroken, 0) < index));
        await nextTurn();
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (let lane = 1; lane < lanes; lane += 1) {
        const worker = startWorker('audit-chain-worker', { workerData });
        workers.push(worker);
        worker.on('message', (reply: ChainReply) => {
          if (settled) return;
          if (reply.op === 'error') {
            finish(toAirlockError(revivedError(reply.error)));
            return;
          }
          accept(reply.result);
          hand(worker);
        });
        worker.on('error', (error) => finish(toAirlockError(error)));
        worker.on('exit', () => finish(new AirlockError('INTERNAL', 'An audit-checking worker stopped unexpectedly.')));
      }
      for (const worker of workers) hand(worker);
      ownLane().catch(finish);
    } catch (error) {
      finish(error);
    }
  });
}
