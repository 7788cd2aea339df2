/** Images and push results as main sends them, for the image component tests; some text is hostile on purpose. */
import type { ImageSummary, ImagePushResult } from '../../../shared/images.js';
import type { ImportReport, VerifyReport } from '../../../shared/ipc.js';
import { verified } from './fixtures.js';

const hex = (c: string) => c.repeat(64);

export const toolImage: ImageSummary = {
  kind: 'image',
  source: 'oci:/srv/images/layout:tool-1.0',
  repository: 'team/tool',
  tag: '1.0',
  digest: `sha256:${hex('a')}`,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  size: 12_345_678,
  platforms: [
    { os: 'linux', architecture: 'amd64', digest: `sha256:${hex('b')}` },
    { os: 'linux', architecture: 'arm64', variant: 'v8', digest: `sha256:${hex('c')}` },
  ],
  referrers: [],
};

export const appImage: ImageSummary = {
  kind: 'image',
  source: 'docker://registry.example:5000/team/app:1.0\u202Egpj',
  repository: 'team/app',
  tag: '1.0',
  digest: `sha256:${hex('d')}`,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  size: 2_000_000,
  platforms: [{ os: 'linux', architecture: 'amd64', digest: `sha256:${hex('d')}` }],
  referrers: [`sha256:${hex('e')}`, `sha256:${hex('f')}`],
};

export const withImages: VerifyReport = { ...verified, images: [toolImage, appImage] };

export const pushes: ImagePushResult[] = [
  {
    repository: 'mirror/team/tool',
    tag: '1.0',
    digest: toolImage.digest,
    outcome: 'pushed',
    blobs: { uploaded: 5, mounted: 1, skipped: 0 },
    bytesSent: 12_000_000,
  },
  {
    repository: 'mirror/team/app',
    tag: '1.0',
    digest: appImage.digest,
    outcome: 'failed',
    blobs: { uploaded: 2, mounted: 0, skipped: 1 },
    bytesSent: 1_000_000,
    errorCode: 'TAG_INVALID',
    message: 'manifest tag 1.0 is immutable\u001b[2J',
  },
];

export const importedWithPushes: ImportReport = { ...withImages, destination: '/srv/inbox/airlock-000007-20261128', warnings: [], pushes };
