/**
 * BagIt manifest lines (RFC 8493 §2.1.3): `<checksum> <path>` with `/` separators and only
 * CR, LF and `%` percent-encoded. Airlock writes two spaces (as sha256sum does, so
 * `sha256sum -c` reads it) and reads any run of spaces or tabs.
 */

export function encodeManifestPath(path: string): string {
  return path.replace(/%/g, '%25').replace(/\n/g, '%0A').replace(/\r/g, '%0D');
}

/** Decodes only %0A, %0D and %25 (case-insensitive); any other `%` sequence is kept as written. */
export function decodeManifestPath(encoded: string): string {
  return encoded.replace(/%(0A|0D|25)/gi, (match) => {
    switch (match.toUpperCase()) {
      case '%0A':
        return '\n';
      case '%0D':
        return '\r';
      default:
        return '%';
    }
  });
}

export interface ManifestEntry {
  path: string;
  sha256: string;
}

export function formatManifest(entries: readonly ManifestEntry[]): string {
  return entries.map((entry) => `${entry.sha256}  ${encodeManifestPath(entry.path)}\n`).join('');
}

export type ManifestParse =
  | { ok: true; entries: ManifestEntry[] }
  | { ok: false; line: number; reason: string };

const LINE = /^([0-9a-fA-F]{64})[ \t]+(.+)$/u;

/** Parses a sha256 manifest. Line endings may be LF, CRLF or CR (RFC 8493 §2.1.3). */
export function parseManifest(text: string): ManifestParse {
  const lines = text.split(/\r\n|\r|\n/u);
  if (lines.at(-1) === '') lines.pop();
  const entries: ManifestEntry[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const match = LINE.exec(line);
    if (!match) return { ok: false, line: i + 1, reason: `line ${i + 1} is not "<sha256>  <path>"` };
    let encodedPath = match[2] ?? '';
    // sha256sum's binary-mode marker: "<hash> *path".
    if (encodedPath.startsWith('*')) encodedPath = encodedPath.slice(1);
    entries.push({ sha256: (match[1] ?? '').toLowerCase(), path: decodeManifestPath(encodedPath) });
  }
  return { ok: true, entries };
}
