/**
 * Hazard: a settings save cut between its writes, or between its last write and its audit event
 * (kill -9 right after a durable write's rename is what a power cut after that write leaves). The
 * app's Settings write config.json, then policy.json, then record `settings-change`. Before the
 * journal (home/home-change-journal.ts) a cut after config.json left the station renamed with the
 * policy unchanged and no event; a cut after policy.json left both changed, no event (faults8's
 * "left"). Now the next open puts both files back unless the save's event is recorded, and keeps
 * the save when it is.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SettingsPatch } from '../../../shared/settings.js';
import { Station } from '../../../electron/core/index.js';
import { homePaths } from '../../../electron/core/home/station-home.js';
import { REPO_ROOT } from '../../helpers/cli-runner.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
const CRASH_CHILD = join(REPO_ROOT, 'test', 'fault', 'crash-child.ts');
const BEFORE: SettingsPatch = { config: { operatorName: 'Ann', stationName: 'rx-1' }, policy: { clockSkewSeconds: 30 } };
const SAVE: SettingsPatch = { config: { operatorName: 'Dana', stationName: 'rx-9' }, policy: { clockSkewSeconds: 90, maxEntries: 500 } };

function killedAt(point: string, home: string, patch: SettingsPatch): Promise<{ signal: NodeJS.Signals | null; out: string }> {
  const env = { ...process.env };
  for (const name of ['AIRLOCK_HOME', 'NODE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CRASH_CHILD, point, '--home', home, 'settings-save', JSON.stringify(patch)], {
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

/** A home with both files set and one save recorded. */
async function homeWithSettings(): Promise<{ home: string; files: { config: string; policy: string } }> {
  const home = await tempDir('settings-cut-');
  const station = await Station.open({ home });
  await station.updateSettings(BEFORE);
  station.close();
  const paths = homePaths(home);
  return { home, files: { config: await readFile(paths.config, 'utf8'), policy: await readFile(paths.policy, 'utf8') } };
}

/** Opened again (the settle runs here): both files, the saves recorded, whether a journal is left. */
async function afterOpen(home: string): Promise<{ config: string; policy: string; saves: number; journal: boolean }> {
  const station = await Station.open({ home });
  try {
    const paths = homePaths(home);
    return {
      config: await readFile(paths.config, 'utf8'),
      policy: await readFile(paths.policy, 'utf8'),
      saves: station.listAudit({ type: 'settings-change', outcome: 'ok' }).length,
      journal: existsSync(join(home, 'settings-change.json')),
    };
  } finally {
    station.close();
  }
}

describe('a settings save cut between its writes', () => {
  it('killed after writing config.json, before policy.json: the next open finds both as before and no event', async () => {
    const { home, files } = await homeWithSettings();
    const killed = await killedAt('after-rename-of-config.json', home, SAVE);
    expect(killed.signal, killed.out).toBe('SIGKILL');
    expect(await afterOpen(home)).toEqual({ ...files, saves: 1, journal: false });
    // The station's identity is the one on record, and the save can be made again.
    const station = await Station.open({ home });
    try {
      expect((await station.getSettings()).config).toMatchObject({ operatorName: 'Ann', stationName: 'rx-1' });
      expect((await station.updateSettings(SAVE)).changes).toHaveLength(4);
    } finally {
      station.close();
    }
    expect((await afterOpen(home)).saves).toBe(2);
  }, 60_000);

  it('killed after writing both files, before its event: the next open finds both as before and no event', async () => {
    const { home, files } = await homeWithSettings();
    const killed = await killedAt('after-rename-of-policy.json', home, SAVE);
    expect(killed.signal, killed.out).toBe('SIGKILL');
    expect(await afterOpen(home)).toEqual({ ...files, saves: 1, journal: false });
  }, 60_000);

  it('killed after its event, before removing its journal: the save kept, recorded once', async () => {
    const { home } = await homeWithSettings();
    const killed = await killedAt('before-journal-unlink', home, SAVE);
    expect(killed.signal, killed.out).toBe('SIGKILL');
    const after = await afterOpen(home);
    expect({ saves: after.saves, journal: after.journal }).toEqual({ saves: 2, journal: false });
    expect(JSON.parse(after.config)).toMatchObject({ operatorName: 'Dana', stationName: 'rx-9' });
    expect(JSON.parse(after.policy)).toMatchObject({ clockSkewSeconds: 90, limits: { maxEntries: 500 } });
  }, 60_000);
});
