#!/usr/bin/env node
// `node bin/airlock.mjs`, as the command was named before bin/airlock.cjs: the same thing, for
// scripts and tests that still call it by this name (it starts node's ES module loader first).
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./airlock.cjs');
