/**
 * What a page in the pseudo-locale (en-XA) shows outside the catalogue's ⟦ ⟧ markers, and which
 * of those tokens are data rather than words. Shared by the Chromium walk
 * (test/e2e/i18n.e2e.test.ts) and the component walk of populated views and forms in jsdom
 * (test/unit/renderer/i18n/pseudo-views.test.tsx).
 */

/** Subtrees not checked: the station's and the bundle's own data, and the engine's English. */
export const PSEUDO_SKIP = '[translate="no"], [lang]:not(html), code, pre, [data-fingerprint], [data-digest], script, style';

/** Removes marked messages, innermost first (a message may hold another as a value), and splits the rest into tokens. */
export function unmarkedTokens(text: string): string[] {
  let rest = text;
  for (let before = ''; before !== rest;) {
    before = rest;
    rest = rest.replace(/⟦[^⟦⟧]*⟧/gu, ' ');
  }
  return rest.split(/\s+/u).filter((token) => token !== '');
}

/** Tokens that are data, not words: numbers, sizes, codes, hashes, paths, punctuation. */
export function isData(token: string, allowed: ReadonlySet<string>): boolean {
  const bare = token.replace(/^[("“„'‹«]+|[)"”“'.,:;!?›»]+$/gu, '');
  if (bare === '' || allowed.has(bare)) return true;
  return (
    /^[\p{P}\p{S}\d\s]+$/u.test(bare) || // numbers, punctuation, symbols (×, →, ✓, #12, 1,234)
    bare === 'ℹ' || // the information icon (Unicode counts it a letter)
    /^(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB|PiB)(\/s)?$/u.test(bare) || // units
    /^[A-Z][A-Z0-9_]{2,}$/u.test(bare) || // problem and error codes
    /^[0-9A-Fa-f]{4,}$/u.test(bare) || // hashes and fingerprint groups
    /[/\\]/u.test(bare) || // paths
    /^[\w.-]+\.(tar|txt|csv|json|asc|bin)$/u.test(bare) // file names
  );
}
