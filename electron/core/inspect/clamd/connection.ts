/**
 * One connection to clamd, and its one-shot commands (PING, VERSION, RELOAD). Commands use the
 * `z` form (NUL-terminated command and reply), so a reply's end is never guessed from a newline.
 * Connecting fails in two ways the report tells apart: clamd is not there (unavailable: refused,
 * no socket file, unreachable, no answer to the connect) or it is there and misbehaves (error).
 */
import { type Socket, createConnection } from 'node:net';
import { errnoOf } from '../../errors.js';
import { type ClamdEndpoint, connectOptions } from './address.js';
import { MAX_REPLY_TEXT, replyText } from './reply.js';

/** The connect failed because nothing answers at the address. */
export class ClamdUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClamdUnavailableError';
  }
}

const UNREACHABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'ENOTSOCK',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

function describeAddress(endpoint: ClamdEndpoint): string {
  return endpoint.kind === 'unix' ? `unix:${endpoint.path}` : `tcp:${endpoint.host}:${endpoint.port}`;
}

/** An open socket to clamd, or ClamdUnavailableError (a timeout while connecting counts as unreachable). */
export function connectClamd(endpoint: ClamdEndpoint, timeoutMs: number, signal?: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const socket = createConnection(connectOptions(endpoint));
    const timer = setTimeout(() => fail(new ClamdUnavailableError(`no answer from ${describeAddress(endpoint)} within ${timeoutMs} ms`)), timeoutMs);
    const onAbort = (): void => fail(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    function settle(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      socket.off('connect', onConnect);
    }
    function fail(error: Error): void {
      settle();
      socket.destroy();
      reject(error);
    }
    function onError(error: Error): void {
      const errno = errnoOf(error);
      fail(
        errno !== undefined && UNREACHABLE_ERRNOS.has(errno) ? new ClamdUnavailableError(`${describeAddress(endpoint)}: ${errno}`, { cause: error }) : error,
      );
    }
    function onConnect(): void {
      settle();
      resolve(socket);
    }
    socket.once('error', onError);
    socket.once('connect', onConnect);
  });
}

/**
 * Collects a `z`-command reply: everything up to the first NUL (or the connection's end). Bounded:
 * a peer that talks on without a NUL is cut off, its words kept as the (error) text.
 */
export class ReplyReader {
  private readonly parts: Buffer[] = [];
  private bytes = 0;
  private done = false;
  private readonly waiters: Array<(reply: string | Error) => void> = [];
  private outcome: string | Error | null = null;
  private failure: Error | null = null;
  /** True when the reply ended with its NUL (clamd finished its sentence), false when it was cut off. */
  complete = false;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.settle(this.bytes > 0 ? this.text() : new Error('clamd closed the connection without a reply')));
    socket.on('close', () => this.settle(this.bytes > 0 ? this.text() : (this.failure ?? new Error('clamd closed the connection without a reply'))));
    // A write error (EPIPE, ECONNRESET) can come just after clamd's reply: settle at 'close', so a reply that arrived is kept.
    socket.on('error', (error: Error) => {
      this.failure ??= new Error(`connection to clamd failed: ${errnoOf(error) ?? error.message}`);
    });
  }

  /** A reply (complete, or what arrived before the connection ended) has come in. */
  get settled(): boolean {
    return this.done;
  }

  private text(): string {
    return Buffer.concat(this.parts).toString('utf8');
  }

  private onData(chunk: Buffer): void {
    if (this.done) return;
    const nul = chunk.indexOf(0);
    const part = nul >= 0 ? chunk.subarray(0, nul) : chunk;
    this.parts.push(part);
    this.bytes += part.length;
    if (nul >= 0) {
      this.complete = true;
      this.settle(this.text());
    } else if (this.bytes > MAX_REPLY_TEXT * 4) {
      this.settle(this.text());
    }
  }

  private settle(outcome: string | Error): void {
    if (this.done) return;
    this.done = true;
    this.outcome = outcome;
    for (const waiter of this.waiters.splice(0)) waiter(outcome);
  }

  /** The reply text, or the error that ended the connection before any reply. */
  wait(): Promise<string | Error> {
    if (this.outcome !== null) return Promise.resolve(this.outcome);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** Wait for a reply with a deadline: the reply text, or an Error saying what happened instead. */
export async function awaitReply(reader: ReplyReader, timeoutMs: number, signal?: AbortSignal): Promise<string | Error> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<Error>((resolve) => {
    timer = setTimeout(() => resolve(new Error(`clamd gave no reply within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    onAbort = () => resolve(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([reader.wait(), deadline]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/** Send one `z` command on a fresh connection and return clamd's reply (printable text). Throws ClamdUnavailableError or Error. */
export async function clamdCommand(endpoint: ClamdEndpoint, command: 'PING' | 'VERSION' | 'RELOAD', timeoutMs: number, signal?: AbortSignal): Promise<string> {
  const socket = await connectClamd(endpoint, timeoutMs, signal);
  try {
    const reader = new ReplyReader(socket);
    socket.write(`z${command}\0`);
    const reply = await awaitReply(reader, timeoutMs, signal);
    if (reply instanceof Error) throw reply;
    return replyText(reply);
  } finally {
    socket.destroy();
  }
}
