import { describe, expect, it } from 'vitest';
import {
  decodeManifestPath,
  encodeManifest,
  encodeManifestPath,
  formatManifest,
  ManifestLineCounter,
  manifestSlices,
  parseManifest,
  parseManifestLine,
  sliceLines,
} from '../../../../electron/core/bundle/manifest.js';

const H = 'ab'.repeat(32);

describe('manifest path encoding (RFC 8493 §2.1.3)', () => {
  it('encodes only CR, LF and %', () => {
    expect(encodeManifestPath('data/f%0A1.txt')).toBe('data/f%250A1.txt');
    expect(encodeManifestPath('data/a\nb\rc.txt')).toBe('data/a%0Ab%0Dc.txt');
    expect(encodeManifestPath('data/spaces and ünïcödé #?.txt')).toBe('data/spaces and ünïcödé #?.txt');
  });
  it('decodes what it encodes, case-insensitively, and leaves other % sequences alone', () => {
    for (const name of ['data/f%0A1.txt', 'data/%%%', 'data/a\nb', 'data/\r\n%25', 'data/100%.txt']) {
      expect(decodeManifestPath(encodeManifestPath(name))).toBe(name);
    }
    expect(decodeManifestPath('data/a%0ab')).toBe('data/a\nb');
    expect(decodeManifestPath('data/%41')).toBe('data/%41');
  });
});

describe('encodeManifest', () => {
  const pieces = ['a', 'ü', '%', '\n', '\r', ' ', '日本', '😀', 'data/', 'x'.repeat(300)];
  const randomPath = (): string => {
    let path = 'data/';
    const n = 1 + Math.floor(Math.random() * 8);
    for (let i = 0; i < n; i += 1) path += pieces[Math.floor(Math.random() * pieces.length)] as string;
    return path;
  };
  const randomDigest = (): string => Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');

  it('writes the bytes of formatManifest, read from a one-pass iterable, across chunk boundaries', () => {
    // Empty, a few, and enough lines (some 300+ characters) to pass the 1 Mi-character chunk several times.
    for (const count of [0, 1, 7, 20_000]) {
      const entries = Array.from({ length: count }, () => ({ path: randomPath(), sha256: randomDigest() }));
      function* once(): Generator<{ path: string; sha256: string }> {
        yield* entries;
      }
      const encoded = encodeManifest(once());
      expect(encoded.equals(Buffer.from(formatManifest(entries), 'utf8'))).toBe(true);
      expect(parseManifest(encoded.toString('utf8'))).toEqual({ ok: true, entries });
    }
  });
});

describe('parseManifest', () => {
  it('reads what formatManifest writes', () => {
    const entries = [
      { path: 'data/a b.txt', sha256: H },
      { path: 'data/x\ny', sha256: 'cd'.repeat(32) },
    ];
    expect(parseManifest(formatManifest(entries))).toEqual({ ok: true, entries });
  });
  it('accepts CRLF and CR line endings, tabs, a missing final newline and sha256sum binary markers', () => {
    const result = parseManifest(`${H}\tdata/a\r\n${H.toUpperCase()} *data/b\r${H}  data/c`);
    expect(result).toEqual({
      ok: true,
      entries: [
        { path: 'data/a', sha256: H },
        { path: 'data/b', sha256: H },
        { path: 'data/c', sha256: H },
      ],
    });
  });
  it.each([
    ['short hash', `${'a'.repeat(63)}  data/a\n`],
    ['no path', `${H}\n`],
    ['no separator', `${H}data/a\n`],
    ['blank line', `${H}  data/a\n\n${H}  data/b\n`],
  ])('rejects %s with the line number', (_label, text) => {
    const result = parseManifest(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.line).toBeGreaterThan(0);
  });
});

describe('manifest lines from byte slices, and counted as they stream', () => {
  const texts = ['', 'a', 'a\n', 'a\nb', 'a\r\nb\r\n', 'a\rb\r', 'a\n\nb\n', 'a\r\n\r\nb', '\n', '\r\n', '\r\r\n', 'ü\r\n€\n'];
  it.each(texts.map((t) => [JSON.stringify(t), t]))('%s: the lines parseManifest splits, counted the same whatever the chunking', (_label, text) => {
    const expected = text.split(/\r\n|\r|\n/u);
    if (expected.at(-1) === '') expected.pop();
    const bytes = Buffer.from(text);
    for (const sliceBytes of [1, 2, 3, 1 << 20]) {
      const slices = [...manifestSlices(bytes, sliceBytes)];
      expect(Buffer.concat(slices)).toEqual(bytes);
      expect(slices.flatMap((slice) => sliceLines(Buffer.from(slice).toString('utf8')))).toEqual(expected);
    }
    for (let size = 1; size <= Math.max(1, bytes.length); size += 1) {
      const counter = new ManifestLineCounter();
      for (let at = 0; at < bytes.length; at += size) counter.add(bytes.subarray(at, at + size));
      expect(counter.lines).toBe(expected.length);
    }
  });
});

describe('parseManifestLine against the line pattern it replaces', () => {
  // The expression the hand parser replaced (for speed), kept here as the reference it must match exactly.
  const LINE = /^([0-9a-fA-F]{64})[ \t]+(.+)$/u;
  function reference(line: string): { sha256: string; path: string } | null {
    const match = LINE.exec(line);
    if (!match) return null;
    let encoded = match[2] ?? '';
    if (encoded.startsWith('*')) encoded = encoded.slice(1);
    return { sha256: (match[1] ?? '').toLowerCase(), path: decodeManifestPath(encoded) };
  }
  const hex = 'aB3' + '0123456789abcdefABCDEF'.repeat(3).slice(0, 61);
  const tails = [
    '',
    ' ',
    '  ',
    '\t',
    ' \t ',
    'a',
    ' a',
    '  data/x',
    '\tdata/x',
    '  *data/x',
    ' *',
    '  %0A%25x',
    '  a\u2028b',
    '  a\u2029',
    '  a\nb',
    '  a\rb',
    '  \ud800',
    '  x  ',
    '   ',
  ];
  const lines = [
    ...tails.map((tail) => hex + tail),
    ...tails.map((tail) => hex.slice(1) + tail),
    ...tails.map((tail) => `${hex}0${tail}`),
    ...tails.map((tail) => `${hex.slice(0, 63)}g${tail}`),
    '',
    ' '.repeat(70),
    `${'f'.repeat(64)}  data/ünï`,
  ];
  it.each(lines.map((line) => [JSON.stringify(line), line]))('%s', (_name, line) => {
    expect(parseManifestLine(line)).toEqual(reference(line));
  });
  it('matches it on random lines of the characters that matter', () => {
    const alphabet = ['a', 'F', '0', '9', 'g', ' ', '\t', '*', '%', '0A', '\u2028', '\n', '/', 'ü'];
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 3000; i += 1) {
      let tail = '';
      for (let k = next(6); k > 0; k -= 1) tail += alphabet[next(alphabet.length)];
      const line = (next(4) === 0 ? hex.slice(0, 60 + next(6)) : hex) + tail;
      expect(parseManifestLine(line)).toEqual(reference(line));
    }
  });
});
