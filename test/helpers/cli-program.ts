/**
 * What the CLI's commander definitions accept, derived from the program itself (never a copied
 * list): every long option of every command (help and version included), and every command path.
 */
import { inertIo } from '../../electron/cli/io.js';
import { allCommands, buildProgram, commandPath } from '../../electron/cli/main.js';

export interface CliSurface {
  /** "--home", "--passphrase-file", "--help", ... */
  flags: ReadonlySet<string>;
  /** "verify", "keys trust", "media list", ... */
  commands: ReadonlySet<string>;
}

export function cliSurface(): CliSurface {
  const { program } = buildProgram(inertIo());
  const flags = new Set<string>();
  const commands = new Set<string>();
  for (const command of [program, ...allCommands(program)]) {
    if (command !== program) commands.add(commandPath(command));
    for (const option of command.createHelp().visibleOptions(command)) if (option.long) flags.add(option.long);
  }
  return { flags, commands };
}

/** `--x` tokens in a text, leaving out the options of other programs it quotes (gpg ..., ls -ld). */
export function flagsNamedIn(text: string): string[] {
  const own = text.replace(/\b(?:gpg|ls|udisksctl|blockdev|sync|tar)((?: +-{1,2}[\w-]+(?:[= ][^\s,;)`]+)?)+)/gu, '');
  return [...own.matchAll(/(?<![\w-])--[a-z][a-z0-9-]*/gu)].map((m) => m[0]);
}

/** The command a text runs as `airlock WORD [WORD]` (e.g. "keys trust"), one per mention. */
export function commandsNamedIn(text: string): string[] {
  return [...text.matchAll(/\bairlock((?: [a-z][a-z-]*){1,2})/gu)].map((m) => (m[1] ?? '').trim());
}
