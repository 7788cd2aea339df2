// First: the heap's growth limit applies from the first allocation of any command.
import './heap-tuning.js';
import { errnoOf } from '../core/index.js';
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
  stream.on('error', (error: Error) => {
    const code = errnoOf(error);
    if (code !== 'EPIPE' && code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

/**
 * Settles with the exit code once the command is done. No top-level await: the prebuilt CLI is a
 * CommonJS bundle (scripts/build-cli.mjs); the packaged app's main imports this module and waits
 * for `finished` before it exits (electron/main/index.ts).
 */
export const finished: Promise<number> = runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  stderrIsTTY: process.stderr.isTTY === true,
  signal: controller.signal,
}).then((code) => {
  process.exitCode = code;
  return code;
});
