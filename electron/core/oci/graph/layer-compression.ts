/**
 * A layer's compression, as its media type declares it and as its first bytes show it
 * (docs/bundle-format.md §15.3). A registry stores a layer under whatever media type the manifest
 * names; the client that pulls it decompresses by that name, so a gzip blob named `tar+zstd`
 * passes every digest check and fails only on the pull, on the far side of the gap. Judged from
 * the head alone (at most LAYER_HEAD_BYTES): the payload pass never reads a large blob twice.
 *
 * Written here rather than with file-type (already a dependency): file-type's gzip rule inflates
 * the head to name what is inside, its tar rule takes the magic without the header's checksum,
 * and loading it costs about 100 ms that verify does not otherwise pay (the inspection policy
 * loads it only when it inspects). Three signatures from the specs need no library.
 */
import { MEDIA_TYPES } from '../layout-format.js';

/** A tar header is one 512-byte block: the most any rule below reads. */
export const LAYER_HEAD_BYTES = 512;

export type LayerCompression = 'gzip' | 'zstd' | 'tar';
/** What the head shows: a compression, `other` (none of them), or `unread` (the pass could not show the head). */
export type LayerFormat = LayerCompression | 'other' | 'unread';

/**
 * Layer media types and the compression each names: the OCI ones, Docker's (containerd's names
 * for Docker's uncompressed and zstd layers included) and Helm's chart (a .tgz). The same
 * compression under an OCI and a Docker name is the same layer; Helm's provenance is text.
 */
const DECLARED: ReadonlyMap<string, LayerCompression> = new Map<string, LayerCompression>([
  [MEDIA_TYPES.ociLayerTar, 'tar'],
  [MEDIA_TYPES.ociLayerGzip, 'gzip'],
  [MEDIA_TYPES.ociLayerZstd, 'zstd'],
  [MEDIA_TYPES.ociLayerNondistributableTar, 'tar'],
  [MEDIA_TYPES.ociLayerNondistributableGzip, 'gzip'],
  ['application/vnd.oci.image.layer.nondistributable.v1.tar+zstd', 'zstd'],
  [MEDIA_TYPES.dockerLayerGzip, 'gzip'],
  [MEDIA_TYPES.dockerLayerForeign, 'gzip'],
  ['application/vnd.docker.image.rootfs.diff.tar', 'tar'],
  ['application/vnd.docker.image.rootfs.diff.tar.zstd', 'zstd'],
  [MEDIA_TYPES.helmChart, 'gzip'],
]);

/** The compression a layer media type names; null for a type that names none (an artifact's own types, Helm's provenance). */
export function declaredCompression(mediaType: string): LayerCompression | null {
  return DECLARED.get(mediaType) ?? null;
}

/**
 * Two layer media types that name one layer: the same type, or two names of one compression (an
 * OCI and a Docker manifest sharing a base layer name it `…tar+gzip` and `…rootfs.diff.tar.gzip`).
 */
export function sameLayerType(a: string, b: string): boolean {
  if (a === b) return true;
  const compression = declaredCompression(a);
  return compression !== null && compression === declaredCompression(b);
}

const GZIP = [0x1f, 0x8b];
const ZSTD = [0x28, 0xb5, 0x2f, 0xfd];

/** What the first bytes of a blob are. `head` holds the blob's first min(size, LAYER_HEAD_BYTES) bytes. */
export function formatOfHead(head: Buffer): LayerFormat {
  if (startsWith(head, GZIP)) return 'gzip';
  if (startsWith(head, ZSTD) || isZstdSkippableFrame(head)) return 'zstd';
  if (isTarStart(head)) return 'tar';
  return 'other';
}

function startsWith(head: Buffer, magic: readonly number[]): boolean {
  return head.length >= magic.length && magic.every((byte, i) => head[i] === byte);
}

/** RFC 8878 §3.1.2: a zstd stream may open with a skippable frame, magic 0x184D2A5? little-endian. */
function isZstdSkippableFrame(head: Buffer): boolean {
  return head.length >= 4 && ((head[0] as number) & 0xf0) === 0x50 && head[1] === 0x2a && head[2] === 0x4d && head[3] === 0x18;
}

/**
 * A tar's first block: a ustar (POSIX `ustar\0` `00`, or GNU `ustar  \0`) header whose checksum
 * holds, or a zero block (the end-of-archive marker: an empty layer).
 */
function isTarStart(head: Buffer): boolean {
  if (head.length < LAYER_HEAD_BYTES) return false;
  const block = head.subarray(0, LAYER_HEAD_BYTES);
  if (block.every((byte) => byte === 0)) return true;
  const magic = block.toString('latin1', 257, 265);
  if (magic !== 'ustar\u000000' && magic !== 'ustar  \u0000') return false;
  return checksumHolds(block);
}

/** POSIX: the sum of the header's bytes with its checksum field read as spaces, stored as octal (some writers summed signed bytes). */
function checksumHolds(block: Buffer): boolean {
  const field = block
    .toString('latin1', 148, 156)
    .replace(/[\0 ]+$/u, '')
    .trim();
  if (!/^[0-7]{1,7}$/u.test(field)) return false;
  const stored = Number.parseInt(field, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < LAYER_HEAD_BYTES; i += 1) {
    const byte = i >= 148 && i < 156 ? 0x20 : (block[i] as number);
    unsigned += byte;
    signed += byte > 0x7f ? byte - 0x100 : byte;
  }
  return stored === unsigned || stored === signed;
}
