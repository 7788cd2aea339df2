/**
 * Where images live in a bundle (docs/bundle-format.md §15) and the OCI media types Airlock
 * knows. One OCI image layout under `data/oci/`, its blobs stored once however many images share
 * them, and Airlock's descriptor file beside `index.json`. A bundle carries images exactly when
 * its manifest lists `data/oci/index.json`; then every rule of §15 applies to `data/oci/`.
 */
export const OCI_LAYOUT_DIR = 'data/oci';
export const OCI_LAYOUT_FILE = 'data/oci/oci-layout';
export const OCI_INDEX_FILE = 'data/oci/index.json';
/** Airlock's signed descriptor of the images (images-file.ts). */
export const OCI_IMAGES_FILE = 'data/oci/airlock-images.json';
export const OCI_BLOBS_PREFIX = 'data/oci/blobs/sha256/';
export const OCI_LAYOUT_CONTENT = '{"imageLayoutVersion":"1.0.0"}';

/** `data/oci/blobs/sha256/<hex>` for `sha256:<hex>`. */
export function blobBagPath(digest: string): string {
  return OCI_BLOBS_PREFIX + digest.slice('sha256:'.length);
}

export const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/u;

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  ociLayerTar: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociLayerNondistributableTar: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  ociLayerNondistributableGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerLayerForeign: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  helmConfig: 'application/vnd.cncf.helm.config.v1+json',
  helmChart: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
  helmProvenance: 'application/vnd.cncf.helm.chart.provenance.v1.prov',
} as const;

/** Manifests that list a config and layers. */
export const IMAGE_MANIFEST_TYPES: ReadonlySet<string> = new Set([MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest]);
/** Manifests that list other manifests. */
export const INDEX_TYPES: ReadonlySet<string> = new Set([MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifestList]);

/** The annotation that names an image in index.json (the OCI image-layout's tag). */
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';
