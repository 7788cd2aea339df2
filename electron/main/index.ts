/**
 * Electron main process: either the `airlock` CLI (when started by the packaged launcher with
 * --airlock-cli) or the desktop app. Everything the app does runs in electron/core behind its
 * facade; heavy work runs in job workers; this file only wires the pieces together.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app } from 'electron';
import { cliArguments } from './cli-mode.js';
import { startDesktopApp } from './desktop-app.js';

const OUT_DIR = join(import.meta.dirname, '..');

async function runBundledCli(args: string[]): Promise<void> {
  // electron/cli/index.ts reads process.argv.slice(2), as under `node cli.js ...`.
  process.argv = [process.argv[0] ?? 'airlock', 'airlock', ...args];
  // The CLI is its own bundle entry (electron.vite.config.ts), loaded by path: main does not
  // import CLI code, it only hands the process over to it.
  const entry = (await import(pathToFileURL(join(OUT_DIR, 'main', 'cli.js')).href)) as { finished?: Promise<number> };
  // The CLI's module finishes loading when the command starts; `finished` settles when it ends.
  await entry.finished;
  const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  // Let piped output drain before the app exits.
  process.stdout.write('', () => app.exit(code));
}

const cli = cliArguments(process.argv, process.defaultApp === true);
if (cli === null) {
  // Synchronously, in this tick: some setup must happen before the app's `ready` event.
  startDesktopApp(OUT_DIR);
} else {
  runBundledCli(cli).catch((error: unknown) => {
    console.error('airlock:', error);
    app.exit(3);
  });
}
