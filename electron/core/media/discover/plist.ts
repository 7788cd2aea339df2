/**
 * A small reader for Apple XML property lists (what `diskutil ... -plist` prints): dict, array,
 * string, integer, real, true, false, date, data. No DTD processing, no external entities:
 * only the five predefined XML entities and numeric character references are decoded.
 */
export type PlistValue = string | number | boolean | Date | Buffer | PlistValue[] | { [key: string]: PlistValue };

const TOKEN = /<(\/?)([A-Za-z]+)(?:\s[^<>]*?)?(\/?)>|<\?[^>]*\?>|<!DOCTYPE[^>]*>|<!--[\s\S]*?-->/gu;

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/gu, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity] as string;
  });
}

interface Tag {
  close: boolean;
  name: string;
  empty: boolean;
  start: number;
  end: number;
}

export function parsePlist(xml: string): PlistValue {
  const tags: Tag[] = [];
  for (const match of xml.matchAll(TOKEN)) {
    if (match[2] === undefined) continue;
    tags.push({ close: match[1] === '/', name: match[2], empty: match[3] === '/', start: match.index, end: match.index + match[0].length });
  }
  let i = 0;
  const expect = (name: string, close: boolean): Tag => {
    const tag = tags[i];
    if (!tag || tag.name !== name || tag.close !== close) throw new Error(`plist: expected <${close ? '/' : ''}${name}> at tag ${i}`);
    i += 1;
    return tag;
  };
  const textUntilClose = (open: Tag): string => {
    const close = expect(open.name, true);
    return xml.slice(open.end, close.start);
  };
  const value = (): PlistValue => {
    const tag = tags[i];
    if (!tag || tag.close) throw new Error(`plist: expected a value at tag ${i}`);
    i += 1;
    switch (tag.name) {
      case 'dict': {
        const dict: { [key: string]: PlistValue } = {};
        if (tag.empty) return dict;
        while (tags[i] && !(tags[i]?.close && tags[i]?.name === 'dict')) {
          const keyTag = expect('key', false);
          const key = decode(textUntilClose(keyTag));
          dict[key] = value();
        }
        expect('dict', true);
        return dict;
      }
      case 'array': {
        const list: PlistValue[] = [];
        if (tag.empty) return list;
        while (tags[i] && !(tags[i]?.close && tags[i]?.name === 'array')) list.push(value());
        expect('array', true);
        return list;
      }
      case 'string':
        return tag.empty ? '' : decode(textUntilClose(tag));
      case 'integer':
      case 'real': {
        const n = Number(textUntilClose(tag).trim());
        if (!Number.isFinite(n)) throw new Error(`plist: bad <${tag.name}>`);
        return n;
      }
      case 'true':
        if (!tag.empty) expect('true', true);
        return true;
      case 'false':
        if (!tag.empty) expect('false', true);
        return false;
      case 'date':
        return new Date(textUntilClose(tag).trim());
      case 'data':
        return tag.empty ? Buffer.alloc(0) : Buffer.from(textUntilClose(tag).replace(/\s+/gu, ''), 'base64');
      default:
        throw new Error(`plist: unsupported element <${tag.name}>`);
    }
  };
  expect('plist', false);
  const root = value();
  expect('plist', true);
  return root;
}

export function asDict(value: PlistValue | undefined): { [key: string]: PlistValue } | null {
  return value !== undefined && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !Buffer.isBuffer(value) ? value : null;
}

export function asArray(value: PlistValue | undefined): PlistValue[] {
  return Array.isArray(value) ? value : [];
}
