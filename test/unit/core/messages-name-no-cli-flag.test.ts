/**
 * Core and shared messages are read in the desktop app too, where `--home DIR` or
 * `airlock export --list-staged` means nothing: they name no CLI flag and no CLI command. The
 * CLI adds its own hints (electron/cli/next-step.ts). The source is scanned, not a list of
 * known messages, so a new message that names a flag fails here; the flags come from the
 * commander definitions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ERROR_ACTIONS } from '../../../shared/error-actions.js';
import { ERROR_CODES } from '../../../shared/errors.js';
import { PROBLEM_TEXT } from '../../../shared/problems.js';
import { cliSurface, commandsNamedIn, flagsNamedIn } from '../../helpers/cli-program.js';

const ROOT = join(import.meta.dirname, '../../..');
const { flags } = cliSurface();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

interface Literal {
  where: string;
  text: string;
  /** Inside the arguments of `new AirlockError(...)`. */
  inError: boolean;
}

/** Every string and template literal of a file (comments are not literals), with where it is. */
function literalsOf(path: string): Literal[] {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Literal[] = [];
  const visit = (node: ts.Node, inError: boolean): void => {
    const isError = ts.isNewExpression(node) && node.expression.getText(file) === 'AirlockError';
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
      found.push({ where: `${relative(ROOT, path)}:${line}`, text: node.text, inError });
    }
    ts.forEachChild(node, (child) => visit(child, inError || isError));
  };
  visit(file, false);
  return found;
}

const literals = [join(ROOT, 'electron/core'), join(ROOT, 'shared')].flatMap(sourceFiles).flatMap(literalsOf);

/** A literal that is one option and nothing else is an argument handed to a tool (lsblk --json), not a message. */
const isToolArgument = (text: string): boolean => /^--[\w-]+$/u.test(text);

describe('core and shared messages name no CLI flag', () => {
  it('the scan sees the sources (and would see a flag)', () => {
    expect(literals.length).toBeGreaterThan(1000);
    expect(literals.some((l) => l.where.startsWith('shared/errors.ts'))).toBe(true);
    expect(flagsNamedIn('Choose a folder with --home DIR.').filter((f) => flags.has(f))).toEqual(['--home']);
  });

  it('no string literal in electron/core or shared names a flag of the airlock CLI', () => {
    const offending = literals
      .filter((l) => !isToolArgument(l.text))
      .flatMap((l) =>
        flagsNamedIn(l.text)
          .filter((f) => flags.has(f))
          .map((f) => `${l.where}: ${f} in ${JSON.stringify(l.text)}`),
      );
    expect(offending).toEqual([]);
  });

  it('no error thrown from core names an airlock command', () => {
    const offending = literals.filter((l) => l.inError && commandsNamedIn(l.text).length > 0).map((l) => `${l.where}: ${JSON.stringify(l.text)}`);
    expect(offending).toEqual([]);
  });

  it('the message and action tables name neither flags nor commands', () => {
    const texts = [
      ...Object.values(ERROR_CODES).map((e) => e.message),
      ...Object.values(ERROR_ACTIONS),
      ...Object.values(PROBLEM_TEXT).flatMap((p) => [p.message, p.action]),
    ];
    for (const text of texts) {
      expect(flagsNamedIn(text), text).toEqual([]);
      expect(commandsNamedIn(text), text).toEqual([]);
    }
  });
});
