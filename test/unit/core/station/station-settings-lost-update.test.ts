/**
 * Hazard: a lost update of config.json / policy.json. The app's Settings read both files, apply
 * the operator's patch and write them back whole; two saves at once on one home (two windows, the
 * app and a second station on the same home) each wrote what it had read, so one save's fields
 * vanished while both said done and both were recorded as settings-change events (lostupd).
 * The read, the writes and the audit event now run under one lock (home-file-lock.ts).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SettingChange } from '../../../../shared/settings.js';
import { Station } from '../../../../electron/core/index.js';
import { settingsLockPath } from '../../../../electron/core/home/station-settings.js';
import { homePaths } from '../../../../electron/core/home/station-home.js';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'airlock-settings-race-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

function changesLogged(station: Station): SettingChange[][] {
  return station
    .listAudit({ type: 'settings-change' })
    .sort((a, b) => a.seq - b.seq)
    .map((e) => (e.details as { changes: SettingChange[] }).changes);
}

describe('settings saved at once on one home', () => {
  it('two stations save different fields at once: every field is in the files, as the log says', async () => {
    const [a, b] = [await Station.open({ home }), await Station.open({ home })];
    try {
      const saved = await Promise.all([
        a.updateSettings({ config: { stationName: 'rx-1' } }),
        b.updateSettings({ config: { operatorName: 'Dana' } }),
        a.updateSettings({ config: { organization: 'Lab' } }),
        b.updateSettings({ policy: { clockSkewSeconds: 90 } }),
        a.updateSettings({ policy: { maxEntries: 500 } }),
        b.updateSettings({ policy: { requiredSigners: 2 } }),
      ]);
      for (const s of saved) expect(s.changes).toHaveLength(1);
      const settings = await a.getSettings();
      expect(settings.config).toEqual({ stationName: 'rx-1', operatorName: 'Dana', organization: 'Lab' });
      expect(settings.policy).toMatchObject({ clockSkewSeconds: 90, maxEntries: 500, requiredSigners: 2 });
      expect(changesLogged(a)).toHaveLength(6);
    } finally {
      a.close();
      b.close();
    }
  });

  it('two stations change one field at once: the log chains old -> new in the order written, and ends at the file', async () => {
    const [a, b] = [await Station.open({ home }), await Station.open({ home })];
    try {
      const values = [10, 20, 30, 40, 50, 60];
      await Promise.all(values.map((v, i) => (i % 2 === 0 ? a : b).updateSettings({ policy: { clockSkewSeconds: v } })));
      const logged = changesLogged(a).map(([change]) => change);
      expect(logged).toHaveLength(values.length);
      let value: unknown = null;
      for (const change of logged) {
        expect(change?.from).toBe(value);
        value = change?.to;
      }
      expect((await a.getSettings()).policy.clockSkewSeconds).toBe(value);
      expect((await a.verifyAudit()).ok).toBe(true);
    } finally {
      a.close();
      b.close();
    }
  });

  it('a save waits while another process holds the settings lock, and goes on once that process is killed with -9', async () => {
    const station = await Station.open({ home });
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.exec('BEGIN IMMEDIATE'); process.stdout.write('held\\n'); setInterval(() => {}, 1000);`,
        settingsLockPath(homePaths(home)),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: join(import.meta.dirname, '..', '..', '..', '..') },
    );
    try {
      await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
      let done = false;
      const saving = station.updateSettings({ config: { operatorName: 'Eve' } }).then((r) => ((done = true), r));
      await new Promise((r) => setTimeout(r, 300));
      expect(done).toBe(false);
      expect(station.listAudit({ type: 'settings-change' })).toHaveLength(0);
      holder.kill('SIGKILL');
      expect((await saving).changes).toEqual([{ field: 'operatorName', from: null, to: 'Eve' }]);
      // The lock is free when the kernel ends the process; Node reports the exit a moment later.
      expect(holder.signalCode ?? (await once(holder, 'exit'))[1]).toBe('SIGKILL');
    } finally {
      holder.kill('SIGKILL');
      station.close();
    }
  });
});
