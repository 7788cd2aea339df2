/**
 * A push killed after its first image was tagged in the registry and before the second (found by
 * the fault harness: `npm run fault -- --scenarios kill-push --seed 2 --files 1 --file-mib 1`,
 * trials 3 and 5): the next start settled the import as failed INTERRUPTED and said nothing of the
 * tag already in the registry. The event that settles it now names the manifests the push
 * journal recorded as put since the import started (`details.pushedManifests`), and none from
 * before it (another import's push of the same bundle).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../../../electron/core/audit/audit-store.js';
import { openStationDb, type StationDb } from '../../../../electron/core/db/station-db.js';
import { claimImport, folderId } from '../../../../electron/core/import/import-claim.js';
import { PushJournal } from '../../../../electron/core/oci/push/push-journal.js';
import { currentOwner } from '../../../../electron/core/recovery/process-owner.js';
import { settleInterruptedTransfers } from '../../../../electron/core/recovery/reconcile.js';

const STATION = { station: 'alpha', operator: 'op', organization: null };
const DEAD = { pid: 2 ** 22 + 9876, host: currentOwner().host, boot: currentOwner().boot, start: '1' };
const BUNDLE = 'f'.repeat(64);
const identity = { tagmanifestSha256: BUNDLE, uuid: 'uuid-push', name: 'images', signers: ['FP'], sequence: 1, station: 'beta' };
const TARGET = '127.0.0.1:5000/kill';
const ONE = `sha256:${'1'.repeat(64)}`;
const TWO = `sha256:${'2'.repeat(64)}`;
const OLD = `sha256:${'0'.repeat(64)}`;

let root: string;
let db: StationDb;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-push-killed-'));
  db = openStationDb(join(root, 'station.db'));
});
afterAll(async () => {
  db?.close();
  await rm(root, { recursive: true, force: true });
});

describe('an import whose push was killed after a tag', () => {
  it('is settled failed INTERRUPTED naming the manifests its push had put, not those of an earlier push', async () => {
    const journal = new PushJournal(db, BUNDLE, TARGET);
    // An earlier push of the same bundle (before this import started): not this import's doing.
    journal.markDone('manifest', 'kill/test/old', OLD);
    db.prepare("UPDATE push_journal SET updated_at = '2000-01-01T00:00:00.000Z' WHERE digest = ?").run(OLD);
    const staged = join(root, '.airlock-staging-x', 'payload');
    await mkdir(staged, { recursive: true });
    await writeFile(join(staged, 'oci'), '');
    const claimed = claimImport(
      db,
      {
        identity,
        destination: join(root, 'images'),
        staged: folderId(staged) as { dev: string; ino: string },
        operator: 'op',
        bundlePath: '/b.tar',
        allowReplay: false,
      },
      DEAD,
    );
    if (claimed.kind !== 'claimed') throw new Error(claimed.kind);
    // The first image's blob and manifest (its tag) are in the registry; the second's upload had begun.
    journal.markDone('blob', 'kill/test/one', `sha256:${'a'.repeat(64)}`);
    journal.markDone('manifest', 'kill/test/one', ONE);
    journal.noteUpload('kill/test/two', `sha256:${'b'.repeat(64)}`, 'http://127.0.0.1:5000/v2/upload/1', 1024);

    expect(settleInterruptedTransfers(db, STATION)).toMatchObject({ importsFailed: 1 });
    const event = listAuditEvents(db, { type: 'import' }).at(-1);
    expect(event).toMatchObject({ outcome: 'failed', errorCode: 'INTERRUPTED' });
    expect(event?.details.pushedManifests).toEqual([{ target: TARGET, repository: 'kill/test/one', digest: ONE }]);
    expect(JSON.stringify(event?.details)).not.toContain(TWO);
  });
});
