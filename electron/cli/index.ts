import { runCli } from './main.js';

/** Process entry: wire the real process into the CLI, Ctrl-C into cancellation. */
const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write('\nCancelling... (Ctrl-C again to force)\n');
  controller.abort();
});

// A reader that goes away (`airlock audit list | head`) is not a failure of what the command did:
// it finishes, keeps its exit code, and the rest of its output is dropped, as with any Unix tool.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  stderrIsTTY: process.stderr.isTTY === true,
  signal: controller.signal,
});
process.exitCode = code;
