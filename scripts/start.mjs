#!/usr/bin/env node
// `npm start`: build the app with electron-vite and launch it with the installed Electron binary.
// Where the binary is not installed (`npm install` could not download it: offline machines, CI;
// or ELECTRON_SKIP_BINARY_DOWNLOAD=1), say so plainly and point at the CLI. Never downloads anything.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The Electron executable path, or null when the npm package has no binary next to it. */
function electronBinary() {
  try {
    // The electron package exports the binary's path; it throws when the binary was never fetched.
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (binary === null) {
  process.stderr.write(
    [
      'Airlock: the Electron binary is not installed on this machine, so the desktop app cannot',
      process.env.ELECTRON_SKIP_BINARY_DOWNLOAD
        ? 'start here: ELECTRON_SKIP_BINARY_DOWNLOAD is set, and `npm install` skipped the download.'
        : 'start here: `npm install` could not download it (no route to GitHub from here).',
      'Nothing will be downloaded now. Where the network allows, `npm install` fetches it.',
      '',
      'The command-line interface works without Electron. In this folder:',
      '  export PATH="$PWD/bin:$PATH"',
      '  airlock --help',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

// electron-vite's package exports do not include its bin script; locate it from package.json.
const electronVite = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
const build = spawnSync(process.execPath, [electronVite, 'build'], { cwd: root, stdio: 'inherit' });
if (build.error) throw build.error;
if (build.status !== 0) process.exit(build.status ?? 1);

const app = spawnSync(binary, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
if (app.error) throw app.error;
process.exit(app.status ?? 1);
