import { spawnSync } from 'node:child_process';

/** Whether this process may mount a small tmpfs (root on Linux): full-disk and kill tests need one. */
export const canMountTmpfs: boolean =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  spawnSync('sh', ['-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=1m tmpfs "$d" && umount "$d"; s=$?; rmdir "$d"; exit $s'], { stdio: 'ignore' }).status === 0;
