import { ERROR_CODES, type ErrorCode } from './errors.js';

/** CLI exit codes (docs/design.md §3). */
export const EXIT = {
  OK: 0,
  REJECTED: 1,
  USAGE: 2,
  OPERATIONAL: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitCodeForError(code: ErrorCode): ExitCode {
  return ERROR_CODES[code].kind === 'usage' ? EXIT.USAGE : EXIT.OPERATIONAL;
}
