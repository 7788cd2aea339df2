/** Swapping feed files into the database folder: names it may hold, rollbacks refused, older forms removed. */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DatabaseHeader } from '../../../../../electron/core/inspect/clamd/database-headers.js';
import { feedFileNames, type FeedFile } from '../../../../../electron/core/inspect/feeds/feed-files.js';
import { downgrades, installFeedFiles } from '../../../../../electron/core/inspect/feeds/install-feed.js';
import { useTempDirs } from '../../../../helpers/temp-dirs.js';

const tempDir = useTempDirs();

function header(name: string, version: number): DatabaseHeader {
  return { name, version, signatures: 1, builtAt: new Date('2026-12-01T00:00:00Z'), builder: 't', md5: 'x' };
}

describe('feedFileNames', () => {
  it('takes containers at the top of data/', () => {
    expect(feedFileNames(['data/daily.cvd', 'data/main.cld', 'data/bytecode.cud'])).toEqual([
      { name: 'daily.cvd', base: 'daily' },
      { name: 'main.cld', base: 'main' },
      { name: 'bytecode.cud', base: 'bytecode' },
    ]);
  });

  for (const bad of [
    ['data/sub/daily.cvd'],
    ['data/daily.ndb'],
    ['data/.daily.cvd'],
    ['data/daily.cvd', 'data/daily.cld'],
    ['data/../x.cvd'],
    [],
    ['data/daily.CVD'],
  ]) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      expect(() => feedFileNames(bad)).toThrow(expect.objectContaining({ code: 'FEED_INVALID' }));
    });
  }
});

describe('downgrades', () => {
  it('an older version of an installed database, in any of its forms; equal or newer passes', () => {
    const files = [{ name: 'daily.cvd', base: 'daily', stagedPath: '', header: header('daily.cvd', 100) }] satisfies FeedFile[];
    expect(downgrades(files, [header('daily.cld', 101)])).toHaveLength(1);
    expect(downgrades(files, [header('daily.cvd', 100), header('main.cvd', 500)])).toEqual([]);
    expect(downgrades(files, [header('daily.cud', 99)])).toEqual([]);
  });
});

describe('installFeedFiles', () => {
  it('renames each file in, readable by clamd, and removes the other forms of the same database only', async () => {
    const db = await tempDir();
    const staging = join(db, '.airlock-staging-x', 'payload');
    await mkdir(staging, { recursive: true });
    await writeFile(join(db, 'daily.cld'), 'old daily');
    await writeFile(join(db, 'main.cvd'), 'main stays');
    await writeFile(join(db, 'local.ndb'), 'site signatures stay');
    await writeFile(join(staging, 'daily.cvd'), 'new daily', { mode: 0o600 });
    const superseded = await installFeedFiles(db, [
      { name: 'daily.cvd', base: 'daily', stagedPath: join(staging, 'daily.cvd'), header: header('daily.cvd', 2) },
    ]);
    expect(superseded).toEqual(['daily.cld']);
    expect((await readdir(db)).sort()).toEqual(['.airlock-staging-x', 'daily.cvd', 'local.ndb', 'main.cvd']);
    expect(await readFile(join(db, 'daily.cvd'), 'utf8')).toBe('new daily');
    expect((await stat(join(db, 'daily.cvd'))).mode & 0o777).toBe(0o644);
  });
});
