/**
 * The fault harness by hand (long runs):
 *
 *   node --import tsx test/fault/run-harness.ts [--trials 50] [--seed 1] [--files 8] [--file-mib 4]
 *        [--scenarios kill-import,kill-export,crash-points,race-two-folders,race-same-folder,import-with-export]
 *
 * Prints one line per trial and a summary; exits 1 if any trial broke an invariant. A short run of
 * the same scenarios is test/fault/fault-harness.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareFixture } from './harness.js';
import { runScenarios, SCENARIOS, type ScenarioName } from './run-scenarios.js';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '20' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
    files: { type: 'string', default: '8' },
    'file-mib': { type: 'string', default: '4' },
    scenarios: { type: 'string', default: SCENARIOS.join(',') },
    keep: { type: 'boolean', default: false },
  },
});
const scenarios = (values.scenarios ?? '').split(',').filter(Boolean) as ScenarioName[];
for (const s of scenarios) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}; known: ${SCENARIOS.join(', ')}`);
const root = await mkdtemp(join(tmpdir(), 'airlock-fault-'));
try {
  const fixture = await prepareFixture(root, { files: Number(values.files), fileBytes: Number(values['file-mib']) * 2 ** 20 });
  const summary = await runScenarios(fixture, { scenarios, trials: Number(values.trials), seed: Number(values.seed), log: (line) => console.log(line) });
  console.log(`\nseed ${values.seed}`);
  for (const [scenario, s] of Object.entries(summary.byScenario))
    console.log(
      `${scenario.padEnd(24)} ${s.trials} trials, ${s.bad} bad; ${Object.entries(s.outcomes)
        .map(([k, v]) => `${v}x ${k}`)
        .join('; ')}`,
    );
  console.log(`total: ${summary.trials} trials, ${summary.bad} bad`);
  process.exitCode = summary.bad > 0 ? 1 : 0;
} finally {
  if (!values.keep) await rm(root, { recursive: true, force: true });
  else console.log(`kept ${root}`);
}
