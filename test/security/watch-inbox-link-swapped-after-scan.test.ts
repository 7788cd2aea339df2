/**
 * Hazard: a sender swaps a bundle for a symbolic link (to /etc/shadow, to another station's
 * files) between the watcher's scan and its claim. The claim's rename moves the link itself, and
 * the claimed file is checked to be a plain file before anything opens it: the link is never
 * followed, never imported, and ends in quarantine/ as INBOX_ENTRY_REFUSED.
 */
import { mkdir, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimReady } from '../../electron/core/watch/claim-folder.js';
import { inboxLayout } from '../../electron/core/watch/inbox-layout.js';
import { processClaim, type WatchPort } from '../../electron/core/watch/process-claim.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs();

describe('a bundle swapped for a link after the scan', () => {
  it('is claimed as the link, never opened, and moved to quarantine/', async () => {
    const inbox = await tempDir('airlock-swap-');
    const layout = inboxLayout(inbox);
    for (const dir of [layout.work, layout.accepted, layout.quarantine, layout.refused]) await mkdir(dir, { recursive: true });
    await writeFile(join(inbox, 'x.airlock.tar'), 'a bundle');
    const secret = join(inbox, '..', `secret-${Date.now()}`);
    await writeFile(secret, 'not for import');
    // The scan saw a plain file; now the sender swaps it.
    await rm(join(inbox, 'x.airlock.tar'));
    await symlink(secret, join(inbox, 'x.airlock.tar'));
    const claim = await claimReady(layout, { kind: 'bundle', name: 'x', primary: 'x.airlock.tar', others: [], mtimeMs: 0 }, '/home', new Date().toISOString());
    expect(claim).not.toBeNull();
    const opened: string[] = [];
    const port: WatchPort = {
      home: '/home',
      importBundle: (path) => {
        opened.push(path);
        return Promise.reject(new Error('must not be imported'));
      },
      priorImport: () => null,
      importedOnStation: () => false,
    };
    const result = await processClaim(layout, claim!, port, new AbortController().signal, false);
    expect(opened).toEqual([]);
    expect(result).toMatchObject({ kind: 'done', record: { outcome: 'rejected', codes: ['INBOX_ENTRY_REFUSED'] } });
    const [folder] = await readdir(layout.quarantine);
    expect(await readlink(join(layout.quarantine, folder!, 'x.airlock.tar'))).toBe(secret);
    expect(await readFile(secret, 'utf8')).toBe('not for import');
    await rm(secret);
  });
});
