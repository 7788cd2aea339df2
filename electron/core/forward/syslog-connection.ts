/**
 * One connection to a syslog server (RFC 5425 framing over TCP or TLS): connect, write frames
 * with backpressure, and the one round trip plain syslog allows, a graceful close: we end our
 * side and the server closes its side only after it has read everything up to our end. A close
 * or error the server starts on its own (crash, restart, kill) is recorded as `broken`.
 * TLS verifies the server's certificate and name against the configured CA (the system's CAs
 * without one) and never falls back to plain TCP.
 */
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { SyslogSinkConfig } from '../home/forward-config.js';
import { trace, tracing } from './forward-trace.js';
import { readRegularFile } from '../fs/open-regular.js';

export interface SyslogEndpoint {
  protocol: 'tcp' | 'tls';
  host: string;
  port: number;
}

/** `tcp://HOST:PORT` / `tls://HOST:PORT` (already validated by the config schema); IPv6 in brackets. */
export function parseSyslogUrl(url: string): SyslogEndpoint {
  const match = /^(tcp|tls):\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/u.exec(url);
  if (match === null) throw new Error(`not a syslog address: ${url}`);
  const host = match[2] ?? '';
  return { protocol: match[1] === 'tls' ? 'tls' : 'tcp', host: host.startsWith('[') ? host.slice(1, -1) : host, port: Number(match[3]) };
}

export const CONNECT_TIMEOUT_MS = 10_000;
/** How long a server may leave our writes unread, or our end unanswered, before the connection counts as failed. */
export const STALL_TIMEOUT_MS = 30_000;
/** Bytes a connection may hold queued in this process before a write waits for them to drain. */
export const QUEUED_WRITE_BYTES = 1024 * 1024;

export class SyslogConnection {
  /** Set when the server closed or failed the connection without our asking: what it had not yet processed may be lost. */
  broken: Error | null = null;
  readonly connectedAt = Date.now();
  private endedByUs = false;
  /** The last write handed to the kernel (TLS: encrypted and written). */
  private written: Promise<void> = Promise.resolve();
  private readonly closed: Promise<void>;

  /** The local port, which names this connection in the trace. */
  readonly name: string;

  private constructor(private readonly socket: Socket) {
    this.name = `:${socket.localPort ?? '?'}`;
    if (tracing) trace(`conn ${this.name} open`);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', (error) => {
      if (tracing) trace(`conn ${this.name} error ${String(error)} endedByUs=${this.endedByUs}`);
      this.broken ??= error;
    });
    socket.on('end', () => {
      if (tracing) trace(`conn ${this.name} end endedByUs=${this.endedByUs}`);
      if (!this.endedByUs) this.broken ??= new Error('the server closed the connection');
    });
    if (tracing) socket.on('close', () => trace(`conn ${this.name} close`));
    // The server sends nothing; reading keeps its close (or a reset) visible at once.
    socket.resume();
  }

  static async open(endpoint: SyslogEndpoint, config: SyslogSinkConfig, signal: AbortSignal, timeoutMs = CONNECT_TIMEOUT_MS): Promise<SyslogConnection> {
    const tlsOptions = endpoint.protocol === 'tls' ? await tlsConnectionOptions(endpoint, config) : null;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const onAbort = (): void => fail(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      const timer = setTimeout(() => fail(new Error(`no connection within ${timeoutMs / 1000} s`)), timeoutMs);
      const connecting: Socket =
        tlsOptions === null ? netConnect({ host: endpoint.host, port: endpoint.port }, () => done()) : tlsConnect(tlsOptions, () => done());
      function cleanup(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        connecting.off('error', fail);
      }
      function done(): void {
        cleanup();
        resolve(connecting);
      }
      function fail(error: Error): void {
        cleanup();
        connecting.destroy();
        reject(error);
      }
      connecting.once('error', fail);
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) onAbort();
    });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    return new SyslogConnection(socket);
  }

  /**
   * Write bytes, waiting while more than QUEUED_WRITE_BYTES are still queued in this process (the
   * server's buffers are full); throws when the connection broke. Returning while a batch is
   * still queued lets the caller read and format the next one while the kernel and the server
   * take this one: the two cores work at once instead of in turns.
   */
  async write(bytes: Buffer, signal: AbortSignal): Promise<void> {
    this.throwIfBroken();
    let accepted = true;
    // Settles when these bytes are handed to the kernel (or failed: then `broken` says why).
    this.written = new Promise<void>((resolve) => {
      accepted = this.socket.write(bytes, () => resolve());
    });
    if (accepted || this.socket.writableLength <= QUEUED_WRITE_BYTES) return;
    await this.waitFor((resolve) => this.socket.once('drain', resolve), 'drain', signal);
    this.throwIfBroken();
  }

  /**
   * End our side and wait for the server to close its own: it then has read every byte we wrote.
   * The connection is finished after this, whatever the outcome.
   */
  async roundTrip(signal: AbortSignal): Promise<void> {
    this.throwIfBroken();
    // A close the server made on its own (a session dropped at accept, a relay giving up) must not
    // pass for its answer to our end: once we have ended, any close looks like that answer. Under
    // load the server's close can sit unread in the kernel while this process formats and writes,
    // so hand every byte to the kernel and let the event loop read what already arrived first: a
    // close or reset that came before our end is then the server's own (`broken`), and fails.
    await this.waitFor((resolve) => void this.written.then(resolve), 'drain', signal);
    for (let turn = 0; turn < 3; turn += 1) await pendingIo();
    this.throwIfBroken();
    this.endedByUs = true;
    this.socket.end();
    try {
      await this.waitFor((resolve) => void this.closed.then(resolve), 'close', signal);
    } finally {
      this.socket.destroy();
    }
    this.throwIfBroken();
  }

  get open(): boolean {
    return this.broken === null && !this.socket.destroyed && !this.endedByUs;
  }

  destroy(): void {
    this.endedByUs = true;
    this.socket.destroy();
  }

  private throwIfBroken(): void {
    if (this.broken !== null) throw this.broken;
    if (this.socket.destroyed && !this.endedByUs) throw new Error('the connection is closed');
  }

  private waitFor(arm: (resolve: () => void) => void, what: string, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | null): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.socket.off('close', onClose);
        if (error === null) resolve();
        else reject(error);
      };
      const onAbort = (): void => finish(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      const onClose = (): void => finish(what === 'close' ? null : (this.broken ?? new Error('the connection closed')));
      const timer = setTimeout(
        () =>
          finish(
            new Error(`the server did not ${what === 'drain' ? 'read our messages' : 'confirm the end of the batch'} within ${STALL_TIMEOUT_MS / 1000} s`),
          ),
        STALL_TIMEOUT_MS,
      );
      signal.addEventListener('abort', onAbort, { once: true });
      this.socket.once('close', onClose);
      arm(() => finish(null));
      if (signal.aborted) onAbort();
    });
  }
}

/** One turn of the event loop: its poll phase reads what the kernel already holds (a close, a reset). */
function pendingIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function tlsConnectionOptions(endpoint: SyslogEndpoint, config: SyslogSinkConfig): Promise<ConnectionOptions> {
  const [ca, cert, key] = await Promise.all([
    config.ca === undefined ? undefined : readRegularFile(config.ca),
    config.cert === undefined ? undefined : readRegularFile(config.cert),
    config.key === undefined ? undefined : readRegularFile(config.key),
  ]);
  return {
    host: endpoint.host,
    port: endpoint.port,
    // SNI takes a name only; an address is checked against the certificate's IP entries.
    servername: isIP(endpoint.host) === 0 ? endpoint.host : undefined,
    ca,
    cert,
    key,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
  };
}
