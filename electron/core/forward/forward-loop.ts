/**
 * The delivery loop of one sink: read the events after its cursor from the audit log, send them
 * in seq order a page at a time, move the cursor to what the sink confirms, and after any failure
 * reset the sink and send again from the cursor after a backoff. Memory stays bounded by the page
 * size; events appended by any process while it runs are picked up by polling the log's head.
 */
import type { StationDb } from '../db/station-db.js';
import { isAbortError } from '../errors.js';
import { advanceCursor, eventsAfter, readCursor, recordAttempt } from './forward-cursor.js';
import type { ForwardSink } from './forward-sink.js';
import { trace, tracing } from './forward-trace.js';

export interface SinkLoopOptions {
  db: StationDb;
  sink: ForwardSink;
  /** The cursor row's key (forward-sink.ts sinkKey). */
  key: string;
  signal: AbortSignal;
  /** Events read and sent at a time; default 500. */
  pageSize?: number | undefined;
  /** How often to look for new events when caught up; default 500 ms. */
  pollMs?: number | undefined;
  /** One-shot: return once everything up to this seq is confirmed, and give up after `maxFailures` failures in a row. */
  until?: number | undefined;
  maxFailures?: number | undefined;
  /** First backoff after a failure (doubling up to 30 s); default 500 ms. */
  backoffMs?: number | undefined;
  /** Told of each failure and recovery (the CLI's --follow prints them). */
  onChange?: ((change: SinkChange) => void) | undefined;
}

export type SinkChange = { kind: 'failed'; error: string; failures: number } | { kind: 'recovered' } | { kind: 'delivered'; seq: number };

export interface SinkLoopResult {
  deliveredSeq: number;
  /** The last failure's description when the loop gave up (one-shot); null when it finished or was stopped. */
  error: string | null;
}

const MAX_BACKOFF_MS = 30_000;
/** A page of 500 events is about 300 KB framed; larger pages measured no faster and cost RSS (docs/design-notes.md, fwd17). */
const DEFAULT_PAGE_SIZE = 500;

export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = 'code' in error && typeof error.code === 'string' ? `${error.code}: ` : '';
  return `${code}${error.message}`.slice(0, 500);
}

/** Wait `ms`, or less: resolves (never rejects) as soon as `signal` aborts, so a loop can check it and end. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

export async function runSinkLoop(options: SinkLoopOptions): Promise<SinkLoopResult> {
  const { db, sink, key, signal } = options;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const pollMs = options.pollMs ?? 500;
  let cursor = readCursor(db, key).deliveredSeq;
  let sentSeq = cursor;
  let failures = 0;
  let errorOnRecord = readCursor(db, key).lastError !== null;
  if (tracing) trace(`loop ${key} start at cursor #${cursor}`);
  try {
    while (!signal.aborted) {
      if (options.until !== undefined && cursor >= options.until) break;
      try {
        const page = eventsAfter(db, sentSeq, pageSize);
        if (page.length > 0) {
          await sink.send(page, signal);
          sentSeq = page[page.length - 1]?.seq ?? sentSeq;
        }
        const caughtUp = page.length < pageSize;
        if (caughtUp) await sink.flush(signal);
        const confirmed = sink.confirmedSeq(Date.now());
        if (confirmed > cursor) {
          advanceCursor(db, key, confirmed, new Date());
          if (tracing) trace(`loop ${key} cursor #${cursor} -> #${confirmed}`);
          cursor = confirmed;
          errorOnRecord = false;
          options.onChange?.({ kind: 'delivered', seq: cursor });
        } else if (errorOnRecord && !sink.pending) {
          recordAttempt(db, key, null, new Date());
          errorOnRecord = false;
        }
        if (failures > 0) options.onChange?.({ kind: 'recovered' });
        failures = 0;
        if (caughtUp) await abortableSleep(sink.pending ? Math.min(pollMs, 100) : pollMs, signal);
      } catch (error) {
        if (signal.aborted || isAbortError(error)) break;
        sink.reset();
        sentSeq = cursor;
        failures += 1;
        const description = describeFailure(error);
        if (tracing) trace(`loop ${key} failed: ${description}`);
        try {
          recordAttempt(db, key, description, new Date());
        } catch {
          // The database is busy or full: the status misses this attempt, the loop goes on regardless.
        }
        errorOnRecord = true;
        options.onChange?.({ kind: 'failed', error: description, failures });
        if (options.until !== undefined && failures >= (options.maxFailures ?? 2)) return { deliveredSeq: cursor, error: description };
        const backoff = Math.min(MAX_BACKOFF_MS, (options.backoffMs ?? 500) * 2 ** Math.min(failures - 1, 16));
        await abortableSleep(backoff * (0.8 + Math.random() * 0.4), signal);
      }
    }
  } finally {
    sink.reset();
  }
  return { deliveredSeq: cursor, error: null };
}
