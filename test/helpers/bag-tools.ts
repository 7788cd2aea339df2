/**
 * Taking bundles apart and putting them back together with GNU tar, in the format's order
 * (docs/design.md §2): the tag files first, then the payload. Used to build tampered bundles and
 * bags made by hand.
 */
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { mustRun } from './tools.js';

/** The tag files, in the order the format puts them at the start of the archive. */
export const TAG_FILES = ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', 'tagmanifest-sha256.txt', 'tagmanifest-sha256.txt.asc'] as const;

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** `tar xf BUNDLE -C DIR` (GNU tar); DIR is created if needed. */
export async function extractBundle(bundle: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  mustRun('tar', ['-x', '-f', bundle, '-C', dir]);
}

export interface PackOptions {
  /** GNU tar --format; default: GNU tar's own default (gnu). */
  format?: 'gnu' | 'posix' | 'ustar' | 'oldgnu';
  /** Tag files to add after the standard ones (e.g. fetch.txt), in this order. */
  extraTags?: readonly string[];
  /** Payload paths below NAME/ to archive instead of the whole NAME/data (in this order). */
  payload?: readonly string[];
}

/**
 * `tar cf OUT -C PARENT NAME/<tag files present> NAME/data` with GNU tar, sorted by name,
 * as a person following the format's layout would. Directory entries are included.
 */
export async function packBag(parent: string, name: string, out: string, options: PackOptions = {}): Promise<string> {
  const members: string[] = [];
  for (const tag of [...TAG_FILES, ...(options.extraTags ?? [])]) {
    if (await exists(join(parent, name, tag))) members.push(`${name}/${tag}`);
  }
  for (const path of options.payload ?? ['data']) members.push(`${name}/${path}`);
  await mkdir(dirname(out), { recursive: true });
  const format = options.format ? [`--format=${options.format}`] : [];
  mustRun('tar', ['-c', '-f', out, ...format, '--sort=name', '--owner=0', '--group=0', '--numeric-owner', '-C', parent, '--', ...members]);
  return out;
}

/** Member names of a tar file as GNU tar lists them (`tar tf`, one per line). */
export function listTar(bundle: string): string[] {
  return mustRun('tar', ['-t', '-f', bundle])
    .stdout.split('\n')
    .filter((line) => line.length > 0);
}

/** Replace the first occurrence of `from` in a text file. Throws if it is not there. */
export async function editFile(path: string, from: string | RegExp, to: string): Promise<void> {
  const text = await readFile(path, 'utf8');
  const edited = text.replace(from, to);
  if (edited === text) throw new Error(`editFile: ${String(from)} not found in ${path}`);
  await writeFile(path, edited);
}

/** Offset of `marker` in `bytes`, which must occur exactly once. */
export function uniqueOffset(bytes: Buffer, marker: string | Buffer): number {
  const needle = Buffer.isBuffer(marker) ? marker : Buffer.from(marker);
  const first = bytes.indexOf(needle);
  if (first < 0) throw new Error(`marker ${needle.toString()} not found`);
  if (bytes.indexOf(needle, first + 1) >= 0) throw new Error(`marker ${needle.toString()} occurs more than once`);
  return first;
}
