/** How a file-system failure on a medium is named for the operator (the writing and the read-back both use it). */
import { AirlockError, errnoOf, toAirlockError } from '../../errors.js';

/** Errnos that mean the medium itself has gone (pulled, unmounted, powered off). */
export const MEDIA_GONE = new Set(['ENOTCONN', 'ENODEV', 'ENXIO', 'ESHUTDOWN', 'ESTALE', 'ENOMEDIUM']);

/** A file-system failure on a medium, named for the operator. */
export function mediaError(error: unknown, path: string): AirlockError {
  if (error instanceof AirlockError && error.code !== 'IO_ERROR' && error.code !== 'INTERNAL' && error.code !== 'NOT_FOUND') return error;
  const errno = errnoOf(error);
  const detail = `${path}: ${error instanceof Error ? error.message : String(error)}`;
  if (errno && MEDIA_GONE.has(errno)) return new AirlockError('MEDIA_REMOVED', detail, { path, cause: error });
  if (errno === 'ENOSPC' || errno === 'EDQUOT') return new AirlockError('NO_SPACE', `The medium filled up while writing. ${detail}`, { path, cause: error });
  if (errno === 'EROFS') return new AirlockError('MEDIA_READONLY', detail, { path, cause: error });
  return toAirlockError(error, path);
}
