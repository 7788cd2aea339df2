import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EntryRegistry } from '../../../../electron/core/bundle/entry-registry.js';
import {
  checkStructuralPath,
  collisionKey,
  hasBidiCharacters,
  hasControlCharacters,
  parentPaths,
  portabilityFindings,
  windowsIncompatibility,
  type PortabilityRules,
} from '../../../../electron/core/bundle/path-rules.js';
import { seededRandom } from '../../../helpers/seeded-random.js';

describe('checkStructuralPath', () => {
  it.each(['data/a.txt', 'data/ünï/cödé.txt', 'data/a b/c%d', 'data/x\ny', 'bagit.txt'])('accepts %j', (path) => {
    expect(checkStructuralPath(path)).toEqual({ ok: true });
  });
  it.each([
    ['', 'empty'],
    ['/etc/passwd', 'absolute'],
    ['C:/x', 'drive'],
    ['c:x', 'drive'],
    ['data/../x', '".."'],
    ['data/./x', '"."'],
    ['data//x', 'empty path component'],
    ['data/x/', 'empty path component'],
    ['data\\x', 'backslash'],
    ['data/a\0b', 'NUL'],
  ])('rejects %j (%s)', (path, reason) => {
    const verdict = checkStructuralPath(path);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(verdict.kind).toBe('unsafe');
      expect(verdict.reason).toContain(reason);
    }
  });
  it('enforces component, path and depth limits as limit breaches', () => {
    const limits = { maxPathBytes: 20, maxComponentBytes: 5, maxDepth: 3 };
    expect(checkStructuralPath('data/abcdef', limits)).toMatchObject({ ok: false, kind: 'limit' });
    expect(checkStructuralPath('a/b/c/d', limits)).toMatchObject({ ok: false, kind: 'limit' });
    expect(checkStructuralPath('aaaaa/bbbbb/ccccc/d', { ...limits, maxDepth: 10 })).toMatchObject({ ok: true });
    expect(checkStructuralPath('aaaaa/bbbbb/ccccc/dd/e', { ...limits, maxDepth: 10 })).toMatchObject({ ok: false, kind: 'limit' });
    // Bytes, not characters: five two-byte letters are ten bytes.
    expect(checkStructuralPath('data/ééééé', limits)).toMatchObject({ ok: false, kind: 'limit' });
  });
});

describe('portability', () => {
  it('flags control and bidi characters', () => {
    expect(portabilityFindings('data/a\nb')).toEqual(['name holds control characters']);
    expect(portabilityFindings('data/invoice\u202Etxt.exe')).toEqual(['name holds bidirectional-text control characters']);
    expect(portabilityFindings('data/a\u0085b')).toEqual(['name holds control characters']);
  });
  it.each(['data/CON', 'data/con.txt', 'data/LPT1.log', 'data/COM¹', 'data/a:b', 'data/what?', 'data/trailing.', 'data/trailing ', 'data/a|b'])(
    'flags %j as impossible on Windows',
    (path) => {
      expect(windowsIncompatibility(path)).not.toBeNull();
    },
  );
  it.each(['data/console.txt', 'data/CONTENT', 'data/a.b.c', 'data/ünïcödé'])('accepts %j on Windows', (path) => {
    expect(windowsIncompatibility(path)).toBeNull();
  });
  it('each rule can be relaxed by policy', () => {
    expect(portabilityFindings('data/a\n:', { allowControlCharacters: true, allowBidiCharacters: false, allowWindowsIncompatibleNames: true })).toEqual([]);
  });
});

describe('collisions', () => {
  it('folds NFC/NFD and case', () => {
    expect(collisionKey('data/Cafe\u0301.TXT')).toBe(collisionKey('data/café.txt'));
    expect(collisionKey('data/STRASSE')).toBe(collisionKey('data/straße'));
  });
  it('folds ASCII names by lower-casing alone, as the full fold would', () => {
    const fullFold = (path: string): string => path.normalize('NFC').toLowerCase().toUpperCase().toLowerCase().normalize('NFC');
    for (let code = 0; code < 128; code += 1) {
      const name = `data/A${String.fromCharCode(code)}z.TXT`;
      expect(collisionKey(name)).toBe(fullFold(name));
    }
    // Past ASCII the full fold applies (K is KELVIN SIGN, which folds to k).
    expect(collisionKey('data/\u212a.txt')).toBe('data/k.txt');
  });
  it('folds fully: every pair of Unicode CaseFolding.txt (C and F) shares a key, alone and inside a path', () => {
    const text = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/unicode/case-folding-full.txt'), 'utf8');
    const lines = text.split('\n').filter((line) => /^[0-9A-F]+; [CF];/u.test(line));
    expect(lines.length).toBeGreaterThan(1500);
    const misses: string[] = [];
    for (const line of lines) {
      const [code, , mapping] = line.split(';').map((field) => field.trim());
      const from = String.fromCodePoint(Number.parseInt(code ?? '', 16));
      const to = (mapping ?? '')
        .split(' ')
        .map((hex) => String.fromCodePoint(Number.parseInt(hex, 16)))
        .join('');
      if (collisionKey(from) !== collisionKey(to)) misses.push(line);
      if (collisionKey(`data/x${from}y.txt`) !== collisionKey(`data/x${to}y.txt`)) misses.push(`in a path: ${line}`);
    }
    expect(misses).toEqual([]);
  });
  it.each([
    ['capital sharp s and ss', 'data/\u1E9E.txt', 'data/ss.txt'],
    ['capital sharp s and sharp s', 'data/\u1E9E.txt', 'data/\u00DF.txt'],
    ['fi ligature and fi', 'data/\uFB01le', 'data/FILE'],
    ['final and medial sigma', 'data/\u03BF\u03B4\u03BF\u03C2', 'data/\u039F\u0394\u039F\u03A3'],
    ['Kelvin sign and k', 'data/\u212A', 'data/k'],
    ['Angstrom sign and a-ring (NFD)', 'data/\u212B', 'data/a\u030A'],
    ['j-caron precomposed and decomposed, upper', 'data/\u01F0', 'data/J\u030C'],
    ['Hangul syllable and its jamo', 'data/\uAC00', 'data/\u1100\u1161'],
    ['dotted capital I and i + combining dot', 'data/\u0130', 'data/i\u0307'],
  ])('collides: %s', (_label, a, b) => {
    expect(collisionKey(a)).toBe(collisionKey(b));
  });
  it('keeps names apart that no file system folds together', () => {
    expect(collisionKey('data/a.txt')).not.toBe(collisionKey('data/b.txt'));
    expect(collisionKey('data/\uFF21')).not.toBe(collisionKey('data/a'));
  });
  it('lists parents', () => {
    expect(parentPaths('a/b/c')).toEqual(['a', 'a/b']);
    expect(parentPaths('a')).toEqual([]);
  });
  it('EntryRegistry keeps a folder name with a lone surrogate exactly: a file of that name still clashes with it', () => {
    // The registry keeps its own copy of folder names; UTF-8 would turn the surrogate into U+FFFD.
    for (const [first, second] of [
      ['data/a\ud800/x', 'data/a\ud800'],
      ['data/b\udc00/c/y', 'data/b\udc00/c'],
    ]) {
      const registry = new EntryRegistry();
      expect(registry.addFile(first as string).ok).toBe(true);
      expect(registry.addFile(second as string)).toMatchObject({ ok: false, clash: second });
      expect(registry.addFile((second as string).replace(/\p{Cs}/u, '\ufffd')).ok).toBe(true);
    }
  });

  it('EntryRegistry catches duplicates, case and normalisation twins, and file/directory clashes', () => {
    const registry = new EntryRegistry();
    expect(registry.addFile('data/a/b.txt').ok).toBe(true);
    expect(registry.addFile('data/a/b.txt').ok).toBe(false);
    expect(registry.addFile('data/A/B.TXT').ok).toBe(false);
    expect(registry.addFile('data/a').ok).toBe(false);
    expect(registry.addDirectory('data/a/b.txt').ok).toBe(false);
    expect(registry.addDirectory('data/a').ok).toBe(true);
    expect(registry.addFile('data/a/b.txt/c').ok).toBe(false);
    expect(registry.addFile('data/a/c.txt').ok).toBe(true);
  });
});

describe('checkStructuralPath against the split-based check it replaces', () => {
  // The earlier implementation (a split and a byte count per component), kept as the reference the faster one must equal.
  function reference(path: string, limits: { maxPathBytes: number; maxComponentBytes: number; maxDepth: number }): unknown {
    if (path.length === 0) return { ok: false, kind: 'unsafe', reason: 'empty path' };
    if (path.includes('\0')) return { ok: false, kind: 'unsafe', reason: 'NUL character in path' };
    if (path.startsWith('/')) return { ok: false, kind: 'unsafe', reason: 'absolute path' };
    if (/^[A-Za-z]:/.test(path)) return { ok: false, kind: 'unsafe', reason: 'drive-letter path' };
    if (path.includes('\\')) return { ok: false, kind: 'unsafe', reason: 'backslash in path (a Windows separator)' };
    const components = path.split('/');
    for (const component of components) {
      if (component === '') return { ok: false, kind: 'unsafe', reason: 'empty path component' };
      if (component === '.' || component === '..') return { ok: false, kind: 'unsafe', reason: `"${component}" path component` };
      if (Buffer.byteLength(component, 'utf8') > limits.maxComponentBytes)
        return { ok: false, kind: 'limit', reason: `a path component is longer than ${limits.maxComponentBytes} bytes` };
    }
    if (components.length > limits.maxDepth) return { ok: false, kind: 'limit', reason: `path is deeper than ${limits.maxDepth} levels` };
    if (Buffer.byteLength(path, 'utf8') > limits.maxPathBytes) return { ok: false, kind: 'limit', reason: `path is longer than ${limits.maxPathBytes} bytes` };
    return { ok: true };
  }
  it('gives the same verdict on random paths of the characters and lengths that matter', () => {
    const alphabet = ['a', 'Z', '.', '..', '/', '//', ':', '\\', '\0', 'ü', '😀', '\ud800', 'abcdefgh'];
    const limitsList = [
      { maxPathBytes: 4096, maxComponentBytes: 255, maxDepth: 64 },
      { maxPathBytes: 24, maxComponentBytes: 7, maxDepth: 3 },
      { maxPathBytes: 10, maxComponentBytes: 4, maxDepth: 2 },
    ];
    let seed = 11;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 6000; i += 1) {
      let path = '';
      for (let k = next(9); k > 0; k -= 1) path += alphabet[next(alphabet.length)];
      const limits = limitsList[next(limitsList.length)] as (typeof limitsList)[number];
      expect(checkStructuralPath(path, limits)).toEqual(reference(path, limits));
    }
  });
});

describe('portabilityFindings first look', () => {
  // Pieces near every rule's edge: reserved names with and without extensions, case and superscripts,
  // trailing dots and spaces, forbidden characters, control, bidi and line-terminator characters.
  const PIECES = [
    'a', 'con', 'CoN', 'nul', 'aux', 'prn', 'com1', 'COM¹', 'lpt3', 'lpt', 'com', 'conx', '.', ' ', '..', '.txt', 'x', '/', '/', '/',
    '<', '>', ':', '"', '|', '?', '*', '\t', '\n', '\r', '\u0085', '\u007f', '\u009f', '\u00a0', '\u202e', '\u2066', '\u061c',
    '\u200e', '\u2028', '\u2029', 'ſ', 'K', 'é', '😀',
  ]; // prettier-ignore
  const RULES: PortabilityRules[] = [false, true].flatMap((c) =>
    [false, true].flatMap((b) => [false, true].map((w) => ({ allowControlCharacters: c, allowBidiCharacters: b, allowWindowsIncompatibleNames: w }))),
  );

  /** The rules one by one, with no first look. */
  function reference(path: string, rules: PortabilityRules): string[] {
    const findings: string[] = [];
    if (!rules.allowControlCharacters && hasControlCharacters(path)) findings.push('name holds control characters');
    if (!rules.allowBidiCharacters && hasBidiCharacters(path)) findings.push('name holds bidirectional-text control characters');
    const windows = rules.allowWindowsIncompatibleNames ? null : windowsIncompatibility(path);
    if (windows !== null) findings.push(windows);
    return findings;
  }

  it('finds what the rules one by one find, on random names near every rule, under every rule set', () => {
    const next = seededRandom(11);
    let found = 0;
    for (let i = 0; i < 20000; i += 1) {
      let path = 'data/';
      const pieces = 1 + Math.floor(next() * 5);
      for (let j = 0; j < pieces; j += 1) path += PIECES[Math.floor(next() * PIECES.length)] as string;
      const rules = RULES[i % RULES.length] as PortabilityRules;
      const expected = reference(path, rules);
      if (expected.length > 0) found += 1;
      expect(portabilityFindings(path, rules), JSON.stringify(path)).toEqual(expected);
    }
    // Both answers are common, or the comparison proves little.
    expect(found).toBeGreaterThan(2000);
    expect(found).toBeLessThan(18000);
  });
});

describe('the name rules’ quick first look (a hidden unsafe name, differential)', () => {
  it('finds a name unsafe exactly when one of the full rules does, over 100,000 seeded names made of the characters the rules care about', () => {
    const random = seededRandom(18);
    const alphabet = [
      'a',
      'C',
      'o',
      'n',
      'N',
      'u',
      'l',
      'L',
      'P',
      't',
      '1',
      '¹',
      '.',
      ' ',
      '/',
      ':',
      '?',
      '\u0000',
      '\u001f',
      '\u007f',
      '\u009f',
      '\u202e',
      '\u061c',
      'é',
      '\u2028',
      'x',
    ];
    for (let n = 0; n < 100_000; n += 1) {
      let name = '';
      const length = 1 + Math.floor(random() * 8);
      for (let i = 0; i < length; i += 1) name += alphabet[Math.floor(random() * alphabet.length)];
      const unsafe = hasControlCharacters(name) || hasBidiCharacters(name) || windowsIncompatibility(name) !== null;
      expect(portabilityFindings(name).length > 0, JSON.stringify(name)).toBe(unsafe);
    }
  });
});
