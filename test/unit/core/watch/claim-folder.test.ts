/**
 * A claim's steps are durable in order (electron/core/watch/claim-folder.ts): the claim folder's
 * entry in INBOX/.airlock-watch is fsynced before the bundle's primary file leaves the inbox, so a
 * cut on a file system that does not order metadata (as ext4's journal does) cannot keep the
 * inbox without the bundle and lose the folder it went to. Found by reading the code (faults9).
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { claimReady } from '../../../../electron/core/watch/claim-folder.js';
import { inboxLayout } from '../../../../electron/core/watch/inbox-layout.js';
import { useTempDirs } from '../../../helpers/temp-dirs.js';

/** Every folder fsync, with whether the claimed bundle was still in the inbox at that moment. */
const synced = vi.hoisted(() => ({ calls: [] as Array<{ dir: string; primaryInInbox: boolean }>, primary: '' }));

vi.mock('../../../../electron/core/fs/durable.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../../electron/core/fs/durable.js')>();
  return {
    ...real,
    fsyncDirectory: async (dir: string): Promise<void> => {
      synced.calls.push({ dir, primaryInInbox: synced.primary !== '' && existsSync(synced.primary) });
      await real.fsyncDirectory(dir);
    },
  };
});

const makeTemp = useTempDirs();

describe('claimReady', () => {
  it('fsyncs the working folder after making the claim folder and before the primary is renamed out of the inbox', async () => {
    const inbox = await makeTemp('airlock-claim-');
    const layout = inboxLayout(inbox);
    await mkdir(layout.work);
    await writeFile(join(inbox, 'b.airlock.tar'), 'bundle');
    await writeFile(join(inbox, 'b.airlock.tar.done'), '');
    synced.primary = join(inbox, 'b.airlock.tar');
    const claim = await claimReady(layout, { kind: 'bundle', name: 'b', primary: 'b.airlock.tar', others: ['b.airlock.tar.done'], mtimeMs: 0 }, '/home', '');
    expect(claim).not.toBeNull();
    expect(existsSync(join(claim?.dir ?? '', 'b.airlock.tar'))).toBe(true);
    const work = synced.calls.filter((c) => c.dir === layout.work);
    expect(work).toHaveLength(1);
    expect(work[0]?.primaryInInbox).toBe(true);
    // Then, as before, the claim folder (the bundle's files in it) and the inbox (claim.json's own fsync is inside durable.ts, not seen here).
    expect(synced.calls.map((c) => c.dir)).toEqual([layout.work, claim?.dir, inbox]);
  });
});
