import { Command, CommanderError, type OutputConfiguration } from 'commander';
import { EXIT } from '../../shared/exit-codes.js';
import { AirlockError, toAirlockError } from '../core/index.js';
import { COMMAND_TABLE, commandsFor, type DefineCommands } from './command-table.js';
import { createContext, reportFailure, type GlobalOptions } from './context.js';
import type { CliIo } from './io.js';
import { JSON_ERROR_SHAPE, JSON_SHAPES, NO_JSON_COMMANDS } from './json-shapes.js';

export const CLI_VERSION = '0.1.0';

/** `keys trust` for the keys command's trust subcommand: how help, shapes and man pages name it. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

export function* allCommands(command: Command): Generator<Command> {
  for (const sub of command.commands) {
    yield sub;
    yield* allCommands(sub);
  }
}

/**
 * The `airlock` program as commander defines it: what runCli parses and the man page and
 * completions are generated from. `commands` are the top-level commands defined (default all;
 * runCli defines only the one a run names, command-table.ts).
 */
export function buildProgram(
  io: CliIo,
  args: readonly string[] = [],
  commands: readonly DefineCommands[] = COMMAND_TABLE.map((entry) => entry.define),
): { program: Command; ctx: ReturnType<typeof createContext> } {
  const program = new Command();
  program
    .name('airlock')
    .description('Signed, verified transfers across an air gap.')
    .version(CLI_VERSION)
    .option('--home <dir>', 'station state directory (default $AIRLOCK_HOME, else the OS app-data directory)')
    .option('--operator <name>', 'operator name recorded with the OS user')
    .option('--json', `print one JSON object on stdout (shape at the end of each command's --help; on failure ${JSON_ERROR_SHAPE})`)
    .option('-q, --quiet', 'print no report on success (the exit code says it); errors, warnings and data still print')
    .option('-v, --verbose', 'more detail: every file of a verification, the system error behind an error')
    .option('--progress', 'show the progress line on stderr even when it is not a terminal')
    .option('--no-progress', 'never show the progress line')
    .configureHelp({ showGlobalOptions: true })
    .exitOverride();

  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  const ctx = createContext(io, globals, () => args.includes('--json') || globals().json === true);
  for (const define of commands) define(program, ctx);
  for (const command of [program, ...allCommands(program)]) {
    const path = commandPath(command);
    command.exitOverride();
    command.configureOutput(usageOutput(io, ctx, path));
    const shape = JSON_SHAPES[path];
    if (shape) command.addHelpText('after', `\nWith --json, stdout is one JSON object:\n  ${shape}\n  on failure: ${JSON_ERROR_SHAPE}`);
  }
  // --json is global (before or after the command); a command's action reads it from its own options.
  program.hook('preAction', (_program, action) => {
    ctx.command = commandPath(action);
    if (globals().json !== true) return;
    if (NO_JSON_COMMANDS.has(ctx.command)) throw new AirlockError('USAGE', `airlock ${ctx.command} takes no --json: its output is the data itself.`);
    action.setOptionValue('json', true);
  });
  return { program, ctx };
}

/**
 * Help and version go out as commander writes them; a parse error is kept (with the command it
 * concerns) and printed like every other error, code and Next: line included, by runCli.
 */
function usageOutput(io: CliIo, ctx: ReturnType<typeof createContext>, path: string): OutputConfiguration {
  return {
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => {
      ctx.usageCommand = path;
      io.stderr.write(text);
    },
    outputError: (text) => {
      ctx.usageCommand = path;
      ctx.usageText = text;
    },
  };
}

/** A parse failure commander reported, or help shown because a command group was given no command, as a USAGE error. */
function usageError(error: CommanderError, ctx: ReturnType<typeof createContext>): AirlockError {
  const command = ctx.usageCommand === '' ? 'airlock' : `airlock ${ctx.usageCommand}`;
  // Commander's own words ("error: unknown option '--jsn'"), on one line, as a sentence.
  const said = (ctx.usageText ?? '')
    .replace(/^error: /u, '')
    .replace(/\s*\n\s*/gu, ' ')
    .trim();
  const detail =
    said !== ''
      ? `${said.charAt(0).toUpperCase()}${said.slice(1)}${/[.?!)]$/u.test(said) ? '' : '.'}`
      : `A command is needed after "${command}" (the commands are listed above).`;
  return new AirlockError('USAGE', detail, { cause: error, data: { command } });
}

/**
 * Run `airlock ...` with the given arguments (without node and script) and return the exit code.
 * Only the command the arguments name is defined (command-table.ts); `defineAll` defines every one
 * (test/unit/cli/command-table.test.ts compares the two).
 */
export async function runCli(args: readonly string[], io: CliIo, defineAll = false): Promise<number> {
  const { program, ctx } = buildProgram(io, args, defineAll ? undefined : commandsFor(args));
  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help, `airlock help` and --version end with 0; help shown because no command was given
      // (bare `airlock`, `airlock keys`) and every other parse failure are usage errors.
      if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.OK;
      return reportFailure(io, usageError(error, ctx), ctx.wantsJson(), false);
    }
    // Anything else (a bug outside a command's run) is INTERNAL, printed like every error, Next: included.
    return reportFailure(io, toAirlockError(error), ctx.wantsJson(), false);
  }
  return ctx.exitCode;
}
