/**
 * CLI start-up (issue #18): every command pays for what the bundle evaluates before it runs, so
 * the heavy libraries only some commands need (openpgp.js for keys and signatures, undici for
 * registries) are evaluated behind a dynamic import, on first use. Checked on the bundle built
 * with the CLI's own options: no eager initialisation of either is left, and the commands that
 * no longer load them (--help, keys list) and those that do (keys generate, audit verify with a
 * checkpoint signature) still behave.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBuildOptions, repoRoot } from '../../../scripts/cli-bundle.mjs';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-cli-startup-'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  await build({ ...cliBuildOptions(join(dir, 'cli')), sourcemap: false, logLevel: 'error' });
}, 120_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function airlock(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.AIRLOCK_HOME;
  const run = spawnSync(process.execPath, [join(dir, 'cli', 'airlock.cjs'), '--home', join(dir, 'home'), ...args], { encoding: 'utf8', env });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the CLI bundle loads openpgp.js and undici only when a command uses them', () => {
  it('initialises them nowhere but behind a dynamic import', () => {
    const bundle = readFileSync(join(dir, 'cli', 'airlock.cjs'), 'utf8');
    for (const library of ['openpgp', 'undici']) {
      // esbuild initialises a bundled module by calling init_<name>() (ES module) or require_<name>() (CommonJS).
      const calls = [...bundle.matchAll(new RegExp(`\\b(?:init|require)_${library}\\(\\)`, 'gu'))];
      expect(calls.length, `${library} is bundled and initialised somewhere`).toBeGreaterThan(0);
      for (const call of calls) {
        const line = bundle.slice(bundle.lastIndexOf('\n', call.index) + 1, bundle.indexOf('\n', call.index));
        expect(line, `an eager initialisation of ${library}`).toMatch(/Promise\.resolve\(\)\.then\(\(\) =>/u);
      }
    }
  });

  it('--help and keys list behave as before', () => {
    const help = airlock('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: airlock');
    expect(help.stdout).toMatch(/keys/u);
    const empty = airlock('keys', 'list', '--json');
    expect(empty.status).toBe(0);
    expect(JSON.parse(empty.stdout)).toMatchObject({ ok: true });
  });

  it('keys generate, keys list and a signed audit checkpoint still work once openpgp.js loads on use', () => {
    const pass = join(dir, 'pass');
    writeFileSync(pass, 'startup test passphrase\n');
    expect(airlock('keys', 'generate', '--name', 'Startup Test', '--passphrase-file', pass).status).toBe(0);
    const listed = airlock('keys', 'list', '--json');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain('Startup Test');
    expect(airlock('audit', 'checkpoint', '--passphrase-file', pass).status).toBe(0);
    const verified = airlock('audit', 'verify', '--json');
    expect(verified.status).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, checkpoints: 1, firstBroken: null });
  }, 120_000);
});
