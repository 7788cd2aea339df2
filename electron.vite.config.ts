/**
 * electron-vite builds three bundles into out/:
 *   out/main/index.js       ESM (package.json "type": "module"), dependencies left external
 *   out/main/cli.js         the CLI, for the packaged app's `airlock` launcher
 *   out/main/job-worker.js  the worker thread that runs export, verify and import
 *   out/main/*-worker.js    core's own worker threads (electron/core/workers/*-worker.ts), which
 *                           core starts from the file beside its own chunk (worker-script.ts)
 *   out/preload/index.cjs   CommonJS, self-contained: a sandboxed preload cannot be an ES module
 *                           and cannot require anything but a few electron modules
 *   out/renderer/           index.html + assets, served by main over app://airlock/
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const root = import.meta.dirname;
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string };
/** Core's worker-thread entries, by the name the CLI bundle finds them by too (scripts/cli-bundle.mjs). */
const coreWorkers = Object.fromEntries(
  readdirSync(resolve(root, 'electron/core/workers'))
    .filter((name) => name.endsWith('-worker.ts'))
    .map((name) => [name.slice(0, -'.ts'.length), resolve(root, 'electron/core/workers', name)]),
);

/**
 * The dev server needs inline scripts (React refresh preamble) and a websocket (HMR), which the
 * strict CSP in renderer/index.html forbids. Relax it for `electron-vite dev` only; built files
 * keep the strict policy (apply: 'serve' never runs during a build).
 */
function devOnlyCsp(): Plugin {
  return {
    name: 'airlock:dev-only-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("connect-src 'none'", "connect-src 'self' ws://localhost:* http://localhost:*");
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // Runtime dependencies (better-sqlite3 is native, openpgp, tar, ...) stay in node_modules.
      externalizeDeps: { include: ['better-sqlite3'] },
      // Three entries sharing one core chunk: the app, the worker thread that runs jobs, and the
      // CLI that the packaged app runs for `airlock ...` (electron/main/cli-mode.ts). Main refers
      // to the other two by path only (a `?modulePath` import fails in a multi-entry build).
      // Core's worker threads are entries too; core finds each as <entry>.js in the folder of the
      // chunk that starts it, so chunks stay in out/main/ beside the entries.
      lib: {
        entry: {
          index: resolve(root, 'electron/main/index.ts'),
          'job-worker': resolve(root, 'electron/worker/job-worker.ts'),
          cli: resolve(root, 'electron/cli/index.ts'),
          ...coreWorkers,
        },
      },
      rolldownOptions: {
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    define: {
      __AIRLOCK_VERSION__: JSON.stringify(pkg.version),
    },
    build: {
      outDir: resolve(root, 'out/preload'),
      // Bundle everything (e.g. zod via shared/): the sandboxed preload has no require() of node_modules.
      externalizeDeps: false,
      lib: { entry: resolve(root, 'electron/preload/index.ts') },
      rolldownOptions: {
        output: {
          format: 'cjs',
          entryFileNames: '[name].cjs',
          chunkFileNames: '[name]-[hash].cjs',
        },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [react(), devOnlyCsp()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rolldownOptions: {
        input: resolve(root, 'renderer/index.html'),
      },
    },
  },
});
