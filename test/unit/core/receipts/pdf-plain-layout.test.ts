/**
 * The receipt's plain layout (pdf-plain-layout.ts) is fontkit's layout, not an approximation of it:
 * 1. proved from the three DejaVu fonts' own GSUB/GPOS/GDEF tables: of every lookup fontkit's
 *    default shaper applies (for the Latin script and for the default one), the only ones that can
 *    act on text of printable ASCII alone are pair kerning that moves only the first glyph's advance,
 *    and ligatures whose every three-glyph form starts with a two-glyph one (so the pair check,
 *    which sends any text holding a non-plain pair to fontkit, catches them). A font that changes
 *    this fails here, and the plain layout must be proved again for it;
 * 2. compared with fontkit's layout, glyph by glyph (the same glyph objects, ids, code points,
 *    advances, offsets, run advance), for every pair of printable ASCII characters on their own
 *    and after a letter (the two scripts fontkit picks), and for thousands of longer texts: the
 *    annex's paths, sizes (English and German) and hashes, and random ASCII;
 * 3. everything else (non-ASCII, combining marks, right-to-left, ligatures, OpenType features
 *    asked for) is laid out by fontkit itself once the plain layout is installed.
 */
import { describe, expect, it } from 'vitest';
import { localNumber } from '../../../../electron/core/receipts/catalogue.js';
import { receiptFonts } from '../../../../electron/core/receipts/pdf-fonts.js';
import { PlainLayout, usePlainLayout, type LayoutFont, type LayoutRun } from '../../../../electron/core/receipts/pdf-plain-layout.js';
import { preparseReceiptFonts, type ParsedFonts } from '../../../../electron/core/receipts/receipt-pdf.js';

const ROLES = ['regular', 'bold', 'mono'] as const;
const ASCII = Array.from({ length: 0x7f - 0x20 }, (_, i) => 0x20 + i);

/** A fresh fontkit font per role (pdfkit's own fontkit, as the receipt parses them), with fontkit's unchanged layout. */
function fontkitFonts(): Record<(typeof ROLES)[number], FontkitFont> {
  const fonts = receiptFonts();
  const parsed: ParsedFonts = new Map();
  preparseReceiptFonts(fonts, parsed);
  const get = (path: string): FontkitFont => {
    const font = parsed.get(path);
    if (font === undefined) throw new Error(`not parsed: ${path}`);
    return font as FontkitFont;
  };
  return { regular: get(fonts.regular), bold: get(fonts.bold), mono: get(fonts.mono) };
}

interface FontkitFont extends LayoutFont {
  GSUB?: OtTable;
  GPOS?: OtTable;
  GDEF?: { glyphClassDef?: ClassDef };
}

interface Coverage {
  version: number;
  glyphs?: number[];
  rangeRecords?: Array<{ start: number; end: number }>;
}
interface ClassDef {
  version: number;
  startGlyph?: number;
  classValueArray?: number[];
  classRangeRecord?: Array<{ start: number; end: number; class: number }>;
}
type SubTable = Record<string, unknown> & { version?: number };
interface Lookup {
  lookupType: number;
  subTables: Iterable<SubTable>;
}
interface OtTable {
  scriptList: Array<{ tag: string; script: { defaultLangSys: { featureIndexes: number[] } } }>;
  featureList: Array<{ tag: string; feature: { lookupListIndexes: number[] } }>;
  lookupList: { get(index: number): Lookup };
}

/** fontkit's default shaper's features (left to right): the fraction ones are local to U+2044, which ASCII has none of. */
const SHAPER_FEATURES = ['rvrn', 'ltra', 'ltrm', 'ccmp', 'locl', 'rlig', 'mark', 'mkmk', 'calt', 'clig', 'liga', 'rclt', 'curs', 'kern'];
/** How fontkit finds a script in a table: the one asked for, else the first of its defaults. */
const SCRIPT_CHOICES: Record<string, string[]> = { latn: ['latn', 'DFLT', 'dflt', 'latn'], zzzz: ['DFLT', 'dflt', 'latn'] };

function covered(coverage: Coverage | undefined, ids: ReadonlySet<number>): number[] {
  if (coverage === undefined) throw new Error('a subtable without the coverage this proof reads');
  if (coverage.version === 1) return (coverage.glyphs ?? []).filter((g) => ids.has(g));
  return [...ids].filter((g) => (coverage.rangeRecords ?? []).some((r) => g >= r.start && g <= r.end));
}

function classOf(classDef: ClassDef, glyph: number): number {
  if (classDef.version === 1) {
    const i = glyph - (classDef.startGlyph ?? 0);
    return i >= 0 && i < (classDef.classValueArray ?? []).length ? (classDef.classValueArray?.[i] ?? 0) : 0;
  }
  return (classDef.classRangeRecord ?? []).find((r) => glyph >= r.start && glyph <= r.end)?.class ?? 0;
}

/** Whether a rule's sequence (glyphs, classes or coverages) can be all ASCII: each of its places admits some ASCII glyph. */
function sequenceCanBeAscii(places: Array<(glyph: number) => boolean>, ascii: ReadonlySet<number>): boolean {
  return places.every((admits) => [...ascii].some((g) => admits(g)));
}

/** What a lookup can do to text of ASCII glyphs alone: nothing, pair kerning, or ligatures (checked for the pair rule). */
function actionOnAscii(table: 'GSUB' | 'GPOS', lookup: Lookup, ascii: ReadonlySet<number>): Array<'pair' | 'ligature'> {
  const actions: Array<'pair' | 'ligature'> = [];
  for (const raw of lookup.subTables) {
    let type = lookup.lookupType;
    let sub = raw;
    if ((table === 'GSUB' && type === 7) || (table === 'GPOS' && type === 9)) {
      type = raw.lookupType as number;
      sub = raw.extension as SubTable;
    }
    const kind = `${table} ${type}`;
    switch (kind) {
      case 'GSUB 1':
      case 'GSUB 2':
      case 'GSUB 3':
      case 'GPOS 1':
      case 'GPOS 3':
        // One glyph changed or moved on its own: a one-character text would miss it. None may touch ASCII.
        expect(covered(sub.coverage as Coverage, ascii), kind).toEqual([]);
        break;
      case 'GSUB 4': {
        const firsts = covered(sub.coverage as Coverage, ascii);
        if (firsts.length === 0) break;
        actions.push('ligature');
        const all = covered(sub.coverage as Coverage, new Set(Array.from({ length: 0x10000 }, (_, i) => i)));
        const sets = (sub.ligatureSets as { toArray(): Array<Array<{ components: number[] }>> }).toArray();
        for (const first of firsts) {
          const set = sets[all.indexOf(first)] ?? [];
          for (const ligature of set) {
            if (ligature.components.length < 2 || !ligature.components.every((g) => ascii.has(g))) continue;
            // Three glyphs or more: its first two must be a ligature too, so the pair check sees it.
            const prefix = ligature.components[0];
            expect(
              set.some((l) => l.components.length === 1 && l.components[0] === prefix),
              `ligature ${first}+${ligature.components.join('+')} has no two-glyph start`,
            ).toBe(true);
          }
        }
        break;
      }
      case 'GPOS 2': {
        if (covered(sub.coverage as Coverage, ascii).length === 0) break;
        // Only the first glyph's advance: what the pair check reads. Anything on the second glyph would not be plain.
        const format1 = sub.valueFormat1 as Record<string, boolean>;
        const format2 = sub.valueFormat2 as Record<string, boolean>;
        expect(
          Object.entries(format1).filter(([key, on]) => on && key !== 'xAdvance'),
          'value 1 beyond xAdvance',
        ).toEqual([]);
        expect(
          Object.entries(format2).filter(([, on]) => on),
          'value 2',
        ).toEqual([]);
        actions.push('pair');
        break;
      }
      case 'GPOS 4':
      case 'GPOS 5':
        expect(covered(sub.markCoverage as Coverage, ascii), `${kind} marks`).toEqual([]);
        break;
      case 'GPOS 6':
        expect(covered(sub.mark1Coverage as Coverage, ascii), `${kind} marks`).toEqual([]);
        break;
      case 'GSUB 5':
      case 'GPOS 7':
      case 'GSUB 6':
      case 'GPOS 8':
        expect(contextCanMatchAscii(sub, type === 6 || type === 8, ascii), `${kind} matches ASCII`).toBe(false);
        break;
      default:
        throw new Error(`${kind}: a lookup type this proof does not cover; prove the plain layout for it`);
    }
  }
  return actions;
}

/** Whether any rule of a (chaining) context subtable can match a text of ASCII glyphs alone. */
function contextCanMatchAscii(sub: SubTable, chaining: boolean, ascii: ReadonlySet<number>): boolean {
  const inSet = (glyphs: number[]) => glyphs.map((id) => (g: number) => g === id);
  const inClass = (classDef: ClassDef, classes: number[]) => classes.map((c) => (g: number) => classOf(classDef, g) === c);
  const inCoverage = (coverages: Coverage[]) => coverages.map((c) => (g: number) => covered(c, new Set([g])).length > 0);
  if (sub.version === 3) {
    const places = chaining
      ? [...inCoverage(sub.backtrackCoverage as Coverage[]), ...inCoverage(sub.inputCoverage as Coverage[]), ...inCoverage(sub.lookaheadCoverage as Coverage[])]
      : inCoverage(sub.coverages as Coverage[]);
    return sequenceCanBeAscii(places, ascii);
  }
  const firsts = covered(sub.coverage as Coverage, ascii);
  if (firsts.length === 0) return false;
  if (sub.version === 1) {
    const all = covered(sub.coverage as Coverage, new Set(Array.from({ length: 0x10000 }, (_, i) => i)));
    const sets = (chaining ? sub.chainRuleSets : sub.ruleSets) as Array<Array<{ input: number[]; backtrack?: number[]; lookahead?: number[] }> | null>;
    return firsts.some((first) =>
      (sets[all.indexOf(first)] ?? []).some((rule) =>
        sequenceCanBeAscii([...inSet(rule.backtrack ?? []), ...inSet(rule.input), ...inSet(rule.lookahead ?? [])], ascii),
      ),
    );
  }
  if (sub.version === 2) {
    const inputDef = (chaining ? sub.inputClassDef : sub.classDef) as ClassDef;
    const sets = (chaining ? sub.chainClassSet : sub.classSet) as Array<Array<{
      input?: number[];
      classes?: number[];
      backtrack?: number[];
      lookahead?: number[];
    }> | null>;
    return firsts.some((first) =>
      (sets[classOf(inputDef, first)] ?? []).some((rule) =>
        sequenceCanBeAscii(
          chaining
            ? [
                ...inClass(sub.backtrackClassDef as ClassDef, rule.backtrack ?? []),
                ...inClass(inputDef, rule.input ?? []),
                ...inClass(sub.lookaheadClassDef as ClassDef, rule.lookahead ?? []),
              ]
            : inClass(inputDef, rule.classes ?? []),
          ascii,
        ),
      ),
    );
  }
  throw new Error(`context subtable format ${String(sub.version)}: not covered by this proof`);
}

/**
 * How `actual` differs from fontkit's `expected` run, or null. By default the glyphs must be the
 * very objects of fontkit's glyph cache (ids, code points for the PDF's ToUnicode, metrics all
 * follow); `sameFont` false (two parses of one font) compares their ids and code points instead.
 */
function difference(actual: LayoutRun, expected: LayoutRun, text: string, sameFont = true): string | null {
  const where = JSON.stringify(text);
  if (actual.glyphs.length !== expected.glyphs.length) return `${where}: ${actual.glyphs.length} glyphs, fontkit ${expected.glyphs.length}`;
  for (let i = 0; i < expected.glyphs.length; i += 1) {
    const [g, h] = [actual.glyphs[i], expected.glyphs[i]];
    const same = sameFont ? g === h : g?.id === h?.id && g?.codePoints.join() === h?.codePoints.join();
    if (!same) return `${where}: glyph ${i} is ${String(g?.id)}, fontkit's ${String(h?.id)}`;
    const [a, e] = [actual.positions[i], expected.positions[i]];
    const fields = ['xAdvance', 'yAdvance', 'xOffset', 'yOffset'] as const;
    const off = fields.filter((f) => a?.[f] !== e?.[f]);
    if (off.length > 0 || Object.keys(a ?? {}).length !== 4) return `${where}: position ${i} ${JSON.stringify(a)}, fontkit's ${JSON.stringify(e)}`;
  }
  if (actual.advanceWidth !== expected.advanceWidth) return `${where}: advance ${actual.advanceWidth}, fontkit's ${expected.advanceWidth}`;
  return null;
}

/** A small deterministic generator: the same texts on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

describe('the plain layout of the receipt fonts', () => {
  const fonts = fontkitFonts();

  it.each(ROLES)('%s: in its GSUB/GPOS/GDEF, ASCII text meets only pair kerning and ligatures with two-glyph starts', (role) => {
    const font = fonts[role];
    const ascii = new Set(ASCII.map((c) => font.glyphForCodePoint(c).id));
    const glyphClass = font.GDEF?.glyphClassDef;
    // No ASCII glyph is a mark: marks are skipped by lookup flags and have their advances zeroed.
    if (glyphClass !== undefined) expect([...ascii].filter((g) => classOf(glyphClass, g) === 3)).toEqual([]);
    const seen = new Set<string>();
    for (const tableName of ['GSUB', 'GPOS'] as const) {
      const table = font[tableName];
      if (table === undefined) continue;
      for (const wanted of Object.values(SCRIPT_CHOICES)) {
        const script = wanted.map((tag) => table.scriptList.find((s) => s.tag === tag)).find((s) => s !== undefined);
        if (script === undefined) continue;
        for (const index of script.script.defaultLangSys.featureIndexes) {
          const record = table.featureList[index];
          if (record === undefined || !SHAPER_FEATURES.includes(record.tag)) continue;
          for (const lookupIndex of record.feature.lookupListIndexes) {
            for (const action of actionOnAscii(tableName, table.lookupList.get(lookupIndex), ascii)) seen.add(`${tableName} ${record.tag} ${action}`);
          }
        }
      }
    }
    // What the fonts hold today (a font that stops kerning, or gains other ligatures, is proved again here).
    expect([...seen].sort()).toEqual(role === 'mono' ? [] : ['GPOS kern pair', 'GSUB liga ligature']);
  });

  it.each(ROLES)('%s: every pair of printable ASCII characters, alone and after a letter, lays out as fontkit lays it out', (role) => {
    const font = fonts[role];
    const plain = new PlainLayout(font, font.layout.bind(font));
    const letter = (c: number): boolean => /[A-Za-z]/.test(String.fromCharCode(c));
    const differences: string[] = [];
    const fellBack: string[] = [];
    let checked = 0;
    const check = (text: string): void => {
      checked += 1;
      const run = plain.layout(text);
      if (run === null) fellBack.push(text);
      else differences.push(difference(run, font.layout(text), text) ?? '');
    };
    for (const a of ASCII) {
      check(String.fromCharCode(a));
      for (const b of ASCII) {
        check(String.fromCharCode(a, b));
        // Without a letter fontkit lays the pair out in the font's default script; after one, in the Latin script.
        if (!letter(a) && !letter(b)) check(String.fromCharCode(0x78, a, b));
      }
    }
    expect(differences.filter((d) => d !== '')).toEqual([]);
    expect(differences.length + fellBack.length).toBe(checked);
    // One character, 95 x 95 pairs, 43 x 43 pairs without a letter after a letter.
    expect(checked).toBe(95 + 95 ** 2 + 43 ** 2);
    // Only the f-ligatures are left to fontkit.
    expect(fellBack).toEqual(role === 'mono' ? [] : ['ff', 'fi', 'fl']);
    for (const text of ['fi', 'xfl', 'ff', 'staff', 'profile.txt']) expect(plain.layout(text) === null, text).toBe(role !== 'mono');
  });

  it.each(ROLES)('%s: the annex texts and random ASCII lay out as fontkit lays them out', (role) => {
    const font = fonts[role];
    const plain = new PlainLayout(font, font.layout.bind(font));
    const next = random(0x5eed + role.length);
    const pick = (chars: string): string => chars[Math.floor(next() * chars.length)] ?? '';
    const texts: string[] = [];
    for (let i = 0; i < 600; i += 1) {
      texts.push(`small/d${String(i % 100).padStart(2, '0')}/f${String(i).padStart(6, '0')}.bin`);
      texts.push(Array.from({ length: 64 }, () => pick('0123456789abcdef')).join(''));
      texts.push(localNumber('en', Math.floor(next() * 2 ** 40)), localNumber('de', Math.floor(next() * 2 ** 40)));
      const printable = ASCII.map((c) => String.fromCharCode(c)).join('');
      texts.push(Array.from({ length: 1 + Math.floor(next() * 60) }, () => pick(printable)).join(''));
      texts.push(Array.from({ length: 1 + Math.floor(next() * 20) }, () => pick('AVTWYfiltor.-,/ 0123')).join(''));
    }
    const differences: string[] = [];
    const fellBack: string[] = [];
    for (const text of texts) {
      const run = plain.layout(text);
      if (run === null) fellBack.push(text);
      else differences.push(difference(run, font.layout(text), text) ?? '');
    }
    expect(differences.filter((d) => d !== '')).toEqual([]);
    // Only a text holding an f-ligature goes to fontkit (and none in the mono font, which has no ligatures).
    expect(fellBack.filter((text) => role === 'mono' || !/f[fil]/.test(text))).toEqual([]);
    expect(differences.length).toBeGreaterThan(texts.length * 0.9);
  });

  it('once installed, the font lays out plain text here and everything else through fontkit, as before', () => {
    const reference = fontkitFonts().regular;
    const font = fontkitFonts().regular;
    usePlainLayout(font);
    usePlainLayout(font);
    expect(Object.prototype.hasOwnProperty.call(font, 'layout')).toBe(true);
    const texts = [
      'small/d00/f000000.bin',
      '4,096',
      'AVAVAV To Ty',
      'final',
      'Übersicht.pdf',
      'e\u0301te\u0301',
      'ﬁ',
      'שלום עולם',
      'مرحبا',
      'Ελληνικά',
      'файл.txt',
      '日本',
      '✓',
      'a\u200bb',
      '',
      ' ',
    ];
    const differences = texts.map((text) => difference(font.layout(text), reference.layout(text), text, false));
    // Features asked for are fontkit's business, even for ASCII.
    differences.push(difference(font.layout('AV', ['kern']), reference.layout('AV', ['kern']), 'AV with features', false));
    expect(differences.filter((d) => d !== null)).toEqual([]);
  });
});
