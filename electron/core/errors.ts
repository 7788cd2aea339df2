import { ERROR_CODES, type ErrorCode, type ErrorData, type ErrorInfo } from '../../shared/errors.js';
import { describeErrno } from './errno-text.js';

/** What an AirlockError is built with besides its code and detail. */
export interface AirlockErrorOptions {
  /** The path the failure concerns, as the operator gave it. */
  path?: string | undefined;
  cause?: unknown;
  /** Facts a front end may act on (which flag or form field to point at); never needed to read the message. */
  data?: ErrorData | undefined;
}

/**
 * An operational failure with a stable code; the code maps to one human message in shared/errors.ts.
 * `detail` says what this occurrence adds (the path, the value, the reason) and `data` carries
 * facts for the front ends, each kept apart: `message` (the code's message, then the detail) is
 * for reading only, never to be taken apart again.
 */
export class AirlockError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly data: ErrorData | undefined;
  readonly path: string | undefined;

  constructor(code: ErrorCode, detail?: string, options: AirlockErrorOptions = {}) {
    const base = ERROR_CODES[code].message;
    super(detail ? `${base} ${detail}` : base, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AirlockError';
    this.code = code;
    this.detail = detail ? detail : undefined;
    this.data = options.data;
    this.path = options.path;
  }

  /** The error as data (IPC, the job worker, --json): only the fields it has. */
  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message };
    if (this.detail !== undefined) info.detail = this.detail;
    if (this.path !== undefined) info.path = this.path;
    if (this.data !== undefined) info.data = { ...this.data };
    return info;
  }
}

/** The errno name (ENOENT, EACCES ...) of a thrown value, if it has one: the one place that reads `.code`. */
export function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** The path Node names in a file-system error (the one it tried), if it names one. */
export function errnoPathOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'path' in error && typeof error.path === 'string' ? error.path : undefined;
}

export function isAbortError(error: unknown): boolean {
  return (
    (error instanceof Error && error.name === 'AbortError') || errnoOf(error) === 'ABORT_ERR' || (error instanceof AirlockError && error.code === 'CANCELLED')
  );
}

/** Maps any thrown value to an AirlockError so every failure leaves with a code. */
export function toAirlockError(error: unknown, path?: string): AirlockError {
  if (error instanceof AirlockError) return error;
  if (isAbortError(error)) return new AirlockError('CANCELLED', undefined, { cause: error });
  const errno = errnoOf(error);
  // Node names the path it tried (error.path); the caller's path is the one the operator typed.
  const errnoPath = errnoPathOf(error) ?? path;
  const detail = describeErrno(errno, errnoPath) ?? (error instanceof Error ? error.message : String(error));
  const opts = path === undefined ? { cause: error } : { path, cause: error };
  switch (errno) {
    case 'ENOENT':
      return new AirlockError('NOT_FOUND', detail, opts);
    case 'ENOTDIR':
      return new AirlockError('NOT_A_FOLDER', detail, opts);
    case 'EACCES':
    case 'EPERM':
      return new AirlockError('PERMISSION_DENIED', detail, opts);
    case 'ENAMETOOLONG':
      return new AirlockError('PATH_TOO_LONG', detail, opts);
    // SQLITE_FULL: better-sqlite3's "database or disk is full", the file system under the database
    // filled up (a full home; `keys rotate` met it as IO_ERROR, fault harness full-disk-round2).
    case 'ENOSPC':
    case 'EDQUOT':
    case 'SQLITE_FULL':
      return new AirlockError('NO_SPACE', detail, opts);
    case 'EEXIST':
      return new AirlockError('OUTPUT_EXISTS', detail, opts);
    case undefined:
      return new AirlockError('INTERNAL', detail, opts);
    default:
      return new AirlockError('IO_ERROR', detail, opts);
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AirlockError('CANCELLED');
}
