/**
 * Step 5, once the whole archive was read: completeness both ways (every listed file delivered;
 * every late tag file covered and intact), the payload against Payload-Oxum, and the inspectors'
 * bundle-level rules (inspectors.ts).
 */
import { BAG_INFO_NAME } from '../../bundle/format.js';
import { fileRow, type VerifyState } from '../verify-state.js';

export async function checkCompleteness(state: VerifyState): Promise<void> {
  const { problems } = state;
  state.complete = true;
  if (state.manifest) {
    for (const path of state.manifest.unseen()) {
      fileRow(state, path, null, 'missing', 'FILE_MISSING');
      problems.add('FILE_MISSING', `"${path}" is listed but not in the bundle.`, path);
    }
  }
  const tags = state.tagEntries;
  if (tags) {
    for (const [name, hash] of state.lateTagHashes) {
      const expected = tags.get(name);
      if (expected === undefined) problems.add('FILE_UNLISTED', `The tag file ${name} is not covered by the signed tag manifest.`, name);
      else if (expected !== hash) problems.add('CHECKSUM_MISMATCH', `The tag file ${name} differs from what was signed.`, name);
    }
    for (const name of tags.keys()) {
      if (!state.tagBytes.has(name) && !state.lateTagHashes.has(name))
        problems.add('FILE_MISSING', `The tag file ${name} is listed in the tag manifest but not in the bundle.`, name);
    }
  }
  const oxum = state.facts?.oxum;
  if (oxum && (oxum.octets !== state.payloadBytes || oxum.streams !== state.payloadFiles) && problems.length === 0) {
    problems.add(
      'PAYLOAD_OXUM_MISMATCH',
      `Payload-Oxum declares ${oxum.octets}.${oxum.streams}; the bundle holds ${state.payloadBytes}.${state.payloadFiles}.`,
      BAG_INFO_NAME,
    );
  }
  // The OCI graph (a bundle that carries images), then the caller's inspectors.
  for (const inspector of state.oci ? [state.oci, ...(state.options.inspectors ?? [])] : (state.options.inspectors ?? [])) {
    if (inspector.finish) for (const found of await inspector.finish()) problems.addFound(found);
  }
}
