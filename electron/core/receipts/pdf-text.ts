/**
 * Hostile text made safe for the PDF page: a file name, user ID or path is printed so that what is
 * on paper is unambiguous, like the HTML receipt does it. Control characters, bidi overrides and
 * isolates, zero-width and line-separator characters, lone surrogates and characters the embedded
 * font has no glyph for (CJK is not in DejaVu) become a visible \uXXXX escape; piles of combining
 * marks are cut to two; a value longer than `max` characters ends in an ellipsis that says how much
 * was left out (the whole value is in the embedded JSON receipt and the audit log).
 */
import { escapeCodePoint, isUnsafeCodePoint } from '../../../shared/display-text.js';

/** Characters that reorder, hide or break lines: the shared rule's (shared/display-text.ts), never drawn as themselves. */
const invisible = isUnsafeCodePoint;

const COMBINING = /\p{M}/u;
/** Combining marks allowed on one base character (accents, Vietnamese); more are escaped (Zalgo text). */
const MAX_MARKS = 2;

export type GlyphCheck = (codePoint: number) => boolean;

export { escapeCodePoint };

/** The visible, bounded form of `value`: at most `max` characters of output, then "… (+N)". */
export function safeText(value: string, hasGlyph: GlyphCheck, max = 400): string {
  // Most values (paths, hashes, sizes) are printable ASCII the font has: nothing to escape, no marks, no cut.
  if (value.length <= max && plainAscii(value, hasGlyph)) return value;
  let out = '';
  let marks = 0;
  let index = 0;
  for (const char of value) {
    const cp = char.codePointAt(0) ?? 0;
    const isMark = COMBINING.test(char);
    marks = isMark ? marks + 1 : 0;
    const lone = cp >= 0xd800 && cp <= 0xdfff;
    const visible = !lone && !invisible(cp) && (cp === 0x20 || hasGlyph(cp)) && !(isMark && marks > MAX_MARKS);
    const piece = visible ? char : escapeCodePoint(cp);
    if (out.length + piece.length > max) {
      const left = [...value].length - index;
      return `${out}… (+${left})`;
    }
    out += piece;
    index += 1;
  }
  return out;
}

/** Every character printable ASCII (space included) with a glyph: safeText returns such a value as it is. */
function plainAscii(value: string, hasGlyph: GlyphCheck): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || (c !== 0x20 && !hasGlyph(c))) return false;
  }
  return true;
}

/**
 * The longest start of `text` (cut at a character, never inside a surrogate pair) that with an
 * ellipsis fits `width` as measured by `measure`: for one-line table cells (the annex's paths).
 */
export function fitOneLine(text: string, width: number, measure: (s: string) => number): string {
  if (measure(text) <= width) return text;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(`${chars.slice(0, mid).join('')}…`) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('')}…`;
}
