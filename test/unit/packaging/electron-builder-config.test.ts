/**
 * The packaging configuration (docs/packaging.md), read with electron-builder's own config
 * loader: every target, the native module unpacked from asar, rebuilt for Electron at pack
 * time only, the fuses hook, and the `airlock` launchers shipped as extra resources.
 * (Packaging itself needs the Electron binary, which cannot be downloaded here.)
 */
import { access, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseV1Options } from '@electron/fuses';
import { describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const require = createRequire(import.meta.url);

interface BuilderConfig {
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  afterPack: string;
  beforePack: string;
  files: string[];
  extraResources: Array<{ from: string; to: string }>;
  linux: { target: string[]; executableName: string };
  deb: { afterInstall: string; afterRemove: string };
  rpm: { afterInstall: string; afterRemove: string };
  win: { target: string[] };
  mac: { target: string[] };
}

async function loadConfig(): Promise<BuilderConfig> {
  // electron-builder's loader, so the test reads the file exactly as packaging will.
  const { findAndReadConfig } = require('app-builder-lib/out/util/config/load') as {
    findAndReadConfig: (request: { packageKey: string; configFilename: string; projectDir: string }) => Promise<{ result: unknown } | null>;
  };
  const found = await findAndReadConfig({ packageKey: 'build', configFilename: 'electron-builder', projectDir: repo });
  if (!found) throw new Error('electron-builder.yml not found');
  return found.result as BuilderConfig;
}

describe('electron-builder configuration', () => {
  it('builds deb, rpm and AppImage for Linux, NSIS for Windows, dmg for macOS', async () => {
    const config = await loadConfig();
    expect(config.linux.target.sort()).toEqual(['AppImage', 'deb', 'rpm']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('keeps better-sqlite3 outside the asar and rebuilds it for Electron at pack time, not at install', async () => {
    const config = await loadConfig();
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', '**/node_modules/better-sqlite3/**']));
    expect(config.npmRebuild).toBe(true);
    const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(Object.values(pkg.scripts).join(' ')).not.toMatch(/electron-rebuild|electron-builder install-app-deps/);
    expect(pkg.scripts['postinstall'] ?? '').not.toMatch(/rebuild/);
  });

  it('flips the fuses in an afterPack hook', async () => {
    const config = await loadConfig();
    expect(config.afterPack).toBe('build/after-pack.cjs');
    const hook = require(join(repo, config.afterPack)) as {
      default: unknown;
      AIRLOCK_FUSES: Record<number, boolean>;
      executablePath: (context: unknown) => string;
    };
    expect(typeof hook.default).toBe('function');
    expect(hook.AIRLOCK_FUSES).toEqual({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    });
    const packager = { appInfo: { productFilename: 'Airlock' }, executableName: config.linux.executableName };
    expect(hook.executablePath({ appOutDir: '/b/linux-unpacked', electronPlatformName: 'linux', packager })).toBe('/b/linux-unpacked/airlock-desktop');
    expect(hook.executablePath({ appOutDir: '/b/win', electronPlatformName: 'win32', packager })).toBe('/b/win/Airlock.exe');
    expect(hook.executablePath({ appOutDir: '/b/mac', electronPlatformName: 'darwin', packager })).toBe('/b/mac/Airlock.app');
  });

  it('ships the built app and the `airlock` launchers, and links the command on Linux', async () => {
    const config = await loadConfig();
    expect(config.files).toContain('out/**/*');
    expect(config.extraResources).toEqual([
      // The PDF receipts' fonts, where core looks for them in a packaged app (receipts/pdf-fonts.ts).
      expect.objectContaining({ from: 'resources/fonts', to: 'fonts' }),
      expect.objectContaining({ from: 'build/cli', to: 'bin' }),
      expect.objectContaining({ from: 'dist/cli-docs', to: 'share' }),
    ]);
    const sh = await readFile(join(repo, 'build/cli/airlock'), 'utf8');
    expect(sh).toContain('--airlock-cli "$@"');
    expect(sh).toContain(`/${config.linux.executableName}"`);
    expect((await stat(join(repo, 'build/cli/airlock'))).mode & 0o111).not.toBe(0);
    expect(await readFile(join(repo, 'build/cli/airlock.cmd'), 'utf8')).toContain('Airlock.exe" --airlock-cli %*');
    for (const script of [config.deb.afterInstall, config.rpm.afterInstall]) {
      expect(await readFile(join(repo, script), 'utf8')).toContain("resources/bin/airlock' /usr/bin/airlock");
    }
    await access(join(repo, config.deb.afterRemove));
  });

  it('generates the man page and completions before packing, and links them into /usr/share on install', async () => {
    const config = await loadConfig();
    expect(config.beforePack).toBe('build/before-pack.cjs');
    const hook = require(join(repo, config.beforePack)) as { default: unknown; CLI_DOCS_SCRIPT: string };
    expect(typeof hook.default).toBe('function');
    await access(hook.CLI_DOCS_SCRIPT);
    const docs = config.extraResources.find((r) => r.from === 'dist/cli-docs') as unknown as { filter: string[] };
    expect(docs.filter.sort()).toEqual(['_airlock', 'airlock.1', 'airlock.bash']);
    for (const script of [config.deb.afterInstall, config.rpm.afterInstall]) {
      const text = await readFile(join(repo, script), 'utf8');
      expect(text).toContain('/usr/share/man/man1/airlock.1');
      expect(text).toContain('/usr/share/bash-completion/completions/airlock');
      expect(text).toContain('"$zsh_dir/_airlock"');
    }
    const removal = await readFile(join(repo, config.deb.afterRemove), 'utf8');
    expect(removal).toContain('rm -f /usr/share/man/man1/airlock.1 /usr/share/bash-completion/completions/airlock');
  });
});
