/**
 * The CLI bundle carries core's worker threads: built with the bundle's own options
 * (scripts/cli-bundle.mjs) into a temp folder, with no TypeScript beside it, an export on both
 * lanes (record-lane worker), a prepared export (hash-lane worker) and a verify all run, and the
 * receipt PDF is rendered by the bundle's own receipt-pdf-worker.cjs in a child process.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBuildOptions, repoRoot, workerEntryNames } from '../../../scripts/cli-bundle.mjs';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-cli-bundle-'));
  // better-sqlite3 stays external: the bundle finds it through node_modules, as in a checkout.
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  await build({ ...cliBuildOptions(join(dir, 'cli')), sourcemap: false, logLevel: 'error' });
  // The receipt fonts where an installation keeps them above the program (resources/fonts).
  cpSync(join(repoRoot, 'resources', 'fonts'), join(dir, 'resources', 'fonts'), { recursive: true });
}, 120_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function airlock(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.AIRLOCK_HOME;
  const run = spawnSync(process.execPath, [join(dir, 'cli', 'airlock.cjs'), '--home', join(dir, 'home'), ...args], { encoding: 'utf8', env });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the CLI bundle', () => {
  it('has every worker entry beside airlock.cjs', () => {
    expect(workerEntryNames.length).toBeGreaterThan(0);
    for (const name of workerEntryNames) expect(existsSync(join(dir, 'cli', `${name}.cjs`))).toBe(true);
  });

  it('exports on both lanes, prepares and verifies through its bundled workers', () => {
    const data = join(dir, 'data');
    mkdirSync(data);
    // 64 files or more: the export runs its worker lane.
    for (let i = 0; i < 80; i += 1) writeFileSync(join(data, `f${i}`), randomBytes(i * 97));
    writeFileSync(join(data, 'large'), randomBytes(3 << 20));
    const pass = join(dir, 'pass');
    writeFileSync(pass, 'bundle test passphrase\n');
    mkdirSync(join(dir, 'out'));
    expect(airlock('keys', 'generate', '--name', 'Bundle Test', '--passphrase-file', pass).status).toBe(0);
    const exported = airlock('export', '-o', join(dir, 'out'), '-n', 'one', '--passphrase-file', pass, data);
    expect(exported.stderr).toBe('');
    expect(exported.status).toBe(0);
    const verified = airlock('verify', '--json', join(dir, 'out', 'one.airlock.tar'));
    expect(verified.status).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
    const prepared = airlock('export', '--prepare', '-n', 'two', '--passphrase-file', pass, data);
    expect(prepared.stderr).toBe('');
    expect(prepared.status).toBe(0);
  }, 180_000);

  it('renders the PDF receipt in its bundled child process; an installation without the fonts still exports, with RECEIPT_PDF_FAILED', () => {
    const data = join(dir, 'data');
    const pass = join(dir, 'pass');
    // No resources/fonts above this bundle: the PDF cannot be made, the export and the rest of its receipt stand.
    renameSync(join(dir, 'resources'), join(dir, 'resources-away'));
    mkdirSync(join(dir, 'out-nofonts'));
    const bare = airlock('export', '-o', join(dir, 'out-nofonts'), '-n', 'bare', '--passphrase-file', pass, '--json', data);
    expect(bare.status, bare.stderr).toBe(0);
    const bareReport = (JSON.parse(bare.stdout) as { bundle: { warnings: Array<{ message: string }>; receipt: { json: string; pdf: string | null } } }).bundle;
    expect(bareReport.receipt.pdf).toBeNull();
    expect(bareReport.warnings.map((w) => w.message).join('\n')).toMatch(/^RECEIPT_PDF_FAILED: .*receipt fonts/mu);
    expect(readdirSync(join(dir, 'out-nofonts')).sort()).toEqual([
      'bare.airlock.tar',
      'bare.export-receipt.html',
      'bare.export-receipt.json',
      'bare.export-receipt.json.asc',
    ]);
    // The fonts back: the bundle's receipt-pdf-worker.cjs renders.
    renameSync(join(dir, 'resources-away'), join(dir, 'resources'));
    mkdirSync(join(dir, 'out-pdf'));
    const made = airlock('export', '-o', join(dir, 'out-pdf'), '-n', 'paper', '--passphrase-file', pass, '--json', data);
    expect(made.status, made.stderr).toBe(0);
    const report = (
      JSON.parse(made.stdout) as { bundle: { warnings: Array<{ message: string }>; receipt: { pdf: string | null; pdfSignature: string | null } } }
    ).bundle;
    expect(report.warnings).toEqual([]);
    expect(report.receipt.pdf).toBe(join(dir, 'out-pdf', 'paper.export-receipt.pdf'));
    expect(
      readFileSync(report.receipt.pdf as string)
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    expect(existsSync(report.receipt.pdfSignature as string)).toBe(true);
  }, 180_000);

  it('says which worker script is missing rather than falling back to anything else', () => {
    rmSync(join(dir, 'cli', 'record-lane-worker.cjs'));
    mkdirSync(join(dir, 'out3'));
    const exported = airlock('export', '-o', join(dir, 'out3'), '-n', 'three', '--passphrase-file', join(dir, 'pass'), join(dir, 'data'));
    expect(exported.status).not.toBe(0);
    expect(exported.stderr).toContain(join(dir, 'cli', 'record-lane-worker.cjs'));
    expect(readdirSync(join(dir, 'out3'))).toEqual([]);
  }, 120_000);
});
