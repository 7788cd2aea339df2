import type { ChannelStamp } from '../../../shared/channels.js';
import type { StationIdentity } from '../home/station-config.js';
import { signWithAll, type BundleSigner } from '../crypto/bundle-signer.js';
import { buildBagTags, encodeTagRecords } from '../bundle/bag-tag-files.js';
import { SIGNATURE_NAME } from '../bundle/format.js';
import type { RecordPlan } from '../bundle/record-lanes.js';
import type { SourceFile } from './source-scan.js';
import { encodedHeaderLength, encodeFileHeader, END_OF_ARCHIVE, paddingLength, type TarFileEntry } from '../bundle/tar-header.js';

/**
 * Where every entry of a bundle sits before a byte of it is hashed, so the payload can be written
 * in the same pass that hashes it (the one-pass export, write-bundle.ts).
 *
 * The tag files come first in the archive, and they hold the payload's digests; yet their sizes
 * do not depend on those digests: every manifest line carries 64 hex digits whatever they are,
 * and bag-info holds only sizes, counts, names and dates. So tag files built over stand-in
 * digests (same UUID, same date) have the real ones' sizes exactly. The one size that can vary is
 * the signature's: an OpenPGP signature's numbers are written without leading zero bytes, so it
 * can be a byte or two shorter. The stand-in is signed too, and what matters is only its size
 * rounded up to a tar block; if the real signature lands in another block count (rare), the
 * caller writes the bundle the two-pass way instead.
 */
export interface OnePassLayout extends RecordPlan {
  uuid: string;
  /** Archive bytes of the tag-file records, signature included: where the payload starts. */
  tagSectionBytes: number;
  /** The whole archive, end-of-archive blocks included. */
  archiveBytes: number;
}

const STAND_IN_DIGEST = '0'.repeat(64);

export async function planOnePassLayout(options: {
  name: string;
  files: readonly SourceFile[];
  identity: StationIdentity;
  sequence: number;
  now: Date;
  signers: readonly BundleSigner[];
  channel?: ChannelStamp | undefined;
}): Promise<OnePassLayout> {
  const { name, files, now } = options;
  // Rows made as they are read: no stand-in object per file (issue #18).
  const standInRows = {
    length: files.length,
    *[Symbol.iterator]() {
      for (const file of files) yield { bagPath: file.bagPath, size: file.size, sha256: STAND_IN_DIGEST };
    },
  };
  const standIn = buildBagTags(standInRows, { identity: options.identity, sequence: options.sequence, now, channel: options.channel });
  const signature = Buffer.from(await signWithAll(standIn.tagmanifest, options.signers, now), 'utf8');
  const tagSectionBytes = encodeTagRecords(name, [...standIn.files, { name: SIGNATURE_NAME, bytes: signature }], now).length;
  const entryOf = (index: number): TarFileEntry => {
    const file = files[index] as SourceFile;
    return { path: `${name}/${file.bagPath}`, size: file.size, mtime: file.mtime };
  };
  const offsets: number[] = new Array<number>(files.length);
  let cursor = tagSectionBytes;
  for (const [index, file] of files.entries()) {
    offsets[index] = cursor;
    cursor += encodedHeaderLength(entryOf(index)) + file.size + paddingLength(file.size);
  }
  return {
    uuid: standIn.uuid,
    files,
    offsets,
    headerOf: (index) => encodeFileHeader(entryOf(index)),
    tagSectionBytes,
    archiveBytes: cursor + END_OF_ARCHIVE.length,
  };
}
