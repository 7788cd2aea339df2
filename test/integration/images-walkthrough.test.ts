/**
 * Issue #15 "tried as a new user would", as a test: build an image with the repo's script, export
 * it, verify it, import it with `--push-to 127.0.0.1:PORT --insecure-registry` into a real
 * docker-registry, and `skopeo inspect --raw` serves the very manifest the script built; kill the
 * push half-way (kill -9) and run it again: it resumes (sends less than the whole set again) and
 * ends with the same digests; tamper one blob in the bundle: the import refuses before anything
 * reaches the registry. Every command is the real CLI in a child process, as a user runs it.
 * docs/operator-guide.md "Images and charts" shows the same procedure.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, open, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, REPO_ROOT, describeResult, parseJson, type CliResult } from '../helpers/cli-runner.js';
import { createStation, type TestStation } from '../helpers/station.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { startRegistry, type RegistryServer } from '../helpers/registry-server.js';
import { startStallingProxy, type StallingProxy } from './images-walkthrough-proxy.js';

const makeTemp = useTempDirs();
const LAYER_MIB = 8;

interface ImageJson {
  repository: string;
  tag: string | null;
  digest: string;
}
interface PushJson {
  repository: string;
  tag: string | null;
  digest: string;
  outcome: string;
  bytesSent: number;
}

/** Children still running when the file ends (a failed assertion between start and kill) are killed in afterAll. */
const children = new Set<ChildProcess>();

/** `airlock --home HOME ARGS` as a child process whose pid the test can kill. */
function startAirlock(home: string, args: readonly string[]): { pid: number; done: Promise<CliResult> } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['AIRLOCK_HOME', 'NODE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) delete env[name];
  const child = spawn(process.execPath, [CLI_BIN, '--home', home, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('close', () => children.delete(child));
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  child.stderr.on('data', (c: Buffer) => err.push(c));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 128 : -1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
  return { pid: child.pid ?? -1, done };
}

function served(host: string, image: ImageJson): string {
  const reference = `docker://${host}/${image.repository}${image.tag === null ? `@${image.digest}` : `:${image.tag}`}`;
  const result = spawnSync('skopeo', ['inspect', '--raw', '--tls-verify=false', reference], { encoding: 'buffer' });
  if (result.status !== 0) return `skopeo failed: ${result.stderr.toString()}`;
  return `sha256:${spawnSync('sha256sum', { input: result.stdout, encoding: 'utf8' }).stdout.split(' ')[0] ?? ''}`;
}

/** Bytes of the layout's blobs that the registry has committed (distribution's filesystem storage: blobs/sha256/xx/HEX/data). */
async function committedBlobBytes(storage: string, blobs: ReadonlyMap<string, number>): Promise<number> {
  let total = 0;
  for (const [hex, size] of blobs) {
    const data = join(storage, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
    if (
      await stat(data).then(
        () => true,
        () => false,
      )
    )
      total += size;
  }
  return total;
}

async function catalog(host: string): Promise<string[]> {
  const response = await fetch(`http://${host}/v2/_catalog`);
  return ((await response.json()) as { repositories?: string[] }).repositories ?? [];
}

/** Flips one byte inside the first member of the tar whose name ends with `suffix` (GNU tar -R gives its header block). */
async function tamperMember(bundle: string, suffix: string): Promise<string> {
  const listing = spawnSync('tar', ['-R', '-tf', bundle], { encoding: 'utf8' }).stdout.split('\n');
  const line = listing.find((l) => l.endsWith(suffix));
  const match = /^block (\d+): (.+)$/u.exec(line ?? '');
  if (!match?.[1] || !match[2]) throw new Error(`no member ending ${suffix} in ${bundle}`);
  const handle = await open(bundle, 'r+');
  try {
    const at = (Number(match[1]) + 1) * 512 + 1000;
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, at);
    byte[0] = (byte[0] ?? 0) ^ 0xff;
    await handle.write(byte, 0, 1, at);
  } finally {
    await handle.close();
  }
  return match[2];
}

describe('images: the new user walkthrough (issue #15)', () => {
  let tmp = '';
  let sender: TestStation;
  let receiver: TestStation;
  const registries: RegistryServer[] = [];
  const proxies: StallingProxy[] = [];

  beforeAll(async () => {
    tmp = await makeTemp('airlock-images-walk-');
    await mkdir(join(tmp, 'tx'));
    await mkdir(join(tmp, 'rx'));
    sender = await createStation(join(tmp, 'tx'), 'Images Sender');
    receiver = await createStation(join(tmp, 'rx'), 'Images Receiver');
    const pub = await sender.run(['keys', 'export-public']);
    const pubFile = join(tmp, 'tx.asc');
    expect(pub.code, describeResult(pub)).toBe(0);
    await writeFile(pubFile, pub.stdout);
    const trusted = await receiver.run(['keys', 'trust', pubFile, '--fingerprint', sender.fingerprint, '--label', 'images sender']);
    expect(trusted.code, describeResult(trusted)).toBe(0);
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    for (const proxy of proxies) await proxy.close();
    for (const registry of registries) await registry.stop();
  });

  it('exports, verifies, pushes with the same digests, resumes a killed push, and refuses a tampered blob before any push', async () => {
    // 1. Build an image with the repo's script, as the guide says.
    const layout = join(tmp, 'images');
    const made = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/make-test-image.ts', layout, '--layer-mib', String(LAYER_MIB)], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(made.status, made.stderr).toBe(0);
    const built = new Map(
      made.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t') as [string, string, string])
        .map(([tag, digest]) => [tag, digest]),
    );
    expect([...built.keys()]).toEqual(['app-1.0', 'tool-1.0']);
    const layoutBlobs = new Map<string, number>();
    for (const name of await readdir(join(layout, 'blobs', 'sha256'))) layoutBlobs.set(name, (await stat(join(layout, 'blobs', 'sha256', name))).size);
    const blobBytes = [...layoutBlobs.values()].reduce((a, b) => a + b, 0);

    // 2. Export both images.
    const out = join(tmp, 'usb');
    await mkdir(out);
    const exported = await sender.spawn([
      'export',
      '--image',
      `oci:${layout}:app-1.0`,
      '--image',
      `oci:${layout}:tool-1.0`,
      '--out',
      out,
      '--name',
      'images',
      '--passphrase-file',
      sender.passFile,
    ]);
    expect(exported.code, describeResult(exported)).toBe(0);
    const bundle = join(out, 'images.airlock.tar');

    // 3. Verify: the report lists both images with the digests the script printed.
    const verified = await receiver.spawn(['verify', '--json', bundle]);
    expect(verified.code, describeResult(verified)).toBe(0);
    const images = parseJson<{ ok: boolean; images?: ImageJson[] }>(verified).images ?? [];
    expect(images.map((i) => i.digest).sort()).toEqual([...built.values()].sort());
    const text = await receiver.spawn(['verify', bundle]);
    expect(text.code, describeResult(text)).toBe(0);
    // The text report lists each image too (issue #15.3): repository:tag and digest on one line.
    for (const image of images) expect(text.stdout).toMatch(new RegExp(`${image.repository}:${image.tag ?? ''}\\s+${image.digest}`, 'u'));

    // 4. Import with --push-to through a proxy that stalls half-way; kill -9 the import there.
    const registry = await startRegistry();
    registries.push(registry);
    // Stalls late enough that whole blobs have reached the registry: distribution 2.8 drops an upload session
    // whose PATCH was cut, so what a resumed push can skip is what the registry had committed.
    const proxy = await startStallingProxy(registry.port, Math.floor(blobBytes * 0.85));
    proxies.push(proxy);
    const pushArgs = (dest: string) => ['import', bundle, '--push-to', proxy.host, '--insecure-registry', '--dest', dest, '--json'];
    await mkdir(join(tmp, 'inbox-1'));
    const first = startAirlock(receiver.home, pushArgs(join(tmp, 'inbox-1')));
    const outcome = await Promise.race([proxy.stalled.then(() => 'stalled' as const), first.done.then(() => 'ended' as const)]);
    if (outcome === 'ended') throw new Error(`the import ended before the push was half-way: ${describeResult(await first.done)}`);
    await sleep(500); // let the registry finish what reached it before the stall
    const committed = await committedBlobBytes(registry.storageDir, layoutBlobs);
    expect(committed, 'some blobs reached the registry before the kill').toBeGreaterThan(0);
    process.kill(first.pid, 'SIGKILL');
    const killed = await first.done;
    expect(killed.code, describeResult(killed)).not.toBe(0);
    // Half-way: at least one image is not in the registry yet.
    const before = images.map((image) => served(registry.host, image));
    expect(before.filter((digest, k) => digest === images[k]?.digest).length).toBeLessThan(images.length);

    // 5. Run it again: it resumes (sends less than the whole set) and ends with the same digests.
    proxy.release();
    await mkdir(join(tmp, 'inbox-2'));
    const again = await startAirlock(receiver.home, pushArgs(join(tmp, 'inbox-2'))).done;
    expect(again.code, describeResult(again)).toBe(0);
    const pushes = parseJson<{ ok: boolean; pushes?: PushJson[] }>(again).pushes ?? [];
    expect(pushes.map((p) => p.outcome).filter((o) => o === 'failed')).toEqual([]);
    expect(pushes.map((p) => p.digest).sort()).toEqual([...built.values()].sort());
    // Resumed, not restarted: nothing the registry already held is sent again.
    expect(pushes.reduce((sum, p) => sum + p.bytesSent, 0)).toBeLessThanOrEqual(blobBytes - committed);
    for (const image of images) expect(served(registry.host, image)).toBe(image.digest);

    // 6. Tamper one layer blob: the import refuses, and a fresh registry receives nothing.
    const fresh = await startRegistry();
    registries.push(fresh);
    const biggest = [...layoutBlobs.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
    const tampered = await tamperMember(bundle, `/data/oci/blobs/sha256/${biggest}`);
    await mkdir(join(tmp, 'inbox-3'));
    // --allow-replay: this station imported the bundle in step 5; the refusal must come from the blob, not from the replay check.
    const refused = await startAirlock(receiver.home, [
      'import',
      bundle,
      '--push-to',
      fresh.host,
      '--insecure-registry',
      '--dest',
      join(tmp, 'inbox-3'),
      '--allow-replay',
      '--json',
    ]).done;
    expect(refused.code, describeResult(refused)).toBe(1);
    const problems = parseJson<{ ok: boolean; problems?: { code: string; path?: string }[] }>(refused).problems ?? [];
    const blobPath = tampered.replace(/^[^/]+\//u, '');
    expect(problems.filter((p) => p.path === blobPath).map((p) => p.code)).toContainEqual(
      expect.stringMatching(/^(?:CHECKSUM_MISMATCH|OCI_DIGEST_MISMATCH)$/u),
    );
    expect(problems.map((p) => p.code)).not.toContain('REPLAY');
    expect(await catalog(fresh.host)).toEqual([]);
    expect(await readdir(join(tmp, 'inbox-3'))).toEqual([]);
  }, 600_000);
});
