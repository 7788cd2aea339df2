/**
 * Station settings written by the app: patches touch only the fields named, keep every field the
 * app does not edit (mediaRoots, name rules, roles, path limits), validate with the files' own
 * schemas before writing anything, replace files durably, and leave a settings-change event.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Station } from '../../../../electron/core/index.js';
import { applyConfigPatch, applyPolicyPatch, readStationSettings, updateStationSettings } from '../../../../electron/core/home/station-settings.js';
import { homePaths } from '../../../../electron/core/home/station-home.js';
import { DEFAULT_LIMITS } from '../../../../electron/core/policy/limits.js';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'airlock-settings-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const readJson = async (name: string): Promise<unknown> => JSON.parse(await readFile(join(home, name), 'utf8'));

describe('applying a patch (pure)', () => {
  it('sets, removes and leaves config fields, keeping mediaRoots', () => {
    const { next, changes } = applyConfigPatch(
      { stationName: 'tx-1', operatorName: 'A', mediaRoots: ['/srv/diode'] },
      { operatorName: 'B', stationName: null, organization: undefined },
    );
    expect(next).toEqual({ operatorName: 'B', mediaRoots: ['/srv/diode'] });
    expect(changes).toEqual([
      { field: 'stationName', from: 'tx-1', to: null },
      { field: 'operatorName', from: 'A', to: 'B' },
    ]);
  });

  it('reports nothing for values that are already set', () => {
    expect(applyConfigPatch({ operatorName: 'A' }, { operatorName: 'A', organization: null }).changes).toEqual([]);
    expect(applyPolicyPatch({ clockSkewSeconds: 60 }, { clockSkewSeconds: 60, maxEntries: null }).changes).toEqual([]);
  });

  it('keeps name rules, signer roles and path limits the app does not edit', () => {
    const current = {
      limits: { maxEntries: 10, maxPathDepth: 5 },
      names: { allowBidiCharacters: true },
      requiredSigners: { count: 2, roles: ['reviewer'] },
      clockSkewSeconds: 60,
    };
    const { next, changes } = applyPolicyPatch(current, { maxEntries: null, maxFileBytes: 4096, requiredSigners: null, clockSkewSeconds: null });
    // With roles listed a count is required: "not set" becomes the default count, roles stay.
    expect(next).toEqual({
      limits: { maxPathDepth: 5, maxFileBytes: 4096 },
      names: { allowBidiCharacters: true },
      requiredSigners: { count: 1, roles: ['reviewer'] },
    });
    expect(changes).toEqual([
      { field: 'maxEntries', from: 10, to: null },
      { field: 'maxFileBytes', from: null, to: 4096 },
      { field: 'requiredSigners', from: 2, to: 1 },
      { field: 'clockSkewSeconds', from: 60, to: null },
    ]);
    expect(current.limits).toEqual({ maxEntries: 10, maxPathDepth: 5 });
  });

  it('sets, keeps and removes the language, which only a listed language may be', async () => {
    const set = applyConfigPatch({ operatorName: 'A', mediaRoots: ['/srv/diode'] }, {}, 'de');
    expect(set.next).toEqual({ operatorName: 'A', mediaRoots: ['/srv/diode'], language: 'de' });
    expect(set.changes).toEqual([{ field: 'language', from: null, to: 'de' }]);
    expect(applyConfigPatch({ language: 'de' }, {}, 'de').changes).toEqual([]);
    expect(applyConfigPatch({ language: 'de' }, {}, undefined).changes).toEqual([]);
    const removed = applyConfigPatch({ language: 'de', stationName: 'tx' }, {}, null);
    expect(removed.next).toEqual({ stationName: 'tx' });
    expect(removed.changes).toEqual([{ field: 'language', from: 'de', to: null }]);
    // A patch that does not come through the IPC schema still cannot write another language.
    await expect(updateStationSettings(homePaths(home), { language: 'fr' as 'de' })).rejects.toMatchObject({ code: 'SETTINGS_INVALID' });
    await expect(readFile(join(home, 'config.json'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('drops emptied objects so the file stays minimal', () => {
    expect(applyPolicyPatch({ limits: { maxEntries: 3 }, requiredSigners: { count: 2 } }, { maxEntries: null, requiredSigners: null }).next).toEqual({});
  });
});

describe('writing the files', () => {
  it('writes both files durably, keeping unknown-to-the-app fields, and leaves no temp file', async () => {
    await writeFile(join(home, 'config.json'), JSON.stringify({ stationName: 'tx-1', mediaRoots: ['/srv/diode/outbox'] }));
    await writeFile(join(home, 'policy.json'), JSON.stringify({ names: { allowWindowsIncompatibleNames: true }, limits: { maxComponentBytes: 200 } }));
    const changes = await updateStationSettings(homePaths(home), {
      config: { operatorName: 'J. Smith' },
      policy: { maxTotalBytes: 1_000_000, requiredSigners: 2 },
    });
    expect(changes.map((c) => c.field)).toEqual(['operatorName', 'maxTotalBytes', 'requiredSigners']);
    expect(await readJson('config.json')).toEqual({ stationName: 'tx-1', mediaRoots: ['/srv/diode/outbox'], operatorName: 'J. Smith' });
    expect(await readJson('policy.json')).toEqual({
      names: { allowWindowsIncompatibleNames: true },
      limits: { maxComponentBytes: 200, maxTotalBytes: 1_000_000 },
      requiredSigners: { count: 2 },
    });
    expect((await readdir(home)).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('validates both results before writing either: a bad value leaves both files untouched', async () => {
    const config = JSON.stringify({ stationName: 'tx-1' });
    await writeFile(join(home, 'config.json'), config);
    await expect(updateStationSettings(homePaths(home), { config: { operatorName: 'B' }, policy: { requiredSigners: 17 } })).rejects.toMatchObject({
      code: 'SETTINGS_INVALID',
      message: expect.stringContaining('policy.json requiredSigners.count'),
    });
    await expect(updateStationSettings(homePaths(home), { config: { operatorName: 'two\nlines' } })).rejects.toMatchObject({ code: 'SETTINGS_INVALID' });
    expect(await readFile(join(home, 'config.json'), 'utf8')).toBe(config);
    // No temp file; the settings lock (home-file-lock.ts) is an empty file that stays.
    expect((await readdir(home)).filter((f) => f !== 'config.json.lock')).toEqual(['config.json']);
  });

  it('refuses to rewrite a malformed file (CONFIG_INVALID) rather than replace what it cannot read', async () => {
    await writeFile(join(home, 'policy.json'), '{ "limits": { "maxEntries": -1 } }');
    await expect(updateStationSettings(homePaths(home), { policy: { clockSkewSeconds: 10 } })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(await readFile(join(home, 'policy.json'), 'utf8')).toBe('{ "limits": { "maxEntries": -1 } }');
  });

  it('reports the configured language and the one that applies (the default when none is set)', async () => {
    expect((await readStationSettings(homePaths(home))).language).toEqual({ configured: null, effective: 'en' });
    await updateStationSettings(homePaths(home), { language: 'de' });
    expect(await readJson('config.json')).toEqual({ language: 'de' });
    expect((await readStationSettings(homePaths(home))).language).toEqual({ configured: 'de', effective: 'de' });
  });

  it('keeps the staging folder the app opened (an absolute path), across a Settings save, until it is removed', async () => {
    await writeFile(join(home, 'config.json'), JSON.stringify({ stationName: 'tx-1' }));
    expect((await readStationSettings(homePaths(home))).stagingFolder).toBeNull();
    expect(await updateStationSettings(homePaths(home), { stagingFolder: '/srv/staging' })).toEqual([
      { field: 'stagingFolder', from: null, to: '/srv/staging' },
    ]);
    // The Settings form's patch does not name it: it stays.
    await updateStationSettings(homePaths(home), { config: { operatorName: 'Ann' } });
    expect(await readJson('config.json')).toEqual({ stationName: 'tx-1', stagingFolder: '/srv/staging', operatorName: 'Ann' });
    expect((await readStationSettings(homePaths(home))).stagingFolder).toBe('/srv/staging');
    for (const bad of ['relative/staging', '/with\u0001control', '']) {
      await expect(updateStationSettings(homePaths(home), { stagingFolder: bad })).rejects.toMatchObject({ code: 'SETTINGS_INVALID' });
    }
    expect(await updateStationSettings(homePaths(home), { stagingFolder: null })).toEqual([{ field: 'stagingFolder', from: '/srv/staging', to: null }]);
    expect(await readJson('config.json')).toEqual({ stationName: 'tx-1', operatorName: 'Ann' });
  });

  it('reports what the files set, what applies, the defaults and the fields it keeps', async () => {
    await writeFile(join(home, 'config.json'), JSON.stringify({ operatorName: 'J. Smith', mediaRoots: ['/m'] }));
    await writeFile(join(home, 'policy.json'), JSON.stringify({ limits: { maxEntries: 5, maxPathDepth: 4 }, requiredSigners: { count: 2, roles: ['a'] } }));
    const settings = await readStationSettings(homePaths(home));
    expect(settings.config).toEqual({ stationName: null, operatorName: 'J. Smith', organization: null });
    expect(settings.policy).toEqual({ maxEntries: 5, maxTotalBytes: null, maxFileBytes: null, requiredSigners: 2, clockSkewSeconds: null });
    expect(settings.effective.policy).toEqual({
      maxEntries: 5,
      maxTotalBytes: DEFAULT_LIMITS.maxTotalBytes,
      maxFileBytes: DEFAULT_LIMITS.maxFileBytes,
      requiredSigners: 2,
      clockSkewSeconds: 300,
    });
    expect(settings.effective.operator).toMatch(/^J\. Smith \(.+\)$/u);
    expect(settings.defaults.policy.maxEntries).toBe(DEFAULT_LIMITS.maxEntries);
    expect(settings.preserved).toEqual(['config.json mediaRoots', 'policy.json limits.maxPathDepth', 'policy.json requiredSigners.roles']);
  });
});

describe('Station.updateSettings', () => {
  it('records each change old -> new in the chained audit log; the next station opened uses the new identity', async () => {
    const station = await Station.open({ home });
    const saved = await station.updateSettings({ config: { operatorName: 'Dana', stationName: 'rx-7' }, policy: { clockSkewSeconds: 120 } });
    expect(saved.changes).toEqual([
      { field: 'stationName', from: null, to: 'rx-7' },
      { field: 'operatorName', from: null, to: 'Dana' },
      { field: 'clockSkewSeconds', from: null, to: 120 },
    ]);
    const [event] = station.listAudit({ type: 'settings-change' });
    expect(event).toMatchObject({ seq: saved.auditEvent, outcome: 'ok', details: { changes: saved.changes } });
    // Nothing to change: nothing written, nothing recorded.
    expect(await station.updateSettings({ config: { operatorName: 'Dana' } })).toEqual({ changes: [], auditEvent: null });
    expect(station.listAudit({})).toHaveLength(1);
    expect((await station.verifyAudit()).ok).toBe(true);
    station.close();

    const reopened = await Station.open({ home });
    expect(reopened.identity).toMatchObject({ station: 'rx-7', operator: expect.stringMatching(/^Dana \(/u) });
    expect((await reopened.getSettings()).effective.policy.clockSkewSeconds).toBe(120);
    reopened.close();
  });

  it('records a refused change as failed with its code, and writes nothing', async () => {
    const station = await Station.open({ home });
    await expect(station.updateSettings({ policy: { maxEntries: 0 } })).rejects.toMatchObject({ code: 'SETTINGS_INVALID' });
    const [event] = station.listAudit({});
    expect(event).toMatchObject({
      type: 'settings-change',
      outcome: 'failed',
      errorCode: 'SETTINGS_INVALID',
      details: { requested: { policy: { maxEntries: 0 } } },
    });
    station.close();
    expect((await readdir(home)).filter((f) => f.endsWith('.json'))).toEqual([]);
  });
});
