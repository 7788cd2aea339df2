/**
 * The one rule for untrusted text at an operator's sink (shared/display-text.ts), over seeded
 * strings from every character class (test/helpers/hostile-text.ts): terminal-escape-injection
 * (nothing that moves the cursor, retitles the window or breaks the line survives), bidi-spoofed
 * and zero-width names (shown, not hidden), and --json kept exact.
 */
import { describe, expect, it } from 'vitest';
import { displayText, escapeCodePoint, fileNameText, hasUnsafeText, isUnsafeCodePoint, jsonText, lineText } from '../../../shared/display-text.js';
import { HOSTILE_ATOMS, hostileText, UNSAFE_IN_VALUE, UNSAFE_ON_TERMINAL } from '../../helpers/hostile-text.js';

const SEEDS = Array.from({ length: 2000 }, (_, i) => 9100 + i);

describe('displayText: terminal-escape-injection and bidi-spoofed names', () => {
  it('leaves no unsafe character (LF included) in 2,000 seeded hostile strings, and applying it again changes nothing', () => {
    for (const seed of SEEDS) {
      const text = hostileText(seed);
      const shown = displayText(text);
      expect(UNSAFE_IN_VALUE.test(shown), `seed ${seed}: ${JSON.stringify(shown)}`).toBe(false);
      expect(displayText(shown), `seed ${seed}`).toBe(shown);
    }
  });

  it('shows every atom of the hostile classes as a visible escape, and keeps honest text as it is', () => {
    for (const cls of ['c0', 'c1', 'bidi', 'invisible', 'separators'] as const) {
      for (const atom of HOSTILE_ATOMS[cls] ?? []) {
        const first = [...atom][0] ?? '';
        expect(displayText(`a${first}b`), `${cls} U+${(first.codePointAt(0) ?? 0).toString(16)}`).toMatch(/^a\\(u[0-9a-f]{4}|u\{[0-9a-f]+\}|n|r|t)b$/u);
      }
    }
    for (const honest of HOSTILE_ATOMS.text ?? []) expect(displayText(honest)).toBe(honest);
    expect(displayText('a\\b "c" ]')).toBe('a\\b "c" ]');
  });

  it('two names that differ only by an invisible character are shown differently', () => {
    const names = ['invoice.pdf', 'invoice\u200b.pdf', 'invoice\u2060.pdf', '\ufeffinvoice.pdf', 'invoice\u{e0041}.pdf', 'in\u00advoice.pdf'];
    expect(new Set(names.map(displayText)).size).toBe(names.length);
    expect(displayText('invoice\u{e0041}.pdf')).toBe('invoice\\u{e0041}.pdf');
  });

  it('a right-to-left override cannot turn "gpj.exe" into a picture: the override is shown, the order kept', () => {
    expect(displayText('photo\u202egpj.exe')).toBe('photo\\u202egpj.exe');
    expect(displayText('\u2067sha256:abc\u2069')).toBe('\\u2067sha256:abc\\u2069');
  });

  it('a lone surrogate is escaped; a pair (emoji) is not', () => {
    expect(displayText('a\ud800b')).toBe('a\\ud800b');
    expect(displayText('\u{1f600}')).toBe('\u{1f600}');
  });

  it('agrees with isUnsafeCodePoint and hasUnsafeText on every BMP code point and the tag block', () => {
    for (let cp = 0; cp <= 0xffff; cp += 1) {
      const char = String.fromCharCode(cp);
      const unsafe = UNSAFE_IN_VALUE.test(char);
      expect(isUnsafeCodePoint(cp), `U+${cp.toString(16)}`).toBe(unsafe);
      expect(hasUnsafeText(char), `U+${cp.toString(16)}`).toBe(unsafe);
      if (unsafe) expect(displayText(char)).not.toBe(char);
    }
    expect(isUnsafeCodePoint(0xe0020)).toBe(true);
    expect(isUnsafeCodePoint(0x1f600)).toBe(false);
    expect(escapeCodePoint(0xe0020)).toBe('\\u{e0020}');
  });
});

describe('lineText and jsonText: the last guard of a line sink, exact on JSON', () => {
  it('jsonText of 2,000 seeded hostile values parses back to the same value and holds no unsafe character nor a line break', () => {
    for (const seed of SEEDS) {
      const value = { name: hostileText(seed), list: [hostileText(seed + 1), 7], nested: { [hostileText(seed + 2, 3)]: null } };
      const text = jsonText(value);
      expect(UNSAFE_IN_VALUE.test(text), `seed ${seed}: ${text}`).toBe(false);
      expect(JSON.parse(text), `seed ${seed}`).toEqual(value);
    }
  });

  it('lineText keeps LF and tab (the lines of a report) and escapes what a terminal would act on', () => {
    for (const seed of SEEDS.slice(0, 500)) {
      const text = hostileText(seed);
      const out = lineText(text);
      expect(UNSAFE_ON_TERMINAL.test(out), `seed ${seed}: ${JSON.stringify(out)}`).toBe(false);
      expect(out.split('\n').length).toBe(text.split('\n').length);
    }
    expect(lineText('a\tb\nc\u001b[2Jd\u009b')).toBe('a\tb\nc\\u001b[2Jd\\u009b');
    expect(lineText('tag\u{e0041}')).toBe('tag\\udb40\\udc41');
  });
});

describe('fileNameText: names the station makes from untrusted text', () => {
  it('replaces every unsafe character by _ in 500 seeded strings and keeps honest names', () => {
    for (let seed = 9700; seed < 9700 + 500; seed += 1) expect(UNSAFE_IN_VALUE.test(fileNameText(hostileText(seed))), `seed ${seed}`).toBe(false);
    expect(fileNameText('held\u202egpj')).toBe('held_gpj');
    expect(fileNameText('Übersicht 文件 \u{1f600}')).toBe('Übersicht 文件 \u{1f600}');
  });
});
