/**
 * The OCI graph check (graph-check.ts, pure) over a bundle payload's files as verify hands them
 * over: every blob under data/oci/blobs/sha256/ carried with its bytes, the rest absent. Cheap:
 * hostile cases of one rule run through it by the dozen, and one of them through verify and
 * import whole (oci-bundle.ts), so the rule is shown to be the pipeline's.
 */
import { checkGraph, type GraphFinding } from '../../electron/core/oci/graph/graph-check.js';
import type { BagPayloadFile } from './hostile-tar.js';
import { BLOBS, fileAt } from './oci-bundle-edit.js';

export function graphFindings(files: readonly BagPayloadFile[]): GraphFinding[] {
  const bytesOf = (path: string): Buffer => Buffer.from(fileAt(files, path).content);
  const blobs = new Map(files.filter((f) => f.path.startsWith(BLOBS)).map((f) => [`sha256:${f.path.slice(BLOBS.length)}`, Buffer.from(f.content)]));
  return checkGraph({
    layoutBytes: bytesOf('data/oci/oci-layout'),
    indexBytes: bytesOf('data/oci/index.json'),
    imagesBytes: bytesOf('data/oci/airlock-images.json'),
    blob: (digest) => {
      const bytes = blobs.get(digest);
      return bytes === undefined ? { state: 'absent' } : { state: 'carried', size: bytes.length, bytes };
    },
    carried: () => blobs.keys(),
  }).findings;
}
