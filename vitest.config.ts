import { defineConfig } from 'vitest/config';

/**
 * Files that must have the machine to themselves (docs/design-notes.md, "Test suite wall time"):
 * - e2e (a group of its own, last, with the renderer built once for all of its files): Chromium
 *   with step timeouts, the heaviest CPU user of the suite;
 * - fault: the harness's runs (files named *fault*): kill -9 at random instants, SIGSTOP of whole
 *   process groups, power cuts on loop devices. The harness's own unit tests (its options, the
 *   progress parser, the race verdicts) start no child and run with everything else;
 * - memory: the 2 GiB bundle's peak RSS (memory.test.ts), 4 GiB written and read;
 * - loop devices: the media suites attach, mount and detach loop devices (ext4, FAT32 through
 *   fusefat) and read lsblk; another file's devices must not show up there meanwhile.
 * Everything else runs two files at a time, one per core of CI's two: a file alone keeps about
 * one core busy (its CLI, gpg and tar children included) and waits on disk and daemons. That
 * includes memory-many-files.test.ts (200,000 files): alone it left a core idle for its ~65 s
 * (56 CPU-s), and its peaks stay far under the bound with the machine loaded (docs/design-notes.md,
 * "Test suite wall time, round 2").
 */
const E2E = ['test/e2e/**/*.test.ts'];
const SERIAL = [
  'test/fault/**/*fault*.test.ts',
  'test/integration/cli/memory.test.ts',
  'test/integration/media/**/*.test.ts',
  'test/integration/channels/channel-media-failed.test.ts',
];

const EXCLUDE = ['**/node_modules/**', 'out/**', 'dist/**'];

export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'parallel',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: [...EXCLUDE, ...SERIAL, ...E2E],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'serial',
          include: SERIAL,
          exclude: EXCLUDE,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: E2E,
          exclude: EXCLUDE,
          globalSetup: ['test/e2e/harness/renderer-build.global.ts'],
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
