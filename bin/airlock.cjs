#!/usr/bin/env node
// The `airlock` command from a checkout. It runs the bundle scripts/build-cli.mjs made at install
// time while no source file has changed since that build (scripts/cli-fresh.cjs); otherwise
// (sources edited since, or no build) it runs the TypeScript directly through tsx, so it never
// runs stale code. CommonJS, so the common case starts no ES module loader at all.
'use strict';
const { cliBundleState } = require('../scripts/cli-fresh.cjs');

if (cliBundleState() === 'fresh') {
  require('../scripts/cli-loader.cjs');
} else {
  // tsx's hooks serve import() of TypeScript; a failure to load is an unhandled rejection: printed, exit 1.
  void import('tsx/esm/api').then(({ register }) => {
    register();
    return import('../electron/cli/index.ts');
  });
}
