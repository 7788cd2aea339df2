/**
 * The quarantine under faults: a full disk while keeping (NO_SPACE before the copy, and a disk
 * that fills during it) leaves nothing behind and the refusal stands, recorded; kill -9 while
 * keeping never leaves a half entry that lists as held (the temp folder is swept); kill -9 during a
 * release leaves the entry held (nothing committed) or released (committed, and then recorded),
 * consistent with the destination, and a held one releases afterwards. Kill points are observed
 * from outside (a folder appearing), not timed.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifyResult } from '../../../shared/results.js';
import { keepBundle } from '../../../electron/core/quarantine/keep-bundle.js';
import { QuarantineStore } from '../../../electron/core/quarantine/quarantine-store.js';
import { killWhen, startChild, untilKilled } from '../../helpers/kill-points.js';
import { canMountTmpfs } from '../../helpers/tmpfs.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const CLI = join(REPO, 'bin', 'airlock.mjs');
const canMount = canMountTmpfs;

let root: string;
let home: string;
let pass: string;
let bigBundle: string;
let smallBundle: string;
const mounts: string[] = [];

function airlock(args: string[]) {
  return spawnSync(process.execPath, [CLI, '--home', home, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function json<T>(result: { stdout: string }): T {
  return JSON.parse(result.stdout) as T;
}

async function exportTree(name: string, files: Record<string, Buffer | string>): Promise<string> {
  const src = join(root, 'src', name);
  await mkdir(src, { recursive: true });
  for (const [file, content] of Object.entries(files)) await writeFile(join(src, file), content);
  const out = join(root, 'out');
  await mkdir(out, { recursive: true });
  const result = airlock(['export', '--out', out, '--name', name, '--passphrase-file', pass, src]);
  expect(result.status, result.stderr).toBe(0);
  return join(out, `${name}.airlock.tar`);
}

async function freshDest(): Promise<string> {
  return mkdtemp(join(root, 'dest-'));
}

function entries(): Array<{ id: string; status: string; bytes: number }> {
  const result = airlock(['quarantine', 'list', '--json']);
  expect(result.status, result.stderr).toBe(0);
  return json<{ entries: Array<{ id: string; status: string; bytes: number }> }>(result).entries;
}

async function quarantineNames(): Promise<string[]> {
  return readdir(join(home, 'quarantine')).catch(() => []);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-q-faults-'));
  home = join(root, 'home');
  pass = join(root, 'pass');
  await writeFile(pass, 'quarantine fault passphrase\n');
  expect(airlock(['keys', 'generate', '--name', 'Fault Station', '--passphrase-file', pass]).status).toBe(0);
  await writeFile(join(home, 'policy.json'), JSON.stringify({ inspect: { types: { denyExtensions: ['exe'] } } }));
  // Large enough that copying it into quarantine takes a while on any disk.
  bigBundle = await exportTree('big', { 'setup.exe': 'MZ big installer\n', 'payload.bin': Buffer.alloc(96 * 1024 * 1024, 0x5a) });
  smallBundle = await exportTree('small', { 'setup.exe': 'MZ small installer\n', 'fill.bin': Buffer.alloc(3 * 1024 * 1024, 1) });
}, 300_000);

afterAll(async () => {
  for (const mount of mounts) spawnSync('umount', ['-l', mount], { stdio: 'ignore' });
  await rm(root, { recursive: true, force: true });
});

describe.skipIf(!canMount && !process.env['CI'])(`a full disk while keeping${canMount ? '' : ' (skipped: cannot mount a tmpfs here)'}`, () => {
  it('NO_SPACE before the copy: the import is refused as before, the event says why nothing was kept, nothing is left', async () => {
    const quarantine = join(home, 'quarantine');
    await rm(quarantine, { recursive: true, force: true });
    await mkdir(quarantine);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', quarantine]);
    mounts.push(quarantine);
    try {
      const dest = await freshDest();
      const result = airlock(['import', smallBundle, '--dest', dest, '--json']);
      expect(result.status, result.stderr).toBe(1);
      const report = json<{ quarantine?: unknown; warnings: string[]; auditEvent: number }>(result);
      expect(report.quarantine).toBeUndefined();
      expect(report.warnings.join('\n')).toMatch(/NOT kept in quarantine: .*not enough free space/u);
      expect(result.stderr).toMatch(/warning: The refused bundle was NOT kept in quarantine/u);
      expect(await readdir(dest)).toEqual([]);
      expect(await readdir(quarantine)).toEqual([]);
      const event = json<{ events: Array<{ seq: number; details: { quarantine?: unknown } }> }>(
        airlock(['audit', 'list', '--type', 'import', '--limit', '1', '--json']),
      ).events[0];
      expect(event?.seq).toBe(report.auditEvent);
      expect(event?.details.quarantine).toMatchObject({ kept: false, errorCode: 'NO_SPACE' });
      expect(entries()).toEqual([]);
    } finally {
      spawnSync('umount', [quarantine], { stdio: 'ignore' });
      mounts.pop();
    }
  });

  it('a disk that fills during the copy (another writer took the room after the check): NO_SPACE, the half-built entry removed', async () => {
    const dir = await mkdtemp(join(root, 'q-tmpfs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir]);
    mounts.push(dir);
    try {
      const store = new QuarantineStore(join(dir, 'quarantine'));
      const report = { ok: false, bundle: { tagmanifestSha256: null }, signers: [], problems: [{ code: 'TYPE_DENIED', path: 'data/a.exe', message: '' }] };
      const error = await keepBundle(
        store,
        { bundlePath: smallBundle, files: [{ source: smallBundle, name: 'small.airlock.tar' }], report: report as unknown as VerifyResult },
        { freeBytes: async () => Number.MAX_SAFE_INTEGER },
      ).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'NO_SPACE' });
      expect(await readdir(store.root)).toEqual([]);
    } finally {
      spawnSync('umount', [dir], { stdio: 'ignore' });
      mounts.pop();
    }
  });
});

describe('a race', () => {
  it('two releases of one entry at once: exactly one imports, the other is refused; the entry ends released', async () => {
    const kept = json<{ quarantine: { id: string } }>(airlock(['import', smallBundle, '--dest', await freshDest(), '--json'])).quarantine;
    const dests = [await freshDest(), await freshDest()];
    const runs = dests.map(
      (dest) =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, [CLI, '--home', home, 'quarantine', 'release', kept.id, '--dest', dest, '--reason', 'race', '--yes'], {
            stdio: 'ignore',
          });
          child.on('exit', (code) => resolve(code));
        }),
    );
    const codes = await Promise.all(runs);
    expect(codes.filter((c) => c === 0)).toHaveLength(1);
    const imported = [];
    for (const dest of dests) if ((await readdir(dest)).includes('small')) imported.push(dest);
    expect(imported).toHaveLength(1);
    const entry = json<{ entry: { status: string; releasedTo: string } }>(airlock(['quarantine', 'show', kept.id, '--json'])).entry;
    expect(entry).toEqual(expect.objectContaining({ status: 'released', releasedTo: join(imported[0] ?? '', 'small') }));
  }, 120_000);
});

describe('kill -9', () => {
  it('while keeping: never a half entry listed; the temp folder is swept; the audit chain verifies', async () => {
    await rm(join(home, 'quarantine'), { recursive: true, force: true });
    const tries = await untilKilled(
      5,
      async () => {
        const run = startChild([CLI, '--home', home, 'import', bigBundle, '--dest', await freshDest()]);
        return killWhen(run, async () => (await quarantineNames()).some((n) => n.startsWith('.') && n.endsWith('.partial')));
      },
      async () => {
        for (const e of entries()) airlock(['quarantine', 'purge', e.id]);
      },
    );
    expect(tries).toBeGreaterThan(0);
    const listed = entries();
    // The kill landed while the temp folder existed: either before its rename (nothing listed) or
    // just after it (one whole entry, the bundle intact).
    for (const entry of listed) {
      const kept = await readFile(join(home, 'quarantine', entry.id, 'bundle', 'big.airlock.tar'));
      expect(kept.equals(await readFile(bigBundle))).toBe(true);
    }
    expect(listed.length).toBeLessThanOrEqual(1);
    expect((await quarantineNames()).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(airlock(['audit', 'verify']).status).toBe(0);
    // The same bundle is kept normally afterwards.
    const again = airlock(['import', bigBundle, '--dest', await freshDest(), '--json']);
    expect(again.status).toBe(1);
    expect(json<{ quarantine?: { id: string } }>(again).quarantine?.id).toMatch(/^\d{8}T/u);
  }, 300_000);

  it('during a release: held (nothing committed) or released (committed, recorded), as the destination shows; a held one releases after', async () => {
    await rm(join(home, 'quarantine'), { recursive: true, force: true });
    const kept = json<{ quarantine: { id: string } }>(airlock(['import', bigBundle, '--dest', await freshDest(), '--json'])).quarantine;
    const outcomes = new Set<string>();
    for (const point of ['releasing', 'staged', 'committed'] as const) {
      const dest = await freshDest();
      const run = startChild([CLI, '--home', home, 'quarantine', 'release', kept.id, '--dest', dest, '--reason', 'kill test', '--yes']);
      const landed = await killWhen(run, async () => {
        if (point === 'releasing') return (await readdir(join(home, 'quarantine', kept.id))).includes('releasing.json');
        if (point === 'staged') return (await readdir(dest)).some((n) => n.startsWith('.'));
        // The commit's rename is done; the entry's status is not written yet (or just).
        return (await readdir(dest)).includes('big');
      });
      const shown = json<{ entry: { status: string; releasedTo: string | null }; releasingTo: string | null }>(
        airlock(['quarantine', 'show', kept.id, '--json']),
      );
      const committed = (await readdir(dest)).includes('big');
      if (landed === 'finished' || committed) {
        expect(shown.entry.status).toBe('released');
        expect(shown.entry.releasedTo).toBe(join(dest, 'big'));
        expect(shown.releasingTo).toBeNull();
        outcomes.add(landed === 'killed' ? 'released after a kill' : 'released');
        break;
      }
      expect(shown.entry.status).toBe('held');
      expect(shown.releasingTo).toBeNull();
      outcomes.add('held');
    }
    const final = json<{ entry: { status: string } }>(airlock(['quarantine', 'show', kept.id, '--json'])).entry;
    if (final.status === 'held') {
      const dest = await freshDest();
      const result = airlock(['quarantine', 'release', kept.id, '--dest', dest, '--reason', 'after the kill', '--yes', '--json']);
      expect(result.status, result.stderr).toBe(0);
      expect(await readdir(dest)).toContain('big');
    }
    expect(json<{ entry: { status: string } }>(airlock(['quarantine', 'show', kept.id, '--json'])).entry.status).toBe('released');
    const events = json<{ events: Array<{ outcome: string; details: { id?: string } }> }>(
      airlock(['audit', 'list', '--type', 'quarantine-release', '--outcome', 'ok', '--json']),
    ).events;
    expect(events.filter((e) => e.details.id === kept.id).length).toBeGreaterThanOrEqual(1);
    expect(airlock(['audit', 'verify']).status).toBe(0);
    // The first two points always come before the commit.
    expect(outcomes.has('held')).toBe(true);
  }, 300_000);

  it('after the commit (the payload renamed in, or the entry already saying released): released, to that folder, recorded exactly once', async () => {
    let kills = 0;
    for (const point of ['renamed', 'entry released'] as const) {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const bundle = await exportTree(`after${kills}${attempt}${point.length}`, { 'setup.exe': 'MZ\n', 'fill.bin': Buffer.alloc(12 * 1024 * 1024, 3) });
        const kept = json<{ quarantine: { id: string } }>(airlock(['import', bundle, '--dest', await freshDest(), '--json'])).quarantine;
        const name = (await readdir(join(home, 'quarantine', kept.id, 'bundle')))[0]?.replace(/\.airlock\.tar$/u, '') ?? '';
        const dest = await freshDest();
        const run = startChild([CLI, '--home', home, 'quarantine', 'release', kept.id, '--dest', dest, '--reason', 'kill after commit', '--yes']);
        const landed = await killWhen(run, async () => {
          if (point === 'renamed') return (await readdir(join(dest, name)).catch(() => [])).length > 0;
          return (await readFile(join(home, 'quarantine', kept.id, 'entry.json'), 'utf8').catch(() => '')).includes('"released"');
        });
        const shown = json<{ entry: { status: string; releasedTo: string | null }; releasingTo: string | null }>(
          airlock(['quarantine', 'show', kept.id, '--json']),
        );
        expect(shown.entry).toMatchObject({ status: 'released', releasedTo: join(dest, name) });
        expect(shown.releasingTo).toBeNull();
        const recorded = json<{ events: Array<{ details: { id?: string; destination?: string } }> }>(
          airlock(['audit', 'list', '--type', 'quarantine-release', '--outcome', 'ok', '--json']),
        ).events.filter((e) => e.details.id === kept.id && e.details.destination === join(dest, name));
        expect(recorded).toHaveLength(1);
        if (landed === 'killed') {
          kills += 1;
          break;
        }
      }
    }
    expect(kills).toBeGreaterThan(0);
    expect(airlock(['audit', 'verify']).status).toBe(0);
  }, 600_000);
});
