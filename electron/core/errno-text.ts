import { userInfo } from 'node:os';

/**
 * Plain words for the file-system errors an operator meets (a mistyped path, a file where a
 * folder belongs, another user's folder), naming the path and what to check, instead of Node's
 * "ENOENT: no such file or directory, stat 'x'". null for errno codes without such words: the
 * caller keeps the system's text for those.
 */
export function describeErrno(errno: string | undefined, path: string | undefined): string | null {
  const where = path === undefined || path === '' ? 'A path' : path;
  switch (errno) {
    case 'ENOENT':
      return `${where} does not exist.`;
    case 'ENOTDIR':
      return `${where}: a part of this path is a file, not a folder.`;
    case 'EISDIR':
      return `${where} is a folder where a file was expected.`;
    case 'EACCES':
    case 'EPERM':
      return `${where}: permission denied for ${whoAmI()} (check its owner and mode, and those of the folders above it, with ls -ld).`;
    case 'ELOOP':
      return `${where}: too many levels of symbolic links (a link may point to itself).`;
    case 'ENAMETOOLONG':
      return `${where}: the name is too long for the file system.`;
    case undefined:
    default:
      return null;
  }
}

/** "user alice (uid 1000)": whose permissions the system checked. */
export function whoAmI(): string {
  try {
    const me = userInfo();
    return `user ${me.username} (uid ${me.uid})`;
  } catch {
    return typeof process.getuid === 'function' ? `uid ${process.getuid()}` : 'this user';
  }
}
