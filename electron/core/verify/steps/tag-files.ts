/**
 * Tag files (everything in the bag outside data/). Before the payload they are read whole, within
 * the tag-file limits, to be authenticated (authenticate.ts); after it they can no longer be
 * trusted before use, so they are only hashed and compared at the end (completeness.ts).
 */
import { BAG_INFO_NAME, BAGIT_TXT_NAME, FETCH_NAME, MANIFEST_NAME, SIGNATURE_NAME, TAGMANIFEST_NAME } from '../../bundle/format.js';
import { parseBagInfo } from '../../bundle/bag-info.js';
import { parseChannelStamp } from '../../channels/channel-stamp.js';
import { sha256Hex } from '../../crypto/sha256.js';
import { ManifestLineCounter } from '../../bundle/manifest.js';
import { entryDataOffset, type TarEntry } from '../../bundle/tar-entries.js';
import { limitHit, type VerifyState } from '../verify-state.js';
import { assertWhole, hashEntry } from './entry-bytes.js';

/** Tag files a bag cannot be authenticated without: refusing one ends verification. */
export const REQUIRED_TAGS: ReadonlySet<string> = new Set([BAGIT_TXT_NAME, MANIFEST_NAME, TAGMANIFEST_NAME, SIGNATURE_NAME]);

/** Payload or tag manifests for algorithms other than SHA-256: format v1 does not verify them, so it refuses them. */
export const OTHER_MANIFEST = /^(tag)?manifest-(?!sha256\.txt$)[^/]+\.txt$/u;

export async function checkTagEntry(state: VerifyState, entry: TarEntry, rel: string): Promise<void> {
  const { limits } = state;
  if (rel === FETCH_NAME)
    state.problems.fail('MANIFEST_INVALID', 'The bag has a fetch.txt: its payload would come from elsewhere. Airlock accepts complete bags only.', rel);
  if (state.phase === 'tags') {
    if (rel === MANIFEST_NAME) {
      await readManifestEntry(state, entry);
      return;
    }
    state.tagBytes.set(rel, await readWhole(state, entry, limits.maxTagFileBytes, rel));
    return;
  }
  if (OTHER_MANIFEST.test(rel)) state.problems.fail('MANIFEST_INVALID', `${rel}: bundle format v1 uses SHA-256 manifests only.`, rel);
  if (entry.size > limits.maxTagFileBytes) {
    limitHit(state, 'file-bytes', `The tag file ${rel} is ${entry.size} bytes; the limit for tag files is ${limits.maxTagFileBytes}.`);
    state.problems.fail('LIMIT_EXCEEDED', `The tag file ${rel} is ${entry.size} bytes.`, rel);
  }
  if (rel === BAG_INFO_NAME) {
    // bag-info after the payload was not read before the payload was trusted: a channel stamp in
    // it would go unchecked (a signed bundle's tar reordered), so it is refused (docs/channels.md).
    const bytes = await readWhole(state, entry, limits.maxTagFileBytes, rel);
    const parsed = parseBagInfo(bytes.toString('utf8'));
    if (parsed.ok && parseChannelStamp(parsed.info).kind !== 'none')
      state.problems.add(
        'CHANNEL_STAMP_INVALID',
        'bag-info.txt comes after the payload, so its channel stamp could not be checked before the payload was read.',
        rel,
      );
    state.lateTagHashes.set(rel, sha256Hex(bytes));
    return;
  }
  state.lateTagHashes.set(rel, (await hashEntry(entry)).toString('hex'));
}

/**
 * The payload manifest before authentication. From a bundle that is one plain file it is only
 * hashed and its lines counted here, and its place in the file kept (state.manifestSpan): the bag
 * step reads it back from there once the tag manifest is authenticated, and parses it as it reads
 * (manifest-read.ts). Held whole, a million-file manifest (85 MB) lay beside the index being built
 * from it: the peak of verify and import (issue #18). A split bundle's parts and standard input
 * cannot be read at an offset: there it is held whole, as before.
 */
async function readManifestEntry(state: VerifyState, entry: TarEntry): Promise<void> {
  const offset = state.options.source === undefined ? entryDataOffset(entry) : null;
  if (offset === null) {
    state.tagBytes.set(MANIFEST_NAME, await readWhole(state, entry, state.limits.maxManifestBytes, MANIFEST_NAME));
    return;
  }
  checkTagSize(state, entry, state.limits.maxManifestBytes, MANIFEST_NAME);
  const lines = new ManifestLineCounter();
  const hash = await hashEntry(entry, async (chunk) => countManifestLines(state, lines, chunk));
  // Present (completeness.ts asks), with no bytes: authenticate.ts takes the span's digest instead.
  state.tagBytes.set(MANIFEST_NAME, Buffer.alloc(0));
  state.manifestSpan = { offset, size: entry.size, sha256: hash.toString('hex'), lines: lines.lines };
}

function checkTagSize(state: VerifyState, entry: TarEntry, max: number, name: string): void {
  if (entry.size > max) {
    limitHit(state, 'file-bytes', `The tag file ${name} is ${entry.size} bytes; the limit for tag files is ${max}.`);
    state.problems.fail('LIMIT_EXCEEDED', `The tag file ${name} is ${entry.size} bytes; the limit is ${max}.`, name);
  }
}

/** The manifest's lines counted as they arrive: one listing more files than the station takes is refused unread. */
function countManifestLines(state: VerifyState, lines: ManifestLineCounter, chunk: Uint8Array): void {
  const { limits } = state;
  lines.add(chunk);
  if (lines.lines > limits.maxEntries) {
    limitHit(state, 'files', `manifest-sha256.txt lists more than ${limits.maxEntries} files.`);
    state.problems.fail('LIMIT_EXCEEDED', `manifest-sha256.txt lists more than ${limits.maxEntries} files; the limit is ${limits.maxEntries}.`, MANIFEST_NAME);
  }
}

async function readWhole(state: VerifyState, entry: TarEntry, max: number, name: string): Promise<Buffer> {
  checkTagSize(state, entry, max, name);
  // One buffer of the declared size (at most `max`), filled as chunks arrive: a list of chunks
  // and their concatenation held the manifest twice (two hundred megabytes at the file limit).
  const bytes = Buffer.allocUnsafe(entry.size);
  let received = 0;
  // The manifest's lines are counted as they arrive: one listing more files than the station takes is refused unread.
  const lines = name === MANIFEST_NAME ? new ManifestLineCounter() : null;
  for await (const chunk of entry) {
    received += chunk.copy(bytes, received);
    if (lines) countManifestLines(state, lines, chunk);
  }
  assertWhole(entry, received);
  return bytes;
}
