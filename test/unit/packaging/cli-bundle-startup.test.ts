/**
 * CLI start-up (issue #18): every command pays for what the bundle reads and evaluates before it
 * runs, so what only some commands need is loaded on first use: openpgp.js and undici are bundles
 * of their own (vendor-*.cjs) required behind a dynamic import, zod one required by a stand-in when
 * a schema is first built (a config file to validate), better-sqlite3 is required when a
 * database opens, and Station loads each operation's module (tar, the transfer pipelines, the PDF
 * renderer, TLS for syslog and registries) when that operation runs. Checked on the bundle built
 * with the CLI's own options: statically (no copy of either library in airlock.cjs, no eager
 * require of their bundles), and by what light commands actually load (node's own list of
 * loaded built-in modules and the require cache, written by a preload at exit); the commands that
 * do load them (keys generate, audit verify with a checkpoint signature) still behave.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAZY_BUILTINS, LAZY_VENDOR_LIBRARIES, cliBuildOptions, repoRoot } from '../../../scripts/cli-bundle.mjs';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-cli-startup-'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  await build({ ...cliBuildOptions(join(dir, 'cli')), sourcemap: false, logLevel: 'error' });
}, 120_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Loaded {
  /** Built-in modules node loaded (process.moduleLoadList, internals left out). */
  builtins: string[];
  /** Files in the require cache: the bundle, its vendor bundles, node_modules. */
  files: string[];
}

/** Written at exit by a preload, so the command's own output stays as it is. */
const TRACE = `process.on('exit', () => {
  const builtins = process.moduleLoadList.filter((n) => n.startsWith('NativeModule ') && !n.includes('internal/')).map((n) => n.slice(13));
  require('node:fs').writeFileSync(process.env.AIRLOCK_LOAD_TRACE, JSON.stringify({ builtins, files: Object.keys(require.cache) }));
});`;

let runs = 0;
function airlock(...args: string[]): { status: number | null; stdout: string; stderr: string; loaded: Loaded } {
  return airlockAt(join(dir, 'home'), ...args);
}

function airlockAt(home: string, ...args: string[]): { status: number | null; stdout: string; stderr: string; loaded: Loaded } {
  const env: NodeJS.ProcessEnv = { ...process.env, AIRLOCK_LOAD_TRACE: join(dir, `loaded-${String((runs += 1))}.json`) };
  delete env.NODE_OPTIONS;
  delete env.AIRLOCK_HOME;
  const preload = join(dir, 'trace-loads.cjs');
  if (!existsSync(preload)) writeFileSync(preload, TRACE);
  const run = spawnSync(process.execPath, ['--require', preload, join(dir, 'cli', 'airlock.cjs'), '--home', home, ...args], {
    encoding: 'utf8',
    env,
  });
  const loaded = JSON.parse(readFileSync(env.AIRLOCK_LOAD_TRACE as string, 'utf8')) as Loaded;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, loaded };
}

const loadedFile = (loaded: Loaded, name: string): boolean => loaded.files.some((file) => file.includes(name));

describe('the CLI bundle loads the heavy parts only when a command uses them', () => {
  it('keeps openpgp.js and undici out of airlock.cjs, required only behind a dynamic import', () => {
    const bundle = readFileSync(join(dir, 'cli', 'airlock.cjs'), 'utf8');
    for (const library of ['openpgp', 'undici']) {
      expect(existsSync(join(dir, 'cli', `vendor-${library}.cjs`)), `vendor-${library}.cjs`).toBe(true);
      // esbuild initialises a bundled module by calling init_<name>() (ES module) or require_<name>() (CommonJS).
      expect(bundle, `${library} is bundled into airlock.cjs`).not.toMatch(new RegExp(`\\b(?:init|require)_${library}\\(\\)`, 'u'));
      const requires = [...bundle.matchAll(new RegExp(`require\\("\\./vendor-${library}\\.cjs"\\)`, 'gu'))];
      expect(requires.length, `${library}'s bundle is required somewhere`).toBeGreaterThan(0);
      for (const call of requires) {
        const line = bundle.slice(bundle.lastIndexOf('\n', call.index) + 1, bundle.indexOf('\n', call.index));
        expect(line, `an eager require of ${library}`).toMatch(/Promise\.resolve\(\)\.then\(\(\) =>/u);
      }
    }
  });

  it('keeps zod, tar, yaml and yauzl out of airlock.cjs: each bundle is required by a stand-in when an export is first read (LAZY_VENDOR_LIBRARIES)', () => {
    const bundle = readFileSync(join(dir, 'cli', 'airlock.cjs'), 'utf8');
    expect(LAZY_VENDOR_LIBRARIES).toEqual(['zod', 'tar', 'yaml', 'yauzl']);
    for (const library of LAZY_VENDOR_LIBRARIES) {
      expect(existsSync(join(dir, 'cli', `vendor-${library}.cjs`)), `vendor-${library}.cjs`).toBe(true);
      // esbuild names each bundled file in a comment: none of the library's.
      expect(bundle, `${library} is bundled into airlock.cjs`).not.toContain(`/node_modules/${library}/`);
      const requires = [...bundle.matchAll(new RegExp(`require\\("\\./vendor-${library}\\.cjs"\\)`, 'gu'))];
      expect(requires, `requires of vendor-${library}.cjs`).toHaveLength(1);
      const call = requires[0]?.index ?? 0;
      expect(bundle.slice(bundle.lastIndexOf('\n', call) + 1, bundle.indexOf('\n', call))).toMatch(/=> real\d* \?\?= require/u);
    }
  });

  it('--version, --help and keys list load neither SQLite nor zod, openpgp.js, undici, tar (zlib), yaml, yauzl, TLS or the PDF renderer', () => {
    for (const args of [['--version'], ['--help'], ['keys', 'list', '--json']]) {
      const { status, loaded } = airlock(...args);
      expect(status, args.join(' ')).toBe(0);
      for (const heavy of ['better-sqlite3', 'vendor-', 'pdfkit']) expect(loadedFile(loaded, heavy), `${args.join(' ')} loads ${heavy}`).toBe(false);
      // zlib, TLS and HTTP come with the libraries; the rest with modules of ours that import them for functions these commands never call.
      for (const builtin of ['zlib', 'tls', 'http', 'https', 'http2', 'crypto', 'child_process', 'worker_threads', 'dgram', 'readline', 'module'])
        expect(loaded.builtins, `${args.join(' ')} loads node:${builtin}`).not.toContain(builtin);
    }
  });

  it('keys list makes neither process.stdin nor process.stderr; a failing command gets stderr with the closed-reader handler on it', () => {
    // Node makes each on first read (a ReadStream, socket or TTY stream); the preload notes each read of node's own getter.
    const preload = join(dir, 'trace-stdio.cjs');
    writeFileSync(
      preload,
      [
        'const made = [];',
        "for (const name of ['stdin', 'stderr']) {",
        '  const own = Object.getOwnPropertyDescriptor(process, name);',
        '  Object.defineProperty(process, name, { configurable: true, enumerable: true, get() { made.push(name); Object.defineProperty(process, name, own); return own.get.call(process); } });',
        '}',
        "process.on('exit', () => require('node:fs').writeFileSync(process.env.AIRLOCK_STDIO_TRACE, JSON.stringify({ made, stderrErrorListeners: made.includes('stderr') ? process.stderr.listenerCount('error') : null })));",
      ].join('\n'),
    );
    const run = (...args: string[]) => {
      const trace = join(dir, `stdio-${String((runs += 1))}.json`);
      const env: NodeJS.ProcessEnv = { ...process.env, AIRLOCK_STDIO_TRACE: trace };
      delete env.NODE_OPTIONS;
      const result = spawnSync(process.execPath, ['--require', preload, join(dir, 'cli', 'airlock.cjs'), '--home', join(dir, 'home'), ...args], {
        encoding: 'utf8',
        env,
      });
      return { ...result, trace: JSON.parse(readFileSync(trace, 'utf8')) as { made: string[]; stderrErrorListeners: number | null } };
    };
    const listed = run('keys', 'list', '--json');
    expect(listed.status, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({ ok: true });
    expect(listed.trace).toEqual({ made: [], stderrErrorListeners: null });
    const refused = run('keys', 'list', '--no-such-option');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("Unknown option '--no-such-option'");
    expect(refused.trace.made).toEqual(['stderr']);
    expect(refused.trace.stderrErrorListeners).toBeGreaterThan(0);
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

  it('a common config.json is read without zod, one only the schema can judge loads it, and a hostile config.json or trust store is refused in the schema’s words', () => {
    const home = join(dir, 'home-with-config');
    mkdirSync(join(home, 'keys'), { recursive: true, mode: 0o700 });
    writeFileSync(join(home, 'config.json'), JSON.stringify({ stationName: 'Startup Station', organization: 'Site B', language: 'de' }));
    const common = airlockAt(home, '--operator', 'Ann', 'keys', 'list', '--json');
    expect(common.status, common.stderr).toBe(0);
    expect(loadedFile(common.loaded, 'vendor-zod.cjs')).toBe(false);
    writeFileSync(join(home, 'config.json'), JSON.stringify({ stationName: 'Startup Station', forward: { jsonLines: { path: join(home, 'f.jsonl') } } }));
    const forwarding = airlockAt(home, 'keys', 'list', '--json');
    expect(forwarding.status, forwarding.stderr).toBe(0);
    expect(loadedFile(forwarding.loaded, 'vendor-zod.cjs')).toBe(false);
    // 100 keys (U+1F511): 100 characters, 200 UTF-16 units; only the schema judges it.
    writeFileSync(join(home, 'config.json'), JSON.stringify({ stationName: `Startup ${'\u{1F511}'.repeat(100)}` }));
    const read = airlockAt(home, 'keys', 'list', '--json');
    expect(read.status, read.stderr).toBe(0);
    expect(loadedFile(read.loaded, 'vendor-zod.cjs')).toBe(true);

    writeFileSync(join(home, 'config.json'), JSON.stringify({ stationName: 'Startup Station', forward: { syslog: { url: 'udp://siem:514' } } }));
    const badConfig = airlockAt(home, 'keys', 'list', '--json');
    expect(badConfig.status).toBe(3);
    expect(JSON.parse(badConfig.stdout)).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
    expect(badConfig.stdout).toContain('forward.syslog.url: must be tcp://HOST:PORT or tls://HOST:PORT');

    writeFileSync(join(home, 'config.json'), '{}');
    const signer = { fingerprint: 'ab'.repeat(20), label: null, role: null, userIds: [], algorithm: 'x', addedAt: 'y', publicKey: 'z' };
    writeFileSync(join(home, 'keys', 'trusted-signers.json'), JSON.stringify({ version: 1, signers: [signer] }));
    const badStore = airlockAt(home, 'keys', 'list', '--json');
    expect(badStore.status).toBe(3);
    expect(JSON.parse(badStore.stdout)).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
    expect(badStore.stdout).toContain('signers.0.fingerprint: Invalid string');
  });

  it('keys generate, keys list and a signed audit checkpoint still work once openpgp.js loads on use', () => {
    const pass = join(dir, 'pass');
    writeFileSync(pass, 'startup test passphrase\n');
    const generated = airlock('keys', 'generate', '--name', 'Startup Test', '--passphrase-file', pass);
    expect(generated.status).toBe(0);
    // The trace sees a vendor bundle when one is used: the test above cannot pass for want of seeing.
    expect(loadedFile(generated.loaded, 'vendor-openpgp.cjs')).toBe(true);
    const listed = airlock('keys', 'list', '--json');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain('Startup Test');
    expect(airlock('audit', 'checkpoint', '--passphrase-file', pass).status).toBe(0);
    const verified = airlock('audit', 'verify', '--json');
    expect(verified.status).toBe(0);
    expect(loadedFile(verified.loaded, 'better-sqlite3')).toBe(true);
    expect(verified.loaded.builtins).toContain('crypto');
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, checkpoints: 1, firstBroken: null });
  }, 120_000);

  it('export, verify and import still work once tar loads on use', () => {
    const home = join(dir, 'home-transfer');
    const pass = join(dir, 'transfer-pass');
    writeFileSync(pass, 'transfer test passphrase\n');
    expect(airlockAt(home, 'keys', 'generate', '--name', 'Transfer Test', '--passphrase-file', pass).status).toBe(0);
    const source = join(dir, 'payload');
    mkdirSync(source, { recursive: true });
    mkdirSync(join(dir, 'out'), { recursive: true });
    mkdirSync(join(dir, 'dest'), { recursive: true });
    writeFileSync(join(source, 'a.txt'), 'startup test payload\n');
    const exported = airlockAt(home, 'export', '--out', join(dir, 'out'), '--name', 'startup', '--passphrase-file', pass, '--json', join(source, 'a.txt'));
    expect(exported.status, exported.stderr).toBe(0);
    expect(loadedFile(exported.loaded, 'vendor-tar.cjs')).toBe(true);
    const bundle = join(dir, 'out', 'startup.airlock.tar');
    const verified = airlockAt(home, 'verify', '--json', bundle);
    expect(verified.status, verified.stdout).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, problems: [] });
    // A bundle without images, on a station without policy.json: no schema is asked for, so zod stays unloaded
    // (oci/images-file.ts built its schemas at module load, and every verify paid for zod's bundle).
    expect(loadedFile(verified.loaded, 'vendor-zod.cjs')).toBe(false);
    const imported = airlockAt(home, 'import', '--dest', join(dir, 'dest'), '--json', bundle);
    expect(imported.status, imported.stdout).toBe(0);
    expect(readFileSync(join(dir, 'dest', 'startup', 'a.txt'), 'utf8')).toBe('startup test payload\n');
    // The import's quarantine store and the OCI modules it imports build their schemas on first use too.
    expect(loadedFile(imported.loaded, 'vendor-zod.cjs')).toBe(false);
  }, 120_000);
});

describe("node's heavier built-in modules are required on first use (LAZY_BUILTINS)", () => {
  it('lists only modules whose exports are an object: a callable module (node:assert) stays callable', () => {
    for (const name of LAZY_BUILTINS) expect([name, typeof process.getBuiltinModule(`node:${name}`)]).toEqual([name, 'object']);
    expect(LAZY_BUILTINS).not.toContain('assert');
  });

  it("the CLI's undici bundle fetches over HTTP (it calls node:assert; a stand-in object made every push a network error)", () => {
    const script = join(dir, 'undici-fetch.cjs');
    writeFileSync(
      script,
      [
        `const undici = require(${JSON.stringify(join(dir, 'cli', 'vendor-undici.cjs'))});`,
        "const server = require('node:http').createServer((req, res) => res.end('registry says hi'));",
        "server.listen(0, '127.0.0.1', async () => {",
        '  try {',
        '    const answer = await undici.fetch(`http://127.0.0.1:${server.address().port}/v2/`);',
        '    console.log(JSON.stringify({ status: answer.status, text: await answer.text() }));',
        '  } catch (error) { console.log(JSON.stringify({ error: String(error), cause: String(error.cause) })); }',
        '  server.close();',
        '});',
      ].join('\n'),
    );
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ status: 200, text: 'registry says hi' });
  }, 60_000);

  it('gives the real exports, functions, classes and getters, and loads the module only when one is read', () => {
    const entry = join(dir, 'lazy-entry.ts');
    writeFileSync(
      entry,
      [
        "import { createHash } from 'node:crypto';",
        "import * as zlib from 'node:zlib';",
        "import childProcess from 'child_process';",
        "import { isMainThread } from 'node:worker_threads';",
        'const loaded = (name: string): boolean => process.moduleLoadList.includes(`NativeModule ${name}`);',
        "const before = { crypto: loaded('crypto'), zlib: loaded('zlib'), child_process: loaded('child_process') };",
        "const digest = createHash('sha256').update('abc').digest('hex');",
        "const real = require('node:crypto');",
        "const after = { crypto: loaded('crypto'), zlib: loaded('zlib'), child_process: loaded('child_process') };",
        'const gzip = zlib.createGzip();',
        "console.log(JSON.stringify({ before, after, digest, ownNames: Object.getOwnPropertyNames(zlib), same: createHash === real.createHash, gzip: gzip instanceof zlib.Gzip && gzip instanceof require('node:zlib').Gzip, spawnSync: childProcess.spawnSync === require('node:child_process').spawnSync, isMainThread, webcrypto: real.webcrypto === require('node:crypto').webcrypto }));",
      ].join('\n'),
    );
    const out = join(dir, 'lazy');
    return build({ ...cliBuildOptions(out), entryPoints: { lazy: entry }, sourcemap: false, logLevel: 'error' }).then(() => {
      const run = spawnSync(process.execPath, [join(out, 'lazy.cjs')], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({
        before: { crypto: false, zlib: false, child_process: false },
        after: { crypto: true, zlib: false, child_process: false },
        digest: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
        // esbuild's interop copies a module's own properties into each importer's view, one getter each:
        // the stand-in's getters are inherited (cli-bundle.mjs, standInExports), so only `default` is copied.
        ownNames: ['default'],
        same: true,
        gzip: true,
        spawnSync: true,
        isMainThread: true,
        webcrypto: true,
      });
    });
  }, 60_000);
});
