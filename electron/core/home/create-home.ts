import { constants } from 'node:fs';
import { access, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AirlockError, errnoOf, errnoPathOf } from '../errors.js';
import { describeErrno, whoAmI } from '../errno-text.js';

/**
 * mkdir -p, one level at a time, failing at the first level that cannot be made. Node's own
 * recursive mkdir retries forever where the parent exists but refuses children with ENOENT
 * (/proc, /sys): it climbs to the parent, finds it there, and goes down again.
 */
export async function makeDirs(path: string, mode: number): Promise<void> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      await stat(current);
      break;
    } catch (error) {
      if (errnoOf(error) !== 'ENOENT') throw error;
      missing.push(current);
      const parent = dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  for (const dir of missing.reverse()) {
    try {
      await mkdir(dir, { mode });
    } catch (error) {
      // Another process made it meanwhile: that is what was wanted.
      if (errnoOf(error) !== 'EEXIST') throw error;
    }
  }
}

/** "user root (uid 0)" from /etc/passwd where it can be read, else "uid 0". */
async function ownerName(uid: number): Promise<string> {
  try {
    const passwd = await readFile('/etc/passwd', 'utf8');
    const entry = passwd.split('\n').find((line) => line.split(':')[2] === String(uid));
    const name = entry?.split(':')[0];
    if (name) return `user ${name} (uid ${uid})`;
  } catch {
    // Not a Unix system, or no passwd file: the number says enough.
  }
  return `uid ${uid}`;
}

/** The first folder on the way down to `path` this user may not enter (search permission), or null. */
async function firstUnreachable(path: string): Promise<string | null> {
  const chain: string[] = [];
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) chain.unshift(dir);
  for (const dir of chain) {
    if (
      !(await access(dir, constants.X_OK).then(
        () => true,
        () => false,
      ))
    )
      return dir;
  }
  return null;
}

/** The home (and the files in it that must change) may be written by this user: else say whose it is and what to do. */
export async function assertHomeWritable(root: string, writable: readonly string[]): Promise<void> {
  for (const path of [root, ...writable]) {
    try {
      await access(path, constants.R_OK | constants.W_OK | (path === root ? constants.X_OK : 0));
    } catch (error) {
      const errno = errnoOf(error);
      // A read-only home still serves audit list/verify/export from a copy (home-storage.ts decides later).
      if (errno === 'ENOENT' || errno === 'EROFS') continue;
      if (errno !== 'EACCES' && errno !== 'EPERM') throw error;
      // The folder that stops this user may be above the home (a parent it cannot enter).
      const blocking = (await firstUnreachable(path)) ?? path;
      const uid = await stat(blocking).then(
        (s) => s.uid,
        () => null,
      );
      const me = typeof process.getuid === 'function' ? process.getuid() : null;
      if (me !== null && (me === 0 || uid === me)) {
        // Not a question of ownership: the file system itself refuses (/proc, /sys, a read-only mount).
        throw new AirlockError(
          'HOME_INVALID',
          `${path} cannot be written: the file system refuses it (for example /proc, /sys or a read-only mount). The station home must be a folder on a writable disk.`,
          { path, cause: error, data: { reason: 'home-place', home: root } },
        );
      }
      const owner = uid === null ? 'another user' : await ownerName(uid);
      const where = blocking === path ? `${path} belongs to ${owner}` : `${blocking}, above it, belongs to ${owner} and this user may not enter it`;
      throw new AirlockError('PERMISSION_DENIED', `The station home ${root} is not writable by ${whoAmI()}: ${where}.`, {
        path: blocking,
        cause: error,
        data: { reason: 'home-owner', home: root },
      });
    }
  }
}

/** An errno from creating the home, in words (why /proc or a file in the way cannot be a home). */
export function homeCreateFailure(root: string, error: unknown): AirlockError {
  const errno = errnoOf(error);
  if (errno === 'EACCES' || errno === 'EPERM') {
    return new AirlockError('PERMISSION_DENIED', `The station home ${root} cannot be created: ${describeErrno(errno, errnoPathOf(error) ?? root) ?? ''}`, {
      path: root,
      cause: error,
      data: { reason: 'home-owner', home: root },
    });
  }
  const detail =
    errno === 'ENOENT'
      ? `${root} cannot be created here: the file system refuses new folders (for example /proc or /sys). The station home must be a folder on a disk.`
      : `${root}: ${describeErrno(errno, errnoPathOf(error) ?? root) ?? (error as Error).message}`;
  return new AirlockError('HOME_INVALID', detail, { path: root, cause: error, data: { reason: 'home-place', home: root } });
}
