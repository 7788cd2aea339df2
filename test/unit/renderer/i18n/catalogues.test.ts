/**
 * The two catalogues stay in step: the same ids, the same ICU placeholders (names and kinds, plural
 * and select options), every message parses, no id is defined in two areas (a later area would
 * silently replace an earlier one), and the pseudo-locale keeps every message's structure.
 */
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { AREAS } from '../../../../renderer/src/i18n/catalogue/index.js';
import { de } from '../../../../renderer/src/i18n/de.js';
import { en } from '../../../../renderer/src/i18n/en.js';
import { messagesFor } from '../../../../renderer/src/i18n/messages.js';
import { PSEUDO_CLOSE, PSEUDO_OPEN } from '../../../../renderer/src/i18n/pseudo.js';

/** Every argument a message uses, as "name:kind", and for plural/select its option keys. */
function placeholders(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    switch (element.type) {
      case TYPE.argument:
        into.add(`${element.value}:argument`);
        break;
      case TYPE.number:
      case TYPE.date:
      case TYPE.time:
        into.add(`${element.value}:${TYPE[element.type]}`);
        break;
      case TYPE.plural:
      case TYPE.select:
        into.add(`${element.value}:${TYPE[element.type]}`);
        // "one"/"other" differ by language (German and English agree here); "other" is required in both.
        into.add(`${element.value}:has-other:${'other' in element.options}`);
        for (const option of Object.values(element.options)) placeholders(option.value, into);
        break;
      case TYPE.tag:
        into.add(`<${element.value}>`);
        placeholders(element.children, into);
        break;
      case TYPE.literal:
      case TYPE.pound:
        break;
    }
  }
  return into;
}

const ids = Object.keys(en).sort();

describe('the en and de catalogues', () => {
  it('hold the same ids', () => {
    expect(Object.keys(de).sort()).toEqual(ids);
    expect(ids.length).toBeGreaterThan(300);
  });

  it('define no id in two areas', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [name, area] of Object.entries(AREAS)) {
      for (const id of Object.keys(area.en)) {
        if (seen.has(id)) twice.push(`${id} (${seen.get(id) ?? '?'} and ${name})`);
        seen.set(id, name);
      }
    }
    expect(twice).toEqual([]);
  });

  it.each(ids)('%s: parses in both languages with the same placeholders', (id) => {
    const english = en[id as keyof typeof en];
    const german = de[id as keyof typeof de];
    expect(german.trim()).not.toBe('');
    expect([...placeholders(parse(german))].sort()).toEqual([...placeholders(parse(english))].sort());
  });

  it('has German that is not just the English copied (beyond words both languages share)', () => {
    // The words of a message, placeholders left out.
    const words = (message: string): string => {
      let text = message;
      while (/\{[^{}]*\}/u.test(text)) text = text.replace(/\{[^{}]*\}/gu, '');
      return text;
    };
    const same = ids.filter((id) => en[id as keyof typeof en] === de[id as keyof typeof de]);
    // Words German takes over as they are (Export, Import, Station, Digest, Code ...) may match; sentences may not.
    expect(same.filter((id) => /[a-z]{2,} [a-z]{2,}/iu.test(words(en[id as keyof typeof en])))).toEqual([]);
  });
});

describe('the pseudo-locale', () => {
  it('wraps every English message in the markers and keeps its placeholders', () => {
    const pseudo = messagesFor('en-XA') as Record<string, MessageFormatElement[]>;
    expect(Object.keys(pseudo).sort()).toEqual(ids);
    for (const id of ids) {
      const tree = pseudo[id] ?? [];
      expect(tree[0]).toEqual({ type: TYPE.literal, value: PSEUDO_OPEN });
      expect(tree.at(-1)).toEqual({ type: TYPE.literal, value: PSEUDO_CLOSE });
      expect([...placeholders(tree)].sort()).toEqual([...placeholders(parse(en[id as keyof typeof en]))].sort());
    }
  });
});
