/**
 * What the client lets into a URL path: repository names, tags and digests as the distribution
 * spec defines them. Every name comes from a bundle's descriptor, a list file or the command line,
 * so each is checked here before it is joined into a request path (no `..`, `?`, `%` or `//`).
 */
import { AirlockError } from '../../errors.js';
import { REPOSITORY_NAME, TAG_NAME } from '../name-patterns.js';
import { SHA256_DIGEST } from '../layout-format.js';

/** The distribution spec's limit on a repository name (host excluded). */
export const MAX_REPOSITORY_LENGTH = 255;

export function isRepositoryName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_REPOSITORY_LENGTH && REPOSITORY_NAME.test(name);
}

export function isTag(reference: string): boolean {
  return TAG_NAME.test(reference);
}

export function isDigest(reference: string): boolean {
  return SHA256_DIGEST.test(reference);
}

export function checkRepository(name: string): string {
  if (!isRepositoryName(name)) throw new AirlockError('IMAGE_SOURCE_INVALID', `Not a repository name: ${JSON.stringify(name.slice(0, 300))}.`);
  return name;
}

/** A tag or a sha256 digest. */
export function checkReference(reference: string): string {
  if (!isTag(reference) && !isDigest(reference))
    throw new AirlockError('IMAGE_SOURCE_INVALID', `Not a tag or sha256 digest: ${JSON.stringify(reference.slice(0, 300))}.`);
  return reference;
}

export function checkDigest(digest: string): string {
  if (!isDigest(digest)) throw new AirlockError('IMAGE_SOURCE_INVALID', `Not a sha256 digest: ${JSON.stringify(digest.slice(0, 300))}.`);
  return digest;
}

/** The tag the referrers tag schema uses for `sha256:<hex>` (OCI distribution spec 1.1). */
export function referrersTag(digest: string): string {
  return checkDigest(digest).replace(':', '-');
}
