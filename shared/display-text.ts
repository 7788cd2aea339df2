/**
 * The one rule for untrusted text that reaches an operator: a file name, a bag-info value, a key's
 * user ID, an archive entry's name, a registry's or clamd's reply. Such text can hold escape
 * sequences (ESC [ ... moves the cursor, ESC ] ... BEL retitles the window, a C1 CSI does both
 * without an ESC), CR and LF that forge a line of their own ("OK verified"), bidi overrides and
 * isolates that show "gpj.exe" as "exe.jpg" or reorder a hash, and zero-width or filler characters
 * that make two different names look the same. None of these is ever shown as itself: each becomes
 * a visible escape (`\n`, `\u001b`, `\u202e`, `\u{e0041}`), so what the operator sees is what is
 * there. Every sink uses this module: the CLI's lines and progress, its --json output, the app's
 * labels, the SIEM formats (syslog, ECS) and the receipt PDF (which adds its own glyph check).
 */

/**
 * Code points that control, reorder, hide or break lines: C0, DEL and C1 controls; the soft hyphen;
 * the Arabic letter mark; Hangul and Mongolian fillers; zero-width spaces, joiners and marks; the
 * line and paragraph separators and the bidi embeddings and overrides; the word joiner, invisible
 * operators, isolates and deprecated format characters; variation selectors; the BOM; interlinear
 * annotation marks; tag characters. Lone surrogates (invalid UTF-16, from invalid UTF-8 or a
 * hostile JSON string) are escaped too.
 */
export const UNSAFE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x0000, 0x001f],
  [0x007f, 0x009f],
  [0x00ad, 0x00ad],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffb],
  [0xe0000, 0xe007f],
];

const hex = (cp: number): string => cp.toString(16).padStart(4, '0');
const rangeClass = UNSAFE_RANGES.map(([lo, hi]) => (lo === hi ? `\\u{${hex(lo)}}` : `\\u{${hex(lo)}}-\\u{${hex(hi)}}`)).join('');
/** One unsafe character (with the `u` flag a surrogate range matches only a lone surrogate, never half of a pair). */
const UNSAFE_SOURCE = `[${rangeClass}\\u{d800}-\\u{dfff}]`;
const UNSAFE_ONE = new RegExp(UNSAFE_SOURCE, 'u');
const UNSAFE_ALL = new RegExp(UNSAFE_SOURCE, 'gu');
/** The same, but LF and tab pass: for whole lines and JSON text, whose values were escaped before. */
const IN_LINES_SOURCE = UNSAFE_SOURCE.replace('\\u{0000}-\\u{001f}', '\\u{0000}-\\u{0008}\\u{000b}-\\u{001f}');
const UNSAFE_IN_LINES_ONE = new RegExp(IN_LINES_SOURCE, 'u');
const UNSAFE_IN_LINES = new RegExp(IN_LINES_SOURCE, 'gu');

/** Printable ASCII only (and LF, tab for lines): nothing to escape, told by a simpler class than the one above. */
const PLAIN = /^[\u0020-\u007e]*$/u;
const PLAIN_LINES = /^[\n\t\u0020-\u007e]*$/u;

/** Whether `cp` is never shown as itself. */
export function isUnsafeCodePoint(cp: number): boolean {
  // Printable ASCII first: most of every name and value.
  if (cp >= 0x20 && cp < 0x7f) return false;
  if (cp >= 0xd800 && cp <= 0xdfff) return true;
  return UNSAFE_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi);
}

/** Whether `text` holds a character this module escapes. */
export function hasUnsafeText(text: string): boolean {
  return UNSAFE_ONE.test(text);
}

/** The visible escape of one code point: `\u001b`, or `\u{e0041}` beyond the BMP. */
export function escapeCodePoint(cp: number): string {
  return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${hex(cp)}`;
}

function escapeForDisplay(char: string): string {
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  return escapeCodePoint(char.codePointAt(0) ?? 0);
}

/**
 * One untrusted value (or a line built from them) for a terminal or a label: every unsafe
 * character, LF included, as a visible escape. The output holds no unsafe character, so applying
 * it again changes nothing (lines built from values already escaped are safe to pass through).
 */
export function displayText(text: string): string {
  if (PLAIN.test(text) || !UNSAFE_ONE.test(text)) return text;
  return text.replace(UNSAFE_ALL, escapeForDisplay);
}

/**
 * A name this station makes from untrusted text (a receipt's file name from a file on a medium):
 * every unsafe character replaced by `_`, so no file the station writes has a name that reorders
 * or hides itself in a listing. Not for display (the replacement loses what was there).
 */
export function fileNameText(text: string): string {
  if (PLAIN.test(text) || !UNSAFE_ONE.test(text)) return text;
  return text.replace(UNSAFE_ALL, '_');
}

/** JSON's own escape of one UTF-16 unit (a character beyond the BMP as its two halves). */
function escapeUnits(char: string): string {
  let out = '';
  for (let i = 0; i < char.length; i += 1) out += `\\u${hex(char.charCodeAt(i))}`;
  return out;
}

/**
 * The last guard of a line sink (the CLI's stdout and stderr, a JSON-lines file): text that is
 * already lines (LF and tab kept) with any unsafe character left in it written as a `\u` escape.
 * On JSON text this is exact: outside strings JSON has only ASCII, and inside a string `\uXXXX`
 * parses back to the same character, so the value travels faithfully and no terminal acts on it.
 */
export function lineText(text: string): string {
  if (PLAIN_LINES.test(text) || !UNSAFE_IN_LINES_ONE.test(text)) return text;
  return text.replace(UNSAFE_IN_LINES, escapeUnits);
}

/**
 * JSON for a terminal or a file the operator reads (--json, report.json, an audit export):
 * `JSON.stringify`, with every unsafe character a `\u` escape; `space` indents as JSON.stringify's.
 */
export function jsonText(value: unknown, space?: number): string {
  return lineText(JSON.stringify(value, null, space));
}
