/**
 * Signed bags whose tag files say something no honest exporter writes (a byte-order mark, another
 * encoding, a manifest listing other paths than the payload holds), validly signed by a trusted
 * key: the tag manifest is recomputed over the edited tag files and signed again, so the refusal
 * is the bag check's doing, not the signature's.
 */
import { buildBagTags } from '../../electron/core/bundle/bag-tag-files.js';
import { formatManifest } from '../../electron/core/bundle/manifest.js';
import { signDetached } from '../../electron/core/crypto/detached-signature.js';
import { sha256Hex } from '../../electron/core/crypto/sha256.js';
import type { BagPayloadFile, RawEntry, TestSigner } from './hostile-tar.js';

type CoveredTag = 'bagit.txt' | 'bag-info.txt' | 'manifest-sha256.txt';
type AnyTag = CoveredTag | 'tagmanifest-sha256.txt' | 'tagmanifest-sha256.txt.asc';

export interface ResignOptions {
  name?: string;
  /** Rewrites a tag file's bytes; covered tag files are edited before the tag manifest is computed over them. */
  edit?: Partial<Record<AnyTag, (bytes: Buffer) => Buffer>>;
  /** Manifest lines instead of the payload's own (path as written in the manifest, checksum). */
  manifest?: Array<{ path: string; sha256: string }>;
  /** Further tag files, covered by the tag manifest, placed before the payload. */
  extraTags?: Array<{ name: string; bytes: Buffer }>;
}

export interface ResignedBag {
  tagEntries: RawEntry[];
  payloadEntries: RawEntry[];
}

/** UTF-8 byte-order mark. */
export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The same text in UTF-16 (little- or big-endian), with its byte-order mark. */
export function utf16(bytes: Buffer, endian: 'le' | 'be'): Buffer {
  const le = Buffer.from(`\uFEFF${bytes.toString('utf8')}`, 'utf16le');
  return endian === 'le' ? le : Buffer.from(le).swap16();
}

export async function resignedBag(signer: TestSigner, files: BagPayloadFile[], options: ResignOptions = {}): Promise<ResignedBag> {
  const name = options.name ?? 'bag';
  const hashed = files.map((f) => ({ bagPath: f.path, size: Buffer.byteLength(f.content), sha256: sha256Hex(Buffer.from(f.content)) }));
  const tags = buildBagTags(hashed, {
    identity: { station: 'test-station', operator: 'tester', organization: null },
    sequence: 1,
    now: new Date('2026-01-01T00:00:00Z'),
  });
  const bytesOf = (tag: CoveredTag): Buffer => {
    const built = tags.files.find((t) => t.name === tag)?.bytes ?? Buffer.alloc(0);
    const original = tag === 'manifest-sha256.txt' && options.manifest ? Buffer.from(formatManifest(options.manifest)) : built;
    return options.edit?.[tag]?.(original) ?? original;
  };
  const covered: Array<{ name: string; bytes: Buffer }> = [
    { name: 'bagit.txt', bytes: bytesOf('bagit.txt') },
    { name: 'bag-info.txt', bytes: bytesOf('bag-info.txt') },
    { name: 'manifest-sha256.txt', bytes: bytesOf('manifest-sha256.txt') },
    ...(options.extraTags ?? []),
  ];
  const plainTagmanifest = Buffer.from(formatManifest(covered.map((t) => ({ path: t.name, sha256: sha256Hex(t.bytes) }))));
  const tagmanifest = options.edit?.['tagmanifest-sha256.txt']?.(plainTagmanifest) ?? plainTagmanifest;
  const plainAsc = Buffer.from(await signDetached(tagmanifest, [signer.privateKey]));
  const asc = options.edit?.['tagmanifest-sha256.txt.asc']?.(plainAsc) ?? plainAsc;
  return {
    tagEntries: [...covered, { name: 'tagmanifest-sha256.txt', bytes: tagmanifest }, { name: 'tagmanifest-sha256.txt.asc', bytes: asc }].map((t) => ({
      path: `${name}/${t.name}`,
      body: t.bytes,
    })),
    payloadEntries: files.map((f) => ({ path: `${name}/${f.path}`, body: Buffer.from(f.content) })),
  };
}
