/**
 * Container images and Helm charts as payload (issue #15; docs/bundle-format.md §15): what the
 * report, the receipt, --json and the app show of them. Pure data, shared by every front end.
 */

/** One platform of a multi-platform image (an entry of its OCI image index). */
export interface ImagePlatform {
  os: string;
  architecture: string;
  variant?: string | undefined;
  /** Digest of that platform's image manifest (`sha256:<hex>`). */
  digest: string;
}

/** One image or chart the bundle carries, as its signed descriptor file and OCI graph state it. */
export interface ImageSummary {
  kind: 'image' | 'chart';
  /** Where the sender took it from, as given (`oci:DIR:TAG`, `docker://HOST/REPO:TAG` ...). */
  source: string;
  /** Repository it is pushed to, below the registry's prefix (`team/app`). */
  repository: string;
  /** Tag it is pushed under; null when it travels by digest only. */
  tag: string | null;
  /** Digest of its top manifest or index (`sha256:<hex>`): what the registry must report after a push. */
  digest: string;
  mediaType: string;
  /** Bytes of every blob reachable from it (manifests, configs, layers), each counted once. */
  size: number;
  /** Platforms of a multi-platform image; one entry for a single-platform image. */
  platforms: ImagePlatform[];
  /** Referrers (signatures, SBOMs, attestations) that travel with it: their manifest digests. */
  referrers: string[];
}

export const PUSH_OUTCOMES = ['pushed', 'already-present', 'failed'] as const;
export type PushOutcome = (typeof PUSH_OUTCOMES)[number];

/** What happened to one image at the registry on import. */
export interface ImagePushResult {
  repository: string;
  tag: string | null;
  digest: string;
  outcome: PushOutcome;
  /** Blobs uploaded, mounted and skipped (already there). */
  blobs: { uploaded: number; mounted: number; skipped: number };
  /** Bytes sent for this image. */
  bytesSent: number;
  /** When failed: the registry's error code (`MANIFEST_INVALID`, `DENIED`, `TAG_INVALID` ...) or an Airlock code, and its text. */
  errorCode?: string | undefined;
  message?: string | undefined;
}

/** What an export that carries images says of them (the export summary, --json, the app). */
export interface ExportedImages {
  images: ImageSummary[];
  /** Charts: images their values name (information only: "add them with an image reference"). */
  chartImages: Array<{ chart: string; images: string[] }>;
  /** Blobs stored in the bundle (each once, however many images share it). */
  storedBlobs: number;
  /** Blobs left out because a signed receipt says the far registry holds them (expected-present). */
  skippedBlobs: number;
  skippedBytes: number;
}
