/**
 * runCli defines only the command a run names (command-table.ts). The table must name what each
 * function defines, the narrowing must fall back to every command whenever it cannot be sure, and
 * a run must say exactly what it says with every command defined: help, errors and output.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_TABLE, commandsFor } from '../../../electron/cli/command-table.js';
import { createContext } from '../../../electron/cli/context.js';
import { inertIo } from '../../../electron/cli/io.js';
import { allCommands, buildProgram, commandPath } from '../../../electron/cli/main.js';
import { runAirlock } from '../../helpers/cli-runner.js';

const every = COMMAND_TABLE.map((entry) => entry.define);
const defineOf = (name: string) => COMMAND_TABLE.find((entry) => entry.names.includes(name))?.define;

describe('the command table', () => {
  it('names the top-level commands each function defines, in the order of the whole program', () => {
    for (const { names, define } of COMMAND_TABLE) {
      const program = new Command();
      define(
        program,
        createContext(
          inertIo(),
          () => ({}),
          () => false,
        ),
      );
      expect(program.commands.map((command) => command.name())).toEqual(names);
    }
    const { program } = buildProgram(inertIo());
    expect(program.commands.map((command) => command.name())).toEqual(COMMAND_TABLE.flatMap((entry) => entry.names));
  });

  it('narrows to the named command only when the arguments leave no doubt', () => {
    expect(commandsFor(['--home', 'H', 'keys', 'list', '--json'])).toEqual([defineOf('keys')]);
    expect(commandsFor(['keys'])).toEqual([defineOf('keys')]);
    expect(commandsFor(['--json', '-q', '--operator=ann', '--home=H', 'verify', 'b.tar'])).toEqual([defineOf('verify')]);
    expect(commandsFor(['--no-progress', 'heartbeat', '--channel', 'c'])).toEqual([defineOf('channels')]);
    for (const args of [
      [],
      ['--help'],
      ['-h', 'keys'],
      ['--version'],
      ['help', 'keys'],
      ['--home', 'keys', 'list'],
      ['-qv', 'keys', 'list'],
      ['--jsn', 'keys', 'list'],
      ['--', 'keys'],
      ['kyes', 'list'],
      ['--home'],
    ])
      expect(commandsFor(args), args.join(' ')).toEqual(every);
  });
});

describe('a run with only its command defined', () => {
  let home = '';
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'airlock-command-table-'));
  });
  afterAll(async () => {
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('says what it says with every command defined: every help, usage errors, a command’s output', async () => {
    const { program } = buildProgram(inertIo());
    const runs: string[][] = [...allCommands(program)].map((command) => [...commandPath(command).split(' '), '--help']);
    runs.push(
      ['keys'],
      ['keys', 'lst'],
      ['keys', 'trust'],
      ['keys', 'list', '--jsn'],
      ['--json', 'keys', 'list', '--jsn'],
      ['verify'],
      ['audit', 'export', '--format', 'xml'],
      ['--home', home, 'keys', 'list', '--json'],
      ['--home', home, '--quiet', 'keys', 'list'],
    );
    for (const args of runs) {
      const narrowed = await runAirlock(args);
      const whole = await runAirlock(args, { defineAll: true });
      expect(narrowed, args.join(' ')).toEqual(whole);
    }
    expect(runs.length).toBeGreaterThan(40);
  }, 120_000);
});
