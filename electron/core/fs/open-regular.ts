/**
 * Opening a file whose path came from outside (a bundle named on the command line or dropped in
 * the inbox, a key, passphrase, receipt or config file, an image source) when it may be no file
 * at all. A plain open(2) of a FIFO without a writer blocks until one appears, a tape or serial
 * device may block too, and a synchronous open on the main thread is beyond any AbortSignal or
 * SIGINT handler: `airlock verify FIFO` hung for good. So the open itself is non-blocking
 * (O_NONBLOCK: a FIFO opens at once, a socket fails with ENXIO), and fstat on the opened fd (not a
 * stat of the path before it, which a swap could race) proves a regular file before any read.
 * O_NONBLOCK is not cleared: it has no effect on regular files (docs/design-notes.md, "Paths that
 * are not files: FIFOs, sockets, devices").
 */
import { closeSync, constants, createReadStream, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { AirlockError, errnoOf } from '../errors.js';

/** Read-only, and neither a FIFO nor a device may hold the open (O_NONBLOCK is 0 where the OS has none). */
export const REGULAR_READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** What a path that is not a regular file is, for the message. */
export function describeNonFile(stats: Pick<Stats, 'isDirectory' | 'isFIFO' | 'isSocket' | 'isBlockDevice' | 'isCharacterDevice' | 'isSymbolicLink'>): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** NOT_A_FILE for `path`, which is `what`. */
export function notAFile(path: string, what: string): AirlockError {
  return new AirlockError('NOT_A_FILE', `${path} is ${what}.`, { path, data: { kind: what } });
}

/**
 * The open's own failure. ENXIO is what opening a socket (or a device without its driver) gives:
 * NOT_A_FILE. Any other error is rethrown as it came, so these helpers drop in for open/readFile
 * (callers that test for ENOENT still see it).
 */
function openFailure(error: unknown, path: string): unknown {
  if (errnoOf(error) === 'ENXIO') return notAFile(path, 'a socket or a device with nothing behind it');
  return error;
}

/**
 * Open `path` for reading if it is a regular file; NOT_A_FILE (a FIFO, socket, device, folder)
 * otherwise, without blocking and before any byte is read. `folderError` replaces NOT_A_FILE for
 * a folder where the caller has its own word for one.
 */
export async function openRegular(path: string, folderError?: () => AirlockError): Promise<{ handle: FileHandle; stats: Stats }> {
  let handle: FileHandle;
  try {
    handle = await open(path, REGULAR_READ_FLAGS);
  } catch (error) {
    throw openFailure(error, path);
  }
  let stats: Stats;
  try {
    stats = await handle.stat();
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
  if (stats.isFile()) return { handle, stats };
  await handle.close().catch(() => undefined);
  if (stats.isDirectory() && folderError) throw folderError();
  throw notAFile(path, describeNonFile(stats));
}

/** openRegular for synchronous callers: the fd (close it) and its stats. */
export function openRegularSync(path: string): { fd: number; stats: Stats } {
  let fd: number;
  try {
    fd = openSync(path, REGULAR_READ_FLAGS);
  } catch (error) {
    throw openFailure(error, path);
  }
  let stats: Stats;
  try {
    stats = fstatSync(fd);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  if (stats.isFile()) return { fd, stats };
  closeSync(fd);
  throw notAFile(path, describeNonFile(stats));
}

/** readFile for a path from outside: the whole file if it is a regular one, NOT_A_FILE otherwise; other errors as readFile throws them. */
export async function readRegularFile(path: string): Promise<Buffer>;
export async function readRegularFile(path: string, encoding: BufferEncoding): Promise<string>;
export async function readRegularFile(path: string, encoding?: BufferEncoding): Promise<Buffer | string> {
  const { handle } = await openRegular(path);
  try {
    return encoding === undefined ? await handle.readFile() : await handle.readFile(encoding);
  } finally {
    await handle.close();
  }
}

/** readRegularFile for synchronous callers. */
export function readRegularFileSync(path: string): Buffer {
  const { fd } = openRegularSync(path);
  try {
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * createReadStream for a path from outside: opened non-blocking (open(2) of a regular file does
 * not block, so the synchronous open costs nothing) and proven a regular file by fstat; anything
 * else, and a failed open, is the stream's error, as a failed open of createReadStream would be.
 */
export function createRegularReadStream(
  path: string,
  options: { highWaterMark?: number; start?: number; end?: number; signal?: AbortSignal | undefined } = {},
): Readable {
  let fd: number;
  try {
    ({ fd } = openRegularSync(path));
  } catch (error) {
    const failed = new PassThrough();
    process.nextTick(() => failed.destroy(error as Error));
    return failed;
  }
  return createReadStream(path, { ...options, fd });
}
