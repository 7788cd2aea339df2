/**
 * Runs the shell transcripts of a Markdown document as a reader would paste them, and reduces
 * what they print to its shape, so a test can hold the docs to what the tool really does.
 *
 * Two conventions, both read from fenced code blocks:
 * - a ```sh block is commands to paste as they are; a ```text block right after it (nothing but
 *   blank lines between) is what they print (the README's walkthrough);
 * - a ``` block whose lines start with `$ ` is a transcript: each `$ ` line is a command, the
 *   lines after it until the next `$ ` line are what it prints (the operator guide).
 *
 * All steps of one document run in one bash, in order, so variables set by one step (`D`,
 * `FPR`) are there for the next, exactly as in the reader's terminal.
 */
import { spawn } from 'node:child_process';
import { userInfo } from 'node:os';

export interface DocStep {
  /** 1-based line of the step's first command in the document, for failure messages. */
  line: number;
  /** Shell text to run. */
  commands: string;
  /** What the document says it prints, or null where it shows nothing. */
  expected: string | null;
}

interface Fence {
  info: string;
  body: string[];
  /** 1-based line of the first body line. */
  line: number;
  /** Index into the document's lines of the opening fence and of the closing fence. */
  open: number;
  close: number;
}

function fences(lines: readonly string[]): Fence[] {
  const found: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const opening = /^(\s*)```(\S*)\s*$/.exec(lines[i] ?? '');
    if (!opening) continue;
    const indent = opening[1] ?? '';
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j] ?? ''); j++) body.push((lines[j] ?? '').slice(indent.length));
    found.push({ info: opening[2] ?? '', body, line: i + 2, open: i, close: j });
    i = j;
  }
  return found;
}

/** The lines of `markdown` from the heading `heading` (exact line) to the next heading of any level. */
export function markdownSection(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`No heading "${heading}" in the document.`);
  const insideFence = new Set<number>();
  for (const fence of fences(lines)) for (let k = fence.open; k <= fence.close; k++) insideFence.add(k);
  let end = lines.length;
  for (let k = start + 1; k < lines.length; k++) {
    if (/^#+\s/.test(lines[k] ?? '') && !insideFence.has(k)) {
      end = k;
      break;
    }
  }
  // Keep the line numbers of the whole document: blank out what lies before the section.
  return [...lines.slice(0, start).map(() => ''), ...lines.slice(start, end)].join('\n');
}

/** The steps of a section, in order (see the conventions above). */
export function docSteps(markdown: string): DocStep[] {
  const lines = markdown.split('\n');
  const all = fences(lines);
  const steps: DocStep[] = [];
  for (let f = 0; f < all.length; f++) {
    const fence = all[f] as Fence;
    if (fence.info === 'sh') {
      const next = all[f + 1];
      const adjacent = next !== undefined && next.info === 'text' && lines.slice(fence.close + 1, next.open).every((l) => l.trim() === '');
      steps.push({ line: fence.line, commands: fence.body.join('\n'), expected: adjacent ? next.body.join('\n') : null });
      if (adjacent) f++;
    } else if (fence.info === '' && fence.body.some((l) => l.startsWith('$ '))) {
      let current: DocStep | null = null;
      const output: string[] = [];
      const flush = (): void => {
        if (current) steps.push({ ...current, expected: output.join('\n') });
        output.length = 0;
      };
      fence.body.forEach((text, k) => {
        if (text.startsWith('$ ')) {
          flush();
          current = { line: fence.line + k, commands: text.slice(2), expected: null };
        } else if (current) output.push(text);
      });
      flush();
    }
  }
  return steps;
}

export interface StepRun {
  step: DocStep;
  /** stdout and stderr as a terminal shows them, interleaved. */
  output: string;
}

const MARKER = '@@airlock-doc-step@@';

/** Runs every step in one `bash` (stdout and stderr together, stdin empty) and returns each step's output. */
export async function runDocSteps(steps: readonly DocStep[], options: { cwd: string; env: NodeJS.ProcessEnv; prelude?: string }): Promise<StepRun[]> {
  const script = ['exec 2>&1', options.prelude ?? '', ...steps.flatMap((s) => [`printf '\\n%s\\n' '${MARKER}'`, s.commands])].join('\n');
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-c', script], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
  const parts = output.split(`\n${MARKER}\n`);
  if (parts.length !== steps.length + 1)
    throw new Error(`The transcript did not run to its end (${parts.length - 1} of ${steps.length} steps started):\n${output}`);
  return steps.map((step, k) => ({ step, output: parts[k + 1] ?? '' }));
}

/**
 * What a transcript's output looks like with the run-specific values made generic: fingerprints
 * and bundle ids become numbered placeholders (the same key or bundle keeps its number through
 * the document, so a transcript that mixes up two keys still fails), dates and hashes become
 * fixed ones, the demo folder and the OS account read as in the docs. Trailing spaces and
 * trailing blank lines do not count.
 */
export class ShapeNormalizer {
  private readonly fingerprints = new Map<string, number>();
  private readonly uuids = new Map<string, number>();

  constructor(private readonly replacements: ReadonlyArray<readonly [string, string]> = []) {}

  shape(text: string): string {
    let out = text;
    for (const [from, to] of this.replacements) out = out.split(from).join(to);
    out = out
      .replace(/\b(?:[0-9A-F]{4} ){9}[0-9A-F]{4}\b|\b[0-9A-F]{40}\b/g, (fpr) => `<FPR${this.number(this.fingerprints, fpr.replace(/ /g, ''))}>`)
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, (id) => `<UUID${this.number(this.uuids, id)}>`)
      .replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/g, '<TIME>')
      .replace(/\b\d{4}-\d{2}-\d{2}\b/g, '<DATE>')
      .replace(/\b[0-9a-f]{64}\b/g, '<SHA256>');
    const lines = out.split('\n').map((l) => l.trimEnd());
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    while (lines.length > 0 && lines[0] === '') lines.shift();
    return lines.join('\n');
  }

  private number(seen: Map<string, number>, value: string): number {
    const known = seen.get(value);
    if (known !== undefined) return known;
    seen.set(value, seen.size + 1);
    return seen.size;
  }
}

/** Every fingerprint in `text`, grouped or not, in order, as 40 hex digits. */
export function fingerprintsIn(text: string): string[] {
  return [...text.matchAll(/\b(?:[0-9A-F]{4} ){9}[0-9A-F]{4}\b|\b[0-9A-F]{40}\b/g)].map((m) => m[0].replace(/ /g, ''));
}

/** `text` with each fingerprint that `map` knows (40 hex digits to 40 hex digits) replaced, in the form it was written. */
export function replaceFingerprints(text: string, map: ReadonlyMap<string, string>): string {
  return text.replace(/\b(?:[0-9A-F]{4} ){9}[0-9A-F]{4}\b|\b[0-9A-F]{40}\b/g, (found) => {
    const to = map.get(found.replace(/ /g, ''));
    if (to === undefined) return found;
    return found.includes(' ') ? (to.match(/.{4}/g) ?? []).join(' ') : to;
  });
}

/** Runs one command in bash (stdout and stderr together, stdin empty) and returns what it printed. */
export async function runCommand(command: string, options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-c', `exec 2>&1\n${command}`], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Replacements that make a run in `demoDir` as user `user` read like the docs' run in /tmp/airlock-demo as root. */
export function docRunReplacements(demoDir: string, docDemoDir = '/tmp/airlock-demo'): Array<[string, string]> {
  const pairs: Array<[string, string]> = [[demoDir, docDemoDir]];
  const user = userInfo().username;
  if (user !== 'root') pairs.push([`(${user})`, '(root)'], [`  ${user}  `, '  root  ']);
  return pairs;
}

/**
 * `actual` (a shape) against `expected` (a shape) where a line of only `...` in `expected` stands
 * for any number of lines the document leaves out. Returns what to compare `actual` with: `actual`
 * itself when it fits, `expected` otherwise (so the failure shows both).
 */
export function withElisions(actual: string, expected: string): string {
  const parts = expected.split('\n').reduce<string[][]>(
    (acc, line) => {
      if (line === '...') acc.push([]);
      else acc[acc.length - 1]?.push(line);
      return acc;
    },
    [[]],
  );
  if (parts.length === 1) return expected;
  const lines = actual.split('\n');
  const first = parts[0] ?? [];
  const last = parts[parts.length - 1] ?? [];
  if (lines.length < first.length + last.length) return expected;
  if (first.some((l, k) => lines[k] !== l) || last.some((l, k) => lines[lines.length - last.length + k] !== l)) return expected;
  let at = first.length;
  const end = lines.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    let found = -1;
    for (let k = at; k + middle.length <= end && found < 0; k++) if (middle.every((l, j) => lines[k + j] === l)) found = k;
    if (found < 0) return expected;
    at = found + middle.length;
  }
  return actual;
}
