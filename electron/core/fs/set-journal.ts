/**
 * The journal that makes a published set (a receipt's .json, .json.asc, .html, .pdf, .pdf.asc)
 * all or nothing under a kill. Members are linked one by one (numbered-publish.ts), so a process
 * killed in between would leave half a set. Before the first link, the set is written down:
 * its base, every member's bytes and the inode its temp file (and so its published name) has,
 * and the writer's process stamp. Once every member is in, the journal is removed. A journal
 * whose writer is provably dead is finished by the next run that publishes into that folder
 * (recoverInterruptedSets): members that are in stay, missing ones are written from the journal;
 * and when a missing member's name was taken meanwhile, the members that went in are taken back
 * (only where the name still holds our inode) and the whole set is published anew under the next
 * free number. Journals are hidden files with their own name (`.BASE.set-journal.RAND`), which
 * the dead-temp sweeps never touch, and are written by temp + rename, so one is whole or absent.
 */
import { randomBytes } from 'node:crypto';
import { lstat, readdir, readFile, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsyncDirectory, writeFileDurably } from './durable.js';
import { currentStamp, ownerState, parseStamp } from './process-owner.js';

export interface JournalMember {
  suffix: string;
  mode: number;
  data: Uint8Array;
  /** The inode of its temp file: linked under the final name, the same inode. */
  ino: number;
  dev: number;
}

export interface SetJournal {
  /** The base the members are being linked under (BASE + suffix). */
  base: string;
  /** The unnumbered base, and suffixes that must be free too: to publish anew after a conflict. */
  first: string;
  reserved: string[];
  members: JournalMember[];
}

const JOURNAL_RE = /^\.(.+)\.set-journal\.[0-9a-f]{16}$/u;

export async function writeSetJournal(journal: SetJournal): Promise<string> {
  const path = join(dirname(journal.base), `.${basename(journal.first)}.set-journal.${randomBytes(8).toString('hex')}`);
  const body = {
    journal: 'airlock-publish-set',
    version: 1,
    owner: currentStamp(),
    base: basename(journal.base),
    first: basename(journal.first),
    reserved: journal.reserved,
    members: journal.members.map((m) => ({ suffix: m.suffix, mode: m.mode, ino: m.ino, dev: m.dev, data: Buffer.from(m.data).toString('base64') })),
  };
  await writeFileDurably(path, JSON.stringify(body), 0o600);
  return path;
}

export async function removeSetJournal(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
  await fsyncDirectory(dirname(path)).catch(() => undefined);
}

export interface DeadJournal {
  path: string;
  journal: SetJournal;
}

/** Journals in `dir` whose writer is provably gone (a live or unknown writer's are left alone). */
export async function deadSetJournals(dir: string): Promise<DeadJournal[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  const found: DeadJournal[] = [];
  for (const entry of entries) {
    if (!JOURNAL_RE.test(entry)) continue;
    const path = join(dir, entry);
    const parsed = await readJournal(dir, path);
    if (parsed === 'foreign') continue;
    if (parsed === null) continue;
    found.push({ path, journal: parsed });
  }
  return found;
}

/** The journal if its writer is dead; 'foreign' for a file that is not one of ours or whose writer may live. */
async function readJournal(dir: string, path: string): Promise<SetJournal | 'foreign' | null> {
  try {
    const stats = await lstat(path);
    if (!stats.isFile()) return 'foreign';
    const body = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    if (body['journal'] !== 'airlock-publish-set' || body['version'] !== 1) return 'foreign';
    const owner = parseStamp(body['owner']);
    if (owner === null || ownerState(owner) !== 'dead') return 'foreign';
    const base = body['base'];
    const first = body['first'];
    const reserved = body['reserved'];
    const members = body['members'];
    if (typeof base !== 'string' || typeof first !== 'string' || !safeName(base) || !safeName(first)) return 'foreign';
    if (!Array.isArray(reserved) || !reserved.every((r) => typeof r === 'string' && safeSuffix(r))) return 'foreign';
    if (!Array.isArray(members)) return 'foreign';
    const list: JournalMember[] = [];
    for (const m of members as Array<Record<string, unknown>>) {
      const { suffix, mode, ino, dev, data } = m;
      if (
        typeof suffix !== 'string' ||
        !safeSuffix(suffix) ||
        typeof mode !== 'number' ||
        typeof ino !== 'number' ||
        typeof dev !== 'number' ||
        typeof data !== 'string'
      ) {
        return 'foreign';
      }
      list.push({ suffix, mode: mode & 0o777, ino, dev, data: Buffer.from(data, 'base64') });
    }
    return { base: join(dir, base), first: join(dir, first), reserved: reserved as string[], members: list };
  } catch {
    return null;
  }
}

/** A journal names files in its own folder only. */
function safeName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\\') && !name.includes('\u0000');
}

function safeSuffix(suffix: string): boolean {
  return /^\.[A-Za-z0-9.]{1,16}$/u.test(suffix);
}
