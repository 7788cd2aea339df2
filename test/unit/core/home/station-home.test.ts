import { homedir } from 'node:os';
import { join, resolve, win32 } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultHomeDir, resolveHomeDir } from '../../../../electron/core/home/station-home.js';

describe('station home location', () => {
  it('prefers --home, then AIRLOCK_HOME, then the OS app-data directory', () => {
    expect(resolveHomeDir('rel/home', { AIRLOCK_HOME: '/x' })).toBe(resolve('rel/home'));
    expect(resolveHomeDir(undefined, { AIRLOCK_HOME: '/srv/airlock' })).toBe('/srv/airlock');
    expect(resolveHomeDir(undefined, { XDG_CONFIG_HOME: '/cfg' })).toBe(defaultHomeDir({ XDG_CONFIG_HOME: '/cfg' }));
  });
  it('uses the same folder Electron uses for the app (userData) on each OS', () => {
    expect(defaultHomeDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux')).toBe('/cfg/Airlock');
    expect(defaultHomeDir({ APPDATA: 'C:\\Users\\op\\AppData\\Roaming' }, 'win32')).toBe(win32.join('C:\\Users\\op\\AppData\\Roaming', 'Airlock'));
    expect(defaultHomeDir({}, 'darwin')).toBe(join(homedir(), 'Library', 'Application Support', 'Airlock'));
  });
  it('ignores an empty or relative XDG_CONFIG_HOME instead of creating Airlock/ in the working directory', () => {
    expect(defaultHomeDir({ XDG_CONFIG_HOME: '' }, 'linux')).toBe(join(homedir(), '.config', 'Airlock'));
    expect(defaultHomeDir({ XDG_CONFIG_HOME: 'relative' }, 'linux')).toBe(join(homedir(), '.config', 'Airlock'));
  });
});
