/**
 * Verify's stream lane: a bundle of small files on both cores (docs/design-notes.md, "Small-file
 * verify on both cores"). The payload lanes (parallel-payload.ts) take large files only; with
 * 20,000 files of 4 KiB the walk hashed every one on this thread while the other core idled.
 *
 * Here the walk (check-bundle.ts) is unchanged and reads the archive front to back as a stream,
 * but from the first payload entry on, once the tag manifest is authenticated and the payload
 * manifest parsed (startHashing), that stream's bytes come from a worker thread
 * (workers/range-hash-worker.ts, stream-hasher.ts): it reads each chunk, hashes the data of the
 * entries in it, and transfers the chunk itself to this thread, where node-tar and the tar guard
 * parse it. So the digest of an entry is of the very bytes the walk read as its data; the walk
 * takes it (digest()) only for an entry whose data offset and size are exactly those the worker
 * announced with the chunk that held its header, before the walk could have parsed that header
 * (hashes()); any other entry it hashes itself. Until the hand-over (and when there is no worker)
 * this thread reads the file itself, so the tag files are never waited on.
 *
 * Only for a verification that keeps no bytes (no payload sink, no inspectors) of a plain file.
 */
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { entryDataOffset, type TarEntry } from '../../bundle/tar-entries.js';
import { WorkerRun } from '../../bundle/worker-run.js';
import { readAt } from '../../crypto/range-hash.js';
import { AirlockError, toAirlockError } from '../../errors.js';
import { revivedError } from '../../workers/posted-error.js';
import { startWorker } from '../../workers/worker-script.js';
import { openRegular } from '../../fs/open-regular.js';
import type { CheckBundleOptions } from '../verify-options.js';
import { CLAIM_MIN_BYTES, PARALLEL_MIN_BYTES } from './payload-scout.js';
import type { StreamReply, StreamRequest } from './stream-protocol.js';
import { firstPayloadFileSize, streamLaneDecided, takeWarmStreamWorker } from './warm-lane-worker.js';
import { ReadInFlight } from './read-in-flight.js';

/**
 * The stream lane for this verification, or null (see CheckBundleOptions.streamLane): by default
 * only while a core is free for its worker (streamLaneDecided: at the command's start, or now),
 * for a plain bundle file of at least 64 MiB whose first payload file the lanes would not claim
 * (its headers read as the warm worker's peek reads them), and only where no bytes are kept.
 */
export async function openStreamLane(options: CheckBundleOptions, fileSize: number | null): Promise<StreamLane | null> {
  const chosen = options.streamLane;
  if (chosen === 'off' || options.source || options.payloadSink || (options.inspectors?.length ?? 0) > 0 || fileSize === null) return null;
  if (chosen === undefined) {
    // Lanes' sizes given (tests, import's settings): that pass, as before.
    if (options.payloadLanes !== undefined || fileSize < PARALLEL_MIN_BYTES || !streamLaneDecided(options.bundlePath)) return null;
    let first: number | null;
    try {
      first = firstPayloadFileSize(options.bundlePath, PARALLEL_MIN_BYTES);
    } catch {
      first = null;
    }
    if (first === null || first >= CLAIM_MIN_BYTES) return null;
  } else if (fileSize < chosen.minBundleBytes) return null;
  // Never a blocking open (a path swapped for a FIFO since bundleSize's stat): fs/open-regular.ts.
  const { handle } = await openRegular(options.bundlePath);
  const lane = StreamLane.start(handle, takeWarmStreamWorker(), options.signal, chosen);
  if (lane === null) await handle.close();
  return lane;
}

export interface StreamLaneSettings {
  chunkBytes?: number | undefined;
  /** Wait for the worker at the hand-over instead of reading on here until it is up (tests). */
  waitForWorker?: boolean | undefined;
}

/** Chunks of the stream (as the sequential verify's: steps/open-bundle.ts says why not larger). */
export const STREAM_CHUNK_BYTES = 1 << 18;
/**
 * Chunks asked of the worker ahead of the walk, and asked again in batches of at least half of
 * that: each request wakes the worker (it is faster than the walk, so it waits for each), and one
 * wake per chunk cost the walk more than the chunk's hashing on a busy machine (design note).
 */
const CHUNKS_AHEAD = 8;
const ASK_AGAIN = CHUNKS_AHEAD / 2;
const DIGEST_BYTES = 32;

interface Announced {
  readonly size: number;
  digest: Buffer | null;
}

export class StreamLane {
  readonly source: StreamSource;
  /** Entries the worker hashes, by data offset, in archive order (Map keeps insertion order). */
  private readonly announced = new Map<number, Announced>();
  private readonly run: WorkerRun;
  private ready: boolean;
  private released = false;
  private stopped: (() => void) | null = null;
  /** Entries whose digest came from the worker (for tests and the design note's counts). */
  fromWorker = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly worker: Worker,
    ready: boolean,
    signal: AbortSignal | undefined,
    private readonly settings: StreamLaneSettings = {},
  ) {
    this.ready = ready;
    this.source = new StreamSource(handle.fd, this, settings.chunkBytes ?? STREAM_CHUNK_BYTES);
    this.run = new WorkerRun(worker, signal);
    worker.on('message', (reply: StreamReply) => this.receive(reply));
    worker.on('error', (error) => this.run.finish(toAirlockError(error)));
    worker.on('exit', () => this.run.finish(new AirlockError('INTERNAL', 'The hashing worker stopped unexpectedly.')));
    // The worker's end (a cancel, a failure) ends the stream: the walk reports it.
    this.run.done.then(
      () => this.source.destroy(),
      (error: Error) => this.source.destroy(error),
    );
  }

  /** A stream lane on `handle` with a worker warmed for it (ready or not) or one started now; null if none can be started. */
  static start(
    handle: FileHandle,
    warm: { thread: Worker; ready: boolean } | null,
    signal: AbortSignal | undefined,
    settings?: StreamLaneSettings,
  ): StreamLane | null {
    let held = warm;
    if (held === null) {
      try {
        held = { thread: startWorker('range-hash-worker'), ready: false };
      } catch {
        // A build without the worker: the sequential pass.
        return null;
      }
    }
    return new StreamLane(handle, held.thread, held.ready, signal, settings);
  }

  /** The tag manifest is authenticated and the payload manifest parsed: the worker may take the stream over. */
  startHashing(): void {
    // The source's next read hands the stream over (the walk asks for bytes again soon: it is at the first payload entry).
    this.released = true;
  }

  /** Whether the worker takes over now (released, and up); the source asks at each read until it does. */
  get canHandOver(): boolean {
    return this.released && this.ready && !this.run.isSettled;
  }

  /** Released, but the worker is not up and the settings say to wait for it (tests: a small bundle would otherwise be read here whole). */
  get waitsForWorker(): boolean {
    return this.settings.waitForWorker === true && this.released && !this.ready && !this.run.isSettled;
  }

  post(request: StreamRequest): void {
    if (!this.run.isSettled) this.worker.postMessage(request);
  }

  /** Whether the walk takes this entry's digest from the worker (it then reads the entry to its end and asks digest()). */
  hashes(entry: TarEntry): boolean {
    const offset = entryDataOffset(entry);
    if (offset === null) return false;
    // Announcements the walk went past (an entry it hashed itself, a tag file) are dropped: memory stays flat with the file count.
    for (const key of this.announced.keys()) {
      if (key >= offset) break;
      this.announced.delete(key);
    }
    return this.announced.get(offset)?.size === entry.size;
  }

  /** The digest of a `hashes()` entry the walk has read to its end: the chunk holding its last byte brought it. */
  digest(entry: TarEntry): Buffer {
    const offset = entryDataOffset(entry) ?? -1;
    const found = this.announced.get(offset);
    this.announced.delete(offset);
    if (found?.digest == null) throw new AirlockError('INTERNAL', `The digest of "${entry.path}" did not come with its bytes.`);
    this.fromWorker += 1;
    return found.digest;
  }

  private receive(reply: StreamReply): void {
    if (reply.op === 'stream-ready') {
      this.ready = true;
      if (this.settings.waitForWorker === true) this.source.resumeRead();
      return;
    }
    if (reply.op === 'stream-error') {
      this.run.finish(toAirlockError(revivedError(reply.error)));
      return;
    }
    if (reply.op === 'stream-stopped') {
      this.stopped?.();
      return;
    }
    const { announced, finished, digests } = reply;
    for (let i = 0; i < announced.length; i += 2) this.announced.set(announced[i] as number, { size: announced[i + 1] as number, digest: null });
    const all = Buffer.from(digests.buffer, digests.byteOffset, digests.byteLength);
    for (let i = 0; i < finished.length; i += 1) {
      const known = this.announced.get(finished[i] as number);
      if (known) known.digest = all.subarray(i * DIGEST_BYTES, (i + 1) * DIGEST_BYTES);
    }
    this.source.chunk(reply.offset, Buffer.from(reply.bytes, 0, reply.length));
  }

  /**
   * Stop the worker and the source, then close the descriptor: only once the worker has said it
   * reads no more (its answers come in order, after its reads) or has exited.
   */
  async close(): Promise<void> {
    this.source.destroy();
    if (!this.run.isSettled && this.source.handedOver) {
      const stopped = new Promise<void>((resolve) => {
        this.stopped = resolve;
      });
      this.post({ op: 'stream-stop' });
      await Promise.race([stopped, this.run.done.catch(() => undefined)]);
    }
    if (this.run.isSettled) await this.run.stop();
    else this.run.finish();
    await this.source.settled();
    await this.handle.close();
  }
}

/** The walk's byte stream: read here up to the hand-over, then the worker's chunks, in order. */
class StreamSource extends Readable {
  private position = 0;
  private readonly inFlight = new ReadInFlight(this);
  private asked = 0;
  private ended = false;
  private waiting = false;
  handedOver = false;

  constructor(
    private readonly fd: number,
    private readonly lane: StreamLane,
    private readonly chunkBytes: number,
  ) {
    // Tests give small chunks: this thread's own reads before the hand-over are as small, so a small bundle is handed over too.
    super({ highWaterMark: chunkBytes });
  }

  settled(): Promise<void> {
    return this.inFlight.settled();
  }

  /** The worker came up while a read waited for it (waitForWorker). */
  resumeRead(): void {
    if (this.waiting) {
      this.waiting = false;
      this._read();
    }
  }

  override _read(): void {
    if (this.inFlight.busy || this.ended || this.destroyed) return;
    if (this.lane.waitsForWorker) {
      this.waiting = true;
      return;
    }
    if (!this.handedOver && this.lane.canHandOver) {
      this.handedOver = true;
      this.lane.post({ op: 'stream-start', fd: this.fd, from: this.position, chunkBytes: this.chunkBytes });
    }
    if (this.handedOver) {
      if (this.asked > CHUNKS_AHEAD - ASK_AGAIN) return;
      this.lane.post({ op: 'stream-more', count: CHUNKS_AHEAD - this.asked });
      this.asked = CHUNKS_AHEAD;
      return;
    }
    this.inFlight.start(() => this.readHere());
  }

  /** A chunk from the worker, at `offset`: pushed in order (the worker answers in order). */
  chunk(offset: number, bytes: Buffer): void {
    this.asked -= 1;
    if (this.ended || this.destroyed) return;
    if (offset !== this.position) {
      this.destroy(new AirlockError('INTERNAL', `The hashing worker read byte ${offset} where the stream is at ${this.position}.`));
      return;
    }
    if (bytes.length === 0) {
      this.ended = true;
      this.push(null);
      return;
    }
    this.position += bytes.length;
    if (this.push(bytes)) this._read();
  }

  private async readHere(): Promise<void> {
    const buffer = Buffer.allocUnsafe(this.chunkBytes);
    const bytes = await readAt(this.fd, buffer, buffer.length, this.position);
    if (this.destroyed) return;
    this.position += bytes;
    if (bytes === 0) {
      this.ended = true;
      this.push(null);
    } else this.push(bytes === buffer.length ? buffer : buffer.subarray(0, bytes));
  }
}
