import type Database from 'better-sqlite3';

/**
 * better-sqlite3 with its native addon named, not searched for. Left to itself, better-sqlite3
 * finds its `.node` file through the `bindings` package: two more modules to load, an Error's
 * stack parsed for the caller's folder, and up to a dozen stats of candidate paths
 * (build/better_sqlite3.node, build/Debug/..., each with four extensions) before the one that
 * npm's install or electron-builder's rebuild writes, build/Release/better_sqlite3.node. On this
 * project's machine that search was ~7-10 ms of CPU of every command that opens the station
 * database, `airlock verify` included (docs/design-notes.md, "Small-file verify on a slow
 * machine"). Where that file is not there (another build layout) or in the app (Electron serves a
 * native module from app.asar.unpacked, which `bindings` knows about), the search runs as before.
 */
export function loadSqlite(require: NodeJS.Require, electron: string | undefined = process.versions.electron): typeof Database {
  const module = require('better-sqlite3') as typeof Database;
  const addon = electron === undefined ? builtAddonPath(require) : null;
  return addon === null ? module : withAddon(module, addon);
}

/** build/Release/better_sqlite3.node beside better-sqlite3's lib/ folder, if it is there; else null. */
export function builtAddonPath(require: NodeJS.Require): string | null {
  const { dirname, join } = process.getBuiltinModule('node:path');
  const { existsSync } = process.getBuiltinModule('node:fs');
  try {
    // The package's main is lib/index.js; the addon is built into the package's build/Release.
    const file = join(dirname(require.resolve('better-sqlite3')), '..', 'build', 'Release', 'better_sqlite3.node');
    return existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

/** The Database class with `nativeBinding` given for every open that does not name its own. */
function withAddon(module: typeof Database, addon: string): typeof Database {
  class AddonNamed extends module {
    constructor(filename?: string | Buffer, options?: Database.Options) {
      super(filename, { nativeBinding: addon, ...options });
    }
  }
  return AddonNamed as typeof Database;
}
