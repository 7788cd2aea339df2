/**
 * The options of `npm run fault` (run-harness.ts), parsed without throwing: `--help` is a usage
 * text, an unknown option or a bad value one line for the operator (exit 2), not a stack trace.
 */
import { parseArgs } from 'node:util';
import { SCENARIOS, type ScenarioName } from './run-scenarios.js';

export interface HarnessOptions {
  trials: number;
  seed: number;
  files: number;
  fileMiB: number;
  scenarios: ScenarioName[];
  keep: boolean;
}

export type ParsedArgs = { kind: 'run'; options: HarnessOptions } | { kind: 'help'; text: string } | { kind: 'error'; message: string };

export const USAGE = `Usage: npm run fault -- [options]
       node --import tsx test/fault/run-harness.ts [options]

Runs real airlock processes into faults (kill -9 at seeded points of their progress and at
commit points, races, power cuts, full disks; a killed or cut watcher, media export, feed import
and image push), then checks that the file system, the import ledger and the audit chain agree
and that a retry does the right thing.
Prints one line per trial and a summary; exits 1 if any trial broke an invariant.

Options:
  --trials N        trials per scenario (default 20)
  --seed N          seed of the kill points, instants and fill levels (default: from the clock); a
                    failing trial runs again exactly with the same seed, options and scenarios
  --files N         files in the fixture bundle (default 8)
  --file-mib N      MiB per file (default 4)
  --scenarios A,B   comma-separated, default all:
                    ${SCENARIOS.join(',\n                    ')}
  --keep            keep the scratch folder (its path is printed)
  -h, --help        this text

Scenarios that mount (power-cut-*, full-disk-*, kill-media-export) need root and loop devices or tmpfs;
kill-feed-import and power-cut-feed need sigtool (clamav); kill-push needs docker-registry; two-person and power-cut-two-person need gpg
(it counts the bundle's signature packets); full-disk-round2 needs tmpfs, sigtool and gpg (its feed and approve cases).
`;

function positiveInt(name: string, text: string, min: number): number | string {
  const n = Number(text);
  return Number.isInteger(n) && n >= min ? n : `--${name} must be an integer >= ${min}, not '${text}'`;
}

export function parseHarnessArgs(argv: readonly string[], now = Date.now()): ParsedArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        trials: { type: 'string', default: '20' },
        seed: { type: 'string', default: String(now % 100_000) },
        files: { type: 'string', default: '8' },
        'file-mib': { type: 'string', default: '4' },
        scenarios: { type: 'string', default: SCENARIOS.join(',') },
        keep: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    // parseArgs says e.g. "Unknown option '--tirals'" (some versions add a sentence on positionals): the first sentence is the point.
    const first = ((error as Error).message.split(/\.\s/u)[0] ?? '').replace(/\.$/u, '');
    return { kind: 'error', message: `${first}. See npm run fault -- --help.` };
  }
  if (values.help) return { kind: 'help', text: USAGE };
  const scenarios = values.scenarios.split(',').filter(Boolean);
  const unknown = scenarios.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length > 0) return { kind: 'error', message: `unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}` };
  if (scenarios.length === 0) return { kind: 'error', message: '--scenarios names none' };
  const numbers = {
    trials: positiveInt('trials', values.trials, 1),
    seed: positiveInt('seed', values.seed, 0),
    files: positiveInt('files', values.files, 1),
    fileMiB: positiveInt('file-mib', values['file-mib'], 1),
  };
  for (const v of Object.values(numbers)) if (typeof v === 'string') return { kind: 'error', message: v };
  return {
    kind: 'run',
    options: {
      trials: numbers.trials as number,
      seed: numbers.seed as number,
      files: numbers.files as number,
      fileMiB: numbers.fileMiB as number,
      scenarios: scenarios as ScenarioName[],
      keep: values.keep,
    },
  };
}
