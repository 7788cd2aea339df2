import type { ImageSummary } from '../../../shared/images.js';

/**
 * What an audit event records of each image or chart a bundle carries (export, prepare, approve,
 * verify): where it came from, the repository and tag it goes to, and its digest. Who moved what,
 * to the digest; sizes and platforms are in the bundle's signed descriptor file.
 */
export interface ImageEventRow {
  kind: ImageSummary['kind'];
  source: string;
  repository: string;
  tag: string | null;
  digest: string;
}

export function imageEventRows(images: readonly ImageSummary[]): ImageEventRow[] {
  return images.map((i) => ({ kind: i.kind, source: i.source, repository: i.repository, tag: i.tag, digest: i.digest }));
}
