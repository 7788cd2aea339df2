/**
 * docs/cli.md is the reference an operator reads instead of the code: its synopsis, its exit
 * code table and its error and problem code tables must say what the CLI does. Each table is
 * read from the document and compared with shared/ and the commander definitions, both ways, so
 * a code, flag or command added (or renamed) in the code without its row fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliNextStep, cliProblemNextStep, CLI_HINTS } from '../../../electron/cli/next-step.js';
import { ERROR_ACTIONS } from '../../../shared/error-actions.js';
import { ERROR_CODES, type ErrorCode } from '../../../shared/errors.js';
import { EXIT, exitCodeForError } from '../../../shared/exit-codes.js';
import { DE_ERROR_TEXT } from '../../../shared/i18n/de-errors.js';
import { DE_PROBLEM_TEXT } from '../../../shared/i18n/de-problems.js';
import { PROBLEM_CODES, PROBLEM_TEXT, type ProblemCode } from '../../../shared/problems.js';
import { inertIo } from '../../../electron/cli/io.js';
import { allCommands, buildProgram, commandPath } from '../../../electron/cli/main.js';
import { REPO_ROOT } from '../../helpers/cli-runner.js';
import { cliSurface, flagsNamedIn } from '../../helpers/cli-program.js';

const doc = readFileSync(join(REPO_ROOT, 'docs', 'cli.md'), 'utf8');

/** The text of one `## heading` section, up to the next `## `. */
function section(heading: string): string {
  const start = doc.indexOf(`\n## ${heading}\n`);
  expect(start, `docs/cli.md has a "## ${heading}" section`).toBeGreaterThan(0);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** The cells of each body row of the tables in a text whose first cell is a `code`. */
function codeRows(text: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const match = /^\| `([A-Z0-9_]+)` \|(.*)\|$/u.exec(line);
    if (!match) continue;
    const code = match[1] ?? '';
    expect(rows.has(code), `${code} has one row`).toBe(false);
    rows.set(
      code,
      (match[2] ?? '').split(' | ').map((cell) => cell.trim()),
    );
  }
  return rows;
}

const errorRows = codeRows(section('Error codes'));
const problemRows = codeRows(section('Problem codes'));

/** The synopsis block at the top: one usage line per form of each command. */
const synopsis = (() => {
  const start = doc.indexOf('```\nairlock [--home');
  expect(start).toBeGreaterThan(0);
  return doc
    .slice(start + 4, doc.indexOf('```', start + 4))
    .split('\n')
    .filter((line) => line.startsWith('airlock '));
})();

describe('docs/cli.md error codes table', () => {
  it('has one row per error code in shared/errors.ts, and none for a code that does not exist', () => {
    expect([...errorRows.keys()].sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it.each(Object.keys(ERROR_CODES) as ErrorCode[])('%s: exit code, message and the CLI’s next step as the code has them', (code) => {
    const [exit, message, , next] = errorRows.get(code) ?? [];
    expect(Number(exit)).toBe(exitCodeForError(code));
    expect(message).toBe(ERROR_CODES[code].message);
    expect(next?.startsWith(cliNextStep({ code })), `the row's next step starts with "${cliNextStep({ code })}"`).toBe(true);
    for (const hint of CLI_HINTS.filter((h) => h.code === code && h.when !== undefined)) {
      for (const [key, value] of Object.entries(hint.when ?? {})) expect(next).toContain(`\`${key}: ${value}\`: ${hint.next}`);
    }
  });
});

describe('docs/cli.md problem codes table', () => {
  it('has one row per problem code in shared/problems.ts, and none for a code that does not exist', () => {
    expect([...problemRows.keys()].sort()).toEqual([...PROBLEM_CODES].sort());
  });

  it.each([...PROBLEM_CODES])('%s: message and the CLI’s next step as the code has them', (code: ProblemCode) => {
    const [message, , next] = problemRows.get(code) ?? [];
    expect(message).toBe(PROBLEM_TEXT[code].message);
    expect(next).toBe(cliProblemNextStep(code));
  });
});

describe('every code an operator can meet has its next step, in English and German', () => {
  // The CLI prints the message, then "  Next: " and this; the app shows the same pair.
  const sentence = /[.)]$/u;
  it.each(Object.keys(ERROR_CODES) as ErrorCode[])('error %s', (code) => {
    for (const text of [ERROR_ACTIONS[code], cliNextStep({ code }), DE_ERROR_TEXT[code].message, DE_ERROR_TEXT[code].action]) {
      expect(text.trim().length, code).toBeGreaterThan(10);
      expect(text.trim(), code).toMatch(sentence);
    }
  });
  it.each([...PROBLEM_CODES])('problem %s', (code: ProblemCode) => {
    for (const text of [PROBLEM_TEXT[code].action, cliProblemNextStep(code), DE_PROBLEM_TEXT[code].message, DE_PROBLEM_TEXT[code].action]) {
      expect(text.trim().length, code).toBeGreaterThan(10);
      expect(text.trim(), code).toMatch(sentence);
    }
  });
});

describe('docs/cli.md exit codes', () => {
  it('lists every exit code the CLI uses, with the one shared/exit-codes.ts gives', () => {
    const table = section('Output, exit codes, progress, cancelling');
    const exits = [...table.matchAll(/^\| (\d+) \|/gmu)].map((m) => Number(m[1]));
    for (const exit of Object.values(EXIT)) expect(exits).toContain(exit);
    expect(exits.filter((exit) => exit !== 130).sort()).toEqual(Object.values(EXIT).sort());
  });
});

describe('docs/cli.md synopsis', () => {
  const surface = cliSurface();
  const { program } = buildProgram(inertIo());
  const leaves = [...allCommands(program)].filter((command) => command.commands.length === 0);

  it('names only commands and flags the CLI defines', () => {
    for (const line of synopsis) {
      const words = /^airlock(?: \[[^\]]*\])*((?: [a-z][a-z-]*){1,2})/u.exec(line)?.[1]?.trim().split(' ') ?? [];
      const command = surface.commands.has(words.join(' ')) ? words.join(' ') : (words[0] ?? '');
      // The first line shows the global options before any command; `help` is commander's own.
      if (!line.includes('<command>') && line !== 'airlock help [command]') expect(surface.commands.has(command), line).toBe(true);
      for (const flag of flagsNamedIn(line)) expect(surface.flags, `${flag} in "${line}"`).toContain(flag);
    }
  });

  it.each(leaves.map((command) => [commandPath(command), command] as const))('has a line for %s naming each of its options', (path, command) => {
    const lines = synopsis.filter((line) => new RegExp(`^airlock ${path}(?: |$)`, 'u').test(line)).join('\n');
    expect(lines, `a synopsis line for airlock ${path}`).not.toBe('');
    for (const option of command.createHelp().visibleOptions(command)) {
      if (option.long === undefined || option.long === '--help') continue;
      expect(lines, `${option.long} of airlock ${path}`).toContain(option.long);
    }
  });
});
