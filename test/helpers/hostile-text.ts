/**
 * Seeded hostile text for the operator's sinks (terminal, --json, SIEM lines, receipts): strings
 * built from atoms of every character class an untrusted name or value can carry, and the list of
 * what no sink may pass on raw, written out here rather than taken from shared/display-text.ts, so
 * a test checks the rule against an independent statement of it.
 */
import { seededRandom } from './seeded-random.js';

/** What no terminal or line sink may receive raw: C0 but LF and tab (a report's own layout), DEL, C1, bidi, zero-width, separators, fillers, BOM, tags, lone surrogates. */
// Control characters and variation selectors in the class are the point: this is the list of them.
/* eslint-disable no-control-regex, no-misleading-character-class */
export const UNSAFE_ON_TERMINAL =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}\ud800-\udfff]/u;
/* eslint-enable no-control-regex, no-misleading-character-class */

/** The same, LF and tab included: for one value shown on one line. */
export const UNSAFE_IN_VALUE = new RegExp(UNSAFE_ON_TERMINAL.source.replace('\\u0000-\\u0008\\u000b-\\u001f', '\\u0000-\\u001f'), 'u');

/** Atoms by class; a generated string is a seeded sequence of them. */
export const HOSTILE_ATOMS: Readonly<Record<string, readonly string[]>> = {
  ascii: ['a', 'Z', '7', ' ', '.', '/', '-', '"', ']', '\\', '%', '=', 'OK verified'],
  text: ['é', 'e\u0301', '文件', '\u{1f600}', 'ß', 'א', 'ب', 'Ω'],
  c0: ['\u0000', '\u0007', '\u0008', '\t', '\n', '\r', '\u000b', '\u000c', '\u001b', '\u001f'],
  escapes: ['\u001b[2J', '\u001b[1A\u001b[2K', '\u001b]0;pwned\u0007', '\u001b]8;;http://x/\u001b\\', '\u001bP1$r\u001b\\', '\r\nOK verified\n'],
  c1: ['\u007f', '\u0085', '\u009b31m', '\u009d0;title\u009c', '\u0090'],
  bidi: ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'],
  invisible: ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u180e', '\u3164', '\ufe0f', '\u{e0041}', '\u{e007f}', '\ufff9'],
  separators: ['\u2028', '\u2029'],
  surrogates: ['\ud800', '\udfff', '\udc00x'],
};

const CLASSES = Object.keys(HOSTILE_ATOMS);

/** One hostile string from `seed`: 1 to `maxAtoms` atoms, from every class over many seeds. */
export function hostileText(seed: number, maxAtoms = 12): string {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const count = 1 + Math.floor(random() * maxAtoms);
  let out = '';
  for (let i = 0; i < count; i += 1) out += pick(HOSTILE_ATOMS[pick(CLASSES)] ?? []);
  return out;
}
