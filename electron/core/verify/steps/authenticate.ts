/**
 * Step 2, once, before the first payload byte: authenticate the tag manifest by its detached
 * signature from a trusted key (and the two-person rule), then every tag file read so far by the
 * tag manifest. Only from here is anything in the bag trusted.
 */
import { problem } from '../../../../shared/problems.js';
import { BAG_INFO_NAME, MANIFEST_NAME, SIGNATURE_NAME, TAGMANIFEST_NAME } from '../../bundle/format.js';
import { verifyDetachedSignature } from '../../crypto/detached-signature.js';
import { sha256Hex } from '../../crypto/sha256.js';
import { throwIfAborted } from '../../errors.js';
import { requiredSignersShortfall } from '../../policy/station-policy.js';
import { Fatal } from '../problem-list.js';
import { decodeTagFile, readTagManifest } from '../tag-checks.js';
import type { VerifyState } from '../verify-state.js';
import { OTHER_MANIFEST } from './tag-files.js';

export async function authenticateTagFiles(state: VerifyState): Promise<void> {
  const { options, problems, tagBytes, observed } = state;
  state.tracker.startPhase('verifying-signature');
  for (const name of tagBytes.keys()) {
    if (OTHER_MANIFEST.test(name)) state.problems.fail('MANIFEST_INVALID', `${name}: bundle format v1 uses SHA-256 manifests only.`, name);
  }
  const signature = tagBytes.get(SIGNATURE_NAME);
  const tagmanifest = tagBytes.get(TAGMANIFEST_NAME);
  if (!tagmanifest) state.problems.fail('MANIFEST_INVALID', 'There is no tagmanifest-sha256.txt before the payload.', TAGMANIFEST_NAME);
  if (!signature) {
    observed.signatureChecked = true;
    observed.signatureProblem = problem('SIGNATURE_MISSING', 'There is no tagmanifest-sha256.txt.asc before the payload.', SIGNATURE_NAME);
    state.problems.failWith(observed.signatureProblem);
  }
  const signatureText = decodeTagFile(SIGNATURE_NAME, signature);
  if ('problem' in signatureText) state.problems.failWith(signatureText.problem);
  const check = await verifyDetachedSignature(tagmanifest, signatureText.text, options.trusted, state.now, {
    clockSkewMs: (options.clockSkewSeconds ?? 0) * 1000,
  });
  throwIfAborted(options.signal);
  observed.signatureChecked = true;
  observed.futureDated = check.futureDated ?? [];
  if (check.problems.length > 0) {
    observed.signatureProblem = check.problems[0] ?? null;
    problems.push(...check.problems);
    throw new Fatal();
  }
  state.signers = check.signers;
  if (options.requiredSigners) {
    observed.signersShortfall = requiredSignersShortfall(options.requiredSigners, state.signers);
    if (observed.signersShortfall) state.problems.fail('POLICY_DENIED', observed.signersShortfall, SIGNATURE_NAME);
  }
  state.tagmanifestSha256 = sha256Hex(tagmanifest);

  // Only now is the tag manifest authenticated; everything else is trusted through it.
  const tagText = decodeTagFile(TAGMANIFEST_NAME, tagmanifest);
  if ('problem' in tagText) state.problems.failWith(tagText.problem);
  const tags = readTagManifest(tagText.text);
  if ('problem' in tags) state.problems.failWith(tags.problem);
  state.tagEntries = tags.entries;
  for (const [name, bytes] of tagBytes) {
    if (name === TAGMANIFEST_NAME || name === SIGNATURE_NAME) continue;
    const expected = tags.entries.get(name);
    if (expected === undefined) state.problems.fail('FILE_UNLISTED', `The tag file ${name} is not covered by the signed tag manifest.`, name);
    // The manifest of a plain bundle file was hashed, not held (tag-files.ts); it is read back and hashed again when parsed.
    const actual = name === MANIFEST_NAME && state.manifestSpan !== null ? state.manifestSpan.sha256 : sha256Hex(bytes);
    if (actual !== expected) state.problems.fail('CHECKSUM_MISMATCH', `The tag file ${name} differs from what was signed.`, name);
  }
  if (tagBytes.has(BAG_INFO_NAME) && !tags.entries.has(BAG_INFO_NAME)) state.problems.fail('FILE_UNLISTED', undefined, BAG_INFO_NAME);
}
