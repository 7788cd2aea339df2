/**
 * The checks of a bundle's image layout that need only its signed manifest, so they run before a
 * byte of payload is read (docs/bundle-format.md §15): under `data/oci/` nothing but oci-layout,
 * index.json, airlock-images.json and `blobs/sha256/<64 lower-case hex>`, the first three present,
 * and each blob's signed SHA-256 equal to the hex of its name. The payload pass then proves each
 * blob's digest with its one BagIt hash: no blob is ever hashed a second time.
 */
import type { PayloadIndex } from '../../verify/payload-index.js';
import { OCI_BLOBS_PREFIX, OCI_IMAGES_FILE, OCI_INDEX_FILE, OCI_LAYOUT_DIR, OCI_LAYOUT_FILE } from '../layout-format.js';
import type { GraphFinding } from './graph-walk.js';

const LAYOUT_PREFIX = `${OCI_LAYOUT_DIR}/`;
const BLOB_NAME = /^[0-9a-f]{64}$/u;

/** Whether the bundle carries images: exactly when its manifest lists data/oci/index.json. */
export function carriesImages(manifest: PayloadIndex): boolean {
  return manifest.has(OCI_INDEX_FILE);
}

/** Findings about the layout's names and blob digests (none when the bundle carries no images). */
export function checkLayoutNames(manifest: PayloadIndex): GraphFinding[] {
  if (!carriesImages(manifest)) return [];
  const findings: GraphFinding[] = [];
  for (const required of [OCI_LAYOUT_FILE, OCI_IMAGES_FILE])
    if (!manifest.has(required))
      findings.push({ code: 'OCI_GRAPH_INVALID', detail: `The layout has no ${required.slice(LAYOUT_PREFIX.length)}.`, path: required });
  for (let ordinal = 0; ordinal < manifest.size; ordinal += 1) {
    const path = manifest.pathAt(ordinal);
    if (!path.startsWith(LAYOUT_PREFIX) || path === OCI_LAYOUT_FILE || path === OCI_INDEX_FILE || path === OCI_IMAGES_FILE) continue;
    const name = path.startsWith(OCI_BLOBS_PREFIX) ? path.slice(OCI_BLOBS_PREFIX.length) : null;
    if (name === null || !BLOB_NAME.test(name)) {
      findings.push({
        code: 'OCI_GRAPH_INVALID',
        detail: 'Only oci-layout, index.json, airlock-images.json and blobs/sha256/<64 lower-case hex digits> may be in data/oci/.',
        path,
      });
    } else if (manifest.expectedHex(ordinal) !== name) {
      findings.push({
        code: 'OCI_DIGEST_MISMATCH',
        detail: `The signed manifest gives it the SHA-256 ${manifest.expectedHex(ordinal)}, not the one its name states.`,
        path,
      });
    }
  }
  return findings;
}
