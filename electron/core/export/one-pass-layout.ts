import type { ChannelStamp } from '../../../shared/channels.js';
import type { StationIdentity } from '../home/station-config.js';
import { signWithAll, type BundleSigner } from '../crypto/bundle-signer.js';
import { randomUUID } from 'node:crypto';
import { bagInfoFor, tagManifestFor } from '../bundle/bag-tag-files.js';
import { BAG_INFO_NAME, BAGIT_TXT, BAGIT_TXT_NAME, MANIFEST_NAME, SIGNATURE_NAME, TAGMANIFEST_NAME } from '../bundle/format.js';
import { manifestByteLength } from '../bundle/manifest-writer.js';
import type { RecordPlan } from '../bundle/record-lanes.js';
import type { SourceFile } from './source-scan.js';
import type { SourceFiles } from './source-list.js';
import { encodedHeaderLength, encodeFileHeader, END_OF_ARCHIVE, paddingLength, type TarFileEntry } from '../bundle/tar-header.js';

/**
 * Where every entry of a bundle sits before a byte of it is hashed, so the payload can be written
 * in the same pass that hashes it (the one-pass export, write-bundle.ts).
 *
 * The tag files come first in the archive, and they hold the payload's digests; yet their sizes
 * do not depend on those digests: every manifest line carries 64 hex digits whatever they are,
 * and bag-info holds only sizes, counts, names and dates. So the manifest's size is counted from
 * the paths (it is never built here, and after the pass it is written straight to its place:
 * manifest-writer.ts), bag-info is built as it will be signed (same UUID, same date), and a tag
 * manifest over a stand-in digest has the real one's size exactly. The one size that can vary is
 * the signature's: an OpenPGP signature's numbers are written without leading zero bytes, so it
 * can be a byte or two shorter. The stand-in is signed too, and what matters is only its size
 * rounded up to a tar block; if the real signature lands in another block count (rare), the
 * caller writes the bundle the two-pass way instead.
 */
export interface OnePassLayout extends RecordPlan {
  uuid: string;
  payloadBytes: number;
  /** bagit.txt and bag-info.txt as they will be signed: they hold no digest. */
  bagit: Buffer;
  bagInfo: Buffer;
  /** Where the manifest's record starts, and the manifest's own bytes (written there after the payload, not held). */
  manifestAt: number;
  manifestBytes: number;
  /** Archive bytes of the tag-file records, signature included: where the payload starts. */
  tagSectionBytes: number;
  /** The whole archive, end-of-archive blocks included. */
  archiveBytes: number;
}

const STAND_IN_DIGEST = '0'.repeat(64);

export async function planOnePassLayout(options: {
  name: string;
  files: SourceFiles;
  identity: StationIdentity;
  sequence: number;
  now: Date;
  signers: readonly BundleSigner[];
  channel?: ChannelStamp | undefined;
}): Promise<OnePassLayout> {
  const { name, files, now } = options;
  const uuid = randomUUID();
  let payloadBytes = 0;
  for (const file of files) payloadBytes += file.size;
  const bagit = Buffer.from(BAGIT_TXT, 'utf8');
  const bagInfo = bagInfoFor(payloadBytes, files.length, { identity: options.identity, sequence: options.sequence, now, channel: options.channel, uuid });
  // The manifest's size is known without making it (manifest-writer.ts): it is written, not held.
  const manifestBytes = manifestByteLength(pathsOf(files));
  const standInTagmanifest = tagManifestFor(bagit, bagInfo, STAND_IN_DIGEST);
  const signature = Buffer.from(await signWithAll(standInTagmanifest, options.signers, now), 'utf8');
  const tagRecord = (tag: string, size: number): number => encodedHeaderLength({ path: `${name}/${tag}`, size, mtime: now }) + size + paddingLength(size);
  const manifestAt = tagRecord(BAGIT_TXT_NAME, bagit.length) + tagRecord(BAG_INFO_NAME, bagInfo.length);
  const tagSectionBytes =
    manifestAt + tagRecord(MANIFEST_NAME, manifestBytes) + tagRecord(TAGMANIFEST_NAME, standInTagmanifest.length) + tagRecord(SIGNATURE_NAME, signature.length);
  const entryOf = (index: number): TarFileEntry => {
    const file = files.at(index) as SourceFile;
    return { path: `${name}/${file.bagPath}`, size: file.size, mtime: file.mtime };
  };
  const offsets: number[] = new Array<number>(files.length);
  let cursor = tagSectionBytes;
  let index = 0;
  for (const file of files) {
    offsets[index] = cursor;
    cursor += encodedHeaderLength({ path: `${name}/${file.bagPath}`, size: file.size, mtime: file.mtime }) + file.size + paddingLength(file.size);
    index += 1;
  }
  return {
    uuid,
    payloadBytes,
    bagit,
    bagInfo,
    manifestAt,
    manifestBytes,
    files,
    offsets,
    headerOf: (i) => encodeFileHeader(entryOf(i)),
    tagSectionBytes,
    archiveBytes: cursor + END_OF_ARCHIVE.length,
  };
}

function* pathsOf(files: SourceFiles): Generator<string> {
  for (const file of files) yield file.bagPath;
}
