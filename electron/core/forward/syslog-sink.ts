/**
 * Audit events to a syslog server over TCP or TLS (RFC 5424 messages, RFC 5425 octet counting).
 *
 * Plain syslog has no acknowledgement: bytes written to a socket are lost when the server dies
 * before processing them (in the kernel's buffers, or in rsyslog's in-memory queue). So an event
 * counts as delivered only when (1) a round trip proved the server read it: after a batch we end
 * our side and the server closes its own only once it has read everything before our end; and
 * (2) the server then stayed up for `settleMs`, watched by a connection opened after the round
 * trip that the server has not closed or reset (a crash or restart closes it). Anything sent but
 * not yet confirmed is sent again, with its own seq, after any failure (docs/siem.md).
 */
import type { AuditEvent } from '../audit/audit-event.js';
import type { SyslogSinkConfig } from '../home/forward-config.js';
import type { ForwardSink } from './forward-sink.js';
import { frameAllOctetCounted } from './octet-framing.js';
import { SyslogConnection, parseSyslogUrl, type SyslogEndpoint } from './syslog-connection.js';
import { createSyslogFormatter } from './syslog-format.js';
import { trace, tracing } from './forward-trace.js';

export interface SyslogSinkOptions {
  /** How long the server must stay up after reading a batch before it counts as delivered; default 2000 ms. */
  settleMs?: number | undefined;
  /** Events per connection before a round trip; default 5000. */
  roundTripEvery?: number | undefined;
  /** How long to wait for a connection (TLS handshake included); default 10 s. */
  connectTimeoutMs?: number | undefined;
}

export const DEFAULT_SETTLE_MS = 2_000;
const DEFAULT_ROUND_TRIP_EVERY = 5_000;

interface ReadBatch {
  seq: number;
  readAt: number;
}

export class SyslogSink implements ForwardSink {
  readonly kind = 'syslog' as const;
  readonly target: string;
  private readonly endpoint: SyslogEndpoint;
  private readonly format: (event: AuditEvent) => string;
  private readonly settleMs: number;
  private readonly roundTripEvery: number;
  private readonly connectTimeoutMs: number | undefined;
  private connection: SyslogConnection | null = null;
  /** Sent on the current connection, not yet round-tripped. */
  private unreadSeq = 0;
  private sentOnConnection = 0;
  /** Read by the server, waiting for it to stay up for settleMs. */
  private readBatches: ReadBatch[] = [];
  private confirmed = 0;

  constructor(
    private readonly config: SyslogSinkConfig,
    options: SyslogSinkOptions = {},
  ) {
    this.target = config.url;
    this.endpoint = parseSyslogUrl(config.url);
    this.format = createSyslogFormatter({ facility: config.facility, appName: config.appName, procId: String(process.pid) });
    this.settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    this.roundTripEvery = options.roundTripEvery ?? DEFAULT_ROUND_TRIP_EVERY;
    this.connectTimeoutMs = options.connectTimeoutMs;
  }

  get pending(): boolean {
    return this.unreadSeq > 0 || this.readBatches.length > 0;
  }

  async send(events: readonly AuditEvent[], signal: AbortSignal): Promise<void> {
    if (events.length === 0) return;
    const connection = await this.connected(signal);
    if (tracing) trace(`syslog ${connection.name} write #${events[0]?.seq}-#${events[events.length - 1]?.seq}`);
    await connection.write(frameAllOctetCounted(events.map(this.format)), signal);
    this.unreadSeq = events[events.length - 1]?.seq ?? this.unreadSeq;
    this.sentOnConnection += events.length;
    if (this.sentOnConnection >= this.roundTripEvery) await this.roundTrip(signal);
  }

  async flush(signal: AbortSignal): Promise<void> {
    if (this.unreadSeq > 0) await this.roundTrip(signal);
    // Watch the server while batches settle: its crash or restart closes this connection.
    if (this.readBatches.length > 0) await this.connected(signal);
  }

  confirmedSeq(now: number): number {
    const watcher = this.connection;
    if (watcher?.broken) throw watcher.broken;
    while (this.readBatches.length > 0) {
      const batch = this.readBatches[0];
      if (batch === undefined || watcher === null || !watcher.open || watcher.connectedAt < batch.readAt || now - batch.readAt < this.settleMs) break;
      this.confirmed = batch.seq;
      if (tracing) trace(`syslog confirmed #${batch.seq} (watcher ${watcher.name})`);
      this.readBatches.shift();
    }
    return this.confirmed;
  }

  reset(): void {
    this.connection?.destroy();
    this.connection = null;
    this.unreadSeq = 0;
    this.sentOnConnection = 0;
    this.readBatches = [];
  }

  async close(): Promise<void> {
    this.reset();
    return Promise.resolve();
  }

  private async connected(signal: AbortSignal): Promise<SyslogConnection> {
    const current = this.connection;
    if (current !== null) {
      if (current.broken) throw current.broken;
      if (current.open) return current;
    }
    this.connection = await SyslogConnection.open(this.endpoint, this.config, signal, this.connectTimeoutMs);
    this.sentOnConnection = 0;
    return this.connection;
  }

  private async roundTrip(signal: AbortSignal): Promise<void> {
    const connection = this.connection;
    if (connection === null) return;
    if (tracing) trace(`syslog ${connection.name} round trip up to #${this.unreadSeq}`);
    await connection.roundTrip(signal);
    if (tracing) trace(`syslog ${connection.name} round trip done #${this.unreadSeq}`);
    this.readBatches.push({ seq: this.unreadSeq, readAt: Date.now() });
    this.unreadSeq = 0;
    this.sentOnConnection = 0;
    this.connection = null;
  }
}
