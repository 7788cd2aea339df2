/**
 * A minimal pusher of an OCI layout's image into a registry through the RegistryClient, for the
 * client's own tests: blobs first (HEAD to skip what is there), then manifests, index last, then
 * referrers (with the sha256-<hex> tag schema when the registry has no referrers API). The real
 * push on import (journal, resume, per-image results) is electron/core/oci/push/.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RegistryClient } from '../../electron/core/oci/registry/registry-client.js';
import { updateReferrersTag } from '../../electron/core/oci/registry/referrers.js';

export interface LayoutDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export interface PushStats {
  uploaded: number;
  skipped: number;
  mounted: number;
}

export function blobFile(layoutDir: string, digest: string): string {
  return join(layoutDir, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

export async function readIndex(layoutDir: string): Promise<LayoutDescriptor[]> {
  return (JSON.parse(await readFile(join(layoutDir, 'index.json'), 'utf8')) as { manifests: LayoutDescriptor[] }).manifests;
}

export async function pushBlob(
  client: RegistryClient,
  layoutDir: string,
  repository: string,
  blob: LayoutDescriptor,
  stats: PushStats,
  mountFrom?: string,
): Promise<void> {
  if ((await client.hasBlob(repository, blob.digest)).present) {
    stats.skipped++;
    return;
  }
  if (mountFrom !== undefined && (await client.mountBlob(repository, blob.digest, mountFrom))) {
    stats.mounted++;
    return;
  }
  await client.uploadBlob(repository, blob, (offset) => createReadStream(blobFile(layoutDir, blob.digest), { start: offset }));
  stats.uploaded++;
}

/** Pushes the manifest or index `top` (and all below it) to repository:tag; returns the digest the registry reported. */
export async function pushImage(
  client: RegistryClient,
  layoutDir: string,
  repository: string,
  top: LayoutDescriptor,
  tag: string | null,
  options: { mountFrom?: string; stats?: PushStats } = {},
): Promise<{ digest: string; stats: PushStats }> {
  const stats = options.stats ?? { uploaded: 0, skipped: 0, mounted: 0 };
  const push = async (descriptor: LayoutDescriptor, reference: string): Promise<string> => {
    const body = await readFile(blobFile(layoutDir, descriptor.digest));
    const parsed = JSON.parse(body.toString('utf8')) as { manifests?: LayoutDescriptor[]; config?: LayoutDescriptor; layers?: LayoutDescriptor[] };
    for (const child of parsed.manifests ?? []) await push(child, child.digest);
    for (const blob of [...(parsed.config ? [parsed.config] : []), ...(parsed.layers ?? [])])
      await pushBlob(client, layoutDir, repository, blob, stats, options.mountFrom);
    return (await client.putManifest(repository, reference, descriptor.mediaType, body)).digest;
  };
  return { digest: await push(top, tag ?? top.digest), stats };
}

/** Pushes a referrer manifest (its subject must be there) and keeps the tag schema when the registry did not take it as a referrer. */
export async function pushReferrer(
  client: RegistryClient,
  layoutDir: string,
  repository: string,
  referrer: LayoutDescriptor,
): Promise<{ digest: string; subjectHeader: boolean }> {
  const body = await readFile(blobFile(layoutDir, referrer.digest));
  const parsed = JSON.parse(body.toString('utf8')) as { config: LayoutDescriptor; layers: LayoutDescriptor[]; subject: LayoutDescriptor };
  const stats = { uploaded: 0, skipped: 0, mounted: 0 };
  for (const blob of [parsed.config, ...parsed.layers]) await pushBlob(client, layoutDir, repository, blob, stats);
  const result = await client.putManifest(repository, referrer.digest, referrer.mediaType, body);
  if (result.subject === undefined) await updateReferrersTag(client, repository, parsed.subject.digest, referrer);
  return { digest: result.digest, subjectHeader: result.subject !== undefined };
}
