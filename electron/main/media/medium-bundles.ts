/**
 * What the import flow offers from a medium: the bundles in its top folder (where Airlock
 * writes them), each single NAME.airlock.tar as one entry and the parts and volume index of a
 * split bundle grouped into one (docs/bundle-format.md §14). Names are only listed here: the
 * medium is hostile, so only regular files count (a symlink named like a bundle is skipped),
 * the folder is read up to a cap, and what is listed is verified before anything is believed.
 */
import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import type { MediumBundle } from '../../../shared/ipc.js';
import { BUNDLE_SUFFIX, isAirlockTempName, parseIndexFileName, parsePartFileName } from '../../core/index.js';

/** Folder entries looked at before the listing stops (and says so). */
export const MEDIUM_ENTRY_CAP = 20_000;
/** Bundles listed at most. */
export const MEDIUM_BUNDLE_CAP = 500;

export interface MediumListing {
  bundles: MediumBundle[];
  leftovers: number;
  truncated: boolean;
}

interface SplitGroup {
  parts: Map<number, { file: string; size: number }>;
  count: number | null;
  index: string | null;
}

async function regularFileSize(path: string): Promise<number | null> {
  const stats = await lstat(path).catch(() => null);
  return stats?.isFile() ? stats.size : null;
}

export async function listMediumBundles(dir: string, caps = { entries: MEDIUM_ENTRY_CAP, bundles: MEDIUM_BUNDLE_CAP }): Promise<MediumListing> {
  const singles: MediumBundle[] = [];
  const groups = new Map<string, SplitGroup>();
  const group = (name: string): SplitGroup => {
    let found = groups.get(name);
    if (!found) groups.set(name, (found = { parts: new Map(), count: null, index: null }));
    return found;
  };
  let leftovers = 0;
  let seen = 0;
  let truncated = false;

  const folder = await opendir(dir);
  try {
    for await (const entry of folder) {
      if (seen >= caps.entries) {
        truncated = true;
        break;
      }
      seen += 1;
      const file = entry.name;
      if (isAirlockTempName(file)) {
        leftovers += 1;
        continue;
      }
      if (!entry.isFile()) continue;
      const path = join(dir, file);
      const part = parsePartFileName(file);
      if (part) {
        const size = await regularFileSize(path);
        if (size === null) continue;
        const g = group(part.name);
        g.parts.set(part.number, { file: path, size });
        g.count ??= part.count;
        continue;
      }
      const indexOf = parseIndexFileName(file);
      if (indexOf !== null) {
        if (!file.endsWith('.asc')) group(indexOf).index = path;
        continue;
      }
      if (file.endsWith(BUNDLE_SUFFIX) && !file.startsWith('.') && file.length > BUNDLE_SUFFIX.length) {
        const size = await regularFileSize(path);
        if (size === null) continue;
        singles.push({ name: file.slice(0, -BUNDLE_SUFFIX.length), kind: 'bundle', path, bytes: size, partsHere: 0, partsTotal: null, indexHere: false });
      }
    }
  } finally {
    // for await closes the handle when it runs to the end; after a break it may still be open.
    await folder.close().catch(() => undefined);
  }

  const splits: MediumBundle[] = [...groups].map(([name, g]) => {
    const numbers = [...g.parts.keys()].sort((a, b) => a - b);
    const first = numbers[0] === undefined ? undefined : g.parts.get(numbers[0]);
    return {
      name,
      kind: 'split',
      // Part 1 (or the lowest part here) lets verify and import find the rest; the index alone when no part is here.
      path: first?.file ?? (g.index as string),
      bytes: [...g.parts.values()].reduce((n, p) => n + p.size, 0),
      partsHere: g.parts.size,
      partsTotal: g.count,
      indexHere: g.index !== null,
    };
  });
  const bundles = [...singles, ...splits].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (bundles.length > caps.bundles) truncated = true;
  return { bundles: bundles.slice(0, caps.bundles), leftovers, truncated };
}
