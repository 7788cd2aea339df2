/**
 * Hazard: a release killed right after its commit left its staging folder in the approved folder
 * for good. The next `quarantine` command settles the release as done (the entry released, the
 * release recorded as recovered), but the dead import's `.airlock-staging-*` folder was swept only
 * by the next import into that folder, which a released entry never makes (found by the fault
 * harness's kill-quarantine-release, seed 1 trial 1). The settle now sweeps that folder's dead
 * staging too. The kill is crash-child.ts's `import-after-rename` (the release's import killed
 * right after its commit rename).
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeResult, parseJson, REPO_ROOT } from '../../helpers/cli-runner.js';
import { createStation } from '../../helpers/station.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
const CRASH_CHILD = join(REPO_ROOT, 'test', 'fault', 'crash-child.ts');

function crashed(args: string[]): Promise<{ signal: NodeJS.Signals | null; out: string }> {
  const env = { ...process.env };
  for (const name of ['AIRLOCK_HOME', 'NODE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CRASH_CHILD, 'import-after-rename', ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ signal, out }));
  });
}

describe('quarantine release killed after its commit', () => {
  it('the next quarantine command settles it as released and leaves no staging folder in the approved folder', async () => {
    const station = await createStation(await tempDir('release-kill-'));
    await writeFile(join(station.home, 'policy.json'), JSON.stringify({ inspect: { types: { denyExtensions: ['exe'] } } }));
    const src = join(await tempDir('src-'), 'tool');
    await mkdir(src);
    await writeFile(join(src, 'setup.exe'), 'MZ pretend installer\n');
    const out = await tempDir('out-');
    await station.exportBundle(out, 'tool', [src]);
    const refused = await station.run(['import', join(out, 'tool.airlock.tar'), '--dest', await tempDir('refused-'), '--json']);
    const id = parseJson<{ quarantine?: { id: string } }>(refused).quarantine?.id as string;
    expect(id, describeResult(refused)).toBeTruthy();
    const dest = await tempDir('dest-');
    const killed = await crashed(['--home', station.home, 'quarantine', 'release', id, '--dest', dest, '--reason', 'kill test', '--yes']);
    expect(killed.signal, killed.out).toBe('SIGKILL');
    const listed = await station.run(['quarantine', 'list', '--json']);
    expect(parseJson<{ entries: Array<{ id: string; status: string }> }>(listed).entries.find((e) => e.id === id)?.status).toBe('released');
    expect((await readdir(dest)).sort()).toEqual(['tool']);
    const events = parseJson<{ events: Array<{ details: Record<string, unknown> }> }>(
      await station.run(['audit', 'list', '--type', 'quarantine-release', '--outcome', 'ok', '--json']),
    ).events;
    expect(events.map((e) => e.details.recovered)).toEqual([true]);
  }, 120_000);
});
