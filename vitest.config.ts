import { defineConfig } from 'vitest/config';
import SpreadSequencer, { ALONE_PROJECT } from './test/helpers/spread-sequencer.js';

/**
 * Three groups (docs/design-notes.md, "Test suite wall time" and its round 2):
 * - e2e (a group of its own, last, one file at a time, with the renderer built once for all of
 *   its files): Chromium with step timeouts, the heaviest CPU user of the suite;
 * - `alone`: files that must not run at the same time as each other, though they may beside any
 *   other file. They take turns through one lock (test/helpers/one-at-a-time.setup.ts) and run in
 *   the parallel group's two workers, spread through its files (test/helpers/spread-sequencer.ts):
 *   - the fault harness's runs (files named *fault*): kill -9 at random instants, SIGSTOP of their
 *     own process groups, power cuts of loop devices. The harness's unit tests (its options, the
 *     progress parser, the race verdicts) start no child and are parallel files;
 *   - loop devices: the media suites attach, mount and detach loop devices (ext4, FAT32 through
 *     fusefat) and read lsblk; another file's devices must not show up there meanwhile. No
 *     parallel file attaches a block device (their tmpfs mounts are not block devices);
 *   - the 2 GiB peak-RSS test (memory.test.ts): 4 GiB written and read, beside the harness's or the
 *     media suites' own disk work it ran past its 300 s bound on a loaded machine.
 * - parallel: everything else, two files at a time, one per core of CI's two: a file alone keeps
 *   about one core busy (its CLI, gpg and tar children included) and waits on disk and daemons.
 *   That includes the 200,000-file peak-RSS bound (memory-many-files.test.ts): alone it left a
 *   core idle (56 CPU-s over ~65 s), and GNU time measures each CLI child's own peak, far under
 *   the bound on a loaded machine.
 */
const E2E = ['test/e2e/**/*.test.ts'];
const ALONE = [
  'test/fault/**/*fault*.test.ts',
  'test/integration/media/**/*.test.ts',
  'test/integration/channels/channel-media-failed.test.ts',
  'test/integration/cli/memory.test.ts',
];

const EXCLUDE = ['**/node_modules/**', 'out/**', 'dist/**'];
/** The worker threads tests start from source, built once per run (the first project's setup builds, the others reuse it). */
const BUILT_WORKERS = 'test/helpers/built-workers.global.ts';

export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    sequence: { sequencer: SpreadSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: 'parallel',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: [...EXCLUDE, ...ALONE, ...E2E],
          globalSetup: [BUILT_WORKERS],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: ALONE_PROJECT,
          include: ALONE,
          exclude: EXCLUDE,
          globalSetup: [BUILT_WORKERS],
          setupFiles: ['test/helpers/one-at-a-time.setup.ts'],
          // The parallel group's workers (a group's projects must have the same count).
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: E2E,
          exclude: EXCLUDE,
          globalSetup: [BUILT_WORKERS, 'test/e2e/harness/renderer-build.global.ts'],
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
