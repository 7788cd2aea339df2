/**
 * The CLI's code caches are used, not just written (issue #18, start-up). V8 rejects a cache made
 * under other flags than the ones in force when the script is compiled, silently: the bundle is
 * then compiled from source and only the time shows it. The CLI sets a heap flag at run time
 * (electron/cli/heap-tuning.ts), and vendor bundles (openpgp.js) are compiled after that, so their
 * caches were rejected on every command until scripts/cli-loader.cjs set the same flags first.
 * Built with the CLI's own options into a temp folder, caches written by the loader as
 * scripts/build-cli.mjs does (airlock.cjs's after a run of `keys list`, so it holds the functions
 * every start runs; vendor-zod.cjs's after that run validated the training home's config.json),
 * then commands that load zod and openpgp.js run through the loader.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT } from '../../../electron/cli/heap-tuning.js';
import { cliBuildOptions, repoRoot } from '../../../scripts/cli-bundle.mjs';

const loaderSource = join(repoRoot, 'scripts', 'cli-loader.cjs');
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-cli-cache-'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(loaderSource, join(dir, 'scripts', 'cli-loader.cjs'));
  await build({ ...cliBuildOptions(join(dir, 'dist', 'cli')), sourcemap: false, logLevel: 'error' });
  mkdirSync(join(dir, 'tmp'));
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: join(dir, 'tmp') };
  delete env.NODE_OPTIONS;
  const written = spawnSync(process.execPath, [join(dir, 'scripts', 'cli-loader.cjs'), '--write-code-cache'], { encoding: 'utf8', env });
  expect(written.status, written.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function runThroughLoader(args: string[], home = join(dir, 'home')): { status: number | null; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, AIRLOCK_CODE_CACHE_REPORT: '1' };
  delete env.NODE_OPTIONS;
  delete env.AIRLOCK_HOME;
  const run = spawnSync(process.execPath, [join(dir, 'scripts', 'cli-loader.cjs'), '--home', home, ...args], { encoding: 'utf8', env });
  return { status: run.status, stderr: run.stderr };
}

describe('CLI code caches', () => {
  it('the loader sets the heap flag heap-tuning.ts sets, with the same value', () => {
    expect(readFileSync(loaderSource, 'utf8')).toContain(`'--heap-growing-percent=${HEAP_GROWING_PERCENT}'`);
  });

  it("airlock.cjs's cache is written after a light command ran, so it holds the code start-up runs, not just the top level", () => {
    const bundle = join(dir, 'dist', 'cli', 'airlock.cjs');
    // What a cache of the compiled-but-not-run bundle holds (V8 compiles inner functions lazily, when first called).
    const topLevelOnly = new Script(Module.wrap(readFileSync(bundle, 'latin1')), { filename: bundle }).createCachedData().length;
    const written = statSync(`${bundle}.cache`).size;
    expect(written).toBeGreaterThan(topLevelOnly * 1.2);
    // The run's throwaway home is gone.
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
  });

  it("vendor-zod.cjs's cache is written after the training run validated a config.json, and a command reading one takes it", () => {
    const zodBundle = join(dir, 'dist', 'cli', 'vendor-zod.cjs');
    const topLevelOnly = new Script(Module.wrap(readFileSync(zodBundle, 'latin1')), { filename: zodBundle }).createCachedData().length;
    expect(statSync(`${zodBundle}.cache`).size).toBeGreaterThan(topLevelOnly * 1.2);
    const home = join(dir, 'home-with-config');
    mkdirSync(home, { recursive: true });
    // A name within 200 characters but over 200 UTF-16 units: what only the schema judges (the check without zod leaves it to it).
    writeFileSync(join(home, 'config.json'), JSON.stringify({ stationName: `Cache ${'\u{1F511}'.repeat(100)}` }));
    const run = runThroughLoader(['keys', 'list', '--json'], home);
    expect(run.status, run.stderr).toBe(0);
    const reports = run.stderr.split('\n').filter((line) => line.startsWith('code cache '));
    expect(reports).toEqual(['code cache airlock.cjs: accepted', 'code cache vendor-zod.cjs: accepted']);
  });

  it('a command that loads openpgp.js compiles airlock.cjs and vendor-openpgp.cjs from their caches', () => {
    const passphrase = join(dir, 'passphrase');
    writeFileSync(passphrase, 'code cache test passphrase\n', { mode: 0o600 });
    const run = runThroughLoader(['keys', 'generate', '--name', 'Cache Test', '--passphrase-file', passphrase]);
    expect(run.status, run.stderr).toBe(0);
    const reports = run.stderr.split('\n').filter((line) => line.startsWith('code cache '));
    expect(reports).toContain('code cache airlock.cjs: accepted');
    expect(reports).toContain('code cache vendor-openpgp.cjs: accepted');
    expect(reports.filter((line) => line.endsWith('rejected'))).toEqual([]);
  });
});
