import { mkdir, rename, rm } from 'node:fs/promises';
import { jsonText } from '../../../shared/display-text.js';
import { join } from 'node:path';
import type { WatchBundleRecord } from '../../../shared/watch.js';
import { errnoOf } from '../errors.js';
import { fsyncDirectory, writeFileDurably } from '../fs/durable.js';
import { newClaimId } from './claim-folder.js';
import type { InboxLayout } from './inbox-layout.js';
import type { InboxEntry } from './inbox-scan.js';

/**
 * Move an entry aside unread: a link (never followed: the rename moves the link itself), a
 * folder, a special file, or a name Airlock never writes. It goes to refused/<id>/entry, beside a
 * report.json naming what it was called (as JSON text: control characters escaped), so a hostile
 * name never reaches an operator's terminal as it is. null when the entry was gone already.
 */
export async function refuseEntry(layout: InboxLayout, entry: InboxEntry, now: Date): Promise<WatchBundleRecord | null> {
  const id = newClaimId();
  const dir = join(layout.refused, id);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const reason =
    entry.type === 'link'
      ? 'a symbolic link (never followed)'
      : entry.type === 'dir'
        ? 'a folder'
        : entry.type === 'other'
          ? 'a special file (device, pipe or socket)'
          : 'a name Airlock never gives a bundle file';
  const record: WatchBundleRecord = {
    name: entry.name,
    outcome: 'rejected',
    arrivedAt: now.toISOString(),
    finishedAt: now.toISOString(),
    bundleUuid: null,
    codes: ['INBOX_ENTRY_REFUSED'],
    movedTo: dir,
    auditSeq: null,
  };
  await writeFileDurably(
    join(dir, 'report.json'),
    `${jsonText({ ok: false, refused: { name: entry.name, nameHex: entry.raw.toString('hex'), type: entry.type, size: entry.size, reason } }, 2)}\n`,
  );
  try {
    await rename(Buffer.concat([Buffer.from(`${layout.inbox}/`), entry.raw]), join(dir, 'entry'));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    if (errnoOf(error) === 'ENOENT') return null;
    throw error;
  }
  await fsyncDirectory(dir);
  await fsyncDirectory(layout.inbox);
  return record;
}
