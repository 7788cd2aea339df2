import { lstat, readdir } from 'node:fs/promises';
import { isLayoutName } from './inbox-layout.js';

/**
 * One look at the inbox: one readdir and one lstat per entry (never a stat that follows a link).
 * Names are read as raw bytes, so a name that is not UTF-8 can still be moved aside by the very
 * bytes it has; `name` is its text (U+FFFD where the bytes were not UTF-8), for reports only.
 */
export interface InboxEntry {
  name: string;
  raw: Buffer;
  /** The name's bytes are valid UTF-8 (so `name` is exactly the file's name). */
  utf8: boolean;
  type: 'file' | 'link' | 'dir' | 'other';
  size: number;
  mtimeMs: number;
  ino: bigint;
}

export async function scanInbox(inbox: string): Promise<InboxEntry[]> {
  const names = await readdir(inbox, { encoding: 'buffer' });
  const base = Buffer.from(inbox.endsWith('/') ? inbox : `${inbox}/`);
  const entries: InboxEntry[] = [];
  for (const raw of names) {
    const name = raw.toString('utf8');
    if (isLayoutName(name)) continue;
    let stats;
    try {
      stats = await lstat(Buffer.concat([base, raw]), { bigint: true });
    } catch {
      continue; // gone between readdir and lstat (claimed by another watcher, renamed by its sender)
    }
    const type = stats.isSymbolicLink() ? 'link' : stats.isFile() ? 'file' : stats.isDirectory() ? 'dir' : 'other';
    entries.push({
      name,
      raw,
      utf8: Buffer.from(name, 'utf8').equals(raw),
      type,
      size: Number(stats.size),
      mtimeMs: Number(stats.mtimeNs / 1_000_000n),
      ino: stats.ino,
    });
  }
  return entries;
}

/**
 * Which entries have stopped changing: an entry is settled once its size, mtime and inode were
 * seen unchanged for `settleMs` of this watcher's own observation (an old mtime alone proves
 * nothing: `cp -p` sets it at the end of a copy). Holds one row per entry in the inbox now:
 * rows of entries gone from the last scan are dropped, so it does not grow over days.
 */
export class SettleTracker {
  private readonly seen = new Map<string, { size: number; mtimeMs: number; ino: bigint; since: number }>();

  constructor(private readonly settleMs: number) {}

  observe(entries: readonly InboxEntry[], now: number): void {
    const present = new Set<string>();
    for (const entry of entries) {
      const key = entry.raw.toString('hex');
      present.add(key);
      const row = this.seen.get(key);
      if (row && row.size === entry.size && row.mtimeMs === entry.mtimeMs && row.ino === entry.ino) continue;
      this.seen.set(key, { size: entry.size, mtimeMs: entry.mtimeMs, ino: entry.ino, since: now });
    }
    for (const key of this.seen.keys()) if (!present.has(key)) this.seen.delete(key);
  }

  settled(entry: InboxEntry, now: number): boolean {
    const row = this.seen.get(entry.raw.toString('hex'));
    return row !== undefined && now - row.since >= this.settleMs;
  }

  get size(): number {
    return this.seen.size;
  }
}
