/**
 * Recovery after kill -9 or a power cut (issue #12 item 4): an intent left pending by a dead
 * process is settled from what the file system shows, with a recovered event on the same chain.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../../../electron/core/audit/audit-store.js';
import { verifyAuditLog } from '../../../../electron/core/audit/audit-verify.js';
import { writeBundle, type WriteBundleResult } from '../../../../electron/core/export/write-bundle.js';
import { openpgpSigner } from '../../../../electron/core/crypto/bundle-signer.js';
import { openStationDb, type StationDb } from '../../../../electron/core/db/station-db.js';
import { homePaths } from '../../../../electron/core/home/station-home.js';
import { claimImport, folderId, noteStagedTotals } from '../../../../electron/core/import/import-claim.js';
import { recordExportIntent } from '../../../../electron/core/recovery/export-intent.js';
import { currentOwner } from '../../../../electron/core/recovery/process-owner.js';
import { settleInterruptedTransfers } from '../../../../electron/core/recovery/reconcile.js';
import { makeSigner, type TestSigner } from '../../../helpers/hostile-tar.js';

const STATION = { station: 'alpha', operator: 'op', organization: null };
const DEAD = { pid: 2 ** 22 + 9876, host: currentOwner().host, boot: currentOwner().boot, start: '1' };
const identity = { tagmanifestSha256: 'e'.repeat(64), uuid: 'uuid-1', name: 'inbound', signers: ['FP'], sequence: 3, station: 'beta' };

let root: string;
let signer: TestSigner;
let db: StationDb;
let dir: string;
let n = 0;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-reconcile-'));
  signer = await makeSigner('Station');
});
afterAll(async () => {
  db?.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(async () => {
  n += 1;
  dir = join(root, `case${n}`);
  await mkdir(dir);
  db?.close();
  db = openStationDb(join(dir, 'station.db'));
});

async function chainOk(): Promise<boolean> {
  return (await verifyAuditLog(db, homePaths(dir), [])).ok;
}

/** A claim by a dead process, its staged folder made, and (when `commit`) renamed into place as the commit would. */
async function deadClaim(commit: boolean): Promise<{ id: number; target: string }> {
  const staged = join(dir, '.airlock-staging-x', 'payload');
  await mkdir(staged, { recursive: true });
  await writeFile(join(staged, 'f.txt'), 'f\n');
  const target = join(dir, 'inbound');
  const claimed = claimImport(
    db,
    {
      identity,
      destination: target,
      staged: folderId(staged) as { dev: string; ino: string },
      operator: 'killed-op',
      bundlePath: '/media/inbound.airlock.tar',
      allowReplay: false,
    },
    DEAD,
  );
  if (claimed.kind !== 'claimed') throw new Error(claimed.kind);
  noteStagedTotals(db, claimed.id, 1, 2);
  if (commit) await rename(staged, target);
  return { id: claimed.id, target };
}

describe('settleInterruptedTransfers: imports', () => {
  it('killed after the commit rename: recorded imported, with an `import ok` event saying it was recovered', async () => {
    const { id, target } = await deadClaim(true);
    const summary = settleInterruptedTransfers(db, STATION);
    expect(summary).toMatchObject({ importsRecovered: 1, importsFailed: 0 });
    expect(db.prepare('SELECT status, recovered FROM imports WHERE id = ?').get(id)).toEqual({ status: 'imported', recovered: 1 });
    const [event] = listAuditEvents(db);
    expect(event).toMatchObject({
      type: 'import',
      outcome: 'ok',
      tagmanifestSha256: identity.tagmanifestSha256,
      bundleUuid: 'uuid-1',
      signers: ['FP'],
      files: 1,
      bytes: 2,
    });
    expect(event?.details).toMatchObject({ recovered: true, destination: target, claim: id, interruptedOperator: 'killed-op', interruptedProcess: DEAD.pid });
    expect(await chainOk()).toBe(true);
    // Settled once: a second start finds nothing to do.
    expect(settleInterruptedTransfers(db, STATION).events).toEqual([]);
  });

  it('killed before the rename: recorded failed, with an `import failed` event (INTERRUPTED)', async () => {
    const { id } = await deadClaim(false);
    expect(settleInterruptedTransfers(db, STATION)).toMatchObject({ importsRecovered: 0, importsFailed: 1 });
    expect(db.prepare('SELECT status FROM imports WHERE id = ?').get(id)).toEqual({ status: 'failed' });
    expect(listAuditEvents(db)[0]).toMatchObject({ type: 'import', outcome: 'failed', errorCode: 'INTERRUPTED', details: { recovered: true } });
    expect(await chainOk()).toBe(true);
  });

  it('a folder of that name that is not the staged one is not taken for the import', async () => {
    const { id, target } = await deadClaim(false);
    await mkdir(target);
    settleInterruptedTransfers(db, STATION);
    expect(db.prepare('SELECT status FROM imports WHERE id = ?').get(id)).toEqual({ status: 'failed' });
    expect(String(listAuditEvents(db)[0]?.details.destinationState)).toContain('not made by this import');
  });

  it('a live claim is left to its process', async () => {
    const staged = join(dir, 'live');
    await mkdir(staged);
    claimImport(db, {
      identity,
      destination: join(dir, 'inbound'),
      staged: folderId(staged) as { dev: string; ino: string },
      operator: 'op',
      bundlePath: 'b',
      allowReplay: false,
    });
    expect(settleInterruptedTransfers(db, STATION).events).toEqual([]);
    expect(db.prepare('SELECT status FROM imports').all()).toEqual([{ status: 'pending' }]);
  });
});

describe('settleInterruptedTransfers: exports', () => {
  async function publish(name: string, sequence: number, station = STATION): Promise<WriteBundleResult> {
    const src = join(dir, `src-${name}`);
    await mkdir(src);
    await writeFile(join(src, 'x.txt'), 'x\n');
    return writeBundle({ selection: [src], outDir: dir, name, sequence, identity: station, signers: [openpgpSigner(signer.privateKey)] });
  }

  function intent(name: string, sequence: number): number {
    return recordExportIntent(
      db,
      { kind: 'folder', name, sequence, station: STATION.station, path: join(dir, `${name}.airlock.tar`), operator: 'killed-op', details: { outDir: dir } },
      DEAD,
    );
  }

  it('killed after publishing: `export ok` recovered, with the bundle UUID and tag manifest digest read from the bundle', async () => {
    const id = intent('out1', 7);
    const written = await publish('out1', 7);
    expect(settleInterruptedTransfers(db, STATION)).toMatchObject({ exportsRecovered: 1, exportsFailed: 0 });
    expect(db.prepare('SELECT status, recovered FROM export_intents WHERE id = ?').get(id)).toEqual({ status: 'exported', recovered: 1 });
    expect(listAuditEvents(db)[0]).toMatchObject({
      type: 'export',
      outcome: 'ok',
      bundleName: 'out1',
      bundleUuid: written.uuid,
      tagmanifestSha256: written.tagmanifestSha256,
      details: { recovered: true, bundlePath: written.bundlePath, sequence: 7 },
    });
    expect(await chainOk()).toBe(true);
  });

  it('killed before publishing: `export failed` (INTERRUPTED)', async () => {
    intent('out2', 8);
    expect(settleInterruptedTransfers(db, STATION)).toMatchObject({ exportsRecovered: 0, exportsFailed: 1 });
    expect(listAuditEvents(db)[0]).toMatchObject({ type: 'export', outcome: 'failed', errorCode: 'INTERRUPTED' });
  });

  it("a bundle at that path with another sequence number is not this export's", async () => {
    intent('out3', 9);
    await publish('out3', 10);
    expect(settleInterruptedTransfers(db, STATION)).toMatchObject({ exportsRecovered: 0, exportsFailed: 1 });
  });

  it('a path a live export is writing cannot be claimed by a second export', () => {
    recordExportIntent(db, { kind: 'folder', name: 'same', sequence: 1, station: 'alpha', path: join(dir, 'same.airlock.tar'), operator: 'op', details: {} });
    expect(() =>
      recordExportIntent(db, { kind: 'folder', name: 'same', sequence: 2, station: 'alpha', path: join(dir, 'same.airlock.tar'), operator: 'op', details: {} }),
    ).toThrow(expect.objectContaining({ code: 'OUTPUT_EXISTS' }));
  });
});
