import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { appendAuditEvent } from '../../../../electron/core/audit/audit-store.js';
import { openStationDb } from '../../../../electron/core/db/station-db.js';
import { beginHomeChange } from '../../../../electron/core/home/home-change-journal.js';
import { settingsChangeJournalPath, settingsChangeKind, settleSettingsChangeAtOpen } from '../../../../electron/core/home/settings-change-journal.js';
import { homePaths, type HomePaths } from '../../../../electron/core/home/station-home.js';
import { useTempDirs } from '../../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
const IDENTITY = { station: 'st', operator: 'op', organization: null };

async function home(): Promise<HomePaths> {
  const paths = homePaths(await tempDir('settings-journal-'));
  await writeFile(paths.config, '{"stationName":"before"}\n');
  openStationDb(paths.database).close();
  return paths;
}

/** What a save cut after its writes leaves: config.json written over, policy.json made. */
async function cutSave(paths: HomePaths): Promise<string> {
  const id = await beginHomeChange(settingsChangeKind(paths));
  await writeFile(paths.config, '{"stationName":"after"}\n');
  await writeFile(paths.policy, '{"clockSkewSeconds":90}\n');
  return id;
}

function record(paths: HomePaths, type: 'settings-change' | 'key-trust', id: string): void {
  const db = openStationDb(paths.database);
  appendAuditEvent(db, IDENTITY, {
    type,
    outcome: 'ok',
    details: type === 'settings-change' ? { changes: [], settingsChange: id } : { keyChange: id, settingsChange: id },
  });
  db.close();
}

describe('settings change journal', () => {
  it('no settings-change event with its id (a key event carrying it does not count): both files as before, the journal gone', async () => {
    const paths = await home();
    const id = await cutSave(paths);
    record(paths, 'settings-change', 'another-save');
    record(paths, 'key-trust', id);
    expect(await settleSettingsChangeAtOpen(paths)).toBe('undone');
    expect(await readFile(paths.config, 'utf8')).toBe('{"stationName":"before"}\n');
    expect(existsSync(paths.policy)).toBe(false);
    expect(existsSync(settingsChangeJournalPath(paths))).toBe(false);
  });

  it('its event recorded: the save kept, the journal gone', async () => {
    const paths = await home();
    record(paths, 'settings-change', await cutSave(paths));
    expect(await settleSettingsChangeAtOpen(paths)).toBe('done');
    expect(await readFile(paths.config, 'utf8')).toBe('{"stationName":"after"}\n');
    expect(await readFile(paths.policy, 'utf8')).toBe('{"clockSkewSeconds":90}\n');
    expect(existsSync(settingsChangeJournalPath(paths))).toBe(false);
  });

  it('a journal naming another file (a key file) is left alone, and nothing is restored', async () => {
    const paths = await home();
    const journal = { airlock: 'settings-change', version: 1, id: 'x', files: [{ path: 'keys/trusted-signers.json', content: 'planted\n' }] };
    await writeFile(settingsChangeJournalPath(paths), JSON.stringify(journal));
    expect(await settleSettingsChangeAtOpen(paths)).toBe('none');
    expect(existsSync(settingsChangeJournalPath(paths))).toBe(true);
    expect(existsSync(paths.trustStore)).toBe(false);
  });

  it('no journal: nothing done, and the database is not opened (start-up pays one failed open)', async () => {
    const paths = homePaths(await tempDir('settings-journal-none-'));
    expect(await settleSettingsChangeAtOpen(paths)).toBe('none');
    expect(existsSync(paths.database)).toBe(false);
  });
});
