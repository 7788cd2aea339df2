/**
 * Audit forwarding to a SIEM (issue #17; docs/siem.md): every audit event also goes to the
 * station's configured sinks, at least once, in seq order; the SIEM de-duplicates by seq.
 */

export type ForwardSinkKind = 'syslog' | 'jsonLines';

export interface ForwardSinkStatus {
  kind: ForwardSinkKind;
  /** `tcp://HOST:PORT`, `tls://HOST:PORT`, or the JSON-lines file path. */
  target: string;
  /** The highest audit seq the sink acknowledged (TCP/TLS: written and flushed; file: fsynced); 0 before any. */
  deliveredSeq: number;
  /** The audit log's highest seq when the status was taken. */
  headSeq: number;
  /** headSeq - deliveredSeq: events not yet delivered. */
  backlog: number;
  lastDeliveredAt: string | null;
  lastAttemptAt: string | null;
  /** Why the last attempt failed (connection refused, TLS error ...); null after a success. */
  lastError: string | null;
}

export interface ForwardStatus {
  /** False when config.json has no `forward` section. */
  configured: boolean;
  sinks: ForwardSinkStatus[];
}
