/**
 * Step 3b, right after the bag checks and before a byte of payload: a bundle whose signed manifest
 * lists data/oci/index.json carries images (docs/bundle-format.md §15). Its layout's names and blob
 * digests are checked against the manifest now (oci/graph/layout-names.ts); the graph itself is
 * checked by the OCI inspector during the payload pass and after it (oci/graph/layout-inspector.ts).
 * Verify, import and media verify all run it: the same bundle gets the same codes everywhere.
 */
import { LayoutInspector } from '../../oci/graph/layout-inspector.js';
import { carriesImages, checkLayoutNames } from '../../oci/graph/layout-names.js';
import { Fatal } from '../problem-list.js';
import type { VerifyState } from '../verify-state.js';

export function checkOciLayout(state: VerifyState): void {
  const manifest = state.manifest;
  if (!manifest || !carriesImages(manifest)) return;
  const findings = checkLayoutNames(manifest);
  if (findings.length > 0) {
    for (const found of findings) state.problems.add(found.code, found.detail, found.path);
    throw new Fatal();
  }
  state.oci = new LayoutInspector(manifest);
}
