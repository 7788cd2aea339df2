import { Command, CommanderError } from 'commander';
import { EXIT } from '../../shared/exit-codes.js';
import { registerApprove } from './commands/approve.js';
import { registerAudit } from './commands/audit.js';
import { registerExport } from './commands/export.js';
import { registerImport } from './commands/import.js';
import { registerKeys } from './commands/keys.js';
import { registerMedia } from './commands/media.js';
import { registerVerify } from './commands/verify.js';
import { createContext, type GlobalOptions } from './context.js';
import type { CliIo } from './io.js';

export const CLI_VERSION = '0.1.0';

/** Run `airlock ...` with the given arguments (without node and script) and return the exit code. */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const program = new Command();
  program
    .name('airlock')
    .description('Signed, verified transfers across an air gap.')
    .version(CLI_VERSION)
    .option('--home <dir>', 'station state directory (default $AIRLOCK_HOME, else the OS app-data directory)')
    .option('--operator <name>', 'operator name recorded with the OS user')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  const wantsJson = (): boolean => args.includes('--json');
  const ctx = createContext(io, () => program.opts<GlobalOptions>(), wantsJson);
  registerKeys(program, ctx);
  registerExport(program, ctx);
  registerVerify(program, ctx);
  registerImport(program, ctx);
  registerApprove(program, ctx);
  registerAudit(program, ctx);
  registerMedia(program, ctx);
  for (const command of program.commands) {
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride();
  }

  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with code 0; every other parse failure is a usage error.
      if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.OK;
      if (error.code === 'commander.help') return EXIT.OK;
      if (wantsJson()) io.stdout.write(`${JSON.stringify({ ok: false, error: { code: 'USAGE', message: error.message } })}\n`);
      return EXIT.USAGE;
    }
    throw error;
  }
  return ctx.exitCode;
}
