/** What the numbers were measured on: without this a bench result cannot be compared with another. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { run } from './proc.js';
import { REPO_ROOT } from './stations.js';

export interface Machine {
  nproc: number;
  cpu: string;
  memory: string;
  kernel: string;
  node: string;
  /** First line of each tool's version output. */
  tools: string[];
  tempFs: string;
  /** How bin/airlock.mjs runs: its prebuilt bundle, or the sources through tsx (slower to start). */
  airlockCli: string;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** bin/airlock.mjs's own rule: the bundle when it is newer than every source file, else tsx. */
function airlockCliMode(): string {
  const bundle = join(REPO_ROOT, 'dist', 'cli', 'airlock.mjs');
  if (!existsSync(bundle)) return 'sources through tsx (no dist/cli bundle; npm run build:cli makes one)';
  const built = statSync(bundle).mtimeMs;
  const fresh = ['electron/core', 'electron/cli', 'shared'].every((dir) => newestSource(join(REPO_ROOT, dir)) <= built);
  return fresh ? 'dist/cli bundle' : 'sources through tsx (dist/cli bundle is older than the sources; npm run build:cli refreshes it)';
}

async function firstLine(argv: [string, ...string[]]): Promise<string> {
  const result = await run({ argv }).catch(() => null);
  return (result?.stdout.split('\n')[0] ?? '').trim() || `${argv[0]}: unknown`;
}

export async function describeMachine(tempDir: string): Promise<Machine> {
  // `nproc` rather than os.cpus(): it honours CPU affinity and cgroup limits, i.e. what the tools may actually use.
  const nproc = Number(await firstLine(['nproc']));
  const tools = await Promise.all([
    firstLine(['openssl', 'version']),
    firstLine(['sha256sum', '--version']),
    firstLine(['tar', '--version']),
    firstLine(['gpg', '--version']),
  ]);
  const df = await run({ argv: ['df', '--output=source,fstype', tempDir] }).catch(() => null);
  return {
    nproc,
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    kernel: `Linux ${release()}`,
    node: process.version,
    tools,
    airlockCli: airlockCliMode(),
    tempFs: df?.stdout.trim().split('\n')[1]?.trim().replace(/\s+/gu, ' ') ?? 'unknown',
  };
}
