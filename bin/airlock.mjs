#!/usr/bin/env node
// The `airlock` command from a checkout. It runs the bundle scripts/build-cli.mjs made at
// install time when that bundle is newer than every source file; otherwise (sources edited
// since) it runs the TypeScript directly through tsx, so it never runs stale code.
import { createRequire } from 'node:module';
import { cliBundleState } from '../scripts/cli-bundle.mjs';

if (cliBundleState() === 'fresh') {
  createRequire(import.meta.url)('../scripts/cli-loader.cjs');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../electron/cli/index.ts');
}
