// Runs the prebuilt CLI bundle (dist/cli/airlock.cjs) with V8's code cache for it, the way Node
// would run it with require(), but compiled from the cache instead of from source.
// `--write-code-cache` (used by scripts/build-cli.mjs) compiles the bundle and writes the cache:
// what V8 compiles up front, which spares the parse of the whole 2 MB source on every start.
// (Compiling every function first with --no-lazy would cover more, but V8 refuses a cache made
// under other flags than the ones it runs with.)
//
// The cache is only as trusted as the bundle: both are written by the same build into the same
// folder, and anyone who can replace one can replace the other. V8 checks that the cache matches
// this source and this V8 version and flags; when it does not, the bundle is compiled as usual.
'use strict';
const { readFileSync, writeFileSync, renameSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const bundlePath = path.join(__dirname, '..', 'dist', 'cli', 'airlock.cjs');
const cachePath = `${bundlePath}.cache`;

function compile(cachedData) {
  const source = readFileSync(bundlePath, 'utf8');
  return new vm.Script(Module.wrap(source), { filename: bundlePath, ...(cachedData ? { cachedData } : {}) });
}

function readCache() {
  try {
    return readFileSync(cachePath);
  } catch {
    return undefined;
  }
}

if (process.argv[2] === '--write-code-cache') {
  const data = compile(undefined).createCachedData();
  const temp = `${cachePath}.${process.pid}.partial`;
  writeFileSync(temp, data);
  renameSync(temp, cachePath);
} else {
  const script = compile(readCache());
  const bundle = new Module(bundlePath, module);
  bundle.filename = bundlePath;
  bundle.paths = Module._nodeModulePaths(path.dirname(bundlePath));
  const requireFromBundle = (id) => bundle.require(id);
  requireFromBundle.resolve = (id) => Module._resolveFilename(id, bundle);
  script.runInThisContext()(bundle.exports, requireFromBundle, bundle, bundlePath, path.dirname(bundlePath));
  bundle.loaded = true;
}
