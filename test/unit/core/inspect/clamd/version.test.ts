import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { newestDatabase, parseDatabaseHeader } from '../../../../../electron/core/inspect/clamd/database-headers.js';
import { ageInDays, parseVersionReply } from '../../../../../electron/core/inspect/clamd/version.js';

function header(text: string): Buffer {
  const buffer = Buffer.alloc(512, ' ');
  buffer.write(text, 0, 'latin1');
  return buffer;
}

describe('parseVersionReply', () => {
  it('engine, daily version and its date (ctime, read as UTC)', () => {
    const parsed = parseVersionReply('ClamAV 1.4.6/27480/Tue Dec  1 09:28:47 2026');
    expect(parsed?.engineVersion).toBe('ClamAV 1.4.6');
    expect(parsed?.databaseVersion).toBe(27_480);
    expect(parsed?.databaseDate?.toISOString()).toBe('2026-12-01T09:28:47.000Z');
  });

  it.each(['America/New_York', 'Asia/Tokyo', 'UTC'])('reads the same instant whatever this process’s time zone (TZ=%s)', (tz) => {
    const module = pathToFileURL(join(import.meta.dirname, '../../../../../electron/core/inspect/clamd/version.ts')).href;
    const script = `const { parseVersionReply } = await import(${JSON.stringify(module)});
      process.stdout.write(String(new Date(2026, 0, 1).getTimezoneOffset()) + ' ' + parseVersionReply('ClamAV 1.4.6/27480/Tue Dec  1 23:28:47 2026').databaseDate.toISOString());`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, TZ: tz } });
    expect(run.status, run.stderr).toBe(0);
    const [offset, iso] = run.stdout.split(' ');
    // The zone took effect in the child (New York is behind UTC, Tokyo ahead), and the date did not move with it.
    expect(Number(offset)).toBe(tz === 'America/New_York' ? 300 : tz === 'Asia/Tokyo' ? -540 : 0);
    expect(iso).toBe('2026-12-01T23:28:47.000Z');
  });

  it('only the engine when no daily database is loaded', () => {
    expect(parseVersionReply('ClamAV 1.4.6')).toEqual({ engineVersion: 'ClamAV 1.4.6', databaseVersion: null, databaseDate: null });
  });

  it('a date it cannot read gives no date (the headers speak instead), never a guess', () => {
    expect(parseVersionReply('ClamAV 1.4.6/27480/yesterday')?.databaseDate).toBeNull();
    expect(parseVersionReply('ClamAV 1.4.6/x/Tue Dec  1 09:28:47 2026')?.databaseVersion).toBeNull();
  });

  it('not a VERSION reply', () => {
    expect(parseVersionReply('UNKNOWN COMMAND')).toBeNull();
    expect(parseVersionReply('')).toBeNull();
  });
});

describe('ageInDays', () => {
  const now = new Date('2026-12-03T12:00:00Z');
  it('whole days, rounded down', () => {
    expect(ageInDays(new Date('2026-12-03T00:00:00Z'), now)).toBe(0);
    expect(ageInDays(new Date('2026-12-02T12:00:00Z'), now)).toBe(1);
    expect(ageInDays(new Date('2026-11-25T12:00:01Z'), now)).toBe(7);
    expect(ageInDays(new Date('2026-11-25T12:00:00Z'), now)).toBe(8);
  });
  it('a future date (clock skew) is 0 days old', () => {
    expect(ageInDays(new Date('2026-12-05T00:00:00Z'), now)).toBe(0);
  });
});

describe('parseDatabaseHeader', () => {
  it('a signed daily.cvd header: version, signatures, build time from the unix seconds field', () => {
    const parsed = parseDatabaseHeader(
      'daily.cvd',
      header('ClamAV-VDB:01 Dec 2026 09-28 +0000:27480:2076511:90:0123456789abcdef0123456789abcdef:AbCd+/xyz:raynman:1796117280'),
    );
    expect(parsed).toMatchObject({ name: 'daily.cvd', version: 27_480, signatures: 2_076_511, builder: 'raynman' });
    expect(parsed?.builtAt.toISOString()).toBe(new Date(1_796_117_280_000).toISOString());
  });

  it('the time text when the seconds field is absent or not a number, with its offset', () => {
    const parsed = parseDatabaseHeader('main.cld', header('ClamAV-VDB:16 Sep 2021 08-32 -0400:62:6647427:90:X:X:sigmgr:'));
    expect(parsed?.builtAt.toISOString()).toBe('2021-09-16T12:32:00.000Z');
  });

  it('not a header: too short, another magic, binary, missing fields', () => {
    expect(parseDatabaseHeader('a.cvd', Buffer.from('ClamAV-VDB:01 Dec 2026 09-28 +0000:1:1:90:X:X:b:1796117280'))).toBeNull();
    expect(parseDatabaseHeader('a.cvd', header('NotClamAV:01 Dec 2026 09-28 +0000:1:1:90:X:X:b:1796117280'))).toBeNull();
    expect(parseDatabaseHeader('a.cvd', header('ClamAV-VDB:01 Dec 2026 09-28 +0000:1:1:90:X:X:b:1796117280\u0000'))).toBeNull();
    expect(parseDatabaseHeader('a.cvd', header('ClamAV-VDB:01 Dec 2026 09-28 +0000:1'))).toBeNull();
    expect(parseDatabaseHeader('a.cvd', header('ClamAV-VDB:garbage:1:1:90:X:X:b:soon'))).toBeNull();
  });
});

describe('newestDatabase', () => {
  const at = (name: string, version: number, iso: string) => ({ name, version, signatures: 1, builtAt: new Date(iso), builder: 'b', md5: 'x' });

  it('the daily database speaks for the whole, as clamd’s VERSION does, even when another container was built later', () => {
    expect(newestDatabase([at('main.cvd', 62, '2026-12-02T00:00:00Z'), at('daily.cld', 27_480, '2026-11-30T00:00:00Z')])?.name).toBe('daily.cld');
  });

  it('without a daily database, the most recently built container', () => {
    expect(newestDatabase([at('main.cvd', 62, '2021-09-16T00:00:00Z'), at('bytecode.cvd', 335, '2024-01-01T00:00:00Z')])?.name).toBe('bytecode.cvd');
    expect(newestDatabase([])).toBeNull();
  });
});
