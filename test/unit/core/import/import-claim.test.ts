/**
 * The import claim: replay check and claim in one transaction, so of two imports of one bundle
 * exactly one proceeds (issue #12 item 5), and a dead process's claim neither blocks nor counts.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeBundle } from '../../../../electron/core/export/write-bundle.js';
import { openpgpSigner } from '../../../../electron/core/crypto/bundle-signer.js';
import { openStationDb, type StationDb } from '../../../../electron/core/db/station-db.js';
import { claimImport, folderId, settleImported } from '../../../../electron/core/import/import-claim.js';
import { importBundle } from '../../../../electron/core/import/import-bundle.js';
import { DEFAULT_POLICY } from '../../../../electron/core/policy/station-policy.js';
import { settleInterruptedTransfers } from '../../../../electron/core/recovery/reconcile.js';
import { currentOwner } from '../../../../electron/core/recovery/process-owner.js';
import { makeSigner, type TestSigner } from '../../../helpers/hostile-tar.js';

const STATION = { station: 'receiver', operator: 'op', organization: null };
const DEAD = { pid: 2 ** 22 + 4321, host: currentOwner().host, boot: currentOwner().boot, start: '1' };
const identity = { tagmanifestSha256: 'a'.repeat(64), uuid: 'u-1', name: 'b', signers: ['F'], sequence: 1, station: null };

let root: string;
let signer: TestSigner;
let bundlePath: string;
let db: StationDb;
let n = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-claim-'));
  signer = await makeSigner('Sender');
  const src = join(root, 'src');
  await mkdir(src);
  await (await import('node:fs/promises')).writeFile(join(src, 'a.txt'), 'a\n');
  await mkdir(join(root, 'out'));
  bundlePath = (
    await writeBundle({
      selection: [src],
      outDir: join(root, 'out'),
      name: 'race',
      sequence: 1,
      identity: STATION,
      signers: [openpgpSigner(signer.privateKey)],
    })
  ).bundlePath;
});
afterAll(async () => {
  db?.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  n += 1;
  db?.close();
  db = openStationDb(join(root, `station${n}.db`));
});

function claim(destination: string, extra: Partial<Parameters<typeof claimImport>[1]> = {}, owner = currentOwner()) {
  return claimImport(
    db,
    { identity, destination, staged: { dev: '1', ino: String(n) }, operator: 'op', bundlePath: 'b.tar', allowReplay: false, ...extra },
    owner,
  );
}

describe('claimImport', () => {
  it('a live claim of the same bundle refuses a second one (in progress), --allow-replay included', () => {
    expect(claim(join(root, 'x1')).kind).toBe('claimed');
    expect(claim(join(root, 'x2'))).toMatchObject({ kind: 'in-progress', other: { destination: join(root, 'x1'), pid: process.pid } });
    expect(claim(join(root, 'x2'), { allowReplay: true }).kind).toBe('in-progress');
  });

  it('an imported bundle is a replay; with --allow-replay it is claimed again, naming the prior import', () => {
    const first = claim(join(root, 'y1'));
    if (first.kind !== 'claimed') throw new Error(first.kind);
    settleImported(db, first.id);
    expect(claim(join(root, 'y2'))).toMatchObject({ kind: 'replay', prior: { id: first.id } });
    expect(claim(join(root, 'y2'), { allowReplay: true })).toMatchObject({ kind: 'claimed', prior: { id: first.id } });
  });

  it('a live claim on the destination refuses another bundle there; an existing destination too', () => {
    expect(claim(join(root, 'z')).kind).toBe('claimed');
    expect(claim(join(root, 'z'), { identity: { ...identity, tagmanifestSha256: 'b'.repeat(64), uuid: null } }).kind).toBe('destination-claimed');
    expect(claim(root, { identity: { ...identity, tagmanifestSha256: 'c'.repeat(64), uuid: null } }).kind).toBe('destination-exists');
  });

  it("a dead process's claim is settled first and then neither blocks nor counts", () => {
    expect(claim(join(root, 'd1'), {}, DEAD).kind).toBe('claimed');
    const again = claim(join(root, 'd1'), { settleInterrupted: () => settleInterruptedTransfers(db, STATION) });
    expect(again.kind).toBe('claimed');
    expect(db.prepare('SELECT status, recovered FROM imports ORDER BY id').all()).toEqual([
      { status: 'failed', recovered: 1 },
      { status: 'pending', recovered: 0 },
    ]);
  });

  it('folderId is the same before and after a rename (what proves a destination ours)', async () => {
    const a = join(root, `fa${n}`);
    await mkdir(a);
    const before = folderId(a);
    await (await import('node:fs/promises')).rename(a, `${a}-moved`);
    expect(folderId(`${a}-moved`)).toEqual(before);
    expect(folderId(a)).toBeNull();
  });
});

describe('importBundle: two imports of one bundle at the same instant', () => {
  const run = (destDir: string) => importBundle({ bundlePath, destDir, trusted: [signer.trusted], policy: DEFAULT_POLICY, db, operator: 'op' });

  it('into two folders: exactly one imports, the other gets REPLAY', async () => {
    const dirs = [join(root, `two-a${n}`), join(root, `two-b${n}`)];
    for (const d of dirs) await mkdir(d);
    const results = await Promise.all(dirs.map(run));
    expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
    expect(results.find((r) => !r.ok)?.problems.map((p) => p.code)).toEqual(['REPLAY']);
    expect(db.prepare("SELECT COUNT(*) AS n FROM imports WHERE status = 'imported'").get()).toEqual({ n: 1 });
    const listings = await Promise.all(dirs.map((d) => readdir(d)));
    expect(listings.map((l) => l.join()).sort()).toEqual(['', 'race']);
  });

  it('into one folder: one imports, the other gets REPLAY (never IO_ERROR)', async () => {
    const dir = join(root, `one${n}`);
    await mkdir(dir);
    const results = await Promise.allSettled([run(dir), run(dir)]);
    const verdicts = results
      .map((r) => (r.status === 'fulfilled' ? (r.value.ok ? 'ok' : r.value.problems[0]?.code) : (r.reason as { code?: string }).code))
      .sort();
    expect([
      ['OUTPUT_EXISTS', 'ok'],
      ['REPLAY', 'ok'],
    ]).toContainEqual(verdicts);
    expect(await readdir(dir)).toEqual(['race']);
  });
});
