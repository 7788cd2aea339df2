/**
 * Whether an interrupted export's bundle was published, in either form it takes
 * (docs/bundle-format.md §14): one file `NAME.airlock.tar` at the intent's path, or a split set
 * (parts and the signed volume index) whose LAST volume's index copy is complete and signed.
 * Until that copy's signature has its name, no reader accepts the set (§14.6), so a set short of
 * it was not published, whatever parts have their names. Read after a crash (reconcile.ts) and
 * after a live failure (station/export.ts), inside a transaction: bounded, synchronous reads
 * (the bundle's front, one index of at most 1 MiB, a stat per part), nothing hashed.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BUNDLE_SUFFIX } from '../bundle/format.js';
import { indexFileName, INDEX_SIGNATURE_SUFFIX } from '../media/parts/part-names.js';
import { MAX_INDEX_BYTES, parseIndex, type VolumeIndex } from '../media/parts/volume-index.js';
import { readBundleFront } from './bundle-front.js';

export interface PublishedBundle {
  form: 'file' | 'split';
  tagmanifestSha256: string;
  uuid: string | null;
  /** The bundle file, or the complete index copy of a split set. */
  path: string;
  /** A split set: how many parts its index lists. */
  parts?: number | undefined;
}

export interface PublishedQuery {
  /** The intent's path: `DIR/NAME.airlock.tar` (on media: on the first volume). */
  path: string;
  station: string;
  sequence: number;
  /** What the intent noted right before the completing rename (channels/channel-send.ts notePublishing); null when nothing was noted. */
  notedTagmanifestSha256: string | null;
  /** The completing file's path it noted (a split set's last index signature, perhaps on another medium); null when none. */
  notedPath: string | null;
}

function fileSize(path: string): number | null {
  try {
    const stats = statSync(path);
    return stats.isFile() ? stats.size : null;
  } catch {
    return null;
  }
}

function readIndex(path: string): VolumeIndex | null {
  const size = fileSize(path);
  if (size === null || size > MAX_INDEX_BYTES) return null;
  try {
    const parsed = parseIndex(readFileSync(path));
    return 'index' in parsed ? parsed.index : null;
  } catch {
    return null;
  }
}

/**
 * A complete, signed index copy in `dir` for bundle `name`, the parts it places on that volume
 * present at their sizes, and the set provably this export's: the tag manifest noted before the
 * completing rename, or (nothing noted) part 1 beside it naming this station and sequence.
 */
function completeSetIn(dir: string, name: string, query: PublishedQuery): PublishedBundle | null {
  const indexPath = join(dir, indexFileName(name));
  const index = readIndex(indexPath);
  if (index === null || !index.complete || index.name !== name || fileSize(`${indexPath}.asc`) === null) return null;
  const here = index.parts.filter((p) => p.volume === index.volume);
  if (here.some((p) => fileSize(join(dir, p.file)) !== p.size)) return null;
  if (query.notedTagmanifestSha256 !== null) {
    if (index.bundle.tagmanifestSha256 !== query.notedTagmanifestSha256) return null;
  } else {
    const first = index.parts[0];
    const front = first ? readBundleFront(join(dir, first.file)) : null;
    if (front === null || front.station !== query.station || front.sequence !== query.sequence) return null;
    if (front.tagmanifestSha256 !== index.bundle.tagmanifestSha256) return null;
  }
  return { form: 'split', tagmanifestSha256: index.bundle.tagmanifestSha256, uuid: index.bundle.uuid, path: indexPath, parts: index.parts.length };
}

/** The interrupted export's bundle as published (a file, or a complete split set), or null: not found. */
export function findPublishedBundle(query: PublishedQuery): PublishedBundle | null {
  const front = readBundleFront(query.path);
  if (front !== null && front.tagmanifestSha256 !== null && front.station === query.station && front.sequence === query.sequence) {
    return { form: 'file', tagmanifestSha256: front.tagmanifestSha256, uuid: front.uuid, path: query.path };
  }
  const file = basename(query.path);
  if (!file.endsWith(BUNDLE_SUFFIX)) return null;
  const name = file.slice(0, -BUNDLE_SUFFIX.length);
  // The last volume's folder (noted: it may be another medium than the first), then the first volume's.
  const dirs = new Set<string>();
  if (query.notedPath !== null && query.notedPath.endsWith(INDEX_SIGNATURE_SUFFIX)) dirs.add(dirname(query.notedPath));
  dirs.add(dirname(query.path));
  for (const dir of dirs) {
    const found = completeSetIn(dir, name, query);
    if (found) return found;
  }
  return null;
}
