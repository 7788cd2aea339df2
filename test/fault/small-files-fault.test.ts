/**
 * The fault harness on a bundle of many small files (issue #18: staged small files are created
 * in batches by a worker thread, import/small-file-queue.ts, and made durable by one syncfs):
 * killed at random instants and cut off by a power cut at random instants, the import is
 * recovered or failed, never partly in place, and the retry does the right thing. 3,000 files,
 * so the worker creates most of them (a batch is 1,024 files).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaTestPrerequisites } from '../helpers/loop-media.js';
import { prepareFixture, type Fixture } from './harness.js';
import { runScenarios, type ScenarioName } from './run-scenarios.js';

let root: string;
let fixture: Fixture;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-fault-small-'));
  fixture = await prepareFixture(root, { files: 3000, fileBytes: 2048 });
}, 600_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(scenario: ScenarioName, trials: number, seed: number): Promise<void> {
  const summary = await runScenarios(fixture, { scenarios: [scenario], trials, seed });
  const bad = summary.results.filter((r) => r.bad.length > 0).map((r) => `#${r.trial} ${r.outcome}: ${r.bad.join('; ')}`);
  console.log(`${scenario} (3,000 small files): ${summary.results.map((r) => r.outcome).join(' | ')}`);
  expect(bad).toEqual([]);
}

describe('fault harness, 3,000 small files', () => {
  it('kill -9 during an import at random instants', async () => {
    await run('kill-import', 3, 18);
  }, 900_000);
});

const missing = mediaTestPrerequisites();
describe.skipIf(missing !== null && !process.env['CI'])(
  `fault harness, 3,000 small files: power-cut snapshots${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    it('a power cut during an import (what was flushed survives): recovered or failed, never partly in place', async () => {
      await run('power-cut-import', 3, 18);
    }, 900_000);
  },
);
