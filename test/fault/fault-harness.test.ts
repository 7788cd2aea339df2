/**
 * Issue #12 items 4 and 5, the short run of the fault harness (the long run is
 * `node --import tsx test/fault/run-harness.ts --trials 50`): real CLI children killed at random
 * instants and at the instants between the act and its record, concurrent imports of one bundle,
 * and an import beside an export on one home. After each: the file system, the import ledger and
 * the audit chain agree, `audit verify` passes, a retry does the right thing, and no bundle is
 * ever recorded as imported twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaTestPrerequisites } from '../helpers/loop-media.js';
import { canMountTmpfs } from '../helpers/tmpfs.js';
import { prepareFixture, type Fixture } from './harness.js';
import { coverageText, runScenarios, type ScenarioName } from './run-scenarios.js';

let root: string;
let fixture: Fixture;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-fault-ci-'));
  fixture = await prepareFixture(root, { files: 6, fileBytes: 2 * 2 ** 20 });
}, 180_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(scenario: ScenarioName, trials: number) {
  const summary = await runScenarios(fixture, { scenarios: [scenario], trials, seed: 12 });
  const bad = summary.results.filter((r) => r.bad.length > 0).map((r) => `#${r.trial} ${r.outcome}: ${r.bad.join('; ')}`);
  console.log(`${scenario}: ${summary.results.map((r) => r.outcome).join(' | ')}`);
  expect(bad).toEqual([]);
  return summary;
}

/** Kills at the child's own progress (progress-kill.ts) land inside the work, re-drawn if the work finished first. */
function expectCovered(summary: Awaited<ReturnType<typeof run>>): void {
  expect(summary.results.filter((r) => r.covered !== true).map((r) => `#${r.trial} ${r.outcome} (${r.draws ?? 1} draws)`)).toEqual([]);
}

describe('fault harness (short run)', () => {
  it('kill -9 just before and just after the import commit rename and the export publish, and while a staging folder has no owner file: recovered or failed, truthfully', async () => {
    const summary = await run('crash-points', 6);
    // Killed just before the rename, the import leaves its empty placeholder at DIR/NAME (never a
    // partial folder); recovery at the next start proves it the dead import's and removes it.
    // Killed right after the staging folder's mkdtemp (before any claim) or right before its
    // rmdir (after the record), the folder has no owner file: its name proves it dead, and the
    // retry removes it (run() fails on a staging folder left).
    expect(summary.results.map((r) => r.outcome.replace(/@[^:]*:/u, ':'))).toEqual([
      'killed: absent (recovered), retry ok',
      'killed: complete (recovered), retry REPLAY',
      'killed: absent (recovered), retry ok',
      'killed: published (recovered), retry OUTPUT_EXISTS',
      'killed: absent, retry ok',
      'killed: complete, retry REPLAY',
    ]);
  }, 600_000);

  it('kill -9 during an import at seeded points of its progress', async () => {
    expectCovered(await run('kill-import', 2));
  }, 600_000);

  it('kill -9 during an export at seeded points of its progress', async () => {
    expectCovered(await run('kill-export', 2));
  }, 600_000);

  it('two imports of one bundle at once into two folders: exactly one imports, the other gets REPLAY', async () => {
    await run('race-two-folders', 2);
  }, 600_000);

  it('two imports of one bundle at once into one folder: one imports, the other gets REPLAY or OUTPUT_EXISTS', async () => {
    await run('race-same-folder', 2);
  }, 600_000);

  it('an import and an export on one home at once: both succeed, one valid chain', async () => {
    await run('import-with-export', 1);
  }, 600_000);

  it('two exports under one name into one folder at once: one publishes, the other says OUTPUT_EXISTS', async () => {
    await run('race-export-same-name', 2);
  }, 600_000);

  it('kill -9 of airlock watch at a random instant, then a restart: every bundle imported once or quarantined, none lost', async () => {
    await run('kill-watch', 1);
  }, 600_000);

  it('many commands at once on one home (imports, exports, verify, keys, audit views, a watcher, a quarantine release), a seeded few killed: records, files and log agree', async () => {
    await run('race-home', 1);
  }, 600_000);
});

describe.skipIf(!canMountTmpfs && !process.env['CI'])(`fault harness: full disks${canMountTmpfs ? '' : ' (skipped: cannot mount a tmpfs here)'}`, () => {
  it('the destination, the station home or the output folder full at a random level: ok or NO_SPACE, nothing left, a retry with space succeeds', async () => {
    for (const scenario of ['full-disk-import-dest', 'full-disk-import-home', 'full-disk-export-out'] as const) {
      const summary = await run(scenario, 1);
      // Not kills (nothing to cover): the summary line says whether the run met the full disk instead of "covered 0/1".
      expect(summary.results.map((r) => ({ covered: r.covered, met: typeof r.metFullDisk }))).toEqual([{ covered: undefined, met: 'boolean' }]);
      expect(coverageText(summary.byScenario[scenario]!)).toMatch(/^, met the full disk [01]\/1$/u);
    }
  }, 600_000);
});

// Loop devices need root; in CI they must be there (as for the media suites).
const missing = mediaTestPrerequisites();
describe.skipIf(missing !== null && !process.env['CI'])(`fault harness: power-cut snapshots${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('a power cut during an import (what was fsynced survives): recovered or failed, the retry does the right thing', async () => {
    await run('power-cut-import', 2);
  }, 600_000);

  it('a power cut during an export', async () => {
    await run('power-cut-export', 2);
  }, 600_000);

  it('a power cut during a state command (keys, checkpoint, quarantine release or audit forward, drawn by the seed): files and log agree, no forward gap, nothing left', async () => {
    await run('power-cut-state', 1);
  }, 600_000);

  it('kill -9 of an export to a medium (one pass to ext4): the retry succeeds and leaves no temp file on the medium', async () => {
    expectCovered(await run('kill-media-export', 1));
  }, 600_000);
});
