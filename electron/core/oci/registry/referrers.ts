/**
 * Referrers (signatures, SBOMs, attestations) of a manifest, OCI distribution spec 1.1: the
 * referrers API (`GET /v2/NAME/referrers/DIGEST`) where the registry has it, else the tag schema
 * its 404 calls for: an image index tagged `sha256-<hex>` listing them. Distribution 2.8 has no
 * referrers API, so there the tag schema IS the path. updateReferrersTag() keeps that index when
 * a referrer is pushed to such a registry (no OCI-Subject header in the manifest PUT's answer).
 */
import { AirlockError } from '../../errors.js';
import { MEDIA_TYPES } from '../layout-format.js';
import type { BlobDescriptor, RegistryClientApi } from './registry-api.js';
import { registryResponseError } from './registry-errors.js';
import { errorText, readCapped, type RegistryHttp } from './registry-http.js';
import { isDigest, referrersTag } from './registry-names.js';

export interface ReferrerDescriptor extends BlobDescriptor {
  artifactType?: string | undefined;
  annotations?: Record<string, string> | undefined;
}

const INDEX_CAP = 4 * 1024 * 1024;
const MAX_REFERRERS = 10_000;
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9.+/_-]{0,254}$/u;

function refused(detail: string): AirlockError {
  return new AirlockError('REGISTRY_REFUSED', detail, { data: { registryCode: null } });
}

/** The `manifests` of an image index body, each checked (digest, size, media type); REGISTRY_REFUSED when malformed. */
export function referrersFromIndex(body: Buffer, what: string): ReferrerDescriptor[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw refused(`${what}: the referrers index is not JSON.`);
  }
  if (typeof parsed !== 'object' || parsed === null || !('manifests' in parsed)) return [];
  const manifests = parsed.manifests;
  if (!Array.isArray(manifests) || manifests.length > MAX_REFERRERS) throw refused(`${what}: the referrers index is malformed.`);
  return manifests.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) throw refused(`${what}: a referrer entry is not an object.`);
    const record = entry as Record<string, unknown>;
    const { digest, size, mediaType, artifactType, annotations } = record;
    if (typeof digest !== 'string' || !isDigest(digest)) throw refused(`${what}: a referrer has no valid sha256 digest.`);
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || size > INDEX_CAP)
      throw refused(`${what}: referrer ${digest} has no valid size.`);
    if (typeof mediaType !== 'string' || !MEDIA_TYPE.test(mediaType)) throw refused(`${what}: referrer ${digest} has no valid media type.`);
    const descriptor: ReferrerDescriptor = { digest, size, mediaType };
    if (typeof artifactType === 'string' && MEDIA_TYPE.test(artifactType)) descriptor.artifactType = artifactType;
    if (typeof annotations === 'object' && annotations !== null && Object.values(annotations).every((v) => typeof v === 'string')) {
      descriptor.annotations = annotations as Record<string, string>;
    }
    return descriptor;
  });
}

/** Referrers of `digest` in `repository`: the API, or the tag schema when the API answers 404. */
export async function listReferrers(
  http: RegistryHttp,
  client: RegistryClientApi,
  repository: string,
  digest: string,
  signal: AbortSignal | undefined,
): Promise<ReferrerDescriptor[]> {
  const what = `referrers of ${digest} in ${repository}`;
  const response = await http.send({
    method: 'GET',
    url: `/v2/${repository}/referrers/${digest}`,
    headers: { accept: MEDIA_TYPES.ociIndex },
    scopes: [`repository:${repository}:pull`],
    retry: true,
    signal,
    what,
  });
  if (response.status === 200) return referrersFromIndex(await readCapped(response, INDEX_CAP, what), what);
  const text = await errorText(response);
  if (response.status !== 404) throw registryResponseError(response.status, text, what);
  const tagged = await client.getManifest(repository, referrersTag(digest), [MEDIA_TYPES.ociIndex], signal);
  return tagged === null ? [] : referrersFromIndex(tagged.body, `${what} (tag ${referrersTag(digest)})`);
}

/**
 * Adds `referrer` to the `sha256-<hex>` index of `subject` (creating it), for registries without
 * the referrers API. Idempotent: a referrer already listed is not added twice.
 */
export async function updateReferrersTag(
  client: RegistryClientApi,
  repository: string,
  subject: string,
  referrer: ReferrerDescriptor,
  signal?: AbortSignal,
): Promise<{ digest: string; changed: boolean }> {
  const tag = referrersTag(subject);
  const existing = await client.getManifest(repository, tag, [MEDIA_TYPES.ociIndex], signal);
  const manifests = existing === null ? [] : referrersFromIndex(existing.body, `referrers tag ${tag} in ${repository}`);
  if (manifests.some((m) => m.digest === referrer.digest)) return { digest: existing!.digest, changed: false };
  const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [...manifests, referrer] }));
  const { digest } = await client.putManifest(repository, tag, MEDIA_TYPES.ociIndex, body, signal);
  return { digest, changed: true };
}
