/**
 * Hazard: a quarantine id is text from outside (the command line, the app's IPC, scripts). It must
 * never name anything but one entry folder under `<home>/quarantine/`: path traversal (`../x`),
 * absolute paths, NUL, look-alike dots, temp and purge names, over-long text are all
 * QUARANTINE_NOT_FOUND before the file system is touched. And a symbolic link named like an id,
 * planted in the quarantine folder, is not an entry: a purge never follows it to delete what it
 * points to, a release never reads through it.
 */
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Station } from '../../electron/core/index.js';
import { newQuarantineId } from '../../electron/core/quarantine/quarantine-id.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
let station: Station;
let home: string;
let victim: string;

beforeAll(async () => {
  home = await makeTemp('airlock-q-sec-');
  station = await Station.open({ home });
  victim = await makeTemp('airlock-q-victim-');
  await writeFile(join(victim, 'precious.txt'), 'keep me\n');
  await writeFile(join(victim, 'entry.json'), '{}');
});
afterAll(() => {
  station.close();
});

const id = newQuarantineId();
const HOSTILE = [
  '../x',
  '..',
  '.',
  '/etc',
  '/etc/passwd',
  `../${id}`,
  `${id}/../..`,
  `${id}\0`,
  `${id}/`,
  ` ${id}`,
  `${id}\n`,
  id.replace('T', '\u0422'),
  `${id}.purge`,
  `.${id}.al-00000000-x-1-x-0-00000000.partial`,
  '\u2024\u2024/x',
  'x'.repeat(5000),
  '',
];

describe('quarantine ids from outside', () => {
  it('every hostile id is QUARANTINE_NOT_FOUND for show, release and purge; nothing outside is touched', async () => {
    for (const text of HOSTILE) {
      await expect(station.quarantineShow(text), JSON.stringify(text)).rejects.toMatchObject({ code: 'QUARANTINE_NOT_FOUND' });
      await expect(station.quarantineRelease({ id: text, destDir: victim, reason: 'r' }), JSON.stringify(text)).rejects.toMatchObject({
        code: 'QUARANTINE_NOT_FOUND',
      });
      await expect(station.quarantinePurge({ ids: [text] }), JSON.stringify(text)).rejects.toMatchObject({ code: 'QUARANTINE_NOT_FOUND' });
    }
    expect((await readdir(victim)).sort()).toEqual(['entry.json', 'precious.txt']);
  });

  it('a symbolic link named like an id is not an entry: not listed, not shown, never purged through', async () => {
    await mkdir(join(home, 'quarantine'), { recursive: true });
    const planted = newQuarantineId();
    // A well-formed entry.json behind the link: only the link itself gives it away.
    const entry = {
      id: planted,
      quarantinedAt: '2020-01-01T00:00:00.000Z',
      bundleName: 'x.airlock.tar',
      tagmanifestSha256: null,
      bytes: 1,
      codes: ['MALWARE_FOUND'],
      signers: [],
      status: 'held',
      releases: [],
      releasedTo: null,
    };
    await writeFile(join(victim, 'entry.json'), JSON.stringify(entry));
    await symlink(victim, join(home, 'quarantine', planted));
    expect(await station.quarantineList()).toEqual([]);
    await expect(station.quarantineShow(planted)).rejects.toMatchObject({ code: 'QUARANTINE_NOT_FOUND' });
    await expect(station.quarantinePurge({ ids: [planted] })).rejects.toMatchObject({ code: 'QUARANTINE_NOT_FOUND' });
    expect(await station.quarantinePurge({ olderThanDays: 0 })).toEqual({ purged: [], auditEvent: null });
    expect(await readFile(join(victim, 'precious.txt'), 'utf8')).toBe('keep me\n');
  });
});
