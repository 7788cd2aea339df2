/**
 * fontkit's text layout, without fontkit's shaping, for the texts that need none: printable ASCII
 * whose every pair of neighbours lays out as the two glyphs of its characters, only the first
 * one's advance changed (pair kerning). Most of the receipt is such text (the annex's paths, sizes
 * and SHA-256 hashes), and shaping it cost more than half of a 500-row receipt's render: fontkit
 * builds a shaping plan, glyph infos and feature maps and walks every GSUB/GPOS lookup for each
 * word anew (~110 MB allocated per receipt, design-notes "pdfrender").
 *
 * Exact, not an approximation. In the receipt's DejaVu fonts the only lookups that act on text of
 * printable ASCII alone are pair kerning (GPOS PairPos: adds to the first glyph's advance, nothing
 * to the second) and the f-ligatures (ff, fi, fl, ffi, ffl); the contextual ones (ccmp's i and j
 * before a mark) and the mark attachments need a mark, which ASCII has none of. The unit test
 * proves that from the fonts' tables, and compares this layout with fontkit's for every pair of
 * characters and many longer texts. So a text's layout is its characters' glyphs and advances,
 * each advance plus the kerning with the next character, where that kerning is read from fontkit's
 * own layout of the pair (cached: about 9,000 pairs at most per script). A pair that lays out as
 * anything else (a ligature, an offset, a changed second glyph) sends every text holding it to
 * fontkit, as does any other character: operator text in any script, combining marks, RTL, keeps
 * fontkit's full shaping.
 *
 * The result is fontkit's to the bit: the same glyph objects (fontkit's own, from its glyph
 * cache), the same advances in font units, summed in the same order; the PDF's bytes do not
 * change (test/integration/receipts/receipt-pdf.test.ts compares them with fontkit's).
 */

/** The characters laid out here: printable ASCII, space included. */
const FIRST = 0x20;
const LAST = 0x7e;
const SPAN = LAST - FIRST + 1;
/** A pair not known yet, and a pair that is not plain (fontkit lays it out some other way). */
const UNKNOWN = Number.NaN;
const NOT_PLAIN = Number.POSITIVE_INFINITY;

/**
 * fontkit picks the OpenType script from the text's first letter: Latin for any ASCII letter,
 * else (digits, punctuation, spaces) none, which falls back to the font's default script. The two
 * may kern differently, so each has its own pair table and lays its pairs out under that script.
 */
type ScriptClass = 0 | 1;
const SCRIPT_TAGS: Record<ScriptClass, string> = { 0: 'zzzz', 1: 'latn' };

export interface LayoutGlyph {
  readonly id: number;
  readonly advanceWidth: number;
  readonly codePoints: readonly number[];
}

export interface LayoutPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}

export interface LayoutRun {
  glyphs: LayoutGlyph[];
  positions: LayoutPosition[];
  readonly advanceWidth: number;
}

/** The part of a fontkit font this uses (pdfkit holds the font; receipt-pdf.ts hands it here). */
export interface LayoutFont {
  layout(text: string, features?: unknown, script?: string, ...rest: unknown[]): LayoutRun;
  glyphForCodePoint(codePoint: number): LayoutGlyph;
}

/** A run as fontkit's GlyphRun gives it to pdfkit: glyphs, positions, and the advance summed as fontkit sums it. */
class PlainRun implements LayoutRun {
  constructor(
    readonly glyphs: LayoutGlyph[],
    readonly positions: LayoutPosition[],
  ) {}

  get advanceWidth(): number {
    let width = 0;
    for (const position of this.positions) width += position.xAdvance;
    return width;
  }
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** The plain layout of one font: its glyphs by character and its pair kerning per script, filled as texts come. */
export class PlainLayout {
  private readonly glyphs: (LayoutGlyph | undefined)[] = new Array<LayoutGlyph | undefined>(SPAN);
  private readonly kerning: Record<ScriptClass, Float64Array> = {
    0: new Float64Array(SPAN * SPAN).fill(UNKNOWN),
    1: new Float64Array(SPAN * SPAN).fill(UNKNOWN),
  };

  /** `shaped` is fontkit's own layout of the font (its prototype method, bound), the reference for every pair. */
  constructor(
    private readonly font: LayoutFont,
    private readonly shaped: (text: string, features?: unknown, script?: string) => LayoutRun,
  ) {}

  /** The run fontkit would lay out for `text`, or null when the text is not plain (then fontkit shapes it). */
  layout(text: string): LayoutRun | null {
    const n = text.length;
    if (n === 0) return null;
    let letters = false;
    for (let i = 0; i < n; i += 1) {
      const c = text.charCodeAt(i);
      if (c < FIRST || c > LAST) return null;
      if (!letters && isLetter(c)) letters = true;
    }
    const script: ScriptClass = letters ? 1 : 0;
    const glyphs = new Array<LayoutGlyph>(n);
    const positions = new Array<LayoutPosition>(n);
    let c = text.charCodeAt(0);
    for (let i = 0; i < n; i += 1) {
      const glyph = this.glyph(c);
      let xAdvance = glyph.advanceWidth;
      if (i + 1 < n) {
        const next = text.charCodeAt(i + 1);
        const kern = this.pair(script, c, next);
        if (kern === NOT_PLAIN) return null;
        xAdvance += kern;
        c = next;
      }
      glyphs[i] = glyph;
      positions[i] = { xAdvance, yAdvance: 0, xOffset: 0, yOffset: 0 };
    }
    return new PlainRun(glyphs, positions);
  }

  private glyph(c: number): LayoutGlyph {
    let glyph = this.glyphs[c - FIRST];
    if (glyph === undefined) {
      // fontkit's own glyph object (its cache, by id), as its layout of this character returns it.
      glyph = this.font.glyphForCodePoint(c);
      this.glyphs[c - FIRST] = glyph;
    }
    return glyph;
  }

  /** What the pair adds to its first glyph's advance, from fontkit's layout of the pair; NOT_PLAIN if it does more. */
  private pair(script: ScriptClass, a: number, b: number): number {
    const table = this.kerning[script];
    const at = (a - FIRST) * SPAN + (b - FIRST);
    const known = table[at] ?? UNKNOWN;
    if (!Number.isNaN(known)) return known;
    const run = this.shaped(String.fromCharCode(a, b), undefined, SCRIPT_TAGS[script]);
    const first = this.glyph(a);
    const second = this.glyph(b);
    const [p, q] = run.positions;
    const plain =
      run.glyphs.length === 2 &&
      run.glyphs[0] === first &&
      run.glyphs[1] === second &&
      p !== undefined &&
      q !== undefined &&
      p.yAdvance === 0 &&
      p.xOffset === 0 &&
      p.yOffset === 0 &&
      q.xAdvance === second.advanceWidth &&
      q.yAdvance === 0 &&
      q.xOffset === 0 &&
      q.yOffset === 0;
    const kern = plain ? p.xAdvance - first.advanceWidth : NOT_PLAIN;
    table[at] = kern;
    return kern;
  }
}

const installed = new WeakSet<object>();

/**
 * Make `font.layout` lay plain text out here and hand everything else to fontkit. Once per font
 * object: a warm renderer keeps its parsed fonts (and so their pair tables) across receipts. Only
 * the call pdfkit makes for a text without OpenType features given (the receipt gives none) is
 * taken; any other call is fontkit's as before.
 */
export function usePlainLayout(font: LayoutFont): void {
  if (installed.has(font)) return;
  const shaped = font.layout.bind(font);
  const plain = new PlainLayout(font, shaped);
  font.layout = (text: string, features?: unknown, ...rest: unknown[]): LayoutRun => {
    if (typeof text === 'string' && features === undefined && rest.length === 0) {
      const run = plain.layout(text);
      if (run !== null) return run;
    }
    return (shaped as (text: string, features?: unknown, ...rest: unknown[]) => LayoutRun)(text, features, ...rest);
  };
  installed.add(font);
}
