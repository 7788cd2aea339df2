/** What the numbers were measured on: without this a bench result cannot be compared with another. */
import { cpus, release, totalmem } from 'node:os';
import { run } from './proc.js';
import { cliBundleState } from '../scripts/cli-bundle.mjs';

export interface Machine {
  nproc: number;
  cpu: string;
  memory: string;
  kernel: string;
  node: string;
  /** First line of each tool's version output. */
  tools: string[];
  tempFs: string;
  /** How bin/airlock.cjs runs: its prebuilt bundle, or the sources through tsx (slower to start). */
  airlockCli: string;
}

/** bin/airlock.cjs's own rule (scripts/cli-fresh.cjs): the bundle when fresh, else tsx. */
function airlockCliMode(): string {
  switch (cliBundleState()) {
    case 'fresh':
      return 'dist/cli bundle';
    case 'missing':
      return 'sources through tsx (no dist/cli bundle; npm run build:cli makes one)';
    case 'stale':
      return 'sources through tsx (sources changed since the dist/cli bundle was built; npm run build:cli refreshes it)';
  }
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
