// First: the heap's growth limit applies from the first allocation of any command.
import './heap-tuning.js';
import { errnoOf } from '../core/index.js';
import { runCli } from './main.js';
import { pipeStdout } from './pipe-stdout.js';

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
const ignoreClosedReader = (stream: NodeJS.WritableStream): void => {
  stream.on('error', (error: Error) => {
    const code = errnoOf(error);
    if (code !== 'EPIPE' && code !== 'ERR_STREAM_DESTROYED') throw error;
  });
};
whenMade('stdout', ignoreClosedReader);
whenMade('stderr', ignoreClosedReader);
// A pipe or socket gets written without node's socket for it (pipe-stdout.ts); else process.stdout.
const piped = pipeStdout();
if (piped) ignoreClosedReader(piped);

/**
 * Runs `then` with process[name] when something first reads it, instead of reading it now. Node
 * makes process.stdout, process.stderr and process.stdin on first read (a socket, a ReadStream or a
 * TTY stream, and the modules behind it): about 2.5 ms CPU and 1 MB of a `keys list` that reads
 * neither stdin nor stderr (docs/design-notes.md, "CLI start-up, round 5"). Node's own getter is
 * wrapped, so whoever reads it first, the CLI or node printing a warning, gets the stream with the
 * handler on it.
 */
function whenMade(name: 'stdout' | 'stderr', then: (stream: NodeJS.WriteStream) => void): void {
  const made = Object.getOwnPropertyDescriptor(process, name);
  const make = made?.get;
  if (made?.configurable !== true || make === undefined) {
    then(process[name]);
    return;
  }
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: made.enumerable === true,
    get(): NodeJS.WriteStream {
      Object.defineProperty(process, name, made);
      const stream = make.call(process) as NodeJS.WriteStream;
      then(stream);
      return stream;
    },
  });
}

/**
 * Settles with the exit code once the command is done. No top-level await: the prebuilt CLI is a
 * CommonJS bundle (scripts/build-cli.mjs); the packaged app's main imports this module and waits
 * for `finished` before it exits (electron/main/index.ts).
 */
export const finished: Promise<number> = runCli(process.argv.slice(2), {
  stdout: piped ?? process.stdout,
  // Getters: stderr and stdin are made when a command first uses them (whenMade above).
  get stderr() {
    return process.stderr;
  },
  get stdin() {
    return process.stdin;
  },
  env: process.env,
  get stderrIsTTY() {
    return process.stderr.isTTY === true;
  },
  signal: controller.signal,
}).then((code) => {
  process.exitCode = code;
  return code;
});
