// electron-builder beforePack hook: generate the man page and the bash and zsh completions from
// the commander definitions (scripts/build-cli-docs.mjs) into dist/cli-docs, which extraResources
// copies to resources/share, so every package carries ones that match the CLI being packed.
// CommonJS because electron-builder require()s hooks.
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const CLI_DOCS_SCRIPT = path.join(__dirname, '..', 'scripts', 'build-cli-docs.mjs');

async function beforePack() {
  const result = spawnSync(process.execPath, [CLI_DOCS_SCRIPT], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`scripts/build-cli-docs.mjs failed (exit ${String(result.status)})`);
}

module.exports = { default: beforePack, CLI_DOCS_SCRIPT };
