/**
 * A reader that goes away (`airlock keys list | head -1`, `| true`) is not a failure: the command
 * finishes with its own exit code and says nothing about EPIPE. Before, Node's unhandled 'error'
 * on stdout crashed the process with a stack trace and exit code 1, after an import had already
 * been committed.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN } from '../../helpers/cli-runner.js';
import { createStation, type TestStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let station: TestStation;

beforeAll(async () => {
  station = await createStation(await makeTemp('airlock-closed-out-'));
});

describe('stdout closed by its reader (EPIPE)', () => {
  it('keys list piped into a reader that exits at once: exit 0, no crash', () => {
    // `true` exits without reading: by the time Airlock writes (after its start-up) the pipe has no reader.
    const run = spawnSync('bash', ['-c', 'node "$1" --home "$2" keys list | true; echo "exit=${PIPESTATUS[0]}" >&2', 'closed-output', CLI_BIN, station.home], {
      encoding: 'utf8',
    });
    expect(run.stderr).toContain('exit=0');
    expect(run.stderr).not.toMatch(/EPIPE|Unhandled 'error'/u);
  });

  it('an error written to a stderr whose reader has gone: the usage error keeps its exit code (2), no crash', () => {
    // process.stderr is made on first use (electron/cli/index.ts): the closed-reader handler must come with it.
    const script = 'node "$1" --home "$2" keys list --no-such-option 2>&1 >/dev/null | true; echo "exit=${PIPESTATUS[0]}" >&2';
    const run = spawnSync('bash', ['-c', script, 'closed-stderr', CLI_BIN, station.home], { encoding: 'utf8' });
    expect(run.stderr).toContain('exit=2');
    expect(run.stderr).not.toMatch(/EPIPE|Unhandled 'error'/u);
  });
});
