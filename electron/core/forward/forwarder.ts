/**
 * Where forwarding runs (docs/siem.md). `startForwarder` keeps every configured sink fed until its
 * signal aborts: `airlock watch` runs it beside the inbox loop, `airlock audit forward --follow`
 * on its own, the app's main process may too; only one per home forwards at a time (the lease),
 * the others wait for it. `deliverNow` is the one-shot `airlock audit forward`: the backlog up to
 * the head as it was at the start, then a result per sink. One-shot commands (export, import ...)
 * do not forward: their events wait in the log for the running forwarder, so a SIEM that is down
 * never slows or fails them.
 */
import type { ForwardSinkKind } from '../../../shared/forward.js';
import type { StationDb } from '../db/station-db.js';
import type { ForwardConfig } from '../home/forward-config.js';
import { readStationConfig } from '../home/station-config.js';
import type { HomePaths } from '../home/station-home.js';
import { headSeq } from './forward-cursor.js';
import { ForwardLease } from './forward-lease.js';
import { abortableSleep, runSinkLoop, type SinkChange } from './forward-loop.js';
import { sinkKey, type ForwardSink } from './forward-sink.js';
import { JsonLinesSink } from './jsonlines-sink.js';
import { SyslogSink, type SyslogSinkOptions } from './syslog-sink.js';

/** What the forwarder needs of a station: its home and its database (a StationContext is one). */
export interface ForwarderContext {
  readonly paths: HomePaths;
  database(): StationDb;
}

export interface ForwarderOptions {
  signal: AbortSignal;
  /** The `forward` section to use; default: read from the home's config.json now. */
  config?: ForwardConfig | undefined;
  /** Syslog delivery tuning (tests, the bench). */
  syslog?: SyslogSinkOptions | undefined;
  pollMs?: number | undefined;
  pageSize?: number | undefined;
  backoffMs?: number | undefined;
  /** How often to try for the lease while another forwarder holds it; default 2000 ms. */
  leaseRetryMs?: number | undefined;
  /** Told when a sink fails, recovers, or delivers (--follow prints these). */
  onChange?: ((kind: ForwardSinkKind, target: string, change: SinkChange) => void) | undefined;
  /** Told once when another forwarder holds the lease and this one waits. */
  onWaitingForLease?: (() => void) | undefined;
}

export function makeSinks(config: ForwardConfig, options: { syslog?: SyslogSinkOptions | undefined } = {}): ForwardSink[] {
  const sinks: ForwardSink[] = [];
  if (config.syslog !== undefined) sinks.push(new SyslogSink(config.syslog, options.syslog));
  if (config.jsonLines !== undefined) sinks.push(new JsonLinesSink(config.jsonLines));
  return sinks;
}

async function forwardConfigOf(context: ForwarderContext, given: ForwardConfig | undefined): Promise<ForwardConfig> {
  return given ?? (await readStationConfig(context.paths)).forward ?? {};
}

/** Wait for the lease until `signal` aborts (null then). */
async function takeLease(context: ForwarderContext, options: ForwarderOptions): Promise<ForwardLease | null> {
  let told = false;
  while (!options.signal.aborted) {
    const lease = ForwardLease.tryTake(context.paths.root);
    if (lease !== null) return lease;
    if (!told) options.onWaitingForLease?.();
    told = true;
    await abortableSleep(options.leaseRetryMs ?? 2_000, options.signal);
  }
  return null;
}

/**
 * Forward every audit event to the configured sinks until `options.signal` aborts; resolves then
 * (at once when config.json configures no sink). Never rejects for a sink's failure: each sink
 * retries with backoff on its own, so a down SIEM does not hold up the JSON-lines file.
 */
export async function startForwarder(context: ForwarderContext, options: ForwarderOptions): Promise<void> {
  const sinks = makeSinks(await forwardConfigOf(context, options.config), options);
  if (sinks.length === 0) return;
  const lease = await takeLease(context, options);
  if (lease === null) return;
  try {
    const db = context.database();
    await Promise.all(
      sinks.map((sink) =>
        runSinkLoop({
          db,
          sink,
          key: sinkKey(sink.kind, sink.target),
          signal: options.signal,
          pageSize: options.pageSize,
          pollMs: options.pollMs,
          backoffMs: options.backoffMs,
          onChange: options.onChange === undefined ? undefined : (change) => options.onChange?.(sink.kind, sink.target, change),
        }),
      ),
    );
  } finally {
    await Promise.all(sinks.map((sink) => sink.close()));
    lease.release();
  }
}

export interface DeliverNowResult {
  /** Another forwarder holds the lease: it delivers; nothing was sent from here. */
  busy: boolean;
  sinks: Array<{ kind: ForwardSinkKind; target: string; deliveredSeq: number; error: string | null }>;
}

/** `airlock audit forward`: deliver the backlog up to the current head now, a couple of attempts per sink, and report. */
export async function deliverNow(context: ForwarderContext, options: ForwarderOptions & { leaseWaitMs?: number | undefined }): Promise<DeliverNowResult> {
  const sinks = makeSinks(await forwardConfigOf(context, options.config), options);
  if (sinks.length === 0) return { busy: false, sinks: [] };
  const leaseSignal = AbortSignal.any([options.signal, AbortSignal.timeout(options.leaseWaitMs ?? 3_000)]);
  const lease = await takeLease(context, { ...options, signal: leaseSignal, leaseRetryMs: 250 });
  if (lease === null) return { busy: true, sinks: [] };
  try {
    const db = context.database();
    const until = headSeq(db);
    const results = await Promise.all(
      sinks.map(async (sink) => {
        const result = await runSinkLoop({
          db,
          sink,
          key: sinkKey(sink.kind, sink.target),
          signal: options.signal,
          pageSize: options.pageSize,
          pollMs: options.pollMs ?? 100,
          backoffMs: options.backoffMs ?? 1_000,
          until,
          maxFailures: 2,
          onChange: options.onChange === undefined ? undefined : (change) => options.onChange?.(sink.kind, sink.target, change),
        });
        return { kind: sink.kind, target: sink.target, deliveredSeq: result.deliveredSeq, error: result.error };
      }),
    );
    return { busy: false, sinks: results };
  } finally {
    await Promise.all(sinks.map((sink) => sink.close()));
    lease.release();
  }
}
