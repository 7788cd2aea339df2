/**
 * The fault harness by hand (long runs):
 *
 *   npm run fault -- [--trials 50] [--seed 1] [--files 8] [--file-mib 4] [--scenarios a,b] [--keep]
 *
 * `--help` lists the options and scenarios (harness-args.ts). Prints one line per trial and a
 * summary; exits 1 if any trial broke an invariant, 2 on a bad option. A short run of the same
 * scenarios is test/fault/fault-harness.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHarnessArgs } from './harness-args.js';
import { prepareFixture } from './harness.js';
import { coverageText, runScenarios } from './run-scenarios.js';

const parsed = parseHarnessArgs(process.argv.slice(2));
if (parsed.kind === 'help') {
  process.stdout.write(parsed.text);
  process.exit(0);
}
if (parsed.kind === 'error') {
  process.stderr.write(`npm run fault: ${parsed.message}\n`);
  process.exit(2);
}
const options = parsed.options;
const root = await mkdtemp(join(tmpdir(), 'airlock-fault-'));
try {
  const fixture = await prepareFixture(root, { files: options.files, fileBytes: options.fileMiB * 2 ** 20 });
  const summary = await runScenarios(fixture, { scenarios: options.scenarios, trials: options.trials, seed: options.seed, log: (line) => console.log(line) });
  console.log(`\nseed ${options.seed}`);
  for (const [scenario, s] of Object.entries(summary.byScenario))
    console.log(
      `${scenario.padEnd(24)} ${s.trials} trials, ${s.bad} bad${coverageText(s)}; ${Object.entries(s.outcomes)
        .map(([k, v]) => `${v}x ${k}`)
        .join('; ')}`,
    );
  console.log(`total: ${summary.trials} trials, ${summary.bad} bad`);
  process.exitCode = summary.bad > 0 ? 1 : 0;
} finally {
  if (!options.keep) await rm(root, { recursive: true, force: true });
  else console.log(`kept ${root}`);
}
