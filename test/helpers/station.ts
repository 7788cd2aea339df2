/** A station home with its signing key, and the CLI bound to it. */
import { join } from 'node:path';
import type { ExportResult } from '../../shared/results.js';
import { writeFile } from 'node:fs/promises';
import { describeResult, parseJson, runAirlock, spawnAirlock, type CliResult, type InProcessOptions, type SpawnOptions } from './cli-runner.js';

export const TEST_PASSPHRASE = 'correct horse battery staple';

export interface TestStation {
  home: string;
  passFile: string;
  fingerprint: string;
  /** `airlock --home HOME ARGS`, in-process. */
  run(args: readonly string[], options?: InProcessOptions): Promise<CliResult>;
  /** `airlock --home HOME ARGS` as a child process. */
  spawn(args: readonly string[], options?: SpawnOptions): Promise<CliResult>;
  /** export --json with the station's passphrase file; the result of a successful export. */
  exportBundle(outDir: string, name: string, paths: readonly string[]): Promise<ExportJson>;
  /** verify --json: the exit code and the report. */
  verify(bundle: string): Promise<{ code: number; report: VerifyJson; result: CliResult }>;
}

export interface ExportJson {
  ok: true;
  bundle: ExportResult & { warnings: Array<{ path: string; message: string }> };
}

export interface VerifyJson {
  ok: boolean;
  bundle: { name: string | null; path: string; files: number; bytes: number; uuid: string | null; tagmanifestSha256: string | null };
  signers: Array<{ fingerprint: string; userIds: string[]; label: string | null; signedAt: string }>;
  problems: Array<{ code: string; path?: string; message: string }>;
}

export interface ErrorJson {
  ok: false;
  error: { code: string; message: string; path?: string };
}

/** Bind the CLI to a home directory that may or may not hold a key yet. */
export function stationAt(home: string, passFile: string, fingerprint = ''): TestStation {
  const station: TestStation = {
    home,
    passFile,
    fingerprint,
    run: (args, options) => runAirlock(['--home', home, ...args], options),
    spawn: (args, options) => spawnAirlock(['--home', home, ...args], options),
    async exportBundle(outDir, name, paths) {
      const result = await station.run(['export', '--out', outDir, '--name', name, '--passphrase-file', passFile, '--json', ...paths]);
      if (result.code !== 0) throw new Error(`export failed: ${describeResult(result)}`);
      return parseJson<ExportJson>(result);
    },
    async verify(bundle) {
      const result = await station.run(['verify', '--json', bundle]);
      return { code: result.code, report: parseJson<VerifyJson>(result), result };
    },
  };
  return station;
}

/** A new station under `root`: home `root/home`, passphrase file, and a generated key. */
export async function createStation(root: string, name = 'Integration Station'): Promise<TestStation> {
  const home = join(root, 'home');
  const passFile = join(root, 'passphrase.txt');
  await writeFile(passFile, `${TEST_PASSPHRASE}\n`, { mode: 0o600 });
  const result = await runAirlock([
    '--home',
    home,
    'keys',
    'generate',
    '--name',
    name,
    '--email',
    'station@example.org',
    '--passphrase-file',
    passFile,
    '--json',
  ]);
  if (result.code !== 0) throw new Error(`keys generate failed: ${describeResult(result)}`);
  const { key } = parseJson<{ key: { fingerprint: string } }>(result);
  return stationAt(home, passFile, key.fingerprint);
}
