/**
 * Plain `npm install` must succeed on a machine that cannot download Electron's binary (offline
 * stations' build machines, CI) and still fetch it where the network allows (docs/packaging.md,
 * "npm install offline"). What makes that so: electron is an optional dependency of a local
 * development package, so npm drops it instead of rolling back the whole install when its
 * download fails, and electron-builder never counts it as part of the app; scripts/postinstall.mjs
 * then puts the package back without its binary. A fresh offline install takes minutes (it
 * compiles better-sqlite3), so this checks the pieces: the declarations, the lockfile npm
 * installs from, and the postinstall script against a stand-in npm.
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli-runner.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();

interface PackageJson {
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
}

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

describe('npm install without a route to the Electron binary', () => {
  it('declares electron only as an optional dependency of a local development package', async () => {
    const pkg = await readJson<PackageJson>(join(REPO_ROOT, 'package.json'));
    // Directly in the root it would either fail the whole install offline (dependencies,
    // devDependencies) or be packed into the app by electron-builder (optionalDependencies).
    expect(pkg.dependencies?.['electron']).toBeUndefined();
    expect(pkg.devDependencies?.['electron']).toBeUndefined();
    expect(pkg.optionalDependencies?.['electron']).toBeUndefined();
    expect(pkg.devDependencies?.['airlock-electron-optional']).toBe('file:tools/electron-optional');
    const wrapper = await readJson<PackageJson & { name: string }>(join(REPO_ROOT, 'tools', 'electron-optional', 'package.json'));
    expect(wrapper.name).toBe('airlock-electron-optional');
    expect(wrapper.optionalDependencies?.['electron']).toMatch(/^\^?\d+\.\d+\.\d+$/);
    expect(wrapper.dependencies ?? {}).toEqual({});
    expect(pkg.scripts['postinstall']).toBe('node scripts/postinstall.mjs');
    expect(pkg.allowScripts?.['electron']).toBe(true);
  });

  it('has a lockfile in which electron and everything only it needs are dev and optional', async () => {
    const lock = await readJson<{
      packages: Record<string, { dev?: boolean; optional?: boolean; link?: boolean; resolved?: string; dependencies?: Record<string, string> }>;
    }>(join(REPO_ROOT, 'package-lock.json'));
    expect(lock.packages['node_modules/airlock-electron-optional']).toMatchObject({ link: true, resolved: 'tools/electron-optional' });
    const electron = lock.packages['node_modules/electron'];
    expect(electron).toMatchObject({ dev: true, optional: true });
    // @electron/get is what downloads the binary; it must go with electron, never stop an install.
    expect(lock.packages['node_modules/@electron/get']).toMatchObject({ dev: true, optional: true });
  });
});

describe('scripts/postinstall.mjs', () => {
  /** A project folder with the script and a stand-in npm that records its arguments and can put electron back. */
  async function project(options: {
    electronPresent: boolean;
    npmRestores: boolean;
  }): Promise<{ root: string; run: (env?: NodeJS.ProcessEnv) => { status: number | null; stdout: string; npmArgs: string[] | null } }> {
    const root = await makeTemp('airlock-postinstall-');
    await mkdir(join(root, 'scripts'));
    await copyFile(join(REPO_ROOT, 'scripts', 'postinstall.mjs'), join(root, 'scripts', 'postinstall.mjs'));
    await writeFile(join(root, 'package.json'), '{"name":"p","type":"module"}\n');
    if (options.electronPresent) {
      await mkdir(join(root, 'node_modules', 'electron'), { recursive: true });
      await writeFile(join(root, 'node_modules', 'electron', 'package.json'), '{"name":"electron"}\n');
    }
    const fakeNpm = join(root, 'fake-npm.cjs');
    await writeFile(
      fakeNpm,
      [
        "const fs = require('node:fs'); const path = require('node:path');",
        "fs.writeFileSync(path.join(process.cwd(), 'npm-args.json'), JSON.stringify(process.argv.slice(2)));",
        options.npmRestores
          ? "fs.mkdirSync('node_modules/electron', { recursive: true }); fs.writeFileSync('node_modules/electron/package.json', '{}');"
          : 'process.exit(1);',
      ].join('\n'),
    );
    return {
      root,
      run: (env = {}) => {
        const result = spawnSync(process.execPath, [join(root, 'scripts', 'postinstall.mjs')], {
          cwd: root,
          env: { PATH: process.env['PATH'], npm_execpath: fakeNpm, ...env },
          encoding: 'utf8',
        });
        const argsFile = join(root, 'npm-args.json');
        return {
          status: result.status,
          stdout: result.stdout,
          npmArgs: existsSync(argsFile) ? (JSON.parse(readFileSync(argsFile, 'utf8')) as string[]) : null,
        };
      },
    };
  }

  it('does nothing where the download worked (or was skipped on purpose)', async () => {
    const p = await project({ electronPresent: true, npmRestores: true });
    const result = p.run();
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.npmArgs).toBeNull();
  });

  it('puts the dropped electron package back with scripts off, changing neither package.json nor the lockfile', async () => {
    const p = await project({ electronPresent: false, npmRestores: true });
    const result = p.run();
    expect(result.status).toBe(0);
    expect(result.npmArgs).toEqual(expect.arrayContaining(['install', '--ignore-scripts', '--no-save']));
    expect(existsSync(join(p.root, 'node_modules', 'electron', 'package.json'))).toBe(true);
    expect(result.stdout).toContain('desktop app cannot start on this machine');
    expect(result.stdout).toContain('electron package in place, without its binary');
  });

  it('never fails the install when the package cannot be put back, and says what then needs it', async () => {
    const p = await project({ electronPresent: false, npmRestores: false });
    const result = p.run();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('`npm run typecheck` and `npm run build` need it');
  });

  it('leaves electron out where the install omits optional or dev dependencies', async () => {
    for (const omit of ['optional', 'dev', 'dev,optional']) {
      const p = await project({ electronPresent: false, npmRestores: true });
      const result = p.run({ npm_config_omit: omit });
      expect(result.status).toBe(0);
      expect(result.npmArgs).toBeNull();
    }
  });
});
