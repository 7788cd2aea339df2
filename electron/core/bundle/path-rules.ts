/**
 * Rules for paths inside a bag (relative to the bag's top directory, `/`-separated).
 *
 * Structural rules always apply: they stop an entry from leaving the destination.
 * Portability rules (control/bidi characters, names Windows cannot hold) are station
 * policy: on by default for import, reported as warnings on export so the sender knows.
 */

export interface PathLimits {
  maxPathBytes: number;
  maxComponentBytes: number;
  maxDepth: number;
}

export const DEFAULT_PATH_LIMITS: PathLimits = {
  maxPathBytes: 4096,
  maxComponentBytes: 255,
  maxDepth: 64,
};

export type PathVerdict = { ok: true } | { ok: false; kind: 'unsafe' | 'limit'; reason: string };

const OK: PathVerdict = { ok: true };

/** Structural safety: relative, no `..`/`.`/empty components, no NUL, no backslash, no drive letter, within limits. */
const COLON = 0x3a;
const DOT = 0x2e;

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** Whether path[start, end) is `.` or `..`. */
function isDotComponent(path: string, start: number, end: number): boolean {
  const length = end - start;
  return (length === 1 || length === 2) && path.charCodeAt(start) === DOT && path.charCodeAt(end - 1) === DOT;
}

export function checkStructuralPath(path: string, limits: PathLimits = DEFAULT_PATH_LIMITS): PathVerdict {
  if (path.length === 0) return { ok: false, kind: 'unsafe', reason: 'empty path' };
  if (path.includes('\0')) return { ok: false, kind: 'unsafe', reason: 'NUL character in path' };
  if (path.startsWith('/')) return { ok: false, kind: 'unsafe', reason: 'absolute path' };
  if (isAsciiLetter(path.charCodeAt(0)) && path.charCodeAt(1) === COLON) return { ok: false, kind: 'unsafe', reason: 'drive-letter path' };
  if (path.includes('\\')) return { ok: false, kind: 'unsafe', reason: 'backslash in path (a Windows separator)' };
  // The components in order, without splitting (verify checks every listed path before the payload).
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so a string short enough needs no byte count.
  let components = 0;
  for (let start = 0; start <= path.length;) {
    const slash = path.indexOf('/', start);
    const end = slash < 0 ? path.length : slash;
    components += 1;
    if (end === start) return { ok: false, kind: 'unsafe', reason: 'empty path component' };
    if (isDotComponent(path, start, end)) return { ok: false, kind: 'unsafe', reason: `"${path.slice(start, end)}" path component` };
    if ((end - start) * 3 > limits.maxComponentBytes && Buffer.byteLength(path.slice(start, end), 'utf8') > limits.maxComponentBytes) {
      return { ok: false, kind: 'limit', reason: `a path component is longer than ${limits.maxComponentBytes} bytes` };
    }
    start = end + 1;
  }
  if (components > limits.maxDepth) {
    return { ok: false, kind: 'limit', reason: `path is deeper than ${limits.maxDepth} levels` };
  }
  if (path.length * 3 > limits.maxPathBytes && Buffer.byteLength(path, 'utf8') > limits.maxPathBytes) {
    return { ok: false, kind: 'limit', reason: `path is longer than ${limits.maxPathBytes} bytes` };
  }
  return OK;
}

// C0 controls, DEL and C1 controls.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
// Bidirectional overrides, embeddings, isolates and marks: they make a name display as something else.
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const WINDOWS_FORBIDDEN_CHARS = /[<>:"|?*]/u;
// Device names Windows reserves, with or without an extension (written once: WINDOWS_RESERVED and SUSPECT use it).
const RESERVED_NAMES = 'con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]';
const WINDOWS_RESERVED = new RegExp(`^(${RESERVED_NAMES})(\\..*)?$`, 'iu');

export function hasControlCharacters(path: string): boolean {
  return CONTROL.test(path);
}

export function hasBidiCharacters(path: string): boolean {
  return BIDI.test(path);
}

/** Why Windows could not hold this path, or null if it can. */
export function windowsIncompatibility(path: string): string | null {
  for (const component of path.split('/')) {
    if (WINDOWS_FORBIDDEN_CHARS.test(component)) return `"${component}" holds a character Windows forbids (< > : " | ? *)`;
    if (/[. ]$/u.test(component)) return `"${component}" ends with a dot or space`;
    if (WINDOWS_RESERVED.test(component)) return `"${component}" is a reserved device name on Windows`;
  }
  return null;
}

export interface PortabilityRules {
  allowControlCharacters: boolean;
  allowBidiCharacters: boolean;
  allowWindowsIncompatibleNames: boolean;
}

export const STRICT_PORTABILITY: PortabilityRules = {
  allowControlCharacters: false,
  allowBidiCharacters: false,
  allowWindowsIncompatibleNames: false,
};

/** Portability findings for one path under the given rules; empty when it passes. */
/**
 * Anything a name rule could object to: a control or bidi character, a character Windows forbids,
 * a component ending in a dot or space, a component that could be a reserved device name. Most
 * names hold none of it and pass in this one expression, not a split and a dozen expressions
 * (verify runs the rules over every listed path: issue #18). Matching is only a first look: the
 * rules below decide, so a match that breaks none of them is no finding. Built from the rules'
 * own expressions, so a character a rule comes to refuse cannot slip past it.
 */
const SUSPECT = new RegExp(
  [CONTROL.source, BIDI.source, WINDOWS_FORBIDDEN_CHARS.source, '[. ](?:/|$)', `(?:^|/)(?:${RESERVED_NAMES})(?:\\.[^/]*)?(?:/|$)`].join('|'),
  'iu',
);

export function portabilityFindings(path: string, rules: PortabilityRules = STRICT_PORTABILITY): string[] {
  if (!SUSPECT.test(path)) return [];
  const findings: string[] = [];
  if (!rules.allowControlCharacters && hasControlCharacters(path)) findings.push('name holds control characters');
  if (!rules.allowBidiCharacters && hasBidiCharacters(path)) findings.push('name holds bidirectional-text control characters');
  if (!rules.allowWindowsIncompatibleNames) {
    const windows = windowsIncompatibility(path);
    if (windows !== null) findings.push(windows);
  }
  return findings;
}

const ASCII_ONLY = /^\p{ASCII}*$/u;

/**
 * Two names that differ only in Unicode normalisation or letter case land on the same file
 * on macOS, Windows, FAT and exFAT: they share a collision key. The key equals for every pair
 * Unicode's full case folding (CaseFolding.txt, statuses C and F) equates: lower, upper, lower
 * again, then NFC. One upper-lower round misses ẞ (U+1E9E lowers to ß, which only upper-casing
 * expands: ẞ -> ß -> SS -> ss); ligatures fold through upper-casing (ﬁ -> FI -> fi). The test
 * over CaseFolding.txt (test/unit/core/bundle/path-rules.test.ts) pins this down. Erring
 * towards a collision is the safe side: export and import share this key, so Airlock never
 * writes a bundle it would refuse.
 */
export function collisionKey(path: string): string {
  // ASCII folds by lower-casing alone and is its own NFC; V8 then hands back the same string when
  // nothing changes, so a registry of a million lower-case paths holds no second copy of each.
  if (ASCII_ONLY.test(path)) return path.toLowerCase();
  return path.normalize('NFC').toLowerCase().toUpperCase().toLowerCase().normalize('NFC');
}

/** Parent directories of a `/`-separated path, shortest first: `a/b/c` -> [`a`, `a/b`]. */
export function parentPaths(path: string): string[] {
  const parts = path.split('/');
  const parents: string[] = [];
  for (let i = 1; i < parts.length; i += 1) parents.push(parts.slice(0, i).join('/'));
  return parents;
}
