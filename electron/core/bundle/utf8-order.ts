/**
 * Sorting names in UTF-8 byte order, the order a bundle lists a folder's entries in. For names
 * without characters beyond U+FFFF (no UTF-16 surrogates), JavaScript's own string order, by
 * UTF-16 code unit, is the same order, so the names need not be encoded; with any such character
 * among them the names are compared as UTF-8 bytes.
 */
function hasSurrogate(name: string): boolean {
  for (let i = 0; i < name.length; i += 1) {
    const unit = name.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) return true;
  }
  return false;
}

export function sortByUtf8<T>(items: readonly T[], nameOf: (item: T) => string): T[] {
  if (items.some((item) => hasSurrogate(nameOf(item)))) {
    return items
      .map((item) => ({ item, key: Buffer.from(nameOf(item), 'utf8') }))
      .sort((a, b) => Buffer.compare(a.key, b.key))
      .map(({ item }) => item);
  }
  return [...items].sort((a, b) => {
    const x = nameOf(a);
    const y = nameOf(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
