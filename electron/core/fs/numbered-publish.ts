/**
 * Publish a set of files that belong together (a receipt's .json, .json.asc and .html) under
 * one base name, never replacing anything: the first base for which no member name is taken
 * (a file, folder or symlink, dangling or not), else the next numbered one. Each member goes
 * in with link(2), which fails on a taken name, so a name taken between the check and the
 * publish moves the whole set to the next number instead of replacing the newcomer.
 */
import { lstat, unlink } from 'node:fs/promises';
import { AirlockError } from '../errors.js';
import { writeTempDurably } from './durable.js';
import { releaseTemp } from './owned-temp.js';
import { nameTaken, publishWithoutOverwrite } from './publish.js';

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
      if (await publishAll(base, members, temps)) return base;
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

async function anyTaken(base: string, suffixes: readonly string[]): Promise<boolean> {
  for (const suffix of suffixes) if (await nameTaken(`${base}${suffix}`)) return true;
  return false;
}

/**
 * Link every temp to its name; on a name taken meanwhile, take back the members published in
 * this attempt (only where the name still holds our inode, so a newcomer is never removed),
 * write their temps again (publishing consumed them) and report false.
 */
async function publishAll(base: string, members: readonly SetMember[], temps: string[]): Promise<boolean> {
  const published: Array<{ path: string; ino: number; dev: number }> = [];
  for (const [i, m] of members.entries()) {
    const temp = temps[i] as string;
    const finalPath = `${base}${m.suffix}`;
    const before = await lstat(temp);
    try {
      await publishWithoutOverwrite(temp, finalPath);
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
  return true;
}
