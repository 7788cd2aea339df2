/**
 * What a command that failed may tell the operator: the exit code and error code docs/cli.md
 * documents (its "Error codes" table: code and exit; its "Problem codes" table for exit 1), never
 * a raw errno or SQLite code. Read from the doc itself, so a code the doc lacks is found too.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { json, REPO, type Run } from './harness.js';

export interface DocCodes {
  /** Error code -> its exit code. */
  errors: Map<string, number>;
  problems: Set<string>;
}

let cached: Promise<DocCodes> | null = null;

/** The two tables of docs/cli.md, from their headings to the next heading. */
export function parseDocCodes(text: string): DocCodes {
  const section = (heading: string): string => {
    const at = text.indexOf(`\n## ${heading}\n`);
    if (at < 0) throw new Error(`docs/cli.md has no "## ${heading}"`);
    const end = text.indexOf('\n## ', at + 1);
    return text.slice(at, end < 0 ? undefined : end);
  };
  const errors = new Map<string, number>();
  for (const m of section('Error codes').matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| (\d) \|/gmu)) errors.set(m[1] as string, Number(m[2]));
  const problems = new Set<string>();
  for (const m of section('Problem codes').matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gmu)) problems.add(m[1] as string);
  return { errors, problems };
}

export function docCodes(): Promise<DocCodes> {
  cached ??= readFile(join(REPO, 'docs', 'cli.md'), 'utf8').then(parseDocCodes);
  return cached;
}

/** System error names that mean an unmapped error reached the operator. */
const RAW = /\bSQLITE_[A-Z_]+\b|\bE(?:EXIST|BUSY|NOTEMPTY|NOENT|ACCES|PERM|XDEV|AGAIN|NOTDIR|ISDIR|NOSPC|IO)\b|SqliteError|at [\w.<>]+ \(.*:\d+:\d+\)/u;

/**
 * Why a finished run's verdict breaks the contract, or null. `dataOnStdout`: stdout is the
 * command's data (`audit export`), not a report, so only stderr is read for raw text.
 */
export function operatorFacingFault(run: Run, codes: DocCodes, dataOnStdout = false): string | null {
  const shown = dataOnStdout ? run.stderr : run.stdout + run.stderr;
  const raw = RAW.exec(shown);
  if (raw) return `raw '${raw[0]}' shown to the operator: ${shown.slice(Math.max(0, raw.index - 150), raw.index + 150)}`;
  if (run.code === 0) return null;
  if (run.code === 1) {
    const problems = json<{ problems?: Array<{ code: string }> }>(run)?.problems;
    if (dataOnStdout) return null;
    const unknown = (problems ?? []).map((p) => p.code).filter((c) => !codes.problems.has(c) && !codes.errors.has(c));
    if (unknown.length > 0) return `exit 1 with code(s) docs/cli.md does not list: ${unknown.join(', ')}`;
    return null;
  }
  if (run.code === 2 || run.code === 3) {
    const code = json<{ error?: { code: string } }>(run)?.error?.code ?? /^airlock: ([A-Z][A-Z0-9_]+):/mu.exec(run.stderr)?.[1];
    if (code === undefined) return `exit ${run.code} without an error code: ${run.stderr.slice(0, 200)}`;
    const documented = codes.errors.get(code);
    if (documented === undefined) return `exit ${run.code} with ${code}, which docs/cli.md does not list`;
    if (documented !== run.code) return `${code} with exit ${run.code}; docs/cli.md says ${documented}`;
    return null;
  }
  return `exit ${run.code ?? run.signal}, not an exit code of docs/cli.md`;
}
