import { errnoOf } from '../errors.js';

/**
 * An error as a worker thread posts it: an Error does not survive postMessage with its errno
 * code, and the code is what toAirlockError() turns into the operator's message.
 */
export interface PostedError {
  code?: string | undefined;
  message: string;
}

export function postableError(error: unknown, context?: string): PostedError {
  const message = error instanceof Error ? error.message : String(error);
  return { code: errnoOf(error), message: context === undefined ? message : `${context}: ${message}` };
}

/** The posted error as an Error with its errno code again, for toAirlockError(). */
export function revivedError(posted: PostedError): Error {
  return Object.assign(new Error(posted.message), { code: posted.code });
}
