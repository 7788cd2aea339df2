import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendAuditEvent } from '../../../../electron/core/audit/audit-store.js';
import { openStationDb, type StationDb } from '../../../../electron/core/db/station-db.js';
import { homePaths, type HomePaths } from '../../../../electron/core/home/station-home.js';
import { beginKeyChange, keyChangeJournalPath, settleKeyChangeHeld } from '../../../../electron/core/keys/key-change-journal.js';
import { useTempDirs } from '../../../helpers/temp-dirs.js';

const tempDir = useTempDirs();
const IDENTITY = { station: 'st', operator: 'op', organization: null };
const RETIRED = 'A'.repeat(40);

async function home(): Promise<{ paths: HomePaths; db: StationDb }> {
  const paths = homePaths(await tempDir('journal-'));
  await mkdir(join(paths.keysDir, 'retired'), { recursive: true });
  await writeFile(paths.trustStore, 'store before\n');
  await writeFile(paths.stationPrivateKey, 'private before\n');
  await writeFile(paths.stationPublicKey, 'public before\n');
  return { paths, db: openStationDb(paths.database) };
}

/** What a change cut short leaves: every file written over, a new one made. */
async function change(paths: HomePaths): Promise<string> {
  const retired = join(paths.keysDir, 'retired', `${RETIRED}.private.asc`);
  const id = await beginKeyChange(paths, [retired]);
  await writeFile(paths.trustStore, 'store after\n');
  await writeFile(paths.stationPrivateKey, 'private after\n');
  await writeFile(paths.stationRevocation, 'revocation after\n');
  await writeFile(retired, 'retired copy\n');
  return id;
}

describe('key change journal', () => {
  it('no event with its id: every file put back, files that did not exist removed, the journal gone', async () => {
    const { paths, db } = await home();
    await change(paths);
    expect(await settleKeyChangeHeld(paths, () => db)).toBe('undone');
    expect(await readFile(paths.trustStore, 'utf8')).toBe('store before\n');
    expect(await readFile(paths.stationPrivateKey, 'utf8')).toBe('private before\n');
    expect(await readFile(paths.stationPublicKey, 'utf8')).toBe('public before\n');
    expect(existsSync(paths.stationRevocation)).toBe(false);
    expect(existsSync(join(paths.keysDir, 'retired', `${RETIRED}.private.asc`))).toBe(false);
    expect(existsSync(keyChangeJournalPath(paths))).toBe(false);
    db.close();
  });

  it('its event recorded: the change kept, the journal gone; another key event does not count', async () => {
    const { paths, db } = await home();
    const id = await change(paths);
    appendAuditEvent(db, IDENTITY, { type: 'key-trust', outcome: 'ok', details: { keyChange: 'another-change' } });
    appendAuditEvent(db, IDENTITY, { type: 'key-trust', outcome: 'ok', details: { keyChange: id } });
    expect(await settleKeyChangeHeld(paths, () => db)).toBe('done');
    expect(await readFile(paths.trustStore, 'utf8')).toBe('store after\n');
    expect(await readFile(paths.stationRevocation, 'utf8')).toBe('revocation after\n');
    expect(existsSync(keyChangeJournalPath(paths))).toBe(false);
    db.close();
  });

  it('a journal naming a file no key change writes is left alone, and nothing is restored', async () => {
    const { paths, db } = await home();
    const journal = { airlock: 'key-change', version: 1, id: 'x', files: [{ path: 'keys/../../elsewhere.txt', content: 'planted\n' }] };
    await writeFile(keyChangeJournalPath(paths), JSON.stringify(journal));
    expect(await settleKeyChangeHeld(paths, () => db)).toBe('none');
    expect(existsSync(keyChangeJournalPath(paths))).toBe(true);
    expect(existsSync(join(paths.root, '..', 'elsewhere.txt'))).toBe(false);
    db.close();
  });

  it('no journal: nothing to do', async () => {
    const { paths, db } = await home();
    expect(await settleKeyChangeHeld(paths, () => db)).toBe('none');
    db.close();
  });
});
