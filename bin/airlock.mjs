#!/usr/bin/env node
// The `airlock` command from a source checkout: TypeScript runs through tsx, no build step,
// so `npx airlock` always runs the code in the tree. Packaged apps ship a bundled CLI instead.
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/index.ts');
