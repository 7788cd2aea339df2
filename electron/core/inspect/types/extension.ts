/**
 * The extension a name claims (issue #16.2): what a desktop would open the file with. Hostile
 * names: only the last path segment counts, and trailing dots and spaces are dropped first
 * because Windows drops them when it creates the file (`evil.exe.` and `evil.exe ` open as .exe).
 */

/** Compressed-tar double extensions kept whole (`tar.gz`), as the policy's extension rules name them. */
const TAR_SUFFIXES = new Set(['gz', 'bz2', 'xz', 'zst', 'lz', 'lzma', 'z']);

/** The name's extension, lower case without the dot; null for none (or a dot-file such as `.bashrc`). */
export function extensionOf(name: string): string | null {
  const base = name.slice(name.lastIndexOf('/') + 1).replace(/[. ]+$/u, '');
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || dot === base.length - 1) return null;
  const last = base.slice(dot + 1).toLowerCase();
  if (TAR_SUFFIXES.has(last)) {
    const stem = base.slice(0, dot);
    const inner = stem.lastIndexOf('.');
    if (inner > 0 && stem.slice(inner + 1).toLowerCase() === 'tar') return `tar.${last}`;
  }
  return last;
}

/** Whether an extension rule (`gz`, `tar.gz`) names this extension: `gz` covers `tar.gz` too. */
export function extensionMatches(extension: string, rule: string): boolean {
  return extension === rule || extension.endsWith(`.${rule}`);
}
