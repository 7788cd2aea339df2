/** Fingerprints are shown upper-case in groups of four so they can be read aloud and compared. */
export function groupFingerprint(fingerprint: string): string {
  const hex = fingerprint.replace(/\s+/g, '').toUpperCase();
  return (hex.match(/.{1,4}/g) ?? []).join(' ');
}

/** Accepts a fingerprint typed with spaces, colons or lower case. */
export function normalizeFingerprint(input: string): string {
  return input.replace(/[\s:]/g, '').toUpperCase();
}

export function isFingerprint(input: string): boolean {
  return /^[0-9A-F]{40}$|^[0-9A-F]{64}$/.test(normalizeFingerprint(input));
}
