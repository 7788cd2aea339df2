import { randomUUID } from 'node:crypto';
import type { ChannelStamp } from '../../../shared/channels.js';
import type { StationIdentity } from '../home/station-config.js';
import { channelBagInfo } from '../channels/channel-stamp.js';
import { sha256Hex } from '../crypto/sha256.js';
import { formatBagInfo, humanBagSize, type BagInfo } from './bag-info.js';
import { BAG_INFO_NAME, BAGIT_TXT, BAGIT_TXT_NAME, FORMAT_VERSION, INFO, MANIFEST_NAME, TAGMANIFEST_NAME } from './format.js';
import { encodeManifest, formatManifest } from './manifest.js';
import { encodeFileHeader, padding } from './tar-header.js';

export interface TagFile {
  name: string;
  bytes: Buffer;
}

export interface BagTags {
  uuid: string;
  /** bagit.txt, bag-info.txt, manifest-sha256.txt, tagmanifest-sha256.txt, in archive order. */
  files: TagFile[];
  tagmanifest: Buffer;
  payloadBytes: number;
}

/** One payload file as the tag files list it (the export's HashedSource is one). */
export interface TaggedPayloadFile {
  /** Its path in the bag (`data/...`). */
  bagPath: string;
  size: number;
  sha256: string;
}

/**
 * The payload as buildBagTags reads it: an array, or a list that makes each file's row when it is
 * read (the one-pass export keeps its digests in a compact table: hashed-payload.ts). Read twice.
 */
export interface TaggedPayload extends Iterable<TaggedPayloadFile> {
  readonly length: number;
}

export interface BagTagMeta {
  identity: StationIdentity;
  sequence: number;
  now: Date;
  uuid?: string;
  channel?: ChannelStamp | undefined;
}

/** Build the tag files for a hashed payload. The tag manifest covers the three tag files before it. */
export function buildBagTags(payload: TaggedPayload, meta: BagTagMeta): BagTags {
  const uuid = meta.uuid ?? randomUUID();
  let payloadBytes = 0;
  for (const file of payload) payloadBytes += file.size;
  const bagit = Buffer.from(BAGIT_TXT, 'utf8');
  const bagInfo = bagInfoFor(payloadBytes, payload.length, { ...meta, uuid });
  const manifest = encodeManifest(manifestEntries(payload));
  const tagmanifest = tagManifestFor(bagit, bagInfo, sha256Hex(manifest));
  return {
    uuid,
    payloadBytes,
    tagmanifest,
    files: [
      { name: BAGIT_TXT_NAME, bytes: bagit },
      { name: BAG_INFO_NAME, bytes: bagInfo },
      { name: MANIFEST_NAME, bytes: manifest },
      { name: TAGMANIFEST_NAME, bytes: tagmanifest },
    ],
  };
}

/** bag-info.txt for a payload of `files` files, `payloadBytes` bytes (the one-pass export builds it apart from the manifest). */
export function bagInfoFor(payloadBytes: number, files: number, meta: BagTagMeta & { uuid: string }): Buffer {
  const info: BagInfo = [
    { label: INFO.baggingDate, value: meta.now.toISOString().slice(0, 10) },
    { label: INFO.payloadOxum, value: `${payloadBytes}.${files}` },
    { label: INFO.bagSize, value: humanBagSize(payloadBytes) },
    ...(meta.identity.organization ? [{ label: INFO.sourceOrganization, value: meta.identity.organization }] : []),
    { label: INFO.externalIdentifier, value: meta.uuid },
    { label: INFO.formatVersion, value: String(FORMAT_VERSION) },
    { label: INFO.station, value: meta.identity.station },
    { label: INFO.operator, value: meta.identity.operator },
    { label: INFO.sequence, value: String(meta.sequence) },
    { label: INFO.created, value: meta.now.toISOString() },
    // The channel stamp (docs/bundle-format.md §17): signed with the rest through the tag manifest.
    ...(meta.channel ? channelBagInfo(meta.channel) : []),
  ];
  return Buffer.from(formatBagInfo(info), 'utf8');
}

/** tagmanifest-sha256.txt over bagit.txt, bag-info.txt and the manifest (given by its digest: it need not be in memory). */
export function tagManifestFor(bagit: Buffer, bagInfo: Buffer, manifestSha256: string): Buffer {
  return Buffer.from(
    formatManifest([
      { path: BAGIT_TXT_NAME, sha256: sha256Hex(bagit) },
      { path: BAG_INFO_NAME, sha256: sha256Hex(bagInfo) },
      { path: MANIFEST_NAME, sha256: manifestSha256 },
    ]),
    'utf8',
  );
}

/** The tag files as tar records (header, bytes, padding), in the order given, as one buffer. */
export function encodeTagRecords(bundleName: string, tagFiles: readonly TagFile[], mtime: Date): Buffer {
  return Buffer.concat(
    tagFiles.flatMap((tag) => [encodeFileHeader({ path: `${bundleName}/${tag.name}`, size: tag.bytes.length, mtime }), tag.bytes, padding(tag.bytes.length)]),
  );
}

function* manifestEntries(payload: TaggedPayload): Generator<{ path: string; sha256: string }> {
  for (const file of payload) yield { path: file.bagPath, sha256: file.sha256 };
}
