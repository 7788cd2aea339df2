/**
 * verify and import of a split bundle: given a part or a volume index instead of a bundle
 * file, check the parts against the signed index first; only a complete, intact set is chained
 * into the unchanged verify pipeline. A part that changes while it streams rejects the bundle.
 */
import type { Problem } from '../../../../shared/problems.js';
import type { VerifyResult } from '../../../../shared/results.js';
import type { TrustedKey } from '../../crypto/detached-signature.js';
import type { BundleSource } from '../../verify/check-bundle.js';
import { noFileResults } from '../../verify/file-results.js';
import { DEFAULT_LIMITS } from '../../policy/limits.js';
import { policyNotReached } from '../../policy/policy-findings.js';
import { isPartSetPath, locatePartSet, partStreamProblem, reassembly, type AskForMedium, type PartReader, type PartSetCheck } from './part-set.js';

export interface SplitRoute {
  check: PartSetCheck;
  /** The parts chained in order, when every check passed; else null (see check.problems). */
  source: BundleSource | null;
}

export interface SplitRouteOptions {
  trusted: readonly TrustedKey[];
  clockSkewMs?: number;
  now?: Date | undefined;
  /** Mount points of the media inserted now, searched after the part's own folder. */
  searchDirs: readonly string[];
  askForMedium?: AskForMedium | undefined;
  reader?: PartReader;
  signal?: AbortSignal | undefined;
  onlyVolume?: number | undefined;
}

/** null when `path` is not a part or an index (an ordinary bundle file). */
export async function routeSplit(path: string, options: SplitRouteOptions): Promise<SplitRoute | null> {
  if (!isPartSetPath(path)) return null;
  const check = await locatePartSet(path, {
    searchDirs: options.searchDirs,
    trusted: options.trusted,
    clockSkewMs: options.clockSkewMs,
    now: options.now,
    askForMedium: options.askForMedium,
    reader: options.reader,
    signal: options.signal,
    onlyVolume: options.onlyVolume,
  });
  const complete = check.problems.length === 0 && check.index !== null && check.parts.every((p) => p.path !== null);
  return { check, source: complete ? reassembly(check, options.reader) : null };
}

/**
 * What a part set says of its bundle before the bag is read: the name and id from the signed
 * volume index (or the part names), nothing the bag itself would tell.
 */
export function partSetBundle(path: string, check: PartSetCheck): VerifyResult['bundle'] {
  return {
    name: check.index?.name ?? check.name,
    path,
    uuid: check.index?.bundle.uuid ?? null,
    station: null,
    operator: null,
    sequence: null,
    created: null,
    files: 0,
    bytes: 0,
    tagmanifestSha256: check.index?.bundle.tagmanifestSha256 ?? null,
  };
}

/** The report for a split bundle rejected before (or while) reassembling: nothing of the bag was trusted. */
export function splitRejection(path: string, check: PartSetCheck, extra: Problem[] = []): VerifyResult {
  return {
    ok: false,
    bundle: { ...partSetBundle(path, check), tagmanifestSha256: null },
    signers: [],
    problems: [...check.problems, ...extra],
    // Nothing of the bag was read: no file results, every policy check unreached (callers that
    // know the station's policy replace these default-limit findings with its own).
    files: noFileResults(),
    policy: policyNotReached(DEFAULT_LIMITS, 0),
    parts: partsSummary(check),
  };
}

export function partsSummary(check: PartSetCheck): NonNullable<VerifyResult['parts']> {
  return {
    count: check.index?.parts.length ?? 0,
    volumes: check.index?.volumes ?? 0,
    indexFiles: check.indexFiles,
    files: check.parts.map((p) => ({ file: p.file, volume: p.volume, path: p.path })),
  };
}

/**
 * Runs a verify or import over reassembled parts; a part that changed after its check turns
 * into a rejection with that problem rather than an I/O failure. After a verified run the
 * bundle must be the one the index describes.
 */
export async function throughParts<T extends VerifyResult>(
  route: SplitRoute | null,
  path: string,
  run: () => Promise<T>,
  reject: (base: VerifyResult) => T,
  options: { compareTagmanifest: boolean } = { compareTagmanifest: true },
): Promise<T> {
  if (route && !route.source) return reject(splitRejection(path, route.check));
  let result: T;
  try {
    result = await run();
  } catch (error) {
    const found = partStreamProblem(error);
    if (route && found) return reject(splitRejection(path, route.check, [found]));
    throw error;
  }
  if (!route) return result;
  result.parts = partsSummary(route.check);
  const index = route.check.index;
  // (Import already compared the whole bundle's SHA-256 with the index before committing.)
  if (options.compareTagmanifest && result.ok && index && result.bundle.tagmanifestSha256 !== index.bundle.tagmanifestSha256) {
    result.ok = false;
    result.problems.push({
      code: 'INDEX_INVALID',
      path: route.check.indexFiles[0] ?? path,
      message: `The volume index describes tag manifest ${index.bundle.tagmanifestSha256}; the reassembled bundle's is ${String(result.bundle.tagmanifestSha256)}.`,
    });
  }
  return result;
}
