/**
 * Sizes as operators type them: 4096, 64K, 700M, 8G, 1.5GiB, 2 TiB. K, M, G, T are powers of
 * 1024 (with or without "iB"), as the CLI prints them. The one reading for --part-size,
 * --volume-size and policy.json's byte limits. null when the text is not a size.
 */
export function parseSizeText(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(?:([KMGT])(?:i?B)?|B)?$/iu.exec(text.trim());
  if (!m?.[1]) return null;
  const scale = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[(m[2] ?? '').toUpperCase()] ?? 1;
  const value = Math.floor(Number(m[1]) * scale);
  return Number.isSafeInteger(value) ? value : null;
}
