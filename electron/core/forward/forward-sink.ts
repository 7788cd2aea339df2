/**
 * What the delivery loop (forward-loop.ts) needs of a sink. The loop reads events after the
 * sink's cursor from the audit log (the outbox) and hands them over in seq order; the sink says
 * which of them it now holds for certain. A sink that fails throws: the loop then resets it and
 * sends again from the cursor, so an event goes out again only with its own seq.
 */
import type { AuditEvent } from '../audit/audit-event.js';
import type { ForwardSinkKind } from '../../../shared/forward.js';

export interface ForwardSink {
  readonly kind: ForwardSinkKind;
  /** `tcp://HOST:PORT`, `tls://HOST:PORT`, or the file path: what the status shows. */
  readonly target: string;
  /** Send these events, which follow the last ones sent (seq order). Throws when the sink failed. */
  send(events: readonly AuditEvent[], signal: AbortSignal): Promise<void>;
  /** Nothing more to send for now: do what makes the events sent so far confirmable (syslog: the round trip). */
  flush(signal: AbortSignal): Promise<void>;
  /**
   * The highest seq the sink now holds for certain (0: none yet in this session); throws when it
   * learned that something it sent may be lost (the loop then sends again from the cursor).
   */
  confirmedSeq(now: number): number;
  /** Whether sent events still wait to be confirmed (the loop keeps checking before it sleeps long). */
  readonly pending: boolean;
  /** Forget what was sent but not confirmed and drop the connection or file handle: the next send starts afresh. */
  reset(): void;
  close(): Promise<void>;
}

/** The cursor row's key: a changed address or path is a new sink, which gets the whole log. */
export function sinkKey(kind: ForwardSinkKind, target: string): string {
  return `${kind} ${target}`;
}
