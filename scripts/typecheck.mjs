#!/usr/bin/env node
// Type-checks each layer with its own tsconfig (docs/design.md §1), in order, stopping at the first
// failure. A project whose include globs match no file yet (tsc error TS18003) is skipped.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const PROJECTS = ['tsconfig.shared.json', 'tsconfig.core.json', 'tsconfig.main.json', 'tsconfig.preload.json', 'tsconfig.renderer.json', 'tsconfig.test.json'];

for (const project of PROJECTS) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [tsc, '-p', project, '--pretty', 'false'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  const output = `${result.stdout}${result.stderr}`;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status === 0) {
    console.log(`typecheck ${project}: ok (${seconds}s)`);
    continue;
  }
  const errors = output.split('\n').filter((line) => /error TS\d+/.test(line));
  if (errors.length > 0 && errors.every((line) => line.includes('error TS18003'))) {
    console.log(`typecheck ${project}: skipped, no input files yet`);
    continue;
  }
  process.stderr.write(output);
  console.error(`typecheck ${project}: FAILED (exit ${result.status ?? result.signal})`);
  process.exit(1);
}
