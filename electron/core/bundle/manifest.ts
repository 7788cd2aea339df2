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
  // Most paths hold no `%`: skip the replace (verify parses every line of a manifest up front).
  if (!encoded.includes('%')) return encoded;
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

/** Characters of manifest text gathered before they are encoded: bounds the text held at once. */
const ENCODE_CHUNK_CHARS = 1 << 20;

/**
 * formatManifest's bytes (UTF-8), from entries read one at a time: a million-line manifest is
 * never a million line strings (and their joined copy) at once, only its bytes and one chunk.
 */
export function encodeManifest(entries: Iterable<ManifestEntry>): Buffer {
  const chunks: Buffer[] = [];
  let text = '';
  for (const entry of entries) {
    text += `${entry.sha256}  ${encodeManifestPath(entry.path)}\n`;
    if (text.length >= ENCODE_CHUNK_CHARS) {
      chunks.push(Buffer.from(text, 'utf8'));
      text = '';
    }
  }
  chunks.push(Buffer.from(text, 'utf8'));
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}

export type ManifestParse = { ok: true; entries: ManifestEntry[] } | { ok: false; line: number; reason: string };

const HEX_CHARS = 64;

/** Where the path starts in `line` after the checksum, or -1: exactly what `/^([0-9a-fA-F]{64})[ \t]+(.+)$/u` matches. */
function pathStart(line: string): number {
  // 64 hex digits, at least one space or tab, at least one character.
  if (line.length < HEX_CHARS + 2) return -1;
  for (let at = 0; at < HEX_CHARS; at += 1) if (!isHexDigit(line.charCodeAt(at))) return -1;
  let at = HEX_CHARS;
  while (at < line.length && isBlank(line.charCodeAt(at))) at += 1;
  if (at === HEX_CHARS) return -1;
  // Blanks to the end: the pattern's `[ \t]+` gives its last one back to `(.+)`, if it had two.
  if (at === line.length) at = at - HEX_CHARS >= 2 ? at - 1 : -1;
  if (at < 0) return -1;
  // `.` matches no line terminator (with the u flag: LF, CR, U+2028, U+2029).
  for (let i = at; i < line.length; i += 1) if (isLineTerminator(line.charCodeAt(i))) return -1;
  return at;
}

function isHexDigit(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66) || (code >= 0x41 && code <= 0x46);
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function isLineTerminator(code: number): boolean {
  return code === 0x0a || code === 0x0d || code === 0x2028 || code === 0x2029;
}

/**
 * One manifest line, or null when it is not `<sha256> <path>`. Parsed by hand rather than with
 * that regular expression (pathStart): verify parses every line of the manifest before the payload,
 * 20,000 lines in the small-file row, and the expression with its two captures was a tenth of it.
 */
export function parseManifestLine(line: string): ManifestEntry | null {
  const start = pathStart(line);
  if (start < 0) return null;
  // sha256sum's binary-mode marker: "<hash> *path".
  const encodedPath = line.charCodeAt(start) === 0x2a ? line.slice(start + 1) : line.slice(start);
  return { sha256: line.slice(0, HEX_CHARS).toLowerCase(), path: decodeManifestPath(encodedPath) };
}

/** Parses a sha256 manifest. Line endings may be LF, CRLF or CR (RFC 8493 §2.1.3). */
export function parseManifest(text: string): ManifestParse {
  const lines = text.split(/\r\n|\r|\n/u);
  if (lines.at(-1) === '') lines.pop();
  const entries: ManifestEntry[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const entry = parseManifestLine(lines[i] ?? '');
    if (!entry) return { ok: false, line: i + 1, reason: `line ${i + 1} is not "<sha256>  <path>"` };
    entries.push(entry);
  }
  return { ok: true, entries };
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * A manifest's bytes in slices of about `sliceBytes` that end just after a line feed, so each
 * slice decodes and splits on its own (LF and CR never occur inside a UTF-8 sequence, and a
 * CRLF is never cut): a caller that stops early (at a station's file limit) never pays for the
 * rest, and no array of every line is built.
 */
export function* manifestSlices(bytes: Uint8Array, sliceBytes = 1 << 20): Generator<Uint8Array> {
  let start = 0;
  while (start < bytes.length) {
    const lf = bytes.indexOf(LF, Math.min(bytes.length, start + sliceBytes) - 1);
    const end = lf < 0 ? bytes.length : lf + 1;
    yield bytes.subarray(start, end);
    start = end;
  }
}

/** The lines of one slice (see manifestSlices): line ends LF, CRLF or CR; a final line end adds no empty line. */
export function sliceLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/u);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * Counts manifest lines as the bytes stream in (chunks split anywhere, CRLF across a chunk
 * boundary counted once), so a manifest listing more files than a station allows is refused
 * before it is read whole.
 */
export class ManifestLineCounter {
  private ended = 0;
  private pendingCR = false;
  private open = false;

  add(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (chunk.indexOf(CR) < 0) {
      // The common case, LF only: count with indexOf rather than byte by byte.
      for (let at = chunk.indexOf(LF); at >= 0; at = chunk.indexOf(LF, at + 1)) {
        if (!(at === 0 && this.pendingCR)) this.ended += 1;
      }
      this.pendingCR = false;
      this.open = chunk[chunk.length - 1] !== LF;
      return;
    }
    for (const byte of chunk) {
      if (byte === LF) {
        if (!this.pendingCR) this.ended += 1;
        this.pendingCR = false;
        this.open = false;
      } else if (byte === CR) {
        this.ended += 1;
        this.pendingCR = true;
        this.open = false;
      } else {
        this.pendingCR = false;
        this.open = true;
      }
    }
  }

  /** Lines so far, counting a last line without its line end. */
  get lines(): number {
    return this.ended + (this.open ? 1 : 0);
  }
}
