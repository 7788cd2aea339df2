/**
 * The push journal's writes skip waiting for the disk (synchronous = NORMAL for those statements
 * only): the station database must be back to FULL after each, also after a failed write, and
 * the rows must be readable by another connection at once (what a re-run after kill -9 reads).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStationDb } from '../../../../../electron/core/db/station-db.js';
import { PushJournal } from '../../../../../electron/core/oci/push/push-journal.js';
import { useTempDirs } from '../../../../helpers/temp-dirs.js';

const makeTemp = useTempDirs();
const FULL = 2;
const digest = `sha256:${'a'.repeat(64)}`;

describe('push journal', () => {
  it('writes upload URLs and done marks that another connection reads at once; the database stays synchronous = FULL', async () => {
    const dir = await makeTemp('airlock-journal-');
    const db = openStationDb(join(dir, 'airlock.db'));
    try {
      const journal = new PushJournal(db, 'b'.repeat(64), '127.0.0.1:5000/x');
      journal.noteUpload('app', digest, 'http://127.0.0.1:5000/v2/app/blobs/uploads/1?_state=a', 0);
      expect(db.pragma('synchronous', { simple: true })).toBe(FULL);
      journal.noteUpload('app', digest, 'http://127.0.0.1:5000/v2/app/blobs/uploads/1?_state=b', 32 * 1024 * 1024);
      journal.markDone('manifest', 'app', digest);
      expect(db.pragma('synchronous', { simple: true })).toBe(FULL);
      const other = new Database(join(dir, 'airlock.db'), { readonly: true });
      try {
        const rows = other.prepare('SELECT kind, state, upload_url, bytes_acked FROM push_journal ORDER BY kind').all();
        expect(rows).toEqual([
          { kind: 'blob', state: 'uploading', upload_url: 'http://127.0.0.1:5000/v2/app/blobs/uploads/1?_state=b', bytes_acked: 32 * 1024 * 1024 },
          { kind: 'manifest', state: 'done', upload_url: null, bytes_acked: 0 },
        ]);
      } finally {
        other.close();
      }
      expect(journal.upload('app', digest)).toEqual({ uploadUrl: 'http://127.0.0.1:5000/v2/app/blobs/uploads/1?_state=b', bytesAcked: 32 * 1024 * 1024 });
    } finally {
      db.close();
    }
  });

  it('a write that fails still leaves the database synchronous = FULL', async () => {
    const dir = await makeTemp('airlock-journal-');
    const db = openStationDb(join(dir, 'airlock.db'));
    try {
      const journal = new PushJournal(db, 'b'.repeat(64), '127.0.0.1:5000/x');
      // The kind column accepts 'blob' and 'manifest' only (a CHECK): this insert fails inside the helper.
      expect(() => journal.markDone('neither' as 'blob', 'app', digest)).toThrow();
      expect(db.pragma('synchronous', { simple: true })).toBe(FULL);
    } finally {
      db.close();
    }
  });
});
