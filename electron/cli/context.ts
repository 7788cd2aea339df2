import { Writable } from 'node:stream';
import { AirlockError, errnoOf, Station, toAirlockError } from '../core/index.js';
import { displayText, jsonText, lineText } from '../../shared/display-text.js';
import { exitCodeForError, type ExitCode } from '../../shared/exit-codes.js';
import type { CliIo } from './io.js';
import { cliNextStep } from './next-step.js';
import { renderError } from './render.js';
import { forStation } from './station-command.js';

export interface GlobalOptions {
  home?: string;
  operator?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  /** --progress: true; --no-progress: false; neither: undefined (a terminal decides). */
  progress?: boolean;
}

/** Commands whose stdout is the data asked for, not a report: --quiet leaves it alone. */
const DATA_COMMANDS = new Set(['keys export-public', 'keys list', 'audit export', 'audit list', 'media list']);

/**
 * What every command needs: the station for the global options, and one place that turns
 * any failure into a coded message and an exit code (plus JSON when --json was asked for).
 */
export interface CommandContext {
  io: CliIo;
  exitCode: ExitCode | number;
  /** The running command's path, e.g. "keys trust" (set before its action runs). */
  command: string;
  /** The command a parse error or a command group's help concerns ('' for airlock itself; main.ts). */
  usageCommand: string;
  /** Commander's words for a parse error, kept to print as a USAGE error (main.ts). */
  usageText: string | null;
  wantsJson(): boolean;
  globals(): GlobalOptions;
  run(action: (station: Station, io: CliIo) => Promise<number>): Promise<void>;
}

/** The error on stderr (with its next step), and as JSON on stdout when asked; returns the exit code. */
export function reportFailure(io: CliIo, error: AirlockError, json: boolean, verbose: boolean, home?: string): number {
  if (json) io.stdout.write(`${jsonText({ ok: false, error: { ...error.toInfo(), next: forStation(cliNextStep(error), home) } })}\n`);
  io.stderr.write(renderError(error, home));
  if (verbose || (error.code === 'INTERNAL' && io.env.AIRLOCK_DEBUG)) {
    const cause = error.cause instanceof Error ? error.cause : null;
    // The cause's message can quote a file name or a server's reply: hostile text like any other.
    if (cause) io.stderr.write(`  cause: ${displayText(cause.message)}\n`);
    if (error.code === 'INTERNAL') io.stderr.write(`${lineText(String((cause ?? error).stack))}\n`);
  }
  return exitCodeForError(error.code);
}

const PIPE_CLOSED = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_WRITE_AFTER_END']);

/** The failure is stdout's reader closing the pipe (seen on stdout itself, not, say, gpg's stdin): nothing went wrong with the work. */
function readerWentAway(stdoutClosed: boolean, thrown: unknown): boolean {
  let error: unknown = thrown;
  for (let depth = 0; stdoutClosed && depth < 4 && error instanceof Error; depth += 1) {
    const code = errnoOf(error);
    if (code !== undefined && PIPE_CLOSED.has(code)) return true;
    error = error.cause;
  }
  return false;
}

const discard = (): Writable =>
  new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });

/** The io a command sees under the global options: --quiet drops the report, --progress/--no-progress decide the progress line. */
function commandIo(io: CliIo, g: GlobalOptions, command: string, json: boolean): CliIo {
  const quiet = g.quiet === true && !json && !DATA_COMMANDS.has(command);
  // Getters, not a copy ({ ...io } reads every property): the process's stderr and stdin are
  // streams node makes on first read, which a command such as `keys list` never needs (index.ts).
  return {
    stdout: quiet ? discard() : io.stdout,
    get stderr() {
      return io.stderr;
    },
    get stdin() {
      return io.stdin;
    },
    env: io.env,
    get stderrIsTTY() {
      return g.quiet === true ? false : (g.progress ?? io.stderrIsTTY);
    },
    signal: io.signal,
  };
}

export function createContext(io: CliIo, globals: () => GlobalOptions, wantsJson: () => boolean): CommandContext {
  const ctx: CommandContext = {
    io,
    exitCode: 0,
    command: '',
    usageCommand: '',
    usageText: null,
    wantsJson,
    globals,
    async run(action) {
      let station: Station | null = null;
      const g = globals();
      let stdoutClosed = false;
      const onStdoutError = (error: Error): void => {
        const code = errnoOf(error);
        if (code !== undefined && PIPE_CLOSED.has(code)) stdoutClosed = true;
      };
      io.stdout.on('error', onStdoutError);
      try {
        // An empty --home (an unset shell variable) would silently fall back to the default home.
        if (g.home !== undefined && g.home.trim() === '')
          throw new AirlockError('USAGE', '--home needs a folder; it was given an empty value. Leave --home out to use $AIRLOCK_HOME or the default home.');
        station = await Station.open({ home: g.home || undefined, operator: g.operator || undefined });
        ctx.exitCode = await action(station, commandIo(io, g, ctx.command, wantsJson()));
      } catch (thrown) {
        // `airlock audit export | head`: the reader had what it wanted; quiet, as tar and cat are.
        if (readerWentAway(stdoutClosed, thrown)) return;
        const error = thrown instanceof AirlockError ? thrown : toAirlockError(thrown);
        ctx.exitCode = reportFailure(io, error, wantsJson(), g.verbose === true, g.home);
      } finally {
        io.stdout.off('error', onStdoutError);
        station?.close();
      }
    },
  };
  return ctx;
}
