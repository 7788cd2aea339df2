/**
 * What the operator types for images (issue #15): an image reference, a platform, a registry
 * target. These are the first, shape-only checks the app runs as the operator types and the IPC
 * schemas run on every request; the engine decides the rest (it opens the source, reaches the
 * registry). Pure: shared by the renderer and the main process.
 */

/** The transports `airlock export --image` reads, with the form each takes. */
export const IMAGE_TRANSPORTS = [
  { prefix: 'oci:', form: 'oci:DIR[:TAG]' },
  { prefix: 'oci-archive:', form: 'oci-archive:FILE[:TAG]' },
  { prefix: 'docker-archive:', form: 'docker-archive:FILE' },
  { prefix: 'docker://', form: 'docker://HOST[:PORT]/REPO:TAG or @DIGEST' },
] as const;

export const IMAGE_REFERENCE_MAX = 4096;
/** Registry targets and their prefix: distribution limits repository names to 255 bytes. */
export const REGISTRY_TARGET_MAX = 512;

// C0/C1 controls, and the bidirectional and zero-width marks that make text read other than it is.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;

/**
 * Why what the operator typed cannot be used, as a kind and its values: the app words each kind in
 * its language (renderer/src/i18n/catalogue/image-input.ts), the engine and the IPC schemas in
 * English (`imageInputText`).
 */
export type ImageInputIssue =
  | { kind: 'reference-empty' }
  | { kind: 'reference-spaces' }
  | { kind: 'reference-too-long'; max: number }
  | { kind: 'reference-invisible' }
  | { kind: 'reference-transport'; prefixes: string; example: string }
  | { kind: 'reference-after-transport'; prefix: string; form: string }
  | { kind: 'reference-docker-parts'; form: string }
  | { kind: 'registry-empty' }
  | { kind: 'registry-scheme' }
  | { kind: 'registry-shape' };

/** An issue in English. */
export function imageInputText(issue: ImageInputIssue): string {
  switch (issue.kind) {
    case 'reference-empty':
      return 'Enter an image reference.';
    case 'reference-spaces':
      return 'Remove the spaces before or after the reference.';
    case 'reference-too-long':
      return `A reference is at most ${issue.max} characters.`;
    case 'reference-invisible':
      return 'The reference holds control or invisible characters.';
    case 'reference-transport':
      return `Start with one of ${issue.prefixes} (for example ${issue.example}).`;
    case 'reference-after-transport':
      return `Say what to read after "${issue.prefix}": ${issue.form}.`;
    case 'reference-docker-parts':
      return `Name the registry, repository and tag or digest: ${issue.form}.`;
    case 'registry-empty':
      return 'Enter the registry, e.g. registry.internal:5000/mirror.';
    case 'registry-scheme':
      return 'Leave out the scheme (https://): give HOST[:PORT][/PREFIX].';
    case 'registry-shape':
      return 'Give HOST[:PORT][/PREFIX]: a host name or address, an optional port, and an optional lower-case repository prefix.';
  }
}

/** Why `reference` cannot be an image reference; null when its shape is acceptable. */
export function imageReferenceIssue(reference: string): ImageInputIssue | null {
  if (reference.trim() === '') return { kind: 'reference-empty' };
  if (reference !== reference.trim()) return { kind: 'reference-spaces' };
  if (reference.length > IMAGE_REFERENCE_MAX) return { kind: 'reference-too-long', max: IMAGE_REFERENCE_MAX };
  if (INVISIBLE.test(reference)) return { kind: 'reference-invisible' };
  const transport = IMAGE_TRANSPORTS.find((t) => reference.startsWith(t.prefix));
  if (!transport) return { kind: 'reference-transport', prefixes: IMAGE_TRANSPORTS.map((t) => t.prefix).join(' '), example: IMAGE_TRANSPORTS[0].form };
  const rest = reference.slice(transport.prefix.length);
  if (rest === '') return { kind: 'reference-after-transport', prefix: transport.prefix, form: transport.form };
  if (transport.prefix === 'docker://' && !/^[^/\s]+\/[^\s]*[^/\s:@][:@][^\s]+$/u.test(rest)) {
    return { kind: 'reference-docker-parts', form: transport.form };
  }
  return null;
}

/** Why `reference` cannot be an image reference, in English words; null when its shape is acceptable. */
export function imageReferenceProblem(reference: string): string | null {
  const issue = imageReferenceIssue(reference);
  return issue === null ? null : imageInputText(issue);
}

/** `os/architecture[/variant]`, as image indexes name platforms (`linux/amd64`, `linux/arm64/v8`). */
// The engine's rule for each part (electron/core/oci/sources/platform-choice.ts).
export const PLATFORM_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}\/[a-z0-9][a-z0-9._-]{0,63}(?:\/[a-z0-9][a-z0-9._-]{0,63})?$/u;
/** Platforms offered as checkboxes; any other is typed. */
export const COMMON_PLATFORMS = ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7', 'linux/ppc64le', 'linux/s390x'] as const;

const HOST_NAME = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/u;
const IPV6 = /^\[[0-9A-Fa-f:.]{2,45}\]$/u;
const PREFIX_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/u;

/** `HOST[:PORT][/PREFIX]` split; null when it is not that shape. */
export function splitRegistryTarget(target: string): { host: string; hostname: string; port: number | null; prefix: string } | null {
  if (target.length === 0 || target.length > REGISTRY_TARGET_MAX || INVISIBLE.test(target)) return null;
  const slash = target.indexOf('/');
  const host = slash < 0 ? target : target.slice(0, slash);
  const prefix = slash < 0 ? '' : target.slice(slash + 1);
  const portMatch = /^(.*?)(?::(\d{1,5}))?$/u.exec(host);
  const hostname = portMatch?.[1] ?? '';
  const port = portMatch?.[2] === undefined ? null : Number(portMatch[2]);
  if (!(HOST_NAME.test(hostname) || IPV6.test(hostname))) return null;
  if (port !== null && (port < 1 || port > 65_535)) return null;
  if (slash >= 0 && !prefix.split('/').every((c) => PREFIX_COMPONENT.test(c))) return null;
  return { host, hostname, port, prefix };
}

/** Why `target` cannot be a registry target; null when its shape is acceptable. */
export function registryTargetIssue(target: string): ImageInputIssue | null {
  if (target.trim() === '') return { kind: 'registry-empty' };
  if (/^[a-z][a-z0-9+.-]*:\/\//iu.test(target)) return { kind: 'registry-scheme' };
  if (splitRegistryTarget(target) === null) return { kind: 'registry-shape' };
  return null;
}

/** Why `target` cannot be a registry target, in English words; null when its shape is acceptable. */
export function registryTargetProblem(target: string): string | null {
  const issue = registryTargetIssue(target);
  return issue === null ? null : imageInputText(issue);
}

/** Loopback hosts: the only ones plain HTTP (--insecure-registry) is allowed for. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h === '[::1]' || /^127(?:\.\d{1,3}){3}$/u.test(h);
}
