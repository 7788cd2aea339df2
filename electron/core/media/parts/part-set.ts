/**
 * Reading a split bundle (docs/bundle-format.md §14): from one part or the index, find the
 * signed volume index copies and every part (the same folder, then other mounted media),
 * and check each part's size and SHA-256 against the signed index BEFORE anything is
 * reassembled: a missing part is PART_MISSING, a stale or damaged one PART_MISMATCH, a stray
 * file named like a part of this bundle PART_EXTRA, an unsigned or malformed index
 * INDEX_INVALID. Then the parts are chained, in order, into one stream for the verifier.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { problem, type Problem } from '../../../../shared/problems.js';
import type { SignerInfo } from '../../../../shared/results.js';
import type { TrustedKey } from '../../crypto/detached-signature.js';
import { sha256 } from '../../crypto/sha256.js';
import { throwIfAborted } from '../../errors.js';
import { createRegularReadStream, readRegularFile } from '../../fs/open-regular.js';
import type { BundleSource } from '../../verify/check-bundle.js';
import { indexFileName, indexSignatureFileName, parseIndexFileName, parsePartFileName } from './part-names.js';
import { mergeIndexes, parseIndex, verifyIndexSignature, MAX_INDEX_BYTES, type IndexPart, type VolumeIndex } from './volume-index.js';

/** Opens a file for reading: plainly (verify, import) or past the cache (media verify). */
export type PartReader = (path: string, signal?: AbortSignal) => Readable;

// Non-blocking open, fstat proof (fs/open-regular.ts): a part swapped for a FIFO is an error, never a hang.
export const plainReader: PartReader = (path, signal) => createRegularReadStream(path, { highWaterMark: 1 << 20, signal });

/** True when `path` names a part or a volume index: the split-bundle route, not a plain bundle. */
export function isPartSetPath(path: string): boolean {
  const file = basename(path);
  return parsePartFileName(file) !== null || parseIndexFileName(file) !== null;
}

export interface LocatedPart extends IndexPart {
  /** Where it was found; null when missing. */
  path: string | null;
}

export interface PartSetCheck {
  name: string;
  /** The merged signed index; null when none could be trusted. */
  index: VolumeIndex | null;
  indexFiles: string[];
  indexSigners: SignerInfo[];
  parts: LocatedPart[];
  problems: Problem[];
}

/** Asked (on a terminal) to insert the medium holding what is missing; resolves with the folders to search again, or null to stop. */
export type AskForMedium = (request: { name: string; volume: number | null; label: string | null; files: string[] }) => Promise<string[] | null>;

export interface LocateOptions {
  /** Other folders to look in: mount points of the media inserted now. */
  searchDirs: readonly string[];
  trusted: readonly TrustedKey[];
  now?: Date | undefined;
  clockSkewMs?: number | undefined;
  reader?: PartReader | undefined;
  askForMedium?: AskForMedium | undefined;
  signal?: AbortSignal | undefined;
  onBytes?: (n: number) => void;
  /** Check only the parts the index places on this volume (media verify of one medium); the others are listed, not looked for. */
  onlyVolume?: number | undefined;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
}

async function listDir(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

interface IndexCopy {
  path: string;
  index: VolumeIndex;
  signers: SignerInfo[];
}

async function readIndexCopies(name: string, dirs: readonly string[], options: LocateOptions, problems: Problem[]): Promise<IndexCopy[]> {
  const copies: IndexCopy[] = [];
  for (const dir of dirs) {
    const path = join(dir, indexFileName(name));
    if (!(await isFile(path))) continue;
    const sigPath = join(dir, indexSignatureFileName(name));
    const bytes = await readRegularFile(path).catch(() => null);
    if (bytes === null || bytes.length > MAX_INDEX_BYTES) {
      problems.push(problem('INDEX_INVALID', `${path} cannot be read or is too large.`, path));
      continue;
    }
    // A FIFO, socket or device in the signature's place is refused without blocking: 'missing' below.
    const armored = await readRegularFile(sigPath, 'utf8').catch(() => null);
    if (armored === null) {
      problems.push(problem('INDEX_INVALID', `${sigPath} is missing: the index is not signed.`, path));
      continue;
    }
    const verified = await verifyIndexSignature(bytes, armored, options.trusted, sigPath, options.now, options.clockSkewMs ?? 0);
    if (verified.problems.length > 0) {
      problems.push(...verified.problems);
      continue;
    }
    const parsed = parseIndex(bytes);
    if ('error' in parsed) {
      problems.push(problem('INDEX_INVALID', `${path}: ${parsed.error}.`, path));
      continue;
    }
    if (parsed.index.name !== name) {
      problems.push(problem('INDEX_INVALID', `${path} describes bundle "${parsed.index.name}", not "${name}".`, path));
      continue;
    }
    copies.push({ path, index: parsed.index, signers: verified.signers });
  }
  return copies;
}

/** SHA-256 and size of a file as the reader reads it. */
async function hashWith(reader: PartReader, path: string, signal?: AbortSignal, onBytes?: (n: number) => void): Promise<{ sha256: string; size: number }> {
  const hash = sha256();
  let size = 0;
  for await (const chunk of reader(path, signal)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
    onBytes?.((chunk as Buffer).length);
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * Find the index copies and the parts, and check every part against the signed index. Nothing
 * is reassembled here; `problems` empty means every part is present and intact.
 */
export async function locatePartSet(startPath: string, options: LocateOptions): Promise<PartSetCheck> {
  const start = resolve(startPath);
  const file = basename(start);
  const name = parsePartFileName(file)?.name ?? parseIndexFileName(file);
  if (name === null) throw new Error(`${file} is not a part or an index`);
  const reader = options.reader ?? plainReader;
  const dirs = [...new Set([dirname(start), ...options.searchDirs.map((d) => resolve(d))])];
  const result: PartSetCheck = { name, index: null, indexFiles: [], indexSigners: [], parts: [], problems: [] };

  // 1. The signed index: every copy found, merged. Without one nothing can be checked.
  let indexProblems: Problem[] = [];
  let copies = await readIndexCopies(name, dirs, options, indexProblems);
  while (copies.length === 0 && options.askForMedium) {
    const more = await options.askForMedium({ name, volume: null, label: null, files: [indexFileName(name)] });
    if (more === null) break;
    for (const d of more) if (!dirs.includes(resolve(d))) dirs.push(resolve(d));
    indexProblems = [];
    copies = await readIndexCopies(name, dirs, options, indexProblems);
  }
  if (copies.length === 0) {
    result.problems.push(...indexProblems);
    if (indexProblems.length === 0)
      result.problems.push(
        problem('INDEX_INVALID', `No ${indexFileName(name)} beside ${file} or on any inserted medium: the parts cannot be checked.`, indexFileName(name)),
      );
    return result;
  }
  const merged = mergeIndexes(copies.map((c) => c.index));
  if ('error' in merged) {
    result.problems.push(...indexProblems, problem('INDEX_INVALID', `${merged.error}.`, copies[0]?.path));
    return result;
  }
  const index = merged.index;
  result.index = index;
  result.indexFiles = copies.map((c) => c.path);
  const signers = new Map<string, SignerInfo>();
  for (const copy of copies) for (const s of copy.signers) signers.set(s.fingerprint, s);
  result.indexSigners = [...signers.values()];

  // 2. Where each part is, and which files only look like parts of this bundle.
  const wanted = new Map(index.parts.map((p) => [p.file, p]));
  const found = new Map<number, string[]>();
  const extras = new Set<string>();
  const scan = async (): Promise<void> => {
    found.clear();
    extras.clear();
    for (const dir of dirs) {
      for (const entry of await listDir(dir)) {
        const part = parsePartFileName(entry);
        if (!part || part.name !== name) continue;
        const path = join(dir, entry);
        if (wanted.get(entry)?.number !== part.number) extras.add(path);
        else found.set(part.number, [...(found.get(part.number) ?? []), path]);
      }
    }
  };
  await scan();
  const inScope = (p: IndexPart): boolean => options.onlyVolume === undefined || p.volume === options.onlyVolume;
  const missing = (): IndexPart[] => index.parts.filter((p) => inScope(p) && !found.has(p.number));
  while (missing().length > 0 && options.askForMedium) {
    const first = missing()[0] as IndexPart;
    const label = index.media.find((m) => m.volume === first.volume)?.label ?? null;
    const more = await options.askForMedium({
      name,
      volume: first.volume,
      label,
      files: missing()
        .filter((p) => p.volume === first.volume)
        .map((p) => p.file),
    });
    if (more === null) break;
    for (const d of more) if (!dirs.includes(resolve(d))) dirs.push(resolve(d));
    await scan();
  }
  for (const path of extras)
    result.problems.push(
      problem(
        'PART_EXTRA',
        `${path} is named as a part of ${name}, but the signed index lists ${index.parts.length} parts named ${index.parts[0]?.file ?? ''} ... ${index.parts.at(-1)?.file ?? ''}.`,
        path,
      ),
    );

  // 3. Every located part against the signed index, before any reassembly.
  for (const part of index.parts) {
    throwIfAborted(options.signal);
    const candidates = found.get(part.number) ?? [];
    const located: LocatedPart = { ...part, path: null };
    result.parts.push(located);
    if (!inScope(part)) continue;
    if (candidates.length === 0) {
      const label = index.media.find((m) => m.volume === part.volume)?.label;
      result.problems.push(
        problem(
          'PART_MISSING',
          `${part.file} (volume ${part.volume} of ${index.volumes}${label ? `, label ${label}` : ''}) was not found beside ${file} or on any inserted medium.`,
          part.file,
        ),
      );
      continue;
    }
    if (part.sha256 === null) {
      result.problems.push(
        problem(
          'INDEX_INVALID',
          `No index copy from volume ${part.volume} or later was found, so ${part.file} cannot be checked: insert the last volume too.`,
          part.file,
        ),
      );
      continue;
    }
    const reasons: string[] = [];
    for (const path of candidates) {
      const size = (await stat(path)).size;
      if (size !== part.size) {
        reasons.push(`${path} is ${size} bytes; the signed index says ${part.size}`);
        continue;
      }
      const digest = await hashWith(reader, path, options.signal, options.onBytes);
      if (digest.sha256 !== part.sha256 || digest.size !== part.size) {
        reasons.push(`${path} has SHA-256 ${digest.sha256}; the signed index says ${part.sha256}`);
        continue;
      }
      located.path = path;
      break;
    }
    if (located.path === null) result.problems.push(problem('PART_MISMATCH', `${reasons.join('; ')}.`, candidates[0]));
  }
  return result;
}

/** Raised inside the reassembled stream when a part changes between the check and the read. */
export class PartStreamError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
    this.name = 'PartStreamError';
  }
}

/**
 * The checked parts chained in order: one Readable the verifier reads as if it were the
 * bundle file. Each part is hashed again as it streams (a part swapped after the check fails
 * with PART_MISMATCH), and at the end the whole bundle's size and SHA-256 are compared with the
 * index when it records them.
 */
export function reassembly(check: PartSetCheck, reader: PartReader = plainReader): BundleSource & { wholeSha256: () => string | null } {
  const index = check.index;
  if (!index || check.problems.length > 0 || check.parts.some((p) => p.path === null)) throw new Error('reassembly needs a checked, complete part set');
  let whole: string | null = null;
  return {
    size: index.bundle.size,
    wholeSha256: () => whole,
    open(signal?: AbortSignal): Readable {
      const out = new PassThrough({ highWaterMark: 1 << 20 });
      const wholeHash = sha256();
      void (async () => {
        let total = 0;
        for (const part of check.parts) {
          const hash = sha256();
          let size = 0;
          const input = reader(part.path as string, signal);
          out.once('close', () => input.destroy());
          for await (const chunk of input) {
            const buffer = chunk as Buffer;
            hash.update(buffer);
            wholeHash.update(buffer);
            size += buffer.length;
            if (!out.write(buffer)) {
              await new Promise<void>((resolve) => {
                out.once('drain', resolve);
                out.once('close', resolve);
              });
            }
            if (out.destroyed) return;
          }
          const digest = hash.digest('hex');
          if (digest !== part.sha256 || size !== part.size) {
            throw new PartStreamError(
              problem('PART_MISMATCH', `${part.path as string} changed after it was checked (SHA-256 ${digest}, ${size} bytes).`, part.path as string),
            );
          }
          total += size;
        }
        whole = wholeHash.digest('hex');
        if (total !== index.bundle.size || (index.bundle.sha256 !== null && whole !== index.bundle.sha256)) {
          throw new PartStreamError(
            problem('INDEX_INVALID', `The reassembled bundle (${total} bytes, SHA-256 ${whole}) differs from the signed index.`, check.indexFiles[0]),
          );
        }
        out.end();
      })().catch((error: unknown) => out.destroy(error as Error));
      return out;
    },
  };
}

/** The PartStreamError behind an error, however it was wrapped on the way up. */
export function partStreamProblem(error: unknown): Problem | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    if (current instanceof PartStreamError) return current.problem;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
