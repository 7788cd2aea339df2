import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeBundle } from '../../../../electron/core/export/write-bundle.js';
import { type StationDb } from '../../../../electron/core/db/station-db.js';
import { nextImportTarget } from '../../../helpers/import-target.js';
import { AirlockError } from '../../../../electron/core/errors.js';
import { importBundle } from '../../../../electron/core/import/import-bundle.js';
import { DEFAULT_POLICY } from '../../../../electron/core/policy/station-policy.js';
import { openpgpSigner } from '../../../../electron/core/crypto/bundle-signer.js';
import { makeSigner, type TestSigner } from '../../../helpers/hostile-tar.js';
import { snapshotTree } from '../../../helpers/tree-snapshot.js';

let root: string;
let signer: TestSigner;
let db: StationDb;
let src: string;
let bundlePath: string;
let n = 0;

async function exportBundle(name: string, sequence: number): Promise<string> {
  const out = join(root, `out-${name}`);
  await mkdir(out, { recursive: true });
  const result = await writeBundle({
    selection: [src],
    outDir: out,
    name,
    sequence,
    identity: { station: 'sender', operator: 'op', organization: null },
    signers: [openpgpSigner(signer.privateKey)],
  });
  return result.bundlePath;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-import-'));
  signer = await makeSigner('Sender');
  src = join(root, 'reports');
  await mkdir(join(src, 'q3', 'deep'), { recursive: true });
  await writeFile(join(src, 'summary.txt'), 'summary\n');
  await writeFile(join(src, 'q3', 'deep', 'data.bin'), Buffer.alloc(2 * 1024 * 1024, 9));
  await writeFile(join(src, 'q3', 'empty.txt'), '');
  await writeFile(join(src, 'setuid-looking.sh'), '#!/bin/sh\n');
  await chmod(join(src, 'setuid-looking.sh'), 0o4755);
  bundlePath = await exportBundle('bundle-one', 5);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let dest: string;
beforeEach(async () => {
  ({ dest, db } = await nextImportTarget(root, (n += 1), db));
});

function run(extra: Partial<Parameters<typeof importBundle>[0]> = {}) {
  return importBundle({ bundlePath, destDir: dest, trusted: [signer.trusted], policy: DEFAULT_POLICY, db, operator: 'receiver', ...extra });
}

describe('importBundle', () => {
  it('lands data/ contents in DIR/<bundle name>, byte-identical, with fixed modes and nothing else left', async () => {
    const result = await run();
    expect(result.ok).toBe(true);
    expect(result.destination).toBe(join(dest, 'bundle-one'));
    expect(await readdir(dest)).toEqual(['bundle-one']);
    const tree = await snapshotTree(join(dest, 'bundle-one'));
    expect(Object.keys(tree).sort()).toEqual([
      'reports',
      'reports/q3',
      'reports/q3/deep',
      'reports/q3/deep/data.bin',
      'reports/q3/empty.txt',
      'reports/setuid-looking.sh',
      'reports/summary.txt',
    ]);
    // Same bytes as the source. Buffer.equals, not toEqual: vitest's deep equality walks a Buffer
    // element by element and spent 30 s (60 s on a loaded machine) on these 2 MiB.
    expect((await readFile(join(dest, 'bundle-one/reports/q3/deep/data.bin'))).equals(await readFile(join(src, 'q3/deep/data.bin')))).toBe(true);
    // Never the setuid bit, never the archive's modes: files 0644, directories 0755.
    for (const [path, entry] of Object.entries(tree)) {
      expect(entry.startsWith(entry.startsWith('dir') ? 'dir 755' : 'file 644'), path).toBe(true);
    }
    expect((await stat(join(dest, 'bundle-one/reports/setuid-looking.sh'))).mode & 0o7000).toBe(0);
  });

  it('refuses a second import of the same bundle with REPLAY, leaving DIR unchanged', async () => {
    expect((await run()).ok).toBe(true);
    const other = join(root, `other${n}`);
    await mkdir(other);
    const before = await snapshotTree(other);
    const again = await run({ destDir: other });
    expect(again.ok).toBe(false);
    expect(again.problems.map((p) => p.code)).toEqual(['REPLAY']);
    expect(again.problems[0]?.message).toContain(join(dest, 'bundle-one'));
    expect(await snapshotTree(other)).toEqual(before);
  });

  it('imports a replay when the operator overrides, and records the override', async () => {
    expect((await run()).ok).toBe(true);
    const other = join(root, `other${n}`);
    await mkdir(other);
    const again = await run({ destDir: other, allowReplay: true });
    expect(again.ok).toBe(true);
    expect(again.warnings.join(' ')).toContain('importing again as the operator asked');
    const rows = db.prepare('SELECT id, replay_of, status FROM imports ORDER BY id').all();
    expect(rows).toEqual([
      { id: 1, replay_of: null, status: 'imported' },
      { id: 2, replay_of: 1, status: 'imported' },
    ]);
  });

  it('reports a sequence number lower than one already imported from that signer', async () => {
    const later = await exportBundle(`later${n}`, 9);
    expect((await run({ bundlePath: later })).ok).toBe(true);
    const result = await run();
    expect(result.ok).toBe(true);
    expect(result.warnings.join(' ')).toMatch(/Sequence number 5 is lower than 9/u);
  });

  it('never overwrites or merges an existing DIR/<bundle name>', async () => {
    await mkdir(join(dest, 'bundle-one'));
    await writeFile(join(dest, 'bundle-one', 'mine.txt'), 'keep');
    const before = await snapshotTree(dest);
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirlockError);
    expect((error as AirlockError).code).toBe('OUTPUT_EXISTS');
    expect(await snapshotTree(dest)).toEqual(before);
  });

  it('reads a bundle on read-only media', async () => {
    const ro = join(root, `ro${n}`);
    await mkdir(ro);
    execFileSync('mount', ['--bind', '-o', 'ro', join(bundlePath, '..'), ro]);
    try {
      execFileSync('mount', ['-o', 'remount,ro,bind', ro]);
      expect(() => execFileSync('touch', [join(ro, 'probe')], { stdio: 'ignore' })).toThrow();
      const result = await run({ bundlePath: join(ro, 'bundle-one.airlock.tar') });
      expect(result.ok).toBe(true);
    } finally {
      execFileSync('umount', [ro]);
    }
  });

  it('cancel during the payload leaves DIR as it was', async () => {
    const controller = new AbortController();
    const before = await snapshotTree(dest);
    const error = await run({
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'verifying-payload' && p.filesDone >= 1) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect((error as AirlockError).code).toBe('CANCELLED');
    expect(await snapshotTree(dest)).toEqual(before);
  });

  it.each(['reading-manifest', 'recording-files'] as const)(
    'cancel in the %s phase (issue #18) leaves DIR as it was, records no import and stages no audit row',
    async (phase) => {
      const controller = new AbortController();
      const before = await snapshotTree(dest);
      const settled: string[] = [];
      const error = await run({
        signal: controller.signal,
        recordSettlement: (settlement) => settled.push(settlement.kind),
        onProgress: (p) => {
          if (p.phase === phase) controller.abort();
        },
      }).catch((e: unknown) => e);
      expect((error as AirlockError).code).toBe('CANCELLED');
      expect(await snapshotTree(dest)).toEqual(before);
      // The claim is taken after the manifest is read: a cancel there leaves no claim; one at the audit rows settles it failed.
      expect(settled).toEqual(phase === 'reading-manifest' ? [] : ['failed']);
      expect(db.prepare("SELECT COUNT(*) AS n FROM imports WHERE status = 'imported'").get()).toEqual({ n: 0 });
      const stage = db.prepare("SELECT name FROM temp.sqlite_master WHERE name = 'audit_file_stage'").get();
      if (stage !== undefined) expect(db.prepare('SELECT COUNT(*) AS n FROM temp.audit_file_stage').get()).toEqual({ n: 0 });
    },
  );

  it('reports the flush and the audit rows before the commit as phases of their own, after the payload (the line never sits still on the last file)', async () => {
    const phases: string[] = [];
    const result = await run({ onProgress: (p) => phases.push(p.phase) });
    expect(result.ok).toBe(true);
    const distinct = phases.filter((phase, i) => phase !== phases[i - 1]);
    // The audit rows are staged while the flush runs (smallimp); 'syncing' is drawn for what of the flush is left.
    expect(distinct.slice(-4)).toEqual(['verifying-payload', 'recording-files', 'syncing', 'settling']);
  });

  it('reports settling after the commit rename, before the import is recorded, and drops the staged audit rows once recorded', async () => {
    const atSettling: Array<{ inPlace: boolean; settled: number }> = [];
    const settled: string[] = [];
    const controller = new AbortController();
    const result = await run({
      signal: controller.signal,
      recordSettlement: (s) => settled.push(s.kind),
      onProgress: (p) => {
        if (p.phase !== 'settling') return;
        atSettling.push({ inPlace: existsSync(join(dest, 'bundle-one', 'reports', 'summary.txt')), settled: settled.length });
        expect(p).toMatchObject({ filesDone: 4, filesTotal: 4, bytesTotal: null });
        // Past the commit point a cancel changes nothing: the import is recorded all the same.
        controller.abort();
      },
    });
    expect(result.ok).toBe(true);
    expect(atSettling[0]).toEqual({ inPlace: true, settled: 0 });
    expect(settled).toEqual(['imported']);
    expect(db.prepare("SELECT COUNT(*) AS n FROM imports WHERE status = 'imported'").get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM temp.audit_file_stage').get()).toEqual({ n: 0 });
  });

  it('accepts a relative destination', async () => {
    const cwd = process.cwd();
    process.chdir(dest);
    try {
      const result = await run({ destDir: '.' });
      expect(result.destination).toBe(join(dest, 'bundle-one'));
    } finally {
      process.chdir(cwd);
    }
  });

  it('refuses a destination that does not exist', async () => {
    const error = await run({ destDir: join(dest, 'nope') }).catch((e: unknown) => e);
    expect((error as AirlockError).code).toBe('NOT_FOUND');
  });
});

// Staging sweep cases (owner proof, look-alikes, a rejected import byte for byte): destination-untouched.test.ts;
// crash recovery of the ledger: test/unit/core/import/import-claim.test.ts and test/unit/core/recovery/.
