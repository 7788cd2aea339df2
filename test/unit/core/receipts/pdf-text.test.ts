/**
 * Hostile names on the PDF receipt (issue #19.2): what is printed must be unambiguous and bounded,
 * like the HTML receipt. Bidi overrides and isolates, controls, zero-width characters, lone
 * surrogates, Zalgo piles and characters the font lacks (CJK in DejaVu) become visible escapes;
 * 10 KB names are cut with an ellipsis that says how much was left out.
 */
import { describe, expect, it } from 'vitest';
import { escapeCodePoint, fitOneLine, safeText } from '../../../../electron/core/receipts/pdf-text.js';

/** A font that has Latin, Latin-1 and combining accents, not CJK (like DejaVu Sans). */
const latinOnly = (cp: number): boolean => cp < 0x2000 || (cp >= 0x2000 && cp < 0x3000);

describe('safeText', () => {
  it('leaves ordinary names alone (umlauts, accents, spaces)', () => {
    expect(safeText('Prüfbericht für Müller – Straße/é.txt', latinOnly)).toBe('Prüfbericht für Müller – Straße/é.txt');
  });

  it.each([
    ['RIGHT-TO-LEFT OVERRIDE', 'invoice\u202Efdp.exe', 'invoice\\u202efdp.exe'],
    ['LEFT-TO-RIGHT EMBEDDING', 'a\u202Ab', 'a\\u202ab'],
    ['FIRST STRONG ISOLATE', 'a\u2068b\u2069', 'a\\u2068b\\u2069'],
    ['RIGHT-TO-LEFT MARK', 'a\u200Fb', 'a\\u200fb'],
    ['ARABIC LETTER MARK', 'a\u061Cb', 'a\\u061cb'],
    ['ZERO WIDTH SPACE', 'pass\u200Bword', 'pass\\u200bword'],
    ['ZERO WIDTH NO-BREAK SPACE (BOM)', '\uFEFFname', '\\ufeffname'],
    ['newline', 'line1\nline2', 'line1\\u000aline2'],
    ['carriage return', 'a\rb', 'a\\u000db'],
    ['tab', 'a\tb', 'a\\u0009b'],
    ['escape (ANSI)', 'a\u001B[31mb', 'a\\u001b[31mb'],
    ['DEL and C1', 'a\u007F\u0085b', 'a\\u007f\\u0085b'],
    ['LINE SEPARATOR', 'a\u2028b', 'a\\u2028b'],
    ['soft hyphen', 'a\u00ADb', 'a\\u00adb'],
    ['Hangul filler', 'a\u3164b', 'a\\u3164b'],
    ['variation selector', 'a\uFE0Fb', 'a\\ufe0fb'],
    ['tag character', 'a\u{E0041}b', 'a\\u{e0041}b'],
  ])('%s becomes a visible escape', (_what, input, expected) => {
    expect(safeText(input, latinOnly)).toBe(expected);
  });

  it('CJK the font has no glyph for is escaped, not dropped or drawn as blank boxes', () => {
    expect(safeText('报告/月度.txt', latinOnly)).toBe('\\u62a5\\u544a/\\u6708\\u5ea6.txt');
    expect(safeText('😀', latinOnly)).toBe('\\u{1f600}');
  });

  it('a lone surrogate (invalid UTF-16 from hostile JSON) is escaped', () => {
    expect(safeText('a\uD800b', () => true)).toBe('a\\ud800b');
  });

  it('keeps two combining marks on a letter, escapes the rest of a Zalgo pile', () => {
    expect(safeText('e\u0301\u0302', latinOnly)).toBe('e\u0301\u0302');
    expect(safeText('e\u0301\u0302\u0303\u0304', latinOnly)).toBe('e\u0301\u0302\\u0303\\u0304');
  });

  it('cuts a 10 KB name to the bound with an ellipsis saying how many characters were left out', () => {
    const name = `${'ä'.repeat(10_000)}.txt`;
    const out = safeText(name, latinOnly, 400);
    expect(out.startsWith('ä'.repeat(400))).toBe(true);
    expect(out).toBe(`${'ä'.repeat(400)}… (+${10_004 - 400})`);
  });

  it('never cuts inside an escape or a surrogate pair', () => {
    const out = safeText('ab\u202Ecd', latinOnly, 5);
    expect(out).toBe('ab… (+3)');
    const astral = safeText('😀😀😀', () => true, 5);
    expect(astral).toBe('😀😀… (+1)');
  });

  it('bounds the output even when every character expands to an escape', () => {
    const out = safeText('\u202E'.repeat(10_000), latinOnly, 400);
    expect(out.length).toBeLessThan(420);
    expect(out).toMatch(/^(\\u202e)+… \(\+\d+\)$/u);
  });
});

describe('escapeCodePoint', () => {
  it('writes BMP and astral code points in the HTML receipt’s style', () => {
    expect(escapeCodePoint(0x202e)).toBe('\\u202e');
    expect(escapeCodePoint(0x1f600)).toBe('\\u{1f600}');
  });
});

describe('fitOneLine', () => {
  const measure = (s: string): number => [...s].length;
  it('returns text that fits unchanged', () => {
    expect(fitOneLine('short', 10, measure)).toBe('short');
  });
  it('cuts text that does not fit to the longest start that fits with an ellipsis', () => {
    expect(fitOneLine('abcdefghijkl', 6, measure)).toBe('abcde…');
  });
  it('never splits a surrogate pair', () => {
    expect(fitOneLine('😀😀😀😀', 3, measure)).toBe('😀😀…');
  });
});
