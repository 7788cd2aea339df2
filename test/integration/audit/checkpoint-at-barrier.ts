/**
 * Child process for audit-head-two-checkpoints.test.ts: `airlock audit checkpoint` in this
 * process (from source), with its first read of audit-head.json followed by a wait: it writes
 * BARRIER.reached, then waits until BARRIER.go exists. So the test can hold one checkpoint between
 * its look at the head file and its write while a second process checkpoints a newer head.
 * Without BARRIER it writes STARTED (when given) and runs the command plainly.
 *
 *   node --import tsx checkpoint-at-barrier.ts BARRIER|- STARTED|- --home HOME audit checkpoint ...
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const [barrier = '-', started = '-'] = process.argv.slice(2, 4);
if (started !== '-') fs.writeFileSync(started, `${process.pid}\n`);

let paused = false;
const readFile = fs.promises.readFile;
fs.promises.readFile = (async (...args: Parameters<typeof readFile>) => {
  try {
    return await readFile(...args);
  } finally {
    // After the read whatever it found (no head file yet is ENOENT): the wait is between the look and the write.
    if (barrier !== '-' && !paused && String(args[0]).endsWith('audit-head.json')) {
      paused = true;
      fs.writeFileSync(`${barrier}.reached`, '');
      while (!fs.existsSync(`${barrier}.go`)) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}) as typeof readFile;
// ESM named imports of node:fs/promises follow the patched object from here on.
syncBuiltinESMExports();

process.argv = [process.argv[0] as string, 'airlock', ...process.argv.slice(4)];
await import('../../../electron/cli/index.js');
