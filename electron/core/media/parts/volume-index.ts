/**
 * The volume index of a split bundle (docs/bundle-format.md §14): which parts exist, their
 * sizes and SHA-256, and which volume holds each. It is signed by the key(s) that signed the
 * bundle, over its exact bytes, so a part can be checked on its own before reassembly.
 *
 * Every volume holding parts gets a copy written after its last part; the copy on volume k
 * carries the SHA-256 of every part on volumes 1..k (later parts have `sha256: null` and the
 * bundle's SHA-256 is null until the last volume). A reader merges the copies it finds; the
 * last volume's copy is complete.
 */
import { z } from 'zod';
import { onFirstUse } from '../../on-first-use.js';
import { problem, type Problem } from '../../../../shared/problems.js';
import type { SignerInfo } from '../../../../shared/results.js';
import { BUNDLE_NAME_PATTERN, BUNDLE_SUFFIX } from '../../bundle/format.js';
import { verifyDetachedSignature, type TrustedKey } from '../../crypto/detached-signature.js';
import { partFileName } from './part-names.js';

export const INDEX_VERSION = 1;
/** The last part holds at least the end-of-archive blocks and the last block of the last entry. */
export const MIN_LAST_PART_BYTES = 1536;
/** An index is small; anything larger is refused before parsing. */
export const MAX_INDEX_BYTES = 1 << 20;

/** The index's schema, built on first use: recovery at open imports this module for every command, few read an index. */
const indexSchema = onFirstUse(() => {
  const HEX = z.string().regex(/^[0-9a-f]{64}$/u);
  const COUNT = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

  return z
    .object({
      airlockIndex: z.literal(INDEX_VERSION),
      name: z.string().regex(BUNDLE_NAME_PATTERN),
      bundle: z
        .object({
          file: z.string(),
          size: COUNT,
          sha256: HEX.nullable(),
          tagmanifestSha256: HEX,
          uuid: z.string().max(200).nullable(),
        })
        .strict(),
      volume: z.number().int().positive(),
      volumes: z.number().int().positive().max(10_000),
      complete: z.boolean(),
      media: z
        .array(z.object({ volume: z.number().int().positive(), label: z.string().max(200).nullable(), serial: z.string().max(200).nullable() }).strict())
        .max(10_000),
      parts: z
        .array(
          z
            .object({ file: z.string(), number: z.number().int().positive(), size: COUNT, sha256: HEX.nullable(), volume: z.number().int().positive() })
            .strict(),
        )
        .min(2)
        .max(100_000),
      created: z.string().max(64),
    })
    .strict();
});

export type VolumeIndex = z.infer<ReturnType<typeof indexSchema>>;
export type IndexPart = VolumeIndex['parts'][number];

export function serializeIndex(index: VolumeIndex): Buffer {
  return Buffer.from(`${JSON.stringify(index, null, 2)}\n`, 'utf8');
}

/** Structure and arithmetic: part numbers, names, sizes, volumes and completeness agree. */
function consistency(index: VolumeIndex): string | null {
  if (index.bundle.file !== `${index.name}${BUNDLE_SUFFIX}`) return `bundle.file must be ${index.name}${BUNDLE_SUFFIX}`;
  const n = index.parts.length;
  let total = 0;
  let previousVolume = 1;
  for (const [i, part] of index.parts.entries()) {
    if (part.number !== i + 1) return `parts must be numbered 1..${n} in order (found ${part.number} at position ${i + 1})`;
    if (part.file !== partFileName(index.name, part.number, n)) return `part ${part.number} must be named ${partFileName(index.name, part.number, n)}`;
    if (part.size === 0 || part.size % 512 !== 0) return `part ${part.number} is ${part.size} bytes; parts are whole 512-byte blocks`;
    if (part.volume < previousVolume || part.volume > previousVolume + 1)
      return `part ${part.number} is on volume ${part.volume} after volume ${previousVolume}`;
    if (i === 0 && part.volume !== 1) return 'the first part must be on volume 1';
    previousVolume = part.volume;
    total += part.size;
    if (part.volume <= index.volume && part.sha256 === null)
      return `part ${part.number} is on volume ${part.volume}, written before this index, but has no SHA-256`;
  }
  if (previousVolume !== index.volumes) return `the parts span ${previousVolume} volumes; the index says ${index.volumes}`;
  if (index.volume > index.volumes) return `volume ${index.volume} of ${index.volumes}`;
  if (total !== index.bundle.size) return `the parts add up to ${total} bytes; the bundle is ${index.bundle.size}`;
  if ((index.parts.at(-1)?.size ?? 0) < MIN_LAST_PART_BYTES) return `the last part must hold at least ${MIN_LAST_PART_BYTES} bytes`;
  const filled = index.parts.every((p) => p.sha256 !== null) && index.bundle.sha256 !== null;
  if (index.complete !== filled)
    return index.complete ? 'marked complete but some SHA-256 values are missing' : 'every SHA-256 is present but it is not marked complete';
  if (index.complete && index.volume !== index.volumes) return 'only the last volume carries a complete index';
  return null;
}

export function parseIndex(bytes: Buffer): { index: VolumeIndex } | { error: string } {
  if (bytes.length > MAX_INDEX_BYTES) return { error: `the index is ${bytes.length} bytes; at most ${MAX_INDEX_BYTES} are read` };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    return { error: `not UTF-8 JSON: ${(error as Error).message}` };
  }
  const parsed = indexSchema().safeParse(json);
  if (!parsed.success) return { error: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
  const wrong = consistency(parsed.data);
  return wrong === null ? { index: parsed.data } : { error: wrong };
}

/** The index's signature, checked like a bundle's (section 5.5); any failure is INDEX_INVALID naming the .asc. */
export async function verifyIndexSignature(
  bytes: Buffer,
  armored: string,
  trusted: readonly TrustedKey[],
  file: string,
  now: Date = new Date(),
  clockSkewMs = 0,
): Promise<{ signers: SignerInfo[]; problems: Problem[] }> {
  const check = await verifyDetachedSignature(bytes, armored, trusted, now, { clockSkewMs });
  if (check.problems.length === 0 && check.signers.length > 0) return { signers: check.signers, problems: [] };
  const why = check.problems.map((p) => `${p.code}: ${p.message}`).join(' ') || 'no trusted signature';
  return { signers: [], problems: [problem('INDEX_INVALID', `${file}: ${why}`, file)] };
}

/**
 * One view of several signed copies of an index (one per volume). They must describe the same
 * bundle and the same parts; each SHA-256 comes from whichever copy knows it.
 */
export function mergeIndexes(copies: readonly VolumeIndex[]): { index: VolumeIndex } | { error: string } {
  const first = copies[0];
  if (!first) return { error: 'no index' };
  const merged: VolumeIndex = structuredClone(first);
  for (const copy of copies.slice(1)) {
    const same =
      copy.name === merged.name &&
      copy.bundle.size === merged.bundle.size &&
      copy.bundle.tagmanifestSha256 === merged.bundle.tagmanifestSha256 &&
      copy.bundle.uuid === merged.bundle.uuid &&
      copy.volumes === merged.volumes &&
      copy.parts.length === merged.parts.length;
    if (!same)
      return {
        error: `the index on volume ${copy.volume} describes another bundle (tag manifest ${copy.bundle.tagmanifestSha256.slice(0, 12)}..., uuid ${String(copy.bundle.uuid)})`,
      };
    for (const [i, part] of copy.parts.entries()) {
      const mine = merged.parts[i] as IndexPart;
      if (part.size !== mine.size || part.volume !== mine.volume)
        return { error: `part ${part.number}: the copies on volumes ${merged.volume} and ${copy.volume} disagree on its size or volume` };
      if (part.sha256 !== null && mine.sha256 !== null && part.sha256 !== mine.sha256)
        return { error: `part ${part.number}: the copies of the index disagree on its SHA-256` };
      mine.sha256 ??= part.sha256;
    }
    if (copy.bundle.sha256 !== null && merged.bundle.sha256 !== null && copy.bundle.sha256 !== merged.bundle.sha256)
      return { error: 'the copies of the index disagree on the bundle SHA-256' };
    merged.bundle.sha256 ??= copy.bundle.sha256;
    for (const m of copy.media) if (!merged.media.some((x) => x.volume === m.volume)) merged.media.push(m);
    if (copy.volume > merged.volume) merged.volume = copy.volume;
  }
  merged.complete = merged.parts.every((p) => p.sha256 !== null) && merged.bundle.sha256 !== null;
  merged.media.sort((a, b) => a.volume - b.volume);
  return { index: merged };
}
