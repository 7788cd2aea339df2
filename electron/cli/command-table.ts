import type { Command } from 'commander';
import { registerApprove } from './commands/approve.js';
import { registerAudit } from './commands/audit.js';
import { registerChannels } from './commands/channels.js';
import { registerExport } from './commands/export.js';
import { registerFeed } from './commands/feed.js';
import { registerImport } from './commands/import.js';
import { registerKeys } from './commands/keys.js';
import { registerMedia } from './commands/media.js';
import { registerPolicy } from './commands/policy.js';
import { registerQuarantine } from './commands/quarantine.js';
import { registerVerify } from './commands/verify.js';
import { registerWatch } from './commands/watch.js';
import type { CommandContext } from './context.js';

export type DefineCommands = (program: Command, ctx: CommandContext) => void;

/**
 * Every top-level command, with the function that defines it (and its subcommands), in the order
 * `airlock --help` lists them. One function may define two (heartbeat and channels).
 * test/unit/cli/command-table.test.ts checks the names against what each function defines.
 */
export const COMMAND_TABLE: readonly { names: readonly string[]; define: DefineCommands }[] = [
  { names: ['keys'], define: registerKeys },
  { names: ['export'], define: registerExport },
  { names: ['verify'], define: registerVerify },
  { names: ['import'], define: registerImport },
  { names: ['approve'], define: registerApprove },
  { names: ['audit'], define: registerAudit },
  { names: ['media'], define: registerMedia },
  { names: ['quarantine'], define: registerQuarantine },
  { names: ['policy'], define: registerPolicy },
  { names: ['feed'], define: registerFeed },
  { names: ['watch'], define: registerWatch },
  { names: ['heartbeat', 'channels'], define: registerChannels },
];

/** The global options that take a value (main.ts defines them): their value is the next argument unless written --opt=value. */
const GLOBAL_WITH_VALUE = new Set(['--home', '--operator']);
/** The global options that take none, and ask for no help or version (those list every command). */
const GLOBAL_FLAGS = new Set(['--json', '-q', '--quiet', '-v', '--verbose', '--progress', '--no-progress']);

/**
 * What a run with these arguments needs defined: only the command it names, when that can be told
 * for certain (its first argument after global options this module knows), else every command.
 * Defining all thirteen with their options and help texts was a few milliseconds of every start
 * (docs/design-notes.md, "CLI start-up, round 4"). Commander then sees the same program for that
 * command: its parsing, help, errors and suggestions within it are the same; anything else
 * (no command, `help`, an unknown command or option, --help or --version before the command)
 * gets the whole program, so messages that list or suggest commands still see all of them.
 */
export function commandsFor(args: readonly string[]): DefineCommands[] {
  const every = COMMAND_TABLE.map((entry) => entry.define);
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (GLOBAL_WITH_VALUE.has(arg)) {
      i += 1;
      continue;
    }
    if (GLOBAL_FLAGS.has(arg) || [...GLOBAL_WITH_VALUE].some((option) => arg.startsWith(`${option}=`))) continue;
    if (arg.startsWith('-')) return every;
    const entry = COMMAND_TABLE.find((candidate) => candidate.names.includes(arg));
    return entry ? [entry.define] : every;
  }
  return every;
}
