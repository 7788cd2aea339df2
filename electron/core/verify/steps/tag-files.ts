/**
 * Tag files (everything in the bag outside data/). Before the payload they are read whole, within
 * the tag-file limits, to be authenticated (authenticate.ts); after it they can no longer be
 * trusted before use, so they are only hashed and compared at the end (completeness.ts).
 */
import type { ReadEntry } from 'tar';
import { BAG_INFO_NAME, BAGIT_TXT_NAME, FETCH_NAME, MANIFEST_NAME, SIGNATURE_NAME, TAGMANIFEST_NAME } from '../../bundle/format.js';
import { parseBagInfo } from '../../bundle/bag-info.js';
import { parseChannelStamp } from '../../channels/channel-stamp.js';
import { sha256Hex } from '../../crypto/sha256.js';
import { ManifestLineCounter } from '../../bundle/manifest.js';
import { limitHit, type VerifyState } from '../verify-state.js';
import { assertWhole, hashEntry } from './entry-bytes.js';

/** Tag files a bag cannot be authenticated without: refusing one ends verification. */
export const REQUIRED_TAGS: ReadonlySet<string> = new Set([BAGIT_TXT_NAME, MANIFEST_NAME, TAGMANIFEST_NAME, SIGNATURE_NAME]);

/** Payload or tag manifests for algorithms other than SHA-256: format v1 does not verify them, so it refuses them. */
export const OTHER_MANIFEST = /^(tag)?manifest-(?!sha256\.txt$)[^/]+\.txt$/u;

export async function checkTagEntry(state: VerifyState, entry: ReadEntry, rel: string): Promise<void> {
  const { limits } = state;
  if (rel === FETCH_NAME)
    state.problems.fail('MANIFEST_INVALID', 'The bag has a fetch.txt: its payload would come from elsewhere. Airlock accepts complete bags only.', rel);
  if (state.phase === 'tags') {
    const max = rel === MANIFEST_NAME ? limits.maxManifestBytes : limits.maxTagFileBytes;
    state.tagBytes.set(rel, await readWhole(state, entry, max, rel));
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

async function readWhole(state: VerifyState, entry: ReadEntry, max: number, name: string): Promise<Buffer> {
  const { limits } = state;
  if (entry.size > max) {
    limitHit(state, 'file-bytes', `The tag file ${name} is ${entry.size} bytes; the limit for tag files is ${max}.`);
    state.problems.fail('LIMIT_EXCEEDED', `The tag file ${name} is ${entry.size} bytes; the limit is ${max}.`, name);
  }
  // One buffer of the declared size (at most `max`), filled as chunks arrive: a list of chunks
  // and their concatenation held the manifest twice (two hundred megabytes at the file limit).
  const bytes = Buffer.allocUnsafe(entry.size);
  let received = 0;
  // The manifest's lines are counted as they arrive: one listing more files than the station takes is refused unread.
  const lines = name === MANIFEST_NAME ? new ManifestLineCounter() : null;
  for await (const chunk of entry) {
    received += chunk.copy(bytes, received);
    if (!lines) continue;
    lines.add(chunk);
    if (lines.lines > limits.maxEntries) {
      limitHit(state, 'files', `manifest-sha256.txt lists more than ${limits.maxEntries} files.`);
      state.problems.fail(
        'LIMIT_EXCEEDED',
        `manifest-sha256.txt lists more than ${limits.maxEntries} files; the limit is ${limits.maxEntries}.`,
        MANIFEST_NAME,
      );
    }
  }
  assertWhole(entry, received);
  return bytes;
}
