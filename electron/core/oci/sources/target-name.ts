/**
 * Where an exported image goes on the far side: repository and tag, chosen when it is exported
 * and signed in the descriptor file (docs/cli.md "Image references"). Rules:
 * - docker://HOST/REPO:TAG keeps REPO and TAG (by digest only: tag null);
 * - a layout's ref name shaped `repo:tag` (or `host/repo:tag`, host dropped) gives both;
 * - any other ref name is the tag, and the repository is the layout folder's (or archive's) name;
 * - no ref name: the folder's name, tag null (pushed by digest).
 * Names are brought to distribution's grammar (lower case; other characters become `-`).
 */
import { basename } from 'node:path';
import { REPOSITORY_NAME, TAG_NAME } from '../images-file.js';

export interface TargetName {
  repository: string;
  tag: string | null;
}

/** A path component or name in distribution's repository grammar, or null when nothing usable is left. */
export function normalizeRepository(name: string): string | null {
  const parts = name
    .toLowerCase()
    .split('/')
    .map((part) =>
      part
        .replace(/[^a-z0-9._-]+/gu, '-')
        .replace(/^[^a-z0-9]+|[^a-z0-9]+$/gu, '')
        .replace(/[._-]{2,}/gu, '-'),
    )
    .filter((part) => part !== '');
  const joined = parts.join('/').slice(0, 255);
  return REPOSITORY_NAME.test(joined) ? joined : null;
}

/** A tag in distribution's grammar (Helm's `+` becomes `_`, as Helm itself does), or null. */
export function normalizeTag(tag: string): string | null {
  const fixed = tag.replace(/\+/gu, '_');
  return TAG_NAME.test(fixed) ? fixed : null;
}

/** The name of a folder or archive as a repository: `./layouts/My App.tar` -> `my-app`. */
export function repositoryFromPath(path: string): string {
  const name = basename(path.replace(/[/\\]+$/u, '')).replace(/\.(?:tar|tar\.gz|tgz|oci)$/iu, '');
  return normalizeRepository(name) ?? 'image';
}

/** A registry host leads a name when its first component has a dot or a port, or is `localhost`. */
function dropHost(name: string): string {
  const slash = name.indexOf('/');
  if (slash < 0) return name;
  const first = name.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? name.slice(slash + 1) : name;
}

/** Target of an image found in a layout or archive under `refName` (null: none), named after `path` otherwise. */
export function targetFromRefName(refName: string | null, path: string): TargetName {
  if (refName === null) return { repository: repositoryFromPath(path), tag: null };
  const withoutDigest = refName.split('@')[0] ?? '';
  const lastColon = withoutDigest.lastIndexOf(':');
  if (lastColon > 0 && lastColon > withoutDigest.lastIndexOf('/')) {
    const repository = normalizeRepository(dropHost(withoutDigest.slice(0, lastColon)));
    const tag = normalizeTag(withoutDigest.slice(lastColon + 1));
    if (repository !== null && tag !== null) return { repository, tag };
  }
  const tag = normalizeTag(refName);
  if (tag !== null) return { repository: repositoryFromPath(path), tag };
  // A ref name that is neither a tag nor repo:tag (a path, a digest form): it names the repository.
  return { repository: normalizeRepository(dropHost(withoutDigest)) ?? repositoryFromPath(path), tag: null };
}
