/**
 * Issue #19.1: the app's language defaults to the station's configured language, never the
 * operator's LANG (Etcher#4263 parsed LANG wrongly). A German LANG on an unconfigured station is
 * still English; a station set to German is German under an English LANG.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { homePaths } from '../../../../electron/core/home/station-home.js';
import { readStationSettings, updateStationSettings } from '../../../../electron/core/home/station-settings.js';

const LOCALE_VARIABLES = ['LANG', 'LC_ALL', 'LC_MESSAGES', 'LANGUAGE'] as const;
let home: string;
let saved: Partial<Record<(typeof LOCALE_VARIABLES)[number], string | undefined>>;

function setLocale(value: string): void {
  for (const name of LOCALE_VARIABLES) process.env[name] = name === 'LANGUAGE' ? value.slice(0, 2) : value;
}

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'airlock-language-'));
  saved = Object.fromEntries(LOCALE_VARIABLES.map((name) => [name, process.env[name]]));
});
afterEach(async () => {
  for (const name of LOCALE_VARIABLES) {
    const value = saved[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await rm(home, { recursive: true, force: true });
});

describe('the station language, not LANG', () => {
  it('an unconfigured station is English under a German LANG', async () => {
    setLocale('de_DE.UTF-8');
    expect((await readStationSettings(homePaths(home))).language).toEqual({ configured: null, effective: 'en' });
  });

  it('a station set to German is German under an English LANG', async () => {
    await updateStationSettings(homePaths(home), { language: 'de' });
    setLocale('en_US.UTF-8');
    expect((await readStationSettings(homePaths(home))).language).toEqual({ configured: 'de', effective: 'de' });
  });
});
