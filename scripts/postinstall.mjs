#!/usr/bin/env node
// `npm install`'s last step for Electron (package.json "postinstall").
//
// electron is an optional dependency (of tools/electron-optional, itself a development dependency,
// so electron-builder never packs it into the app). Its own install script downloads the binary from
// GitHub; where that cannot be reached (an offline station's build machine, a site with only an
// npm mirror, CI) the download fails, and npm, because the dependency is optional, removes the
// package and finishes the install instead of rolling everything back. The package itself (its
// JavaScript, its type definitions, the version electron-vite builds for) came from the npm
// registry or npm's cache like every other package, and type checking and `npm run build` need it.
// So put it back, this time without running its install script: the binary stays absent, and
// `npm start` says so (scripts/start.mjs). Where the download worked, or was skipped on purpose
// (ELECTRON_SKIP_BINARY_DOWNLOAD=1), the package is there and this does nothing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronPackage = join(root, 'node_modules', 'electron', 'package.json');
const omitted = (process.env.npm_config_omit ?? '').split(/[\s,]+/);

if (existsSync(electronPackage) || omitted.includes('optional') || omitted.includes('dev')) process.exit(0);

process.stdout.write(
  [
    '',
    'Airlock: the Electron binary could not be downloaded (no route to GitHub from here), so the',
    'desktop app cannot start on this machine; `npm start` says so. The CLI, the tests, type',
    'checking and builds do not need it. Putting back the electron package without its binary...',
    '',
  ].join('\n'),
);

// `npm install` again, reading the lockfile, with scripts off: it adds exactly what the first pass
// dropped, from npm's cache, and leaves package.json and package-lock.json as they are.
const npm = process.env.npm_execpath;
const args = ['install', '--ignore-scripts', '--no-save', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
const result = npm
  ? spawnSync(process.execPath, [npm, ...args], { cwd: root, stdio: 'inherit' })
  : spawnSync('npm', args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });

if (result.status !== 0 || !existsSync(electronPackage)) {
  // Not fatal: everything but type checking the main process and `npm run build` works without it.
  process.stdout.write(
    'Airlock: could not put the electron package back; `npm run typecheck` and `npm run build` need it (run `npm install --ignore-scripts` when the registry is reachable).\n',
  );
} else {
  process.stdout.write('Airlock: electron package in place, without its binary.\n');
}
