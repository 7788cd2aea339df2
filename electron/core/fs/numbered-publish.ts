/**
 * Publish a set of files that belong together (a receipt's .json, .json.asc and .html) under
 * one base name, never replacing anything: the first base for which no member name is taken
 * (a file, folder or symlink, dangling or not), else the next numbered one. Each member goes
 * in with link(2), which fails on a taken name, so a name taken between the check and the
 * publish moves the whole set to the next number instead of replacing the newcomer.
 */
import { lstat, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AirlockError } from '../errors.js';
import { fsyncDirectory, writeTempDurably } from './durable.js';
import { releaseTemp } from './owned-temp.js';
import { linkWithoutOverwrite, nameTaken, publishWithoutOverwrite } from './publish.js';
import { deadSetJournals, removeSetJournal, writeSetJournal, type SetJournal } from './set-journal.js';

export interface SetMember {
  suffix: string;
  data: string | Uint8Array;
  mode?: number;
}

/** How many numbered alternatives are tried before giving up with OUTPUT_EXISTS. */
const MAX_ALTERNATIVES = 1000;

/**
 * Publishes `members` under baseFor(1), baseFor(2), ...; returns the base used. `reserved`:
 * further suffixes that must be free too (a receipt without a signature must not sit beside
 * someone's NAME.import-receipt.json.asc, which would read as its signature).
 */
export async function publishSetWithoutOverwrite(
  baseFor: (n: number) => string,
  members: readonly SetMember[],
  reserved: readonly string[] = [],
): Promise<string> {
  const first = baseFor(1);
  const temps: string[] = [];
  try {
    for (const m of members) temps.push(await writeTempDurably(`${first}${m.suffix}`, m.data, m.mode ?? 0o644));
    for (let n = 1; n <= MAX_ALTERNATIVES; n += 1) {
      const base = baseFor(n);
      if (await anyTaken(base, [...members.map((m) => m.suffix), ...reserved])) continue;
      // Written down before the first link: a kill between two links is finished by the next run (set-journal.ts).
      const journal = await writeSetJournal(await journalOf(base, first, reserved, members, temps));
      // An unexpected error leaves the journal: the set is then finished once this process is gone.
      const published = await publishAll(base, members, temps);
      await removeSetJournal(journal);
      if (published) return base;
    }
  } finally {
    for (const temp of temps) {
      await unlink(temp).catch(() => undefined);
      releaseTemp(temp);
    }
  }
  throw new AirlockError('OUTPUT_EXISTS', `${first}${members[0]?.suffix ?? ''} and ${MAX_ALTERNATIVES - 1} numbered alternatives are all taken.`, {
    path: first,
  });
}

async function journalOf(
  base: string,
  first: string,
  reserved: readonly string[],
  members: readonly SetMember[],
  temps: readonly string[],
): Promise<SetJournal> {
  const list = [];
  for (const [i, m] of members.entries()) {
    const stats = await lstat(temps[i] as string);
    list.push({ suffix: m.suffix, mode: m.mode ?? 0o644, data: bytesOf(m.data), ino: stats.ino, dev: stats.dev });
  }
  return { base, first, reserved: [...reserved], members: list };
}

function bytesOf(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/**
 * Finish the sets in `dir` whose publishing process was killed between two links (their journal
 * is left, its writer provably dead): afterwards each is whole, under its base or, when one of its
 * names was taken meanwhile, under the next free number. Best effort: a set that cannot be finished
 * now keeps its journal for the next run. Returns the bases finished.
 */
export async function recoverInterruptedSets(dir: string): Promise<string[]> {
  const finished: string[] = [];
  for (const { path, journal } of await deadSetJournals(dir)) {
    try {
      finished.push(await finishSet(journal));
      await removeSetJournal(path);
    } catch {
      // Left for the next run (a name raced, the disk is full): the journal still says what the set is.
    }
  }
  return finished;
}

async function finishSet(journal: SetJournal): Promise<string> {
  const state = [];
  for (const m of journal.members) {
    const path = `${journal.base}${m.suffix}`;
    state.push({ m, path, ...(await memberState(path, m)) });
  }
  if (state.every((s) => s.ours || s.free)) {
    for (const s of state.filter((x) => x.free)) {
      const temp = await writeTempDurably(s.path, s.m.data, s.m.mode);
      try {
        await publishWithoutOverwrite(temp, s.path);
      } finally {
        await unlink(temp).catch(() => undefined);
        releaseTemp(temp);
      }
    }
    return journal.base;
  }
  // A missing member's name was taken meanwhile: take back what went in, publish the whole set anew.
  for (const s of state.filter((x) => x.ours)) await unlink(s.path).catch(() => undefined);
  return publishSetWithoutOverwrite(
    (n) => (n === 1 ? journal.first : `${journal.first}-${n}`),
    journal.members.map((m) => ({ suffix: m.suffix, data: m.data, mode: m.mode })),
    journal.reserved,
  );
}

/**
 * Ours: the published name holds the inode the journal recorded, or (published by an earlier,
 * itself interrupted recovery) a regular file with exactly the journal's bytes. Free: nothing there.
 */
async function memberState(path: string, m: SetJournal['members'][number]): Promise<{ ours: boolean; free: boolean }> {
  const stats = await lstat(path).catch(() => null);
  if (stats === null) return { ours: false, free: !(await nameTaken(path)) };
  if (stats.ino === m.ino && stats.dev === m.dev) return { ours: true, free: false };
  if (!stats.isFile() || stats.size !== m.data.byteLength) return { ours: false, free: false };
  const bytes = await readFile(path).catch(() => null);
  return { ours: bytes !== null && Buffer.from(m.data).equals(bytes), free: false };
}

async function anyTaken(base: string, suffixes: readonly string[]): Promise<boolean> {
  for (const suffix of suffixes) if (await nameTaken(`${base}${suffix}`)) return true;
  return false;
}

/**
 * Link every temp to its name; on a name taken meanwhile, take back the members published in
 * this attempt (only where the name still holds our inode, so a newcomer is never removed),
 * write their temps again (publishing consumed them) and report false. The folder is fsynced
 * once, after the last link, not after each (a receipt set of five made it five fsyncs of the
 * destination folder): until then the set's journal, already durable, says how to finish it, and
 * the journal is removed only after that fsync.
 */
async function publishAll(base: string, members: readonly SetMember[], temps: string[]): Promise<boolean> {
  const published: Array<{ path: string; ino: number; dev: number }> = [];
  for (const [i, m] of members.entries()) {
    const temp = temps[i] as string;
    const finalPath = `${base}${m.suffix}`;
    const before = await lstat(temp);
    try {
      await linkWithoutOverwrite(temp, finalPath);
    } catch (error) {
      if (!(error instanceof AirlockError) || error.code !== 'OUTPUT_EXISTS') throw error;
      for (const p of published) {
        const now = await lstat(p.path).catch(() => null);
        if (now && now.ino === p.ino && now.dev === p.dev) await unlink(p.path).catch(() => undefined);
      }
      // The published members' temps are gone (published by link + unlink): write them again.
      for (const [j, done] of published.entries()) temps[j] = await writeTempDurably(done.path, members[j]?.data ?? '', members[j]?.mode ?? 0o644);
      return false;
    }
    published.push({ path: finalPath, ino: before.ino, dev: before.dev });
  }
  await fsyncDirectory(dirname(base));
  return true;
}
