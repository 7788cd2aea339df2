// Runs the prebuilt CLI bundle (dist/cli/airlock.cjs) with V8's code cache for it, the way Node
// would run it with require(), but compiled from the cache instead of from source.
// `--write-code-cache` (used by scripts/build-cli.mjs) compiles the bundle, runs one light command
// with it (`keys list` on a throwaway home with a config.json) and then writes the caches: V8 puts in them the bytecode
// of every function compiled so far, i.e. not only the top level but the module initialisers,
// commander, zod and the station opening that every command runs, which would otherwise be
// compiled lazily on every start. (Compiling every function first with --no-lazy would cover more
// and cost more to load, and V8 refuses a cache made under other flags than the ones it runs
// with.) The cache holds code only, no state of that run. The large libraries only some commands use are
// bundles of their own beside it (vendor-<name>.cjs, scripts/cli-bundle.mjs), each with its cache;
// airlock.cjs require()s them on first use, and that require() is served the same way.
//
// The cache is only as trusted as the bundle: both are written by the same build into the same
// folder, and anyone who can replace one can replace the other. V8 checks that the cache matches
// this source and this V8 version and flags; when it does not, the bundle is compiled as usual.
'use strict';
const { isAscii } = require('node:buffer');
const { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
// The CommonJS loader's Module class, which require('node:module') also returns; taken from this
// module, because require('node:module') loads four more of node's modules (its ES module loader).
const Module = module.constructor;
const { tmpdir } = require('node:os');
const path = require('node:path');
const { setFlagsFromString } = require('node:v8');
const vm = require('node:vm');

const bundleDir = path.join(__dirname, '..', 'dist', 'cli');
const bundlePath = path.join(bundleDir, 'airlock.cjs');
const VENDOR_BUNDLE = /^\.\/(vendor-[a-z0-9-]+\.cjs)$/u;

// V8 accepts a code cache only under the flags it was made with, and the CLI sets a heap flag at
// run time (electron/cli/heap-tuning.ts, which keeps setting it for runs that do not come through
// here). A vendor bundle is compiled after that, so without this every command that loads one
// compiled openpgp.js from source. Set here first, in both modes, every cache is made and used
// under the same flags. The value must be heap-tuning.ts's (test/unit/packaging/cli-code-cache.test.ts).
const CLI_V8_FLAGS = ['--heap-growing-percent=30'];
for (const flag of CLI_V8_FLAGS) setFlagsFromString(flag);

// AIRLOCK_CODE_CACHE_REPORT=1 writes whether V8 took each bundle's cache to stderr (for that test).
const reportCache = process.env.AIRLOCK_CODE_CACHE_REPORT === '1';

function compile(file, cachedData) {
  // scripts/build-cli.mjs writes the bundles in ASCII: as Latin-1 the bytes are the string, with no UTF-8 decoding.
  const bytes = readFileSync(file);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const script = new vm.Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (reportCache && cachedData) process.stderr.write(`code cache ${path.basename(file)}: ${script.cachedDataRejected ? 'rejected' : 'accepted'}\n`);
  return script;
}

function readCache(file) {
  try {
    return readFileSync(`${file}.cache`);
  } catch {
    return undefined;
  }
}

/** With --write-code-cache: the vendor bundles the training run loaded, compiled from source, whose caches are written after it. */
let trainedVendors = null;

/** Runs `file` as the CommonJS module `require(file)` would make, from its code cache; its own require() of a vendor bundle comes back here. */
function runCached(file, parent) {
  const cached = Module._cache[file];
  if (cached) return cached.exports;
  if (trainedVendors === null) return runScript(file, compile(file, readCache(file)), parent);
  const script = compile(file, undefined);
  trainedVendors.set(file, script);
  return runScript(file, script, parent);
}

/** Runs the compiled `file` as its CommonJS module. */
function runScript(file, script, parent) {
  const module = new Module(file, parent);
  module.filename = file;
  module.paths = Module._nodeModulePaths(path.dirname(file));
  Module._cache[file] = module;
  const requireFromModule = (id) => {
    const vendor = VENDOR_BUNDLE.exec(id);
    return vendor ? runCached(path.join(bundleDir, vendor[1]), module) : module.require(id);
  };
  requireFromModule.resolve = (id) => Module._resolveFilename(id, module);
  requireFromModule.cache = Module._cache;
  try {
    script.runInThisContext()(module.exports, requireFromModule, module, file, path.dirname(file));
  } catch (error) {
    delete Module._cache[file];
    throw error;
  }
  module.loaded = true;
  return module.exports;
}

function writeCache(file, script) {
  const temp = `${file}.cache.${process.pid}.partial`;
  writeFileSync(temp, script.createCachedData());
  renameSync(temp, `${file}.cache`);
}

/** The command whose start-up the cache of airlock.cjs is made from: what every command does before its own work (parse, open the home, read config and trust store). */
const TRAINING_ARGS = ['keys', 'list', '--json'];

/**
 * The training home holds a config.json that only the zod schema can judge: a station name of 100
 * keys (U+1F511) is 100 characters, within the limit of 200, but 200 UTF-16 units plus the
 * prefix, over it, so the check without zod (electron/core/home/station-config-plain.ts) leaves
 * it to the schema. Reading it loads zod (vendor-zod.cjs, on first use since
 * scripts/cli-bundle.mjs's LAZY_VENDOR_LIBRARIES) and builds and runs the config's schemas, the
 * forward section's included, so zod's cache too holds the code that validating a file runs.
 */
const trainingConfig = (home) => ({
  stationName: `code cache training ${'\u{1F511}'.repeat(100)}`,
  forward: { jsonLines: { path: path.join(home, 'forward.jsonl') } },
});

function writeCodeCaches() {
  trainedVendors = new Map();
  const script = compile(bundlePath, undefined);
  const home = mkdtempSync(path.join(tmpdir(), 'airlock-code-cache-'));
  writeFileSync(path.join(home, 'config.json'), `${JSON.stringify(trainingConfig(home))}\n`);
  process.argv = [process.argv[0], bundlePath, '--home', home, ...TRAINING_ARGS];
  const done = (code) => {
    rmSync(home, { recursive: true, force: true });
    if (code !== 0)
      process.stderr.write(
        `cli-loader: \`airlock ${TRAINING_ARGS.join(' ')}\` on a new home ended with ${String(code)}; the code cache covers less of the start-up\n`,
      );
    writeCache(bundlePath, script);
    // The vendor bundles the run loaded: with the code it ran. The others: compiled, not run
    // (running openpgp.js's key generation here would be slow for what it saves once per command that signs).
    for (const name of readdirSync(bundleDir).filter((entry) => /^vendor-[a-z0-9-]+\.cjs$/u.test(entry))) {
      const file = path.join(bundleDir, name);
      writeCache(file, trainedVendors.get(file) ?? compile(file, undefined));
    }
    process.exitCode = 0;
  };
  runScript(bundlePath, script, module).finished.then(done, (error) => {
    process.stderr.write(`cli-loader: ${String(error)}\n`);
    done(1);
  });
}

if (process.argv[2] === '--write-code-cache') writeCodeCaches();
else runCached(bundlePath, module);
