import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtAddonPath, loadSqlite } from '../../../../electron/core/db/sqlite-module.js';

const require = createRequire(import.meta.url);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-sqlite-module-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Drops better-sqlite3's own modules and `bindings` from the CommonJS cache, so the next load is a first one (its addon not yet found). */
function forgetLoadedModules(): void {
  for (const key of Object.keys(require.cache)) {
    if (/[\\/]node_modules[\\/](better-sqlite3[\\/]lib|bindings|file-uri-to-path)[\\/]/u.test(key)) delete require.cache[key];
  }
}

const bindingsLoaded = (): boolean => Object.keys(require.cache).some((key) => /[\\/]node_modules[\\/]bindings[\\/]/u.test(key));

describe('better-sqlite3 with its addon named', () => {
  it('finds the addon npm built, under build/Release', () => {
    const addon = builtAddonPath(require);
    expect(addon).not.toBeNull();
    expect(basename(addon ?? '')).toBe('better_sqlite3.node');
    expect(addon).toMatch(/[\\/]better-sqlite3[\\/]build[\\/]Release[\\/]better_sqlite3\.node$/u);
  });

  it('opens a database without the bindings search, and the database works', () => {
    forgetLoadedModules();
    const Database = loadSqlite(require, undefined);
    const db = new Database(join(dir, 'named.db'));
    try {
      expect(bindingsLoaded()).toBe(false);
      db.exec('CREATE TABLE t (x INTEGER)');
      db.prepare('INSERT INTO t VALUES (?)').run(7);
      expect(db.prepare('SELECT x FROM t').get()).toEqual({ x: 7 });
      expect(db).toBeInstanceOf(require('better-sqlite3'));
    } finally {
      db.close();
    }
  });

  it('an addon given by the caller wins over the built one', () => {
    forgetLoadedModules();
    const Database = loadSqlite(require, undefined);
    expect(() => new Database(join(dir, 'other.db'), { nativeBinding: join(dir, 'no-such-addon.node') })).toThrow(/no-such-addon/u);
  });

  it('in the app (Electron) leaves the search to better-sqlite3, which knows app.asar.unpacked', () => {
    forgetLoadedModules();
    const Database = loadSqlite(require, '39.0.0');
    expect(Database).toBe(require('better-sqlite3'));
    const db = new Database(join(dir, 'electron.db'));
    db.close();
    expect(bindingsLoaded()).toBe(true);
  });
});
