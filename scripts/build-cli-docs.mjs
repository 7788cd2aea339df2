#!/usr/bin/env node
// Writes the man page (airlock.1) and the bash and zsh completions (airlock.bash, _airlock) from
// the commander definitions in electron/cli, so they always list the commands and options the CLI
// parses. Runs with the CLI bundle (scripts/build-cli.mjs: npm install, npm run build:cli) and
// before packaging (build/before-pack.cjs); the deb and rpm install the results
// (build/linux/after-install.sh). Usage: node scripts/build-cli-docs.mjs [OUTDIR]
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const CLI_DOCS_DIR = join(root, 'dist', 'cli-docs');

export async function buildCliDocs(outDir = CLI_DOCS_DIR) {
  const { register } = await import('tsx/esm/api');
  const unregister = register();
  try {
    const docs = await import(new URL('../electron/cli/cli-docs.ts', import.meta.url).href);
    await mkdir(outDir, { recursive: true });
    const files = {
      'airlock.1': docs.renderManPage(),
      'airlock.bash': docs.renderBashCompletion(),
      _airlock: docs.renderZshCompletion(),
    };
    for (const [name, text] of Object.entries(files)) await writeFile(join(outDir, name), text);
    return Object.keys(files).map((name) => join(outDir, name));
  } finally {
    await unregister();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = await buildCliDocs(process.argv[2] ? resolve(process.argv[2]) : undefined);
  for (const file of written) process.stdout.write(`${file}\n`);
}
