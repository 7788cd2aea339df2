/**
 * Image references as the operator writes them (`--image`, `--images-from`; docs/cli.md): the
 * transport, where it points, and what it names there. Parsing only: nothing is opened here.
 * `oci:DIR[:TAG]` splits at the first colon after the transport, as skopeo does, so a layout
 * Airlock wrote (whose ref names are `repository:tag`) reads back as `oci:DIR:repository:tag`.
 */
import { displayText } from '../../../../shared/display-text.js';
import { AirlockError } from '../../errors.js';

export type ImageReference =
  | { transport: 'oci'; text: string; dir: string; tag: string | null }
  | { transport: 'oci-archive'; text: string; file: string; tag: string | null }
  | { transport: 'docker-archive'; text: string; file: string }
  | { transport: 'docker'; text: string; host: string; repository: string; tag: string | null; digest: string | null };

const MAX_REFERENCE = 4096;
/** An OCI ref name (image-layout spec): what a layout's `org.opencontainers.image.ref.name` may hold. */
const REF_NAME = /^[A-Za-z0-9._:@/+-]{1,255}$/u;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/u;
const DOCKER_REPO = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/u;
const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/u;
const DIGEST = /^sha256:[0-9a-f]{64}$/u;

function invalid(text: string, why: string): AirlockError {
  return new AirlockError('IMAGE_SOURCE_INVALID', `"${printable(text)}": ${why}`, { data: { reference: printable(text) } });
}

/** A reference quoted in a message: control characters shown as escapes, long ones cut. */
export function printable(text: string): string {
  const cut = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return displayText(cut);
}

export function parseImageReference(text: string): ImageReference {
  if (text.length === 0 || text.length > MAX_REFERENCE) throw invalid(text, 'a reference is 1 to 4096 characters.');
  if (/[\u0000-\u001f\u007f]/u.test(text)) throw invalid(text, 'control characters are not allowed in a reference.');
  const colon = text.indexOf(':');
  const transport = colon < 0 ? '' : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  switch (transport) {
    case 'oci':
    case 'oci-archive': {
      const split = rest.indexOf(':');
      const path = split < 0 ? rest : rest.slice(0, split);
      const tag = split < 0 ? null : rest.slice(split + 1);
      if (path === '') throw invalid(text, `name the ${transport === 'oci' ? 'layout folder' : 'archive file'}: ${transport}:PATH[:TAG].`);
      if (tag !== null && !REF_NAME.test(tag)) throw invalid(text, 'the tag after the path is empty or holds characters a layout ref name cannot.');
      return transport === 'oci' ? { transport, text, dir: path, tag } : { transport, text, file: path, tag };
    }
    case 'docker-archive': {
      if (rest === '') throw invalid(text, 'name the archive file: docker-archive:FILE.');
      return { transport, text, file: rest };
    }
    case 'docker':
      return parseDockerReference(text, rest);
    default:
      throw invalid(text, 'start it with oci:, oci-archive:, docker-archive: or docker:// (e.g. oci:./layout:app-1.0).');
  }
}

/** `docker://HOST[:PORT]/REPO:TAG` or `docker://HOST[:PORT]/REPO@sha256:...`: the host is always named (no default registry on a station). */
function parseDockerReference(text: string, rest: string): ImageReference {
  if (!rest.startsWith('//')) throw invalid(text, 'write docker://HOST[:PORT]/REPO:TAG.');
  const body = rest.slice(2);
  const slash = body.indexOf('/');
  if (slash <= 0) throw invalid(text, 'name the registry host and the repository: docker://HOST[:PORT]/REPO:TAG.');
  const host = body.slice(0, slash);
  let path = body.slice(slash + 1);
  if (!HOST.test(host)) throw invalid(text, `"${printable(host)}" is not a host name with an optional port.`);
  let digest: string | null = null;
  const at = path.indexOf('@');
  if (at >= 0) {
    digest = path.slice(at + 1);
    path = path.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(text, 'the digest after @ must be sha256: and 64 lower-case hex digits.');
  }
  let tag: string | null = null;
  const lastColon = path.lastIndexOf(':');
  if (lastColon > path.lastIndexOf('/')) {
    tag = path.slice(lastColon + 1);
    path = path.slice(0, lastColon);
    if (!DOCKER_TAG.test(tag)) throw invalid(text, `"${printable(tag)}" is not a valid tag.`);
  }
  if (!DOCKER_REPO.test(path)) throw invalid(text, `"${printable(path)}" is not a repository name (lower case, digits, . _ - and /).`);
  if (tag === null && digest === null) throw invalid(text, 'name a tag (:TAG) or a digest (@sha256:...): a station never guesses "latest".');
  return { transport: 'docker', text, host, repository: path, tag, digest };
}

/**
 * `--images-from FILE`'s lines: one reference per line; blank lines and lines starting with `#`
 * (after spaces) are skipped; surrounding spaces trimmed. A bad line is reported with its number.
 */
export function parseImageList(content: string, file: string): ImageReference[] {
  const refs: ImageReference[] = [];
  const lines = content.split(/\r?\n/u);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      refs.push(parseImageReference(line));
    } catch (error) {
      if (error instanceof AirlockError && error.code === 'IMAGE_SOURCE_INVALID') {
        throw new AirlockError('IMAGE_SOURCE_INVALID', `${printable(file)} line ${index + 1}: ${error.detail ?? ''}`, {
          path: file,
          data: { reference: printable(line), line: String(index + 1) },
        });
      }
      throw error;
    }
  }
  return refs;
}
